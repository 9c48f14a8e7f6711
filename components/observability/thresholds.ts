/**
 * The alarm thresholds catalogue (docs/observability.md#thresholds): every threshold key, what kind
 * of number it is, which kind of resource it applies to, and its strict (prod, preprod) and relaxed
 * (dev, stage, management) defaults. Pure; config validation and the alarm planner both read it.
 */

/** What a threshold measures, which decides the values config may give it. */
export type ThresholdKind = "percent" | "count" | "seconds";

/** The kinds of resource a stack's alarms watch; overrides name one resource of one kind. */
export type MonitoredKind = "loadBalancer" | "service" | "cluster" | "mysql" | "redis" | "opensearch";

export interface ThresholdDef {
  readonly kind: ThresholdKind;
  readonly appliesTo: MonitoredKind;
  /** prod and preprod. */
  readonly strict: number;
  /** dev, stage and management. */
  readonly relaxed: number;
  readonly meaning: string;
}

export const THRESHOLDS = {
  lb5xxPercent: { kind: "percent", appliesTo: "loadBalancer", strict: 1, relaxed: 5, meaning: "5xx responses (ALB and targets) as a share of requests" },
  lbP99LatencySeconds: { kind: "seconds", appliesTo: "loadBalancer", strict: 1.5, relaxed: 3, meaning: "p99 target response time" },
  service5xxPercent: { kind: "percent", appliesTo: "service", strict: 2, relaxed: 10, meaning: "target 5xx responses as a share of the service's requests" },
  unhealthyHosts: { kind: "count", appliesTo: "service", strict: 1, relaxed: 1, meaning: "unhealthy targets in the service's target group" },
  tasksBelowDesired: { kind: "count", appliesTo: "service", strict: 1, relaxed: 1, meaning: "running tasks short of the desired count" },
  serviceCpuPercent: { kind: "percent", appliesTo: "service", strict: 80, relaxed: 90, meaning: "average CPU of the service's tasks" },
  serviceMemoryPercent: { kind: "percent", appliesTo: "service", strict: 80, relaxed: 90, meaning: "average memory of the service's tasks" },
  nodeDiskPercent: { kind: "percent", appliesTo: "cluster", strict: 80, relaxed: 90, meaning: "disk used on a node's root or data file system" },
  nodeMemoryPercent: { kind: "percent", appliesTo: "cluster", strict: 90, relaxed: 95, meaning: "memory used on a node" },
  mysqlCpuPercent: { kind: "percent", appliesTo: "mysql", strict: 80, relaxed: 90, meaning: "instance CPU" },
  mysqlFreeStoragePercent: { kind: "percent", appliesTo: "mysql", strict: 15, relaxed: 10, meaning: "free storage as a share of the allocation (alarm below)" },
  mysqlReplicaLagSeconds: { kind: "seconds", appliesTo: "mysql", strict: 30, relaxed: 300, meaning: "read replica lag" },
  mysqlConnections: { kind: "count", appliesTo: "mysql", strict: 500, relaxed: 800, meaning: "open database connections" },
  redisCpuPercent: { kind: "percent", appliesTo: "redis", strict: 80, relaxed: 90, meaning: "Redis engine thread CPU (EngineCPUUtilization)" },
  redisMemoryPercent: { kind: "percent", appliesTo: "redis", strict: 80, relaxed: 90, meaning: "memory used of maxmemory (DatabaseMemoryUsagePercentage)" },
  redisEvictions: { kind: "count", appliesTo: "redis", strict: 100, relaxed: 1000, meaning: "keys evicted in five minutes" },
  redisReplicationLagSeconds: { kind: "seconds", appliesTo: "redis", strict: 5, relaxed: 30, meaning: "replica lag behind the primary" },
  searchJvmPressurePercent: { kind: "percent", appliesTo: "opensearch", strict: 80, relaxed: 92, meaning: "JVM memory pressure of a data node" },
  searchFreeStoragePercent: { kind: "percent", appliesTo: "opensearch", strict: 25, relaxed: 10, meaning: "free storage of a data node as a share of its volume (alarm below)" },
} as const satisfies Record<string, ThresholdDef>;

export type ThresholdKey = keyof typeof THRESHOLDS;
export type Thresholds = Record<ThresholdKey, number>;
export const THRESHOLD_KEYS = Object.keys(THRESHOLDS) as ThresholdKey[];

/** The defaults of one stack: strict for prod and preprod, relaxed elsewhere. */
export function defaultThresholds(strict: boolean): Thresholds {
  return Object.fromEntries(THRESHOLD_KEYS.map((k) => [k, strict ? THRESHOLDS[k].strict : THRESHOLDS[k].relaxed])) as Thresholds;
}

/** Why a value is not a valid `kind` threshold, or undefined when it is. */
export function thresholdProblem(kind: ThresholdKind, value: number): string | undefined {
  if (!Number.isFinite(value)) return "must be a number";
  if (kind === "percent" && (value < 0 || value > 100)) return `must be a percentage from 0 to 100 (got ${value})`;
  if (kind === "count" && (!Number.isInteger(value) || value < 0)) return `must be a whole count, 0 or more (got ${value})`;
  if (kind === "seconds" && !(value > 0)) return `must be a positive number of seconds (got ${value})`;
  return undefined;
}

/** Thresholds of a stack: its defaults with its own values, and per-resource overrides on top. */
export interface ResolvedThresholds {
  readonly base: Thresholds;
  /** Keyed by resource name (service, cluster, `mysql`, `redis`, `opensearch`, `public`/`internal` for the ALBs). */
  readonly overrides: Readonly<Record<string, Partial<Thresholds>>>;
}

export function resolveThresholds(strict: boolean, stackValues: Partial<Thresholds>, overrides: Readonly<Record<string, Partial<Thresholds>>>): ResolvedThresholds {
  return { base: { ...defaultThresholds(strict), ...stackValues }, overrides };
}

/** The value of `key` for `resource`. */
export function thresholdOf(t: ResolvedThresholds, resource: string, key: ThresholdKey): number {
  return t.overrides[resource]?.[key] ?? t.base[key];
}
