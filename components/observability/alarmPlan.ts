/**
 * The alarm planner (docs/observability.md#alarms): a stack's inventory and thresholds in, every
 * CloudWatch metric alarm and composite alarm it needs out, each with its metric, dimensions,
 * evaluation, severity and a one-line runbook. Pure and generic over the dimension values (strings
 * in tests, Pulumi outputs in the stack), so it is tested directly.
 */
import { CW_AGENT_NAMESPACE, DISK_USED_PERCENT, MEM_USED_PERCENT } from "../data/nodeMetrics";
import { ResolvedThresholds, ThresholdKey, thresholdOf } from "./thresholds";

export type Severity = "critical" | "warning";
export type Comparison = "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";
export type MissingData = "breaching" | "notBreaching" | "ignore" | "missing";

/** What a stack runs that its alarms watch. `V` is the type of values known only after deployment. */
export interface Inventory<V> {
  readonly environment: string;
  /** The OpenSearch ClientId dimension. */
  readonly accountId: string;
  /** `public` and `internal`: their `app/<name>/<id>` ARN suffixes (the LoadBalancer dimension). */
  readonly loadBalancers: readonly { readonly name: string; readonly arnSuffix: V }[];
  readonly services: readonly {
    readonly name: string;
    readonly clusterName: V;
    readonly serviceName: V;
    /** `targetgroup/<name>/<id>`. */
    readonly targetGroup: V;
    /** ARN suffix of the ALB the target group is attached to. */
    readonly loadBalancer: V;
  }[];
  /** Every data node of every NoSqlCluster, with the file systems its CloudWatch agent reports (`/` and the data mount). */
  readonly nodes: readonly { readonly cluster: string; readonly index: number; readonly instanceId: V; readonly paths: readonly string[] }[];
  readonly mysql?: { readonly identifier: string; readonly allocatedStorageGiB: number; readonly readReplicas: readonly string[] };
  readonly redis?: { readonly replicationGroupId: string; readonly memberClusterIds: readonly string[] };
  readonly opensearch?: { readonly domainName: string; readonly volumeSizeGiB: number };
  readonly natGateways: readonly { readonly index: number; readonly id: V }[];
  /** One per tunnel: `label` is `<office>-<device>-t<n>`, `address` its AWS outside IP (the TunnelIpAddress dimension). */
  readonly vpnTunnels: readonly { readonly label: string; readonly address: V }[];
  readonly transitAttachments: readonly { readonly label: string; readonly transitGatewayId: V; readonly attachmentId: V }[];
}

export interface MetricRef<V> {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, V | string>>;
  /** `Sum`, `Average`, `Maximum`, `Minimum`, or a percentile such as `p99`. */
  readonly stat: string;
}

export interface AlarmSpec<V> {
  /** Unique in the stack; the logical resource name suffix. */
  readonly key: string;
  /** AWS alarm name: `tila-<stack>-<key>`. */
  readonly name: string;
  readonly kind: string;
  /** The resource it watches (override key for services, clusters and managed data). */
  readonly resource: string;
  readonly severity: Severity;
  /** One metric, or a math expression over `metrics` (exactly one of them). */
  readonly metric?: MetricRef<V>;
  readonly math?: { readonly expression: string; readonly label: string; readonly metrics: Readonly<Record<string, MetricRef<V>>> };
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly comparison: Comparison;
  readonly threshold: number;
  readonly treatMissingData: MissingData;
  /** What fired and the first thing to do. */
  readonly description: string;
}

export interface CompositeSpec {
  readonly key: string;
  readonly name: string;
  readonly kind: string;
  readonly resource: string;
  readonly severity: Severity;
  /** Names of the alarms it combines; any one in ALARM raises it. */
  readonly children: readonly string[];
  readonly description: string;
}

export interface AlarmPlan<V> {
  readonly alarms: readonly AlarmSpec<V>[];
  readonly composites: readonly CompositeSpec[];
}

/** Every alarm kind the planner produces, for coverage checks and the report. */
export const ALARM_KINDS = [
  "alb-5xx", "alb-p99-latency", "service-5xx", "service-unhealthy-hosts", "service-below-desired", "service-cpu", "service-memory",
  "node-status", "node-disk", "node-memory",
  "mysql-cpu", "mysql-storage", "mysql-connections", "mysql-replica-lag",
  "redis-cpu", "redis-memory", "redis-evictions", "redis-replication-lag",
  "search-red", "search-yellow", "search-storage", "search-jvm", "search-master",
  "nat-port-allocation", "vpn-tunnel-down", "tgw-packet-drops",
] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];

