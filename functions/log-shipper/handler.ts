/**
 * The log shipper Lambda (docs/observability-logging.md, "Flow logs and ALB access logs"): invoked
 * by S3 when a flow-log or ALB access-log file lands in one of the environment's log buckets, and by
 * CloudWatch Logs where the flow logs go to a log group. Every record becomes a GELF message
 * (records.ts reads it, gelf.ts writes it) with the contract's fields (`environment`, `log_kind`
 * "flow-log" or "alb-access") and the record's own, sent over one TLS connection to Graylog in
 * batches (transport.ts).
 *
 * An event of another shape, a bucket or log group the shipper was not given, an object whose key
 * is not a log file (ELB's test file): logged and ignored (retrying cannot change them). A line
 * that does not parse is counted and logged by its position, never by its content. Graylog not
 * reachable after MAX_ATTEMPTS, an object that cannot be read: thrown, so Lambda retries the event
 * and then keeps it in the dead-letter queue.
 */
import { z } from "zod";
import { Connect, GelfConnection, GelfDeliveryError, tlsConnect } from "./transport";
import { CloudWatchLogsEvent, GetObject, S3Event, cloudWatchLogsData, gzipLines, objectOf, s3GetObject } from "./sources";
import { FLOW_LOG_DEFAULT_FIELDS, ParseResult, RecordKind, flowLogHeader, parseAlbLog, parseFlowLog } from "./records";
import { gelfFrame, toGelf } from "./gelf";

export interface Dependencies {
  /** ENVIRONMENT, GELF_HOST, GELF_PORT, S3_SOURCES, FLOW_LOG_GROUP (optional), MAX_ATTEMPTS, BATCH_SIZE. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly getObject?: GetObject;
  readonly connect?: Connect;
  readonly log?: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly connectTimeoutMs?: number;
}

export interface InvocationContext {
  readonly getRemainingTimeInMillis?: () => number;
}

export type Result =
  | { readonly status: "ignored"; readonly reason: string }
  | { readonly status: "shipped"; readonly sources: number; readonly messages: number; readonly malformed: number; readonly skipped: number; readonly connections: number };

export const DEFAULT_MAX_ATTEMPTS = 4;
export const DEFAULT_BATCH_SIZE = 500;
/** A batch is also cut at this many bytes, so one write never holds a whole large file. */
export const MAX_BATCH_BYTES = 512 * 1024;
/** Malformed lines logged per source (each by its position): the count is always logged. */
const MALFORMED_LOGGED = 5;

const KIND = z.enum(["flow-log", "alb-access"]);
const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .refine((s) => /^\d+$/.test(s) && Number(s) >= min && Number(s) <= max, `must be a whole number from ${min} to ${max}`)
    .transform(Number);

export const Settings = z.object({
  ENVIRONMENT: z.string().regex(/^[a-z][a-z0-9-]*$/, "must name the stack"),
  GELF_HOST: z.string().regex(/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, "must be the DNS name Graylog's certificate covers"),
  GELF_PORT: wholeNumber(1, 65535, 12201),
  /** JSON: bucket name -> what it holds ("flow-log" or "alb-access"). */
  S3_SOURCES: z
    .string()
    .default("{}")
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be JSON" });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string().min(1), KIND)),
  /** The flow logs' log group, where they go to CloudWatch. */
  FLOW_LOG_GROUP: z.string().min(1).optional(),
  MAX_ATTEMPTS: wholeNumber(1, 10, DEFAULT_MAX_ATTEMPTS),
  BATCH_SIZE: wholeNumber(1, 10_000, DEFAULT_BATCH_SIZE),
});
type ShipperSettings = z.output<typeof Settings>;

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
}

/** Collects frames and sends them in batches of BATCH_SIZE messages (or MAX_BATCH_BYTES). */
class Batcher {
  private frames: Buffer[] = [];
  private bytes = 0;
  sent = 0;
  constructor(private readonly connection: GelfConnection, private readonly size: number) {}
  async add(frame: Buffer): Promise<void> {
    this.frames.push(frame);
    this.bytes += frame.length;
    if (this.frames.length >= this.size || this.bytes >= MAX_BATCH_BYTES) await this.flush();
  }
  async flush(): Promise<void> {
    const frames = this.frames;
    this.frames = [];
    this.bytes = 0;
    await this.connection.send(frames);
    this.sent += frames.length;
  }
}

interface SourceTally {
  messages: number;
  malformed: number;
}

/** Ships the lines of one source; `parse` reads one line (undefined: a header, nothing to ship). */
async function shipLines(
  lines: AsyncIterable<string> | Iterable<string>,
  parse: (line: string) => ParseResult | undefined,
  ship: { batcher: Batcher; environment: string; source: string; log: (line: string) => void },
): Promise<SourceTally> {
  const tally: SourceTally = { messages: 0, malformed: 0 };
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === "") continue;
    const parsed = parse(line);
    if (parsed === undefined) continue;
    if (!parsed.ok) {
      tally.malformed++;
      if (tally.malformed <= MALFORMED_LOGGED) ship.log(JSON.stringify({ level: "warn", malformed: ship.source, line: n, reason: parsed.reason }));
      continue;
    }
    await ship.batcher.add(gelfFrame(toGelf(parsed.record, { environment: ship.environment, source: ship.source })));
    tally.messages++;
  }
  return tally;
}

