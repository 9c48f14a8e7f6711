/**
 * Reconciles Graylog with the spec, idempotently: every object is found by its title, created when
 * missing, updated only when something about it differs (a second run with the same spec writes
 * nothing), and owned only when its description starts with the spec's marker. An object with one
 * of our titles that lacks the marker is refused, naming it, and never changed; objects with other
 * titles are never read past their title. Streams and event definitions the provisioner made and
 * the spec no longer wants are deleted; index sets never are (their indices hold the logs).
 */
import { GraylogApi, json } from "./api";
import {
  eventDefinitionBody,
  eventDefinitionChanges,
  indexSetChanges,
  indexSetCreateBody,
  indexSetTitle,
  indexSetUpdateBody,
  inputBody,
  inputChanges,
  ruleBody,
  ruleKey,
  streamChanges,
  streamCreateBody,
  streamUpdateBody,
  wantedRuleKey,
} from "./bodies";
import type { Spec } from "./spec";

interface Titled {
  readonly id: string;
  readonly title: string;
  readonly description?: string | null;
}

export interface Outcome {
  /** What was written, one line per change, in order. */
  readonly applied: string[];
  /** Objects already as wanted. */
  readonly unchanged: number;
}

export interface ReconcileOptions {
  readonly now: () => Date;
  readonly log: (line: string) => void;
}

/** Event definitions are paged; this many a page. */
const PAGE = 100;

function owned(o: Titled, marker: string, kind: string): boolean {
  if ((o.description ?? "").startsWith(marker)) return true;
  throw new Error(`${kind} "${o.title}" (${o.id}) exists but was not made by the provisioner (its description does not start with "${marker}"); rename or remove it`);
}

async function listEventDefinitions(api: GraylogApi): Promise<Titled[]> {
  const all: Titled[] = [];
  for (let page = 1; ; page++) {
    const r = await json<{ event_definitions?: Titled[]; total?: number }>(api, "GET", `/events/definitions?page=${page}&per_page=${PAGE}`, "listing event definitions");
    const got = r?.event_definitions ?? [];
    all.push(...got);
    if (got.length < PAGE || all.length >= (r?.total ?? all.length)) return all;
  }
}

