/**
 * The analytics lines of an environment's plan report (docs/analytics.md#safety-cost-and-the-plan):
 * the topics the lake ingests, its buckets with their lifecycle, the Glue databases, the analysts'
 * Athena workgroup with its scan limit, the Kafka Connect workers and their S3 sink, the curation
 * schedule, and the lake's monthly cost when the plan priced it. Pure, over the captured resources;
 * lake buckets are found the way lake-buckets-encrypted-private finds them (through the catalogue
 * and the workgroup), so the report shows what the rule judged.
 */
import { CONNECT_WORKERS } from "../components/analytics/analyticsPlan";
import { ATHENA_WORKGROUP, GLUE_DATABASE, GLUE_TABLE, bucketOfLocation } from "../policy/rules/analytics/support";
import type { CapturedResource } from "./types";

export interface LakeBucketLine {
  /** raw, curated (Glue tables point at it) or results (a workgroup writes there). */
  role: "raw" | "curated" | "results";
  bucket: string;
  /** `Standard-IA 30 d, Glacier IR 180 d, expire 730 d`, or `no lifecycle`. */
  lifecycle: string;
}

export interface WorkgroupLine {
  name: string;
  enforced: boolean;
  /** Per-query cutoff in GB (10^9 bytes, as Athena bills), when set. */
  scanCutoffGb?: number;
  /** `SSE_KMS`, `CSE_KMS`, `SSE_S3` or `none`. */
  encryption: string;
}

export interface AnalyticsSummary {
  /** Kafka topics, from the raw database's tables (`cart_events` is the topic `cart-events`'s table). */
  tables: string[];
  databases: string[];
  buckets: LakeBucketLine[];
  workgroups: WorkgroupLine[];
  /** The Kafka Connect workers' ECS service(s): name and desired task count. */
  workers: { service: string; tasks?: number }[];
  /** Connector names the stack configures (from the configuration step's input), when found. */
  connectors: string[];
  /** Curation schedules: `<name>: <expression>`. */
  curation: string[];
}

const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const LIFECYCLE_TYPES = ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"];
const ECS_SERVICE = "aws:ecs/service:Service";
const SCHEDULE_TYPES = ["aws:scheduler/schedule:Schedule", "aws:cloudwatch/eventRule:EventRule"];
const INVOCATION = "aws:lambda/invocation:Invocation";
const STORAGE_CLASS: Readonly<Record<string, string>> = { STANDARD_IA: "Standard-IA", GLACIER_IR: "Glacier IR", GLACIER: "Glacier", DEEP_ARCHIVE: "Deep Archive", INTELLIGENT_TIERING: "Intelligent-Tiering", ONEZONE_IA: "One Zone-IA" };

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Rec) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

function bucketName(r: CapturedResource): string | undefined {
  return str(r.inputs.bucket) ?? str(r.outputs.bucket) ?? str(r.outputs.id);
}

/** A lifecycle configuration's rules as one phrase: transitions in order, then expiry. */
export function lifecyclePhrase(rules: unknown): string {
  const parts: string[] = [];
  for (const rule of list(rules).map(rec)) {
    if (rule.status === "Disabled") continue;
    for (const t of list(rule.transitions).map(rec)) {
      if (typeof t.days === "number") parts.push(`${STORAGE_CLASS[String(t.storageClass)] ?? String(t.storageClass)} ${t.days} d`);
    }
    const days = rec(rule.expiration).days;
    if (typeof days === "number") parts.push(`expire ${days} d`);
  }
  return parts.length > 0 ? parts.join(", ") : "no lifecycle";
}

function workgroupLine(r: CapturedResource): WorkgroupLine {
  const conf = rec(r.inputs.configuration);
  const enc = rec(rec(conf.resultConfiguration).encryptionConfiguration);
  const cutoff = conf.bytesScannedCutoffPerQuery;
  return {
    name: str(r.inputs.name) ?? r.name,
    enforced: conf.enforceWorkgroupConfiguration !== false,
    ...(typeof cutoff === "number" ? { scanCutoffGb: cutoff / 1e9 } : {}),
    encryption: str(enc.encryptionOption) ?? "none",
  };
}

/**
 * Connector names in a configuration step's input: `{connectors: {<name>: {connector.class...}}}`
 * (the shape the kafka-connect-config function takes) or `{connectors: [{name, config}]}`, each
 * shown as `<name> (<class's short name>)`.
 */
export function connectorsOf(input: unknown): string[] {
  let doc: unknown = input;
  if (typeof input === "string") {
    try {
      doc = JSON.parse(input);
    } catch {
      return [];
    }
  }
  const entries = (c: unknown): [string, Rec][] =>
    Array.isArray(c) ? c.map(rec).filter((e) => str(e.name)).map((e) => [String(e.name), rec(e.config)]) : Object.entries(rec(c)).map(([k, v]) => [k, rec(v)]);
  return entries(rec(doc).connectors)
    .filter(([, config]) => str(config["connector.class"]))
    .map(([name, config]) => `${name} (${String(config["connector.class"]).split(".").pop()})`);
}

