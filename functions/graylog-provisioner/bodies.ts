/**
 * The Graylog 6.x request bodies for what the spec wants, and what about an existing object differs
 * from them. Field names follow Graylog's REST resources (graylog2-server 6.3: IndexSetSummary /
 * IndexSetUpdateRequest, CreateStreamRequest / UpdateStreamRequest / CreateStreamRuleRequest,
 * InputCreateRequest, EventDefinitionDto with AggregationEventProcessorConfig). Pure.
 */
import type { AlertWanted, IndexSetWanted, StreamWanted } from "./spec";

export const ROTATION_STRATEGY = "org.graylog2.indexer.rotation.strategies.TimeBasedRotationStrategy";
export const ROTATION_CONFIG = "org.graylog2.indexer.rotation.strategies.TimeBasedRotationStrategyConfig";
export const RETENTION_STRATEGY = "org.graylog2.indexer.retention.strategies.DeletionRetentionStrategy";
export const RETENTION_CONFIG = "org.graylog2.indexer.retention.strategies.DeletionRetentionStrategyConfig";
/** StreamRuleType.EXACT. */
export const RULE_EXACT = 1;
/** Stream.DEFAULT_EVENTS_STREAM_ID: where Graylog keeps the events of every definition. */
export const DEFAULT_EVENTS_STREAM_ID = "000000000000000000000002";
/** The count series every alert compares with its threshold. */
export const SERIES_ID = "error-count";
/** One primary shard a day; one replica so losing a search node (or its AZ) loses no log. */
export const SHARDS = 1;
export const REPLICAS = 1;

type Obj = Record<string, unknown>;

function get(o: unknown, ...path: string[]): unknown {
  let v: unknown = o;
  for (const k of path) v = v !== null && typeof v === "object" ? (v as Obj)[k] : undefined;
  return v;
}

function differs(out: string[], field: string, have: unknown, want: unknown): void {
  if (JSON.stringify(have) !== JSON.stringify(want)) out.push(`${field} ${JSON.stringify(have)} -> ${JSON.stringify(want)}`);
}

export function indexSetTitle(stack: string): string {
  return `tila ${stack}`;
}

export function indexSetDescription(marker: string, s: IndexSetWanted): string {
  return `${marker} logs of ${s.stack}, one index a day, the newest ${s.hotDays} kept${s.archiveDays > 0 ? `, snapshots archived ${s.archiveDays} days` : ""}`;
}

/** Settings both the create and the update body carry: legacy (time-based) rotation, deletion retention. */
function indexSetSettings(marker: string, s: IndexSetWanted): Obj {
  return {
    title: indexSetTitle(s.stack),
    description: indexSetDescription(marker, s),
    writable: true,
    shards: SHARDS,
    replicas: REPLICAS,
    rotation_strategy_class: ROTATION_STRATEGY,
    rotation_strategy: { type: ROTATION_CONFIG, rotation_period: "P1D", rotate_empty_index_set: false },
    retention_strategy_class: RETENTION_STRATEGY,
    retention_strategy: { type: RETENTION_CONFIG, max_number_of_indices: s.hotDays },
    index_optimization_max_num_segments: 1,
    index_optimization_disabled: false,
    field_type_refresh_interval: 5000,
    // Without it Graylog 6 wants a data_tiering config instead of the rotation and retention above.
    use_legacy_rotation: true,
  };
}

export function indexSetCreateBody(marker: string, s: IndexSetWanted, now: Date): Obj {
  return { ...indexSetSettings(marker, s), index_prefix: s.prefix, index_analyzer: "standard", creation_date: now.toISOString(), default: false, can_be_default: true };
}

export function indexSetUpdateBody(marker: string, s: IndexSetWanted): Obj {
  return indexSetSettings(marker, s);
}

/** What of an existing index set differs from the wanted one (empty: leave it alone). */
export function indexSetChanges(have: unknown, marker: string, s: IndexSetWanted): string[] {
  const out: string[] = [];
  differs(out, "description", get(have, "description"), indexSetDescription(marker, s));
  differs(out, "shards", get(have, "shards"), SHARDS);
  differs(out, "replicas", get(have, "replicas"), REPLICAS);
  differs(out, "writable", get(have, "writable"), true);
  differs(out, "rotation_strategy_class", get(have, "rotation_strategy_class"), ROTATION_STRATEGY);
  differs(out, "rotation_period", get(have, "rotation_strategy", "rotation_period"), "P1D");
  differs(out, "retention_strategy_class", get(have, "retention_strategy_class"), RETENTION_STRATEGY);
  differs(out, "max_number_of_indices", get(have, "retention_strategy", "max_number_of_indices"), s.hotDays);
  differs(out, "use_legacy_rotation", get(have, "use_legacy_rotation"), true);
  return out;
}

