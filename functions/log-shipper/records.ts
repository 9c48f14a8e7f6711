/**
 * Reads one line of a VPC flow log or of an ALB access log into a record the shipper turns into a
 * GELF message. Pure; never throws: a line that does not fit its format comes back as a reason
 * (which never quotes the line, so the shipper can log it without logging the record).
 *
 * Flow logs (VPC user guide, "Flow log records"): space-separated fields, `-` where a field has no
 * value; the default format is version 2's fourteen fields, and a file in S3 starts with a header
 * line naming the fields it holds (so a custom format is read by its header). ALB access logs
 * (ELB user guide, "Access logs for your Application Load Balancer"): space-separated fields, the
 * ones that may hold spaces in double quotes, in a fixed order; AWS may add fields at the end,
 * which are ignored.
 */

export type RecordKind = "flow-log" | "alb-access";

export type FieldValue = string | number;

export interface LogRecord {
  readonly kind: RecordKind;
  /** GELF `host`: the network interface of a flow, the load balancer of a request. */
  readonly host: string;
  readonly shortMessage: string;
  /** Seconds since the epoch, milliseconds as the fraction. */
  readonly timestamp: number;
  /** Syslog severity (GELF `level`). */
  readonly level: number;
  /** The record's fields, named as GELF additional fields are (without the underscore). */
  readonly fields: Readonly<Record<string, FieldValue>>;
}

export type ParseResult = { readonly ok: true; readonly record: LogRecord } | { readonly ok: false; readonly reason: string };

/** Syslog severities the shipper uses. */
export const LEVEL = { warning: 4, notice: 5, info: 6 } as const;

// ---- VPC flow logs --------------------------------------------------------------------------

/** The default format (version 2), in order: what a CloudWatch Logs event holds, without a header. */
export const FLOW_LOG_DEFAULT_FIELDS: readonly string[] = Object.freeze([
  "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport",
  "protocol", "packets", "bytes", "start", "end", "action", "log-status",
]);

/** Fields that are numbers (the account ID is digits but an identifier). */
const FLOW_NUMERIC = new Set([
  "version", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "tcp-flags",
  "pkt-src-aws-service-port", "pkt-dst-aws-service-port", "sublocation-id",
]);

const PROTOCOLS: Readonly<Record<number, string>> = { 1: "icmp", 6: "tcp", 17: "udp", 58: "icmpv6" };

/** GELF field names: `account-id` -> `account_id` (Graylog searches read underscores without quoting). */
export function fieldName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.]/g, "_");
}

/** The field names of a flow log file's header line, or undefined when the line is a record. */
export function flowLogHeader(line: string): string[] | undefined {
  const names = line.trim().split(/\s+/);
  // A record starts with its version number; a header with the name of a field.
  if (names.length === 0 || /^\d+$/.test(names[0]!) || !names.every((n) => /^[a-z][a-z0-9-]*$/.test(n))) return undefined;
  return names;
}

export function parseFlowLog(line: string, names: readonly string[] = FLOW_LOG_DEFAULT_FIELDS): ParseResult {
  const values = line.trim().split(/\s+/);
  if (values.length !== names.length) return { ok: false, reason: `expected ${names.length} fields, found ${values.length}` };
  const raw: Record<string, string> = {};
  names.forEach((n, i) => {
    if (values[i] !== "-") raw[n] = values[i]!;
  });
  const fields: Record<string, FieldValue> = {};
  for (const [n, v] of Object.entries(raw)) {
    if (FLOW_NUMERIC.has(n)) {
      if (!/^\d+$/.test(v)) return { ok: false, reason: `field ${n} is not a whole number` };
      fields[fieldName(n)] = Number(v);
    } else {
      fields[fieldName(n)] = v;
    }
  }
  const start = fields.start;
  const timestamp = typeof start === "number" ? start : typeof fields.end === "number" ? fields.end : undefined;
  if (timestamp === undefined) return { ok: false, reason: "no start or end time" };
  const action = raw.action;
  const status = raw["log-status"];
  const iface = raw["interface-id"] ?? "vpc-flow-logs";
  let shortMessage: string;
  if (raw.srcaddr !== undefined && raw.dstaddr !== undefined) {
    const protocol = typeof fields.protocol === "number" ? (PROTOCOLS[fields.protocol] ?? `protocol ${fields.protocol}`) : "flow";
    const port = (p: string | undefined) => (p === undefined ? "" : `:${p}`);
    const bytes = typeof fields.bytes === "number" ? ` (${fields.bytes} bytes)` : "";
    shortMessage = `${action ?? "FLOW"} ${protocol} ${raw.srcaddr}${port(raw.srcport)} -> ${raw.dstaddr}${port(raw.dstport)}${bytes}`;
  } else {
    // NODATA and SKIPDATA records carry no addresses.
    shortMessage = `${status ?? "FLOW"} ${iface}`;
  }
  return {
    ok: true,
    record: { kind: "flow-log", host: iface, shortMessage, timestamp, level: action === "REJECT" ? LEVEL.notice : LEVEL.info, fields },
  };
}

