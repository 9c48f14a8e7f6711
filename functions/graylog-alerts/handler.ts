/**
 * The Graylog alert relay (docs/observability-logging.md#streams-index-sets-and-alerts): Graylog's
 * notifications cannot publish to SNS, so EventBridge runs this every minute. It reads the alerts
 * Graylog raised since the watermark (minus OVERLAP_MS, for events written late) from the events
 * search API, publishes each one of the provisioner's definitions to the critical or warning topic
 * (the metrics alarms' own), records it as sent, and moves the watermark to the end of the window
 * once every event in it is published. A failed publish is thrown after the others are tried: the
 * watermark stays, the next run retries only what was not sent. A crash between a publish and its
 * record can send that one event twice (at least once, never lost).
 */
import type { SNSClient } from "@aws-sdk/client-sns";
import { z } from "zod";
import { graylogApi, json } from "../graylog-provisioner/api";
import { readSecretString } from "../shared/secretString";
import { SearchResultSchema, noticeOf, searchBody, severityOf } from "./events";
import { RelayStore, dynamoStore } from "./store";

/** How far before the watermark each search starts. */
export const OVERLAP_MS = 15 * 60_000;
/** Where the first run starts (no watermark yet): alerts older than this are not relayed. */
export const FIRST_RUN_LOOKBACK_MS = 15 * 60_000;
const PER_PAGE = 100;
/** A run stops paging here; the next run continues from the last event it reached. */
const MAX_PAGES = 20;

export interface Dependencies {
  /** GRAYLOG_URL, ADMIN_SECRET_ARN, TABLE_NAME, WARNING_TOPIC_ARN, CRITICAL_TOPIC_ARN, MARKER, ENVIRONMENT. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readSecret?: (secretId: string) => Promise<string>;
  readonly fetchImpl?: typeof fetch;
  readonly store?: RelayStore;
  readonly sns?: SNSClient;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
}

export interface Result {
  readonly from: string;
  readonly to: string;
  readonly published: number;
  readonly skipped: number;
}

const Settings = z.object({
  GRAYLOG_URL: z.string().min(1),
  ADMIN_SECRET_ARN: z.string().startsWith("arn:"),
  TABLE_NAME: z.string().min(3),
  WARNING_TOPIC_ARN: z.string().startsWith("arn:"),
  CRITICAL_TOPIC_ARN: z.string().startsWith("arn:"),
  MARKER: z.string().min(3),
  ENVIRONMENT: z.string().default("management"),
});

const Credential = z.object({ username: z.string().min(1), password: z.string().min(1) });

let sharedSns: SNSClient | undefined;

export function makeHandler(deps: Dependencies): (event?: unknown) => Promise<Result> {
  const log = deps.log ?? ((line: string) => console.log(line));
  const now = deps.now ?? Date.now;
  let credential: Promise<z.output<typeof Credential>> | undefined;
  return async () => {
    const settings = Settings.safeParse(deps.env);
    if (!settings.success) throw new Error(`Graylog alert relay misconfigured: ${settings.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    const s = settings.data;
    const store = deps.store ?? dynamoStore(s.TABLE_NAME);
    const sdk = await import("@aws-sdk/client-sns");
    const sns = deps.sns ?? (sharedSns ??= new sdk.SNSClient({}));

    credential ??= (deps.readSecret ?? readSecretString)(s.ADMIN_SECRET_ARN).then((text) => Credential.parse(JSON.parse(text)));
    let admin: z.output<typeof Credential>;
    try {
      admin = await credential;
    } catch (e) {
      credential = undefined;
      throw new Error(`cannot read the Graylog admin credential from ${s.ADMIN_SECRET_ARN}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    }
    const api = graylogApi({ baseUrl: s.GRAYLOG_URL, username: admin.username, password: admin.password, fetchImpl: deps.fetchImpl });

    const to = new Date(now());
    const mark = await store.watermark();
    const from = new Date((mark ? mark.getTime() - OVERLAP_MS : to.getTime() - FIRST_RUN_LOOKBACK_MS));
    let published = 0;
    let skipped = 0;
    const failures: string[] = [];
    let complete = true;
    let reached = from.getTime();
    for (let page = 1; ; page++) {
      let raw: unknown;
      try {
        raw = await json<unknown>(api, "POST", "/events/search", "searching Graylog's alerts", searchBody(from, to, page, PER_PAGE));
      } catch (e) {
        // A rotated admin password: read the secret again on the next run.
        if (e instanceof Error && / answered 401:/.test(e.message)) credential = undefined;
        throw e;
      }
      const result = SearchResultSchema.parse(raw);
      for (const { event } of result.events) {
        reached = Math.max(reached, Date.parse(event.timestamp) || reached);
        const definition = result.context.event_definitions[event.event_definition_id];
        if (!definition || !(definition.description ?? "").startsWith(s.MARKER)) {
          skipped++;
          continue;
        }
        if (await store.wasSent(event.id)) {
          skipped++;
          continue;
        }
        const severity = severityOf(event);
        const topic = severity === "critical" ? s.CRITICAL_TOPIC_ARN : s.WARNING_TOPIC_ARN;
        const notice = noticeOf(event, definition, s.GRAYLOG_URL, s.ENVIRONMENT);
        try {
          await sns.send(new sdk.PublishCommand({ TopicArn: topic, Subject: notice.subject, Message: notice.message }));
          await store.markSent(event.id, new Date(now()));
          published++;
          log(JSON.stringify({ level: "info", published: definition.title, event: event.id, severity, topic: topic.split(":").pop() }));
        } catch (e) {
          const why = `${definition.title} (${event.id}): ${e instanceof Error ? e.message : String(e)}`;
          failures.push(why);
          log(JSON.stringify({ level: "error", failed: why }));
        }
      }
      if (result.events.length < PER_PAGE || page * PER_PAGE >= result.total_events) break;
      if (page >= MAX_PAGES) {
        complete = false;
        log(JSON.stringify({ level: "warn", paged: page, total: result.total_events, note: "the rest is relayed by the next run" }));
        break;
      }
    }
    if (failures.length > 0) throw new Error(`Graylog alert relay: ${failures.length} alert(s) not published (the next run retries them): ${failures.join("; ")}`);
    // Incomplete: the next search starts at the last event reached (watermark minus the overlap).
    await store.setWatermark(complete ? to : new Date(reached + OVERLAP_MS));
    return { from: from.toISOString(), to: to.toISOString(), published, skipped };
  };
}

let live: ((event?: unknown) => Promise<Result>) | undefined;

export async function handler(event?: unknown): Promise<Result> {
  live ??= makeHandler({ env: process.env });
  return live(event);
}