export function ruleBody(r: StreamWanted["rules"][number]): Obj {
  return { field: r.field, type: RULE_EXACT, value: r.value, inverted: false, description: `${r.field} is ${r.value}` };
}

export function streamCreateBody(s: StreamWanted, indexSetId: string): Obj {
  return { ...streamUpdateBody(s, indexSetId), rules: s.rules.map(ruleBody) };
}

export function streamUpdateBody(s: StreamWanted, indexSetId: string): Obj {
  return { title: s.title, description: s.description, matching_type: "AND", remove_matches_from_default_stream: true, index_set_id: indexSetId };
}

export function streamChanges(have: unknown, s: StreamWanted, indexSetId: string): string[] {
  const out: string[] = [];
  differs(out, "description", get(have, "description"), s.description);
  differs(out, "matching_type", get(have, "matching_type"), "AND");
  differs(out, "remove_matches_from_default_stream", get(have, "remove_matches_from_default_stream"), true);
  differs(out, "index_set_id", get(have, "index_set_id"), indexSetId);
  return out;
}

/** A rule as a comparable key: an exact, not inverted match of field to value. */
export function ruleKey(r: unknown): string {
  return JSON.stringify([get(r, "field"), get(r, "type"), get(r, "value"), get(r, "inverted") === true]);
}

export function wantedRuleKey(r: StreamWanted["rules"][number]): string {
  return JSON.stringify([r.field, RULE_EXACT, r.value, false]);
}

export function eventDefinitionBody(a: AlertWanted, streamId: string): Obj {
  const windowMs = a.windowMinutes * 60_000;
  return {
    title: a.title,
    description: a.description,
    priority: a.priority,
    alert: true,
    config: {
      type: "aggregation-v1",
      query: a.query,
      query_parameters: [],
      filters: [],
      streams: [streamId],
      stream_categories: [],
      group_by: [],
      series: [{ type: "count", id: SERIES_ID }],
      conditions: { expression: { expr: ">", left: { expr: "number-ref", ref: SERIES_ID }, right: { expr: "number", value: a.threshold } } },
      search_within_ms: windowMs,
      execute_every_ms: windowMs,
      use_cron_scheduling: false,
      event_limit: 0,
    },
    field_spec: {},
    key_spec: [],
    notification_settings: { grace_period_ms: 0, backlog_size: 0 },
    // No Graylog notification: the alert relay (functions/graylog-alerts) reads the events and publishes to SNS.
    notifications: [],
    storage: [{ type: "persist-to-streams-v1", streams: [DEFAULT_EVENTS_STREAM_ID] }],
  };
}

export function eventDefinitionChanges(have: unknown, a: AlertWanted, streamId: string): string[] {
  const out: string[] = [];
  const windowMs = a.windowMinutes * 60_000;
  differs(out, "description", get(have, "description"), a.description);
  differs(out, "priority", get(have, "priority"), a.priority);
  differs(out, "alert", get(have, "alert"), true);
  differs(out, "config.type", get(have, "config", "type"), "aggregation-v1");
  differs(out, "config.query", get(have, "config", "query"), a.query);
  differs(out, "config.streams", get(have, "config", "streams"), [streamId]);
  differs(out, "threshold", get(have, "config", "conditions", "expression", "right", "value"), a.threshold);
  differs(out, "config.search_within_ms", get(have, "config", "search_within_ms"), windowMs);
  differs(out, "config.execute_every_ms", get(have, "config", "execute_every_ms"), windowMs);
  const state = get(have, "state");
  if (state !== undefined && state !== "ENABLED") out.push(`state ${JSON.stringify(state)} -> "ENABLED"`);
  return out;
}

/** The GELF TCP input: plain TCP on every node (the load balancer terminates TLS). */
export function inputBody(i: { title: string; type: string; port: number }): Obj {
  return {
    title: i.title,
    type: i.type,
    global: true,
    configuration: {
      bind_address: "0.0.0.0",
      port: i.port,
      recv_buffer_size: 1048576,
      number_worker_threads: 2,
      tls_enable: false,
      tcp_keepalive: true,
      max_message_size: 2097152,
      decompress_size_limit: 8388608,
    },
  };
}

export function inputChanges(have: unknown, i: { title: string; type: string; port: number }): string[] {
  const out: string[] = [];
  differs(out, "type", get(have, "type"), i.type);
  differs(out, "global", get(have, "global"), true);
  differs(out, "port", get(have, "attributes", "port"), i.port);
  differs(out, "bind_address", get(have, "attributes", "bind_address"), "0.0.0.0");
  differs(out, "tls_enable", get(have, "attributes", "tls_enable"), false);
  return out;
}