/** The kinds that make up a service's "service down" composite: it pages, they only warn. */
export const SERVICE_DOWN_KINDS: readonly AlarmKind[] = ["service-5xx", "service-unhealthy-hosts", "service-below-desired"];

const FIVE_MINUTES = 300;
const ONE_MINUTE = 60;
/** AWS alarm names and descriptions: at most 255 and 1024 characters (PutMetricAlarm). */
const MAX_NAME = 255;
const MAX_DESCRIPTION = 1024;

type Draft<V> = Omit<AlarmSpec<V>, "name" | "period" | "evaluationPeriods" | "datapointsToAlarm" | "treatMissingData"> &
  Partial<Pick<AlarmSpec<V>, "period" | "evaluationPeriods" | "datapointsToAlarm" | "treatMissingData">>;

/** Plans every alarm and composite of a stack. Throws when a name or description would exceed AWS's limits. */
export function planAlarms<V>(inv: Inventory<V>, t: ResolvedThresholds): AlarmPlan<V> {
  const drafts: Draft<V>[] = [];
  const add = (d: Draft<V>): void => void drafts.push(d);
  const th = (resource: string, key: ThresholdKey): number => thresholdOf(t, resource, key);
  const metric = (namespace: string, metricName: string, dimensions: Record<string, V | string>, stat: string): MetricRef<V> => ({ namespace, metricName, dimensions, stat });

  for (const lb of inv.loadBalancers) {
    const LoadBalancer = lb.arnSuffix;
    add({
      key: `alb-${lb.name}-5xx`, kind: "alb-5xx", resource: lb.name, severity: "warning",
      math: {
        expression: "100 * (FILL(elb, 0) + FILL(target, 0)) / FILL(requests, 1)",
        label: "5xx %",
        metrics: {
          elb: metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", { LoadBalancer }, "Sum"),
          target: metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", { LoadBalancer }, "Sum"),
          requests: metric("AWS/ApplicationELB", "RequestCount", { LoadBalancer }, "Sum"),
        },
      },
      comparison: "GreaterThanThreshold", threshold: th(lb.name, "lb5xxPercent"), evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: "notBreaching",
      description: `${lb.name} ALB: 5xx above ${th(lb.name, "lb5xxPercent")}% of requests. Runbook: find the target group with the errors on the environment dashboard; ELB 5xx without target 5xx means no healthy targets or a listener fault.`,
    });
    add({
      key: `alb-${lb.name}-p99`, kind: "alb-p99-latency", resource: lb.name, severity: "warning",
      metric: metric("AWS/ApplicationELB", "TargetResponseTime", { LoadBalancer }, "p99"),
      comparison: "GreaterThanThreshold", threshold: th(lb.name, "lbP99LatencySeconds"), evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: "notBreaching",
      description: `${lb.name} ALB: p99 target response time above ${th(lb.name, "lbP99LatencySeconds")} s for 15 minutes. Runbook: compare the services' latency widgets, then their CPU and the data tier they call.`,
    });
  }

  for (const s of inv.services) {
    const tg = { TargetGroup: s.targetGroup, LoadBalancer: s.loadBalancer };
    const ecs = { ClusterName: s.clusterName, ServiceName: s.serviceName };
    add({
      key: `svc-${s.name}-5xx`, kind: "service-5xx", resource: s.name, severity: "warning",
      math: {
        expression: "100 * FILL(errors, 0) / FILL(requests, 1)",
        label: "5xx %",
        metrics: {
          errors: metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", tg, "Sum"),
          requests: metric("AWS/ApplicationELB", "RequestCount", tg, "Sum"),
        },
      },
      comparison: "GreaterThanThreshold", threshold: th(s.name, "service5xxPercent"), evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: "notBreaching",
      description: `${s.name}: 5xx above ${th(s.name, "service5xxPercent")}% of its requests. Runbook: read the service's log group for the errors; roll back the last deployment if it started with it.`,
    });
    add({
      key: `svc-${s.name}-unhealthy`, kind: "service-unhealthy-hosts", resource: s.name, severity: "warning",
      metric: metric("AWS/ApplicationELB", "UnHealthyHostCount", tg, "Maximum"),
      period: ONE_MINUTE, evaluationPeriods: 5, datapointsToAlarm: 3,
      comparison: "GreaterThanOrEqualToThreshold", threshold: th(s.name, "unhealthyHosts"), treatMissingData: "notBreaching",
      description: `${s.name}: ${th(s.name, "unhealthyHosts")}+ unhealthy targets. Runbook: check the health-check path answers 200 and the stopped tasks' reasons in the ECS console.`,
    });
    add({
      key: `svc-${s.name}-below-desired`, kind: "service-below-desired", resource: s.name, severity: "warning",
      math: {
        expression: "desired - running",
        label: "tasks short",
        metrics: {
          desired: metric("ECS/ContainerInsights", "DesiredTaskCount", ecs, "Maximum"),
          running: metric("ECS/ContainerInsights", "RunningTaskCount", ecs, "Minimum"),
        },
      },
      period: ONE_MINUTE, evaluationPeriods: 5, datapointsToAlarm: 5,
      comparison: "GreaterThanOrEqualToThreshold", threshold: th(s.name, "tasksBelowDesired"), treatMissingData: "breaching",
      description: `${s.name}: running tasks ${th(s.name, "tasksBelowDesired")}+ below desired for 5 minutes. Runbook: read the service events (placement, image pull, secrets, failing health checks).`,
    });
    add({
      key: `svc-${s.name}-cpu`, kind: "service-cpu", resource: s.name, severity: "warning",
      metric: metric("AWS/ECS", "CPUUtilization", ecs, "Average"),
      comparison: "GreaterThanThreshold", threshold: th(s.name, "serviceCpuPercent"), evaluationPeriods: 3, datapointsToAlarm: 3,
      description: `${s.name}: CPU above ${th(s.name, "serviceCpuPercent")}% for 15 minutes. Runbook: autoscaling is at its maximum or not keeping up; raise scaling.max or the task CPU.`,
    });
    add({
      key: `svc-${s.name}-memory`, kind: "service-memory", resource: s.name, severity: "warning",
      metric: metric("AWS/ECS", "MemoryUtilization", ecs, "Average"),
      comparison: "GreaterThanThreshold", threshold: th(s.name, "serviceMemoryPercent"), evaluationPeriods: 3, datapointsToAlarm: 3,
      description: `${s.name}: memory above ${th(s.name, "serviceMemoryPercent")}% for 15 minutes. Runbook: look for a leak in the last release, else raise the task memory.`,
    });
  }

  for (const n of inv.nodes) {
    const id = `${n.cluster}-${n.index}`;
    add({
      key: `node-${id}-status`, kind: "node-status", resource: n.cluster, severity: "critical",
      metric: metric("AWS/EC2", "StatusCheckFailed_Instance", { InstanceId: n.instanceId }, "Maximum"),
      period: ONE_MINUTE, evaluationPeriods: 3, datapointsToAlarm: 3, comparison: "GreaterThanOrEqualToThreshold", threshold: 1,
      description: `${n.cluster} node ${n.index}: instance status check failing (system failures are recovered automatically). Runbook: reboot it through SSM; if it stays failed, stop and start it.`,
    });
    for (const path of n.paths) {
      add({
        key: `node-${id}-disk-${pathSlug(path)}`, kind: "node-disk", resource: n.cluster, severity: "warning",
        metric: metric(CW_AGENT_NAMESPACE, DISK_USED_PERCENT, { InstanceId: n.instanceId, path }, "Maximum"),
        comparison: "GreaterThanThreshold", threshold: th(n.cluster, "nodeDiskPercent"), evaluationPeriods: 2, datapointsToAlarm: 2, treatMissingData: "breaching",
        description: `${n.cluster} node ${n.index}: ${path} above ${th(n.cluster, "nodeDiskPercent")}% full (missing data: the CloudWatch agent stopped). Runbook: grow the volume (dataVolumeSizeGiB) or clear old segments and logs.`,
      });
    }
    add({
      key: `node-${id}-memory`, kind: "node-memory", resource: n.cluster, severity: "warning",
      metric: metric(CW_AGENT_NAMESPACE, MEM_USED_PERCENT, { InstanceId: n.instanceId }, "Maximum"),
      comparison: "GreaterThanThreshold", threshold: th(n.cluster, "nodeMemoryPercent"), evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: "breaching",
      description: `${n.cluster} node ${n.index}: memory above ${th(n.cluster, "nodeMemoryPercent")}% (missing data: the CloudWatch agent stopped). Runbook: check the engine's heap/cache settings against the instance type.`,
    });
  }

  if (inv.mysql) {
    const m = inv.mysql;
    const db = (identifier: string) => ({ DBInstanceIdentifier: identifier });
    add({
      key: "mysql-cpu", kind: "mysql-cpu", resource: "mysql", severity: "warning",
      metric: metric("AWS/RDS", "CPUUtilization", db(m.identifier), "Average"),
      comparison: "GreaterThanThreshold", threshold: th("mysql", "mysqlCpuPercent"), evaluationPeriods: 3, datapointsToAlarm: 3,
      description: `${m.identifier}: CPU above ${th("mysql", "mysqlCpuPercent")}% for 15 minutes. Runbook: Performance Insights top SQL; scale the instance class if the load is legitimate.`,
    });
    const pct = th("mysql", "mysqlFreeStoragePercent");
    add({
      key: "mysql-storage", kind: "mysql-storage", resource: "mysql", severity: "critical",
      metric: metric("AWS/RDS", "FreeStorageSpace", db(m.identifier), "Minimum"),
      comparison: "LessThanThreshold", threshold: Math.round((m.allocatedStorageGiB * 1024 ** 3 * pct) / 100), evaluationPeriods: 2, datapointsToAlarm: 2, treatMissingData: "breaching",
      description: `${m.identifier}: free storage below ${pct}% of ${m.allocatedStorageGiB} GiB (storage autoscaling stuck or at its ceiling). Runbook: raise maxAllocatedStorageGiB before the instance goes read-only.`,
    });
    add({
      key: "mysql-connections", kind: "mysql-connections", resource: "mysql", severity: "warning",
      metric: metric("AWS/RDS", "DatabaseConnections", db(m.identifier), "Maximum"),
      comparison: "GreaterThanThreshold", threshold: th("mysql", "mysqlConnections"), evaluationPeriods: 3, datapointsToAlarm: 3,
      description: `${m.identifier}: more than ${th("mysql", "mysqlConnections")} connections. Runbook: a service leaking connections or scaled out without pooling; check its pool size times its task count.`,
    });
    for (const r of m.readReplicas) {
      add({
        key: `mysql-${r}-replica-lag`, kind: "mysql-replica-lag", resource: "mysql", severity: "warning",
        metric: metric("AWS/RDS", "ReplicaLag", db(r), "Maximum"),
        comparison: "GreaterThanThreshold", threshold: th("mysql", "mysqlReplicaLagSeconds"), evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: "breaching",
        description: `${r}: replica lag above ${th("mysql", "mysqlReplicaLagSeconds")} s. Runbook: long transactions or write bursts on the primary; reads from it are stale.`,
      });
    }
  }

  if (inv.redis) {
    for (const member of inv.redis.memberClusterIds) {
      const dims = { CacheClusterId: member };
      add({
        key: `redis-${member}-cpu`, kind: "redis-cpu", resource: "redis", severity: "warning",
        metric: metric("AWS/ElastiCache", "EngineCPUUtilization", dims, "Average"),
        comparison: "GreaterThanThreshold", threshold: th("redis", "redisCpuPercent"), evaluationPeriods: 3, datapointsToAlarm: 3,
        description: `${member}: Redis engine CPU above ${th("redis", "redisCpuPercent")}%. Runbook: SLOWLOG for expensive commands (KEYS, large ranges); scale the node type.`,
      });
      add({
        key: `redis-${member}-memory`, kind: "redis-memory", resource: "redis", severity: "warning",
        metric: metric("AWS/ElastiCache", "DatabaseMemoryUsagePercentage", dims, "Maximum"),
        comparison: "GreaterThanThreshold", threshold: th("redis", "redisMemoryPercent"), evaluationPeriods: 3, datapointsToAlarm: 3,
        description: `${member}: memory above ${th("redis", "redisMemoryPercent")}% of maxmemory. Runbook: keys without TTL growing; check the services' key patterns or scale the node type.`,
      });
      add({
        key: `redis-${member}-evictions`, kind: "redis-evictions", resource: "redis", severity: "warning",
        metric: metric("AWS/ElastiCache", "Evictions", dims, "Sum"),
        comparison: "GreaterThanOrEqualToThreshold", threshold: th("redis", "redisEvictions"), evaluationPeriods: 2, datapointsToAlarm: 2, treatMissingData: "notBreaching",
        description: `${member}: ${th("redis", "redisEvictions")}+ evictions in 5 minutes. Runbook: the cache is full; sessions or locks kept in it are being lost.`,
      });
      add({
        key: `redis-${member}-replication-lag`, kind: "redis-replication-lag", resource: "redis", severity: "warning",
        metric: metric("AWS/ElastiCache", "ReplicationLag", dims, "Maximum"),
        comparison: "GreaterThanThreshold", threshold: th("redis", "redisReplicationLagSeconds"), evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: "notBreaching",
        description: `${member}: replica lag above ${th("redis", "redisReplicationLagSeconds")} s (published by replicas only). Runbook: write bursts or network saturation of the primary.`,
      });
    }
  }

  if (inv.opensearch) {
    const o = inv.opensearch;
    const dims = { DomainName: o.domainName, ClientId: inv.accountId };
    const es = (name: string, stat: string) => metric("AWS/ES", name, dims, stat);
    add({
      key: "search-red", kind: "search-red", resource: "opensearch", severity: "critical",
      metric: es("ClusterStatus.red", "Maximum"), period: ONE_MINUTE, evaluationPeriods: 1, datapointsToAlarm: 1, comparison: "GreaterThanOrEqualToThreshold", threshold: 1,
      description: `${o.domainName}: cluster red, a primary shard is unassigned and its index cannot be written. Runbook: _cluster/allocation/explain; restore the index from the automated snapshot if a node was lost.`,
    });
    add({
      key: "search-yellow", kind: "search-yellow", resource: "opensearch", severity: "warning",
      metric: es("ClusterStatus.yellow", "Maximum"), period: ONE_MINUTE, evaluationPeriods: 5, datapointsToAlarm: 5, comparison: "GreaterThanOrEqualToThreshold", threshold: 1,
      description: `${o.domainName}: cluster yellow, replicas unassigned. Runbook: normal for minutes during a blue/green change; otherwise check node count and disk watermarks.`,
    });
    const pct = th("opensearch", "searchFreeStoragePercent");
    add({
      key: "search-storage", kind: "search-storage", resource: "opensearch", severity: "critical",
      metric: es("FreeStorageSpace", "Minimum"), period: ONE_MINUTE, evaluationPeriods: 1, datapointsToAlarm: 1,
      comparison: "LessThanOrEqualToThreshold", threshold: Math.round((o.volumeSizeGiB * 1024 * pct) / 100),
      description: `${o.domainName}: a data node has ${pct}% or less of its ${o.volumeSizeGiB} GiB free (MiB metric). Runbook: delete old indices or grow volumeSizeGiB before writes are blocked.`,
    });
    add({
      key: "search-jvm", kind: "search-jvm", resource: "opensearch", severity: "warning",
      metric: es("JVMMemoryPressure", "Maximum"), evaluationPeriods: 3, datapointsToAlarm: 3, comparison: "GreaterThanOrEqualToThreshold", threshold: th("opensearch", "searchJvmPressurePercent"),
      description: `${o.domainName}: JVM memory pressure at ${th("opensearch", "searchJvmPressurePercent")}%+. Runbook: too many shards or heavy aggregations; scale the data node type.`,
    });
    add({
      key: "search-master", kind: "search-master", resource: "opensearch", severity: "critical",
      metric: es("MasterReachableFromNode", "Minimum"), period: ONE_MINUTE, evaluationPeriods: 5, datapointsToAlarm: 5, comparison: "LessThanThreshold", threshold: 1, treatMissingData: "breaching",
      description: `${o.domainName}: the master node is unreachable. Runbook: check the dedicated masters' health in the console; open an AWS support case if it persists.`,
    });
  }

  for (const nat of inv.natGateways) {
    add({
      key: `nat-${nat.index}-port-allocation`, kind: "nat-port-allocation", resource: `nat-${nat.index}`, severity: "warning",
      metric: metric("AWS/NATGateway", "ErrorPortAllocation", { NatGatewayId: nat.id }, "Sum"),
      comparison: "GreaterThanOrEqualToThreshold", threshold: 1, evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData: "notBreaching",
      description: `NAT gateway ${nat.index}: could not allocate a source port (over 55,000 connections to one destination). Runbook: find the caller in the flow logs; pool its connections or add an address to the gateway.`,
    });
  }

  for (const tunnel of inv.vpnTunnels) {
    add({
      key: `vpn-${tunnel.label}-down`, kind: "vpn-tunnel-down", resource: tunnel.label, severity: "warning",
      metric: metric("AWS/VPN", "TunnelState", { TunnelIpAddress: tunnel.address }, "Maximum"),
      comparison: "LessThanThreshold", threshold: 1, evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: "breaching",
      description: `VPN tunnel ${tunnel.label}: down for 15 minutes (the office still has its other tunnels). Runbook: the tunnel's log group shows IKE/BGP errors; ask the office network team to check the device.`,
    });
  }

  for (const a of inv.transitAttachments) {
    const dims = { TransitGateway: a.transitGatewayId, TransitGatewayAttachment: a.attachmentId };
    add({
      key: `tgw-${a.label}-drops`, kind: "tgw-packet-drops", resource: a.label, severity: "warning",
      math: {
        expression: "FILL(blackhole, 0) + FILL(noroute, 0)",
        label: "dropped packets",
        metrics: {
          blackhole: metric("AWS/TransitGateway", "PacketDropCountBlackhole", dims, "Sum"),
          noroute: metric("AWS/TransitGateway", "PacketDropCountNoRoute", dims, "Sum"),
        },
      },
      comparison: "GreaterThanThreshold", threshold: 0, evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: "notBreaching",
      description: `Transit attachment ${a.label}: packets dropped (blackhole: something tried to reach another environment; no route: a missing propagation). Runbook: the VPC flow logs name the source.`,
    });
  }

  const prefix = `tila-${inv.environment}-`;
  const alarms: AlarmSpec<V>[] = drafts.map((d) => ({
    period: FIVE_MINUTES,
    evaluationPeriods: 1,
    datapointsToAlarm: d.evaluationPeriods ?? 1,
    treatMissingData: "missing",
    ...d,
    name: `${prefix}${d.key}`,
  }));

  const composites: CompositeSpec[] = inv.services.map((s) => {
    const children = alarms.filter((a) => a.resource === s.name && (SERVICE_DOWN_KINDS as readonly string[]).includes(a.kind)).map((a) => a.name);
    return {
      key: `svc-${s.name}-down`,
      name: `${prefix}svc-${s.name}-down`,
      kind: "service-down",
      resource: s.name,
      severity: "critical",
      children,
      description: `${s.name} is down or failing (5xx, unhealthy targets or missing tasks). Runbook: the child alarm in ALARM says which; roll back the last deployment first if it coincides.`,
    };
  });

  for (const a of [...alarms, ...composites]) {
    if (a.name.length > MAX_NAME) throw new Error(`alarm name "${a.name}" is longer than ${MAX_NAME} characters`);
    if (a.description.length > MAX_DESCRIPTION) throw new Error(`alarm ${a.name}: description longer than ${MAX_DESCRIPTION} characters`);
  }
  const seen = new Set<string>();
  for (const a of alarms) {
    if (seen.has(a.key)) throw new Error(`two alarms are both named ${a.name}`);
    seen.add(a.key);
  }
  return { alarms, composites };
}

/** `/` -> `root`, `/var/lib/kafka` -> `var-lib-kafka`: a path as a name part. */
export function pathSlug(path: string): string {
  const slug = path.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return slug === "" ? "root" : slug;
}

/** Where an alarm's notifications go: children of a composite only warn, so one incident pages once. */
export function routedSeverity(alarm: AlarmSpec<unknown>, composites: readonly CompositeSpec[]): Severity {
  return composites.some((c) => c.children.includes(alarm.name)) ? "warning" : alarm.severity;
}

/** The composite's rule expression: any child in ALARM. */
export function compositeRule(c: CompositeSpec): string {
  return c.children.map((n) => `ALARM("${n}")`).join(" OR ");
}
