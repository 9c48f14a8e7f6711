/**
 * The daily curation Lambda (docs/analytics.md#curation): EventBridge Scheduler invokes it at 02:00
 * UTC; for each topic it empties yesterday's (UTC) partition in the curated bucket, then copies that
 * day from raw to curated without the personal columns with one Athena INSERT INTO in the lake's
 * workgroup, and waits for it with a bounded poll.
 *
 * Re-runs are safe: Athena's INSERT INTO on a Hive table appends, so the partition's objects are
 * deleted first and a retry (Scheduler's, Lambda's or an operator's) leaves one copy of the day, not
 * two. A topic that fails does not stop the others; the invocation then throws naming every failed
 * topic, so the Errors alarm fires and Lambda retries. The event is never read: the topics, the
 * databases and the workgroup come from the function's environment, the day from the clock.
 */
import { AthenaClient, GetQueryExecutionCommand, StartQueryExecutionCommand } from "@aws-sdk/client-athena";
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { CurationTopic, curationSql, parseTopics, partitionPrefix, previousUtcDay } from "./sql";

export interface Dependencies {
  readonly athena: AthenaClient;
  readonly s3: S3Client;
  /** WORKGROUP, RAW_DATABASE, CURATED_DATABASE, CURATED_BUCKET, TOPICS (JSON of CurationTopic[]). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (line: string) => void;
}

/** Poll every 5 s, at most 36 times: 3 minutes a topic, four topics inside the 15-minute timeout. */
export const POLL_INTERVAL_MS = 5_000;
export const MAX_POLLS = 36;

export interface TopicResult {
  readonly topic: string;
  readonly state: "SUCCEEDED" | "FAILED" | "CANCELLED" | "TIMED_OUT" | "ERROR";
  readonly queryExecutionId?: string;
  /** Objects of an earlier run deleted from the curated partition first. */
  readonly replacedObjects: number;
  readonly reason?: string;
}

export interface CurationReport {
  readonly day: string;
  readonly results: readonly TopicResult[];
}

function required(env: Dependencies["env"], key: string): string {
  const v = env[key];
  if (v === undefined || v === "") throw new Error(`${key} is not set`);
  return v;
}

/** Deletes every object under `prefix` (all pages); returns how many. */
async function emptyPrefix(s3: S3Client, bucket: string, prefix: string): Promise<number> {
  let deleted = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
    if (keys.length > 0) {
      const out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
      if ((out.Errors ?? []).length > 0) throw new Error(`could not delete ${out.Errors!.length} object(s) under ${prefix}: ${out.Errors![0]!.Code ?? "error"}`);
      deleted += keys.length;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return deleted;
}

async function curateTopic(d: Required<Pick<Dependencies, "athena" | "s3" | "sleep">>, cfg: { workgroup: string; raw: string; curated: string; bucket: string }, t: CurationTopic, day: string): Promise<TopicResult> {
  let replacedObjects = 0;
  let queryExecutionId: string | undefined;
  try {
    const sql = curationSql(cfg.raw, cfg.curated, t, day);
    replacedObjects = await emptyPrefix(d.s3, cfg.bucket, partitionPrefix(t, day));
    const started = await d.athena.send(new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: cfg.workgroup }));
    queryExecutionId = started.QueryExecutionId;
    if (!queryExecutionId) throw new Error("Athena returned no query execution id");
    for (let poll = 0; poll < MAX_POLLS; poll++) {
      const got = await d.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: queryExecutionId }));
      const status = got.QueryExecution?.Status;
      const state = status?.State;
      if (state === "SUCCEEDED") return { topic: t.topic, state, queryExecutionId, replacedObjects };
      if (state === "FAILED" || state === "CANCELLED") {
        return { topic: t.topic, state, queryExecutionId, replacedObjects, reason: status?.StateChangeReason ?? status?.AthenaError?.ErrorMessage ?? "no reason given" };
      }
      await d.sleep(POLL_INTERVAL_MS);
    }
    return { topic: t.topic, state: "TIMED_OUT", queryExecutionId, replacedObjects, reason: `still running after ${(MAX_POLLS * POLL_INTERVAL_MS) / 1000} s` };
  } catch (e) {
    return { topic: t.topic, state: "ERROR", replacedObjects, ...(queryExecutionId ? { queryExecutionId } : {}), reason: e instanceof Error ? e.message : String(e) };
  }
}

/** Curates yesterday (UTC) for every topic; throws after all topics ran if any did not succeed. */
export async function curate(deps: Dependencies): Promise<CurationReport> {
  const log = deps.log ?? ((line: string) => console.log(line));
  const cfg = { workgroup: required(deps.env, "WORKGROUP"), raw: required(deps.env, "RAW_DATABASE"), curated: required(deps.env, "CURATED_DATABASE"), bucket: required(deps.env, "CURATED_BUCKET") };
  const topics = parseTopics(deps.env.TOPICS);
  const day = previousUtcDay((deps.now ?? (() => new Date()))());
  const d = { athena: deps.athena, s3: deps.s3, sleep: deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))) };
  const results: TopicResult[] = [];
  for (const t of topics) {
    const r = await curateTopic(d, cfg, t, day);
    log(JSON.stringify({ day, ...r }));
    results.push(r);
  }
  const failed = results.filter((r) => r.state !== "SUCCEEDED");
  if (failed.length > 0) throw new Error(`curation of ${day} failed for ${failed.map((r) => `${r.topic} (${r.state}: ${r.reason ?? ""})`).join(", ")}`);
  return { day, results };
}

/** Builds a handler over the given clients (tests pass mocked ones). */
export function makeHandler(deps: Omit<Dependencies, "env"> & { env?: Dependencies["env"] }): () => Promise<CurationReport> {
  return () => curate({ ...deps, env: deps.env ?? process.env });
}

export const handler = makeHandler({ athena: new AthenaClient({}), s3: new S3Client({}) });