// ---- ALB access logs ------------------------------------------------------------------------

/** The fields of an ALB access log entry, in order (the `ip:port` pairs are split when read). */
export const ALB_FIELDS: readonly string[] = Object.freeze([
  "type", "time", "elb", "client:port", "target:port", "request_processing_time", "target_processing_time",
  "response_processing_time", "elb_status_code", "target_status_code", "received_bytes", "sent_bytes", "request",
  "user_agent", "ssl_cipher", "ssl_protocol", "target_group_arn", "trace_id", "domain_name", "chosen_cert_arn",
  "matched_rule_priority", "request_creation_time", "actions_executed", "redirect_url", "error_reason",
  "target:port_list", "target_status_code_list", "classification", "classification_reason", "conn_trace_id",
]);

/** Up to `request` every entry has (the fields after it were added over the years). */
const ALB_REQUIRED = ALB_FIELDS.indexOf("request") + 1;

const ALB_NUMERIC = new Set([
  "request_processing_time", "target_processing_time", "response_processing_time", "elb_status_code",
  "target_status_code", "received_bytes", "sent_bytes", "matched_rule_priority",
]);

/** Splits an entry into its fields: bare tokens, or double-quoted strings (a backslash escapes). */
export function albTokens(line: string): string[] | undefined {
  const tokens: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|([^\s"]+))/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = re.exec(line)) !== null) {
    tokens.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2]!);
    at = re.lastIndex;
    if (at >= line.length) break;
  }
  return line.slice(at).trim() === "" ? tokens : undefined;
}

function splitHostPort(value: string): { ip: string; port?: number } {
  const i = value.lastIndexOf(":");
  if (i <= 0 || !/^\d+$/.test(value.slice(i + 1))) return { ip: value };
  return { ip: value.slice(0, i), port: Number(value.slice(i + 1)) };
}

export function parseAlbLog(line: string): ParseResult {
  const tokens = albTokens(line);
  if (tokens === undefined) return { ok: false, reason: "unbalanced quotes" };
  if (tokens.length < ALB_REQUIRED) return { ok: false, reason: `expected at least ${ALB_REQUIRED} fields, found ${tokens.length}` };
  const fields: Record<string, FieldValue> = {};
  ALB_FIELDS.forEach((name, i) => {
    const v = tokens[i];
    if (v === undefined || v === "-" || v === "") return;
    if (name === "client:port" || name === "target:port") {
      const prefix = name.split(":")[0]!;
      const { ip, port } = splitHostPort(v);
      fields[`${prefix}_ip`] = ip;
      if (port !== undefined) fields[`${prefix}_port`] = port;
    } else if (name === "request") {
      // "GET https://host:443/path?query HTTP/1.1"; "- - -" when the request could not be read.
      const [method, url, protocol] = v.split(" ");
      if (method && method !== "-") fields.request_method = method;
      if (url && url !== "-") fields.request_url = url;
      if (protocol && protocol !== "-") fields.request_protocol = protocol;
    } else if (ALB_NUMERIC.has(name) && /^-?\d+(\.\d+)?$/.test(v)) {
      fields[name] = Number(v);
    } else {
      fields[fieldName(name)] = v;
    }
  });
  const time = typeof fields.time === "string" ? Date.parse(fields.time) : Number.NaN;
  if (Number.isNaN(time)) return { ok: false, reason: "field time is not an ISO 8601 time" };
  const status = typeof fields.elb_status_code === "number" ? fields.elb_status_code : undefined;
  const level = status === undefined ? LEVEL.info : status >= 500 ? LEVEL.warning : status >= 400 ? LEVEL.notice : LEVEL.info;
  // The query string stays in request_url only: the summary line is what lists show.
  const url = typeof fields.request_url === "string" ? fields.request_url.split("?")[0] : "-";
  const shortMessage = `${status ?? "-"} ${fields.request_method ?? "-"} ${url}`;
  return {
    ok: true,
    record: { kind: "alb-access", host: typeof fields.elb === "string" ? fields.elb : "alb", shortMessage, timestamp: time / 1000, level, fields },
  };
}