/** A flow-log file's parser: its header line names the fields of the lines after it. */
function flowLogFileParser(): (line: string) => ParseResult | undefined {
  let names: readonly string[] = FLOW_LOG_DEFAULT_FIELDS;
  let first = true;
  return (line) => {
    if (first) {
      first = false;
      const header = flowLogHeader(line);
      if (header) {
        names = header;
        return undefined;
      }
    }
    return parseFlowLog(line, names);
  };
}

const LOG_FILE = /\.log\.gz$/;

export function makeHandler(deps: Dependencies): (event: unknown, context?: InvocationContext) => Promise<Result> {
  const log = deps.log ?? ((line: string) => console.log(line));
  const getObject = deps.getObject ?? s3GetObject;

  return async (event, context) => {
    const parsedSettings = Settings.safeParse(deps.env);
    // Misconfiguration fails every event the same way: fail loudly so the dead-letter queue keeps them.
    if (!parsedSettings.success) throw new Error(`log shipper misconfigured: ${issues(parsedSettings.error)}`);
    const s: ShipperSettings = parsedSettings.data;
    const ignore = (reason: string): Result => {
      log(JSON.stringify({ level: "warn", ignored: reason }));
      return { status: "ignored", reason };
    };

    const s3 = S3Event.safeParse(event);
    const cw = s3.success ? undefined : CloudWatchLogsEvent.safeParse(event);
    if (!s3.success && !cw?.success) return ignore("neither an S3 event notification nor a CloudWatch Logs subscription delivery");

    const connection = new GelfConnection({ host: s.GELF_HOST, port: s.GELF_PORT }, {
      maxAttempts: s.MAX_ATTEMPTS,
      baseDelayMs: deps.baseDelayMs ?? 500,
      maxDelayMs: deps.maxDelayMs ?? 10_000,
      connectTimeoutMs: deps.connectTimeoutMs ?? 5_000,
      sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      log,
      random: deps.random,
      remainingMs: context?.getRemainingTimeInMillis,
      connect: deps.connect ?? tlsConnect(),
    });
    const batcher = new Batcher(connection, s.BATCH_SIZE);
    let sources = 0;
    let skipped = 0;
    let malformed = 0;
    try {
      if (s3.success) {
        for (const record of s3.data.Records) {
          const ref = objectOf(record);
          const kind: RecordKind | undefined = s.S3_SOURCES[ref.bucket];
          if (kind === undefined || !record.eventName.startsWith("ObjectCreated:") || !LOG_FILE.test(ref.key)) {
            skipped++;
            log(JSON.stringify({ level: "warn", skipped: `s3://${ref.bucket}/${ref.key}`, reason: kind === undefined ? "not a bucket this shipper reads" : !LOG_FILE.test(ref.key) ? "not a log file" : `event ${record.eventName}` }));
            continue;
          }
          const source = `s3://${ref.bucket}/${ref.key}`;
          let body;
          try {
            body = await getObject(ref.bucket, ref.key);
          } catch (e) {
            // Expired or deleted before it was read: nothing to ship, and a retry cannot bring it back.
            if (e instanceof Error && (e.name === "NoSuchKey" || e.name === "NotFound")) {
              skipped++;
              log(JSON.stringify({ level: "warn", skipped: source, reason: e.name }));
              continue;
            }
            throw new Error(`cannot read ${source}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
          }
          let tally: SourceTally;
          try {
            tally = await shipLines(gzipLines(body), kind === "flow-log" ? flowLogFileParser() : parseAlbLog, { batcher, environment: s.ENVIRONMENT, source, log });
          } catch (e) {
            if (e instanceof GelfDeliveryError) throw e;
            // Not gzip, cut short, or the stream failed: named, so the dead letter says which file.
            throw new Error(`cannot read ${source}: ${e instanceof Error ? e.message : String(e)}`);
          }
          sources++;
          malformed += tally.malformed;
          log(JSON.stringify({ level: "info", read: source, kind, messages: tally.messages, malformed: tally.malformed }));
        }
      } else if (cw?.success) {
        let data;
        try {
          data = cloudWatchLogsData(cw.data.awslogs.data);
        } catch (e) {
          return ignore(`a CloudWatch Logs delivery that does not decode: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
        }
        if (data.messageType === "CONTROL_MESSAGE") return ignore("CloudWatch Logs control message");
        if (s.FLOW_LOG_GROUP === undefined || data.logGroup !== s.FLOW_LOG_GROUP) return ignore(`log group ${data.logGroup} is not the flow log group this shipper reads`);
        const source = `cloudwatch:${data.logGroup}`;
        const tally = await shipLines(data.logEvents.map((e) => e.message), (line) => parseFlowLog(line), { batcher, environment: s.ENVIRONMENT, source, log });
        sources++;
        malformed += tally.malformed;
        log(JSON.stringify({ level: "info", read: source, stream: data.logStream, kind: "flow-log", messages: tally.messages, malformed: tally.malformed }));
      }
      await batcher.flush();
      await connection.close();
    } catch (e) {
      await connection.close(true);
      if (e instanceof GelfDeliveryError) log(JSON.stringify({ level: "error", failed: "gelf", written: batcher.sent, error: e.message }));
      throw e;
    }
    return { status: "shipped", sources, messages: batcher.sent, malformed, skipped, connections: connection.connections };
  };
}

let cached: ((event: unknown, context?: InvocationContext) => Promise<Result>) | undefined;

/** The Lambda entry point. */
export async function handler(event: unknown, context?: InvocationContext): Promise<Result> {
  cached ??= makeHandler({ env: process.env });
  return cached(event, context);
}
