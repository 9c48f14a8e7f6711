/**
 * A record as a GELF 1.1 message and its TCP frame. Pure.
 *
 * GELF (Graylog docs, "GELF"): a JSON object with `version` "1.1", `host` and `short_message`
 * required, `timestamp` (seconds, decimals for milliseconds) and `level` (syslog severity)
 * optional, and any additional field prefixed with an underscore (`_id` is reserved). Over TCP each
 * message is followed by a null byte, which is why GELF TCP carries no compression.
 *
 * The fields every shipper sets are the contract's (components/observability/logging/graylogPlan.ts
 * LOG_FIELDS); a handler may import nothing outside functions/, so they are repeated here and a test
 * holds the two equal.
 */
import type { FieldValue, LogRecord } from "./records";

/** LOG_FIELDS.environment and LOG_FIELDS.kind of the contract. */
export const GELF_FIELDS = Object.freeze({ environment: "environment", kind: "log_kind" });

export const GELF_VERSION = "1.1";

/** What a Graylog additional field may be called (without its underscore). */
const FIELD_NAME = /^[\w.-]+$/;

export interface GelfMessage {
  readonly version: typeof GELF_VERSION;
  readonly host: string;
  readonly short_message: string;
  readonly timestamp: number;
  readonly level: number;
  readonly [additional: `_${string}`]: FieldValue;
}

export interface GelfContext {
  /** The stack the logs come from. */
  readonly environment: string;
  /** Where the record was read: `s3://bucket/key` or `cloudwatch:<log group>`. */
  readonly source: string;
}

export function toGelf(record: LogRecord, ctx: GelfContext): GelfMessage {
  const message: Record<string, FieldValue> = {
    version: GELF_VERSION,
    host: record.host,
    short_message: record.shortMessage,
    timestamp: Math.round(record.timestamp * 1000) / 1000,
    level: record.level,
  };
  for (const [name, value] of Object.entries(record.fields)) {
    // The contract's fields are set below, whatever a record holds.
    if (name === "id" || !FIELD_NAME.test(name) || name === GELF_FIELDS.environment || name === GELF_FIELDS.kind) continue;
    message[`_${name}`] = value;
  }
  message[`_${GELF_FIELDS.environment}`] = ctx.environment;
  message[`_${GELF_FIELDS.kind}`] = record.kind;
  message._log_source = ctx.source;
  return message as unknown as GelfMessage;
}

/** The bytes of one message on a GELF TCP connection: its JSON, then the null byte. */
export function gelfFrame(message: GelfMessage): Buffer {
  // JSON.stringify escapes a NUL inside a string as \u0000, so the only raw NUL is the delimiter.
  return Buffer.from(`${JSON.stringify(message)}\0`, "utf8");
}