/** The analytics summary of a stack, or undefined when it has no lake (no Glue catalogue and no workgroup). */
export function summarizeAnalytics(resources: readonly CapturedResource[]): AnalyticsSummary | undefined {
  const own = resources.filter((r) => r.custom && r.read !== true);
  const databases = own.filter((r) => r.type === GLUE_DATABASE);
  const workgroups = own.filter((r) => r.type === ATHENA_WORKGROUP);
  if (databases.length === 0 && workgroups.length === 0) return undefined;

  const roles = new Map<string, LakeBucketLine["role"]>();
  const tables = new Set<string>();
  for (const t of own.filter((r) => r.type === GLUE_TABLE)) {
    const db = str(t.inputs.databaseName) ?? "";
    const bucket = bucketOfLocation(rec(t.inputs.storageDescriptor).location);
    const kind = db.endsWith("_raw") ? "raw" : db.endsWith("_curated") ? "curated" : undefined;
    if (kind === "raw" && str(t.inputs.name)) tables.add(String(t.inputs.name));
    if (bucket && kind) roles.set(bucket, kind);
  }
  for (const w of workgroups) {
    const bucket = bucketOfLocation(rec(rec(w.inputs.configuration).resultConfiguration).outputLocation);
    if (bucket && !roles.has(bucket)) roles.set(bucket, "results");
  }
  const lifecycleOf = new Map<string, string>();
  for (const l of own.filter((r) => LIFECYCLE_TYPES.includes(r.type))) {
    const b = str(l.inputs.bucket);
    if (b) lifecycleOf.set(b, lifecyclePhrase(l.inputs.rules));
  }
  const order = { raw: 0, curated: 1, results: 2 } as const;
  const buckets = own
    .filter((r) => BUCKET_TYPES.includes(r.type))
    .map((r) => bucketName(r))
    .filter((b): b is string => b !== undefined && roles.has(b))
    .map((b) => ({ role: roles.get(b)!, bucket: b, lifecycle: lifecycleOf.get(b) ?? "no lifecycle" }))
    .sort((a, b) => order[a.role] - order[b.role] || a.bucket.localeCompare(b.bucket));

  const workers = own
    .filter((r) => r.type === ECS_SERVICE && `${str(r.inputs.name) ?? r.name}`.includes("connect"))
    .map((r) => ({ service: str(r.inputs.name) ?? r.name, ...(typeof r.inputs.desiredCount === "number" ? { tasks: r.inputs.desiredCount } : {}) }));
  const connectors = new Set<string>();
  for (const inv of own.filter((r) => r.type === INVOCATION)) for (const c of connectorsOf(inv.inputs.input)) connectors.add(c);
  const curation = own
    .filter((r) => SCHEDULE_TYPES.includes(r.type) && `${str(r.inputs.name) ?? r.name}`.includes("curation"))
    .map((r) => `${str(r.inputs.name) ?? r.name}: ${str(r.inputs.scheduleExpression) ?? "no schedule"}`);

  return {
    tables: [...tables].sort(),
    databases: databases.map((d) => str(d.inputs.name) ?? d.name).sort(),
    buckets,
    workgroups: workgroups.map(workgroupLine),
    workers,
    connectors: [...connectors].sort(),
    curation,
  };
}

const money = (n: number): string => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The report's lines; `monthlyUsd` is the analytics tier of the stack's estimate, when the plan priced it. */
export function formatAnalytics(a: AnalyticsSummary, monthlyUsd?: number): string[] {
  const lines = [`  analytics lake: ${a.tables.length} topic table${a.tables.length === 1 ? "" : "s"} (${a.tables.join(", ") || "none"}), databases ${a.databases.join(", ") || "none"}${monthlyUsd !== undefined ? `, ${money(monthlyUsd)} a month` : ""}`];
  const width = Math.max(0, ...a.buckets.map((b) => b.role.length));
  for (const b of a.buckets) lines.push(`    ${b.role.padEnd(width)}  ${b.bucket}  ${b.lifecycle}`);
  for (const w of a.workgroups) {
    const cutoff = w.scanCutoffGb === undefined ? "NO scan limit" : `scan limit ${Number(w.scanCutoffGb.toFixed(3))} GB a query`;
    lines.push(`    workgroup ${w.name}: ${w.enforced ? "enforced" : "NOT enforced"}, results ${w.encryption}, ${cutoff}`);
  }
  const workers = a.workers.length === 0 ? `none in this stack (${CONNECT_WORKERS})` : a.workers.map((w) => `${w.service}${w.tasks !== undefined ? ` × ${w.tasks}` : ""}`).join(", ");
  lines.push(`    kafka connect: ${workers}${a.connectors.length > 0 ? `; connectors ${a.connectors.join(", ")}` : ""}`);
  lines.push(`    curation: ${a.curation.length > 0 ? a.curation.join(", ") : "no schedule in this stack"}`);
  return lines;
}