export async function reconcile(api: GraylogApi, spec: Spec, o: ReconcileOptions): Promise<Outcome> {
  const applied: string[] = [];
  let unchanged = 0;
  const marker = spec.marker;
  const write = async <T>(method: string, path: string, what: string, body?: unknown): Promise<T> => {
    o.log(JSON.stringify({ level: "info", write: what, method, path }));
    const out = await json<T>(api, method, path, what, body);
    applied.push(what);
    return out;
  };

  // Inputs: titled, no description; a foreign input on our port would stop ours from binding.
  const inputs = (await json<{ inputs?: (Titled & { attributes?: Record<string, unknown> })[] }>(api, "GET", "/system/inputs", "listing inputs"))?.inputs ?? [];
  for (const want of spec.inputs) {
    const clash = inputs.find((i) => i.title !== want.title && i.attributes?.port === want.port);
    if (clash) throw new Error(`input "${want.title}": input "${clash.title}" (${clash.id}) already listens on port ${want.port}`);
    const have = inputs.find((i) => i.title === want.title);
    if (!have) {
      await write("POST", "/system/inputs", `create input "${want.title}" on ${want.port}`, inputBody(want));
      continue;
    }
    const changes = inputChanges(have, want);
    if (changes.length === 0) unchanged++;
    else await write("PUT", `/system/inputs/${have.id}`, `update input "${want.title}": ${changes.join(", ")}`, inputBody(want));
  }

  // Index sets, one per stack.
  const sets = (await json<{ index_sets?: (Titled & { index_prefix?: string })[] }>(api, "GET", "/system/indices/index_sets?skip=0&limit=0", "listing index sets"))?.index_sets ?? [];
  const indexSetIds: Record<string, string> = {};
  for (const want of spec.indexSets) {
    const title = indexSetTitle(want.stack);
    const have = sets.find((s) => s.title === title);
    const prefixTaken = sets.find((s) => s.index_prefix === want.prefix && s.title !== title);
    if (prefixTaken) throw new Error(`index set "${title}": prefix ${want.prefix} is already used by index set "${prefixTaken.title}" (${prefixTaken.id})`);
    if (!have) {
      const created = await write<{ id: string }>("POST", "/system/indices/index_sets", `create index set "${title}" (${want.prefix}, ${want.hotDays} daily indices)`, indexSetCreateBody(marker, want, o.now()));
      if (!created?.id) throw new Error(`index set "${title}": Graylog answered no id`);
      indexSetIds[want.stack] = created.id;
      continue;
    }
    owned(have, marker, "index set");
    if (have.index_prefix !== want.prefix) throw new Error(`index set "${title}" (${have.id}) has prefix ${have.index_prefix}, not ${want.prefix}; a prefix cannot change`);
    indexSetIds[want.stack] = have.id;
    const changes = indexSetChanges(have, marker, want);
    if (changes.length === 0) unchanged++;
    else await write("PUT", `/system/indices/index_sets/${have.id}`, `update index set "${title}": ${changes.join(", ")}`, indexSetUpdateBody(marker, want));
  }

  // Streams: created paused by Graylog, so resumed; rules added and removed one by one.
  type StreamHave = Titled & { disabled?: boolean; rules?: ({ id: string } & Record<string, unknown>)[] };
  const streams = (await json<{ streams?: StreamHave[] }>(api, "GET", "/streams", "listing streams"))?.streams ?? [];
  const streamIds: Record<string, string> = {};
  for (const want of spec.streams) {
    const indexSetId = indexSetIds[want.indexSetStack]!;
    const have = streams.find((s) => s.title === want.title);
    if (!have) {
      const created = await write<{ stream_id: string }>("POST", "/streams", `create stream "${want.title}"`, streamCreateBody(want, indexSetId));
      if (!created?.stream_id) throw new Error(`stream "${want.title}": Graylog answered no stream_id`);
      streamIds[want.title] = created.stream_id;
      await write("POST", `/streams/${created.stream_id}/resume`, `start stream "${want.title}"`);
      continue;
    }
    owned(have, marker, "stream");
    streamIds[want.title] = have.id;
    let touched = false;
    const changes = streamChanges(have, want, indexSetId);
    if (changes.length > 0) {
      touched = true;
      await write("PUT", `/streams/${have.id}`, `update stream "${want.title}": ${changes.join(", ")}`, streamUpdateBody(want, indexSetId));
    }
    const wantedKeys = new Set(want.rules.map(wantedRuleKey));
    const haveRules = have.rules ?? [];
    for (const r of want.rules) {
      if (haveRules.some((h) => ruleKey(h) === wantedRuleKey(r))) continue;
      touched = true;
      await write("POST", `/streams/${have.id}/rules`, `add rule ${r.field}=${r.value} to stream "${want.title}"`, ruleBody(r));
    }
    for (const h of haveRules) {
      if (wantedKeys.has(ruleKey(h))) continue;
      touched = true;
      await write("DELETE", `/streams/${have.id}/rules/${h.id}`, `remove rule ${String(h.field)}=${String(h.value)} from stream "${want.title}"`);
    }
    if (have.disabled === true) {
      touched = true;
      await write("POST", `/streams/${have.id}/resume`, `start stream "${want.title}"`);
    }
    if (!touched) unchanged++;
  }

  // Event definitions (the alerts), scheduled.
  const definitions = await listEventDefinitions(api);
  for (const want of spec.alerts) {
    const streamId = streamIds[want.streamTitle]!;
    const have = definitions.find((d) => d.title === want.title);
    if (!have) {
      await write("POST", "/events/definitions?schedule=true", `create event definition "${want.title}" (> ${want.threshold} in ${want.windowMinutes} min, ${want.severity})`, eventDefinitionBody(want, streamId));
      continue;
    }
    owned(have, marker, "event definition");
    const changes = eventDefinitionChanges(have, want, streamId);
    if (changes.length === 0) unchanged++;
    else await write("PUT", `/events/definitions/${have.id}?schedule=true`, `update event definition "${want.title}": ${changes.join(", ")}`, { ...eventDefinitionBody(want, streamId), id: have.id });
  }

  // What we made and no longer want: definitions first (they name streams), then streams.
  const wantedAlerts = new Set(spec.alerts.map((a) => a.title));
  for (const d of definitions) {
    if (!wantedAlerts.has(d.title) && (d.description ?? "").startsWith(marker)) await write("DELETE", `/events/definitions/${d.id}`, `remove event definition "${d.title}" (no longer wanted)`);
  }
  const wantedStreams = new Set(spec.streams.map((s) => s.title));
  for (const s of streams) {
    if (!wantedStreams.has(s.title) && (s.description ?? "").startsWith(marker)) await write("DELETE", `/streams/${s.id}`, `remove stream "${s.title}" (no longer wanted)`);
  }
  return { applied, unchanged };
}
