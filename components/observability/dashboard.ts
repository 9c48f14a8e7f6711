/**
 * CloudWatch dashboards generated from a stack's inventory (docs/observability.md#dashboards): an
 * environment's golden signals per service, its data tier and its edge; management's network and,
 * through cross-account observability, every environment's signals side by side. Pure widget
 * planning plus one serialisation step.
 */
import * as pulumi from "@pulumi/pulumi";
import { Inventory } from "./alarmPlan";

/** CloudWatch service quotas: up to 500 widgets per dashboard and 500 metrics per widget. */
export const MAX_WIDGETS = 500;
export const MAX_METRICS_PER_WIDGET = 500;

/** A metric line: [namespace, metricName, dimName, dimValue, ..., options]. */
type MetricLine<V> = (string | V | Record<string, unknown>)[];

export interface Widget<V> {
  readonly type: "metric" | "text";
  readonly width: number;
  readonly height: number;
  readonly properties: {
    readonly title?: string;
    readonly markdown?: string;
    readonly metrics?: readonly MetricLine<V>[];
    readonly stat?: string;
    readonly period?: number;
    readonly region?: string;
    readonly view?: "timeSeries" | "singleValue";
    readonly stacked?: boolean;
  };
}

export interface DashboardSpec {
  /** Logical name part. */
  readonly key: string;
  /** AWS dashboard name (letters, digits, - and _; at most 255). */
  readonly name: string;
  readonly widgets: readonly Widget<pulumi.Input<string>>[];
}

const text = <V>(markdown: string): Widget<V> => ({ type: "text", width: 24, height: 1, properties: { markdown } });
const graph = <V>(title: string, region: string, metrics: MetricLine<V>[], stat = "Sum", width = 6): Widget<V> => ({
  type: "metric", width, height: 6, properties: { title, region, metrics, stat, period: 300, view: "timeSeries", stacked: false },
});

/** An environment's dashboard: edge (ALBs, WAF), golden signals of each service, data tier health. */
export function environmentWidgets<V>(inv: Inventory<V>, region: string, webAclName?: V): Widget<V>[] {
  const w: Widget<V>[] = [text(`# ${inv.environment}: edge`)];
  for (const lb of inv.loadBalancers) {
    const d = ["LoadBalancer", lb.arnSuffix];
    w.push(graph<V>(`${lb.name} ALB requests and 5xx`, region, [
      ["AWS/ApplicationELB", "RequestCount", ...d],
      ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", ...d],
      ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", ...d],
    ]));
    w.push(graph<V>(`${lb.name} ALB p99 latency`, region, [["AWS/ApplicationELB", "TargetResponseTime", ...d, { stat: "p99" }]], "p99"));
  }
  if (webAclName) {
    w.push(graph<V>("WAF allowed and blocked", region, [
      ["AWS/WAFV2", "AllowedRequests", "WebACL", webAclName, "Rule", "ALL", "Region", region],
      ["AWS/WAFV2", "BlockedRequests", "WebACL", webAclName, "Rule", "ALL", "Region", region],
    ]));
  }
  if (inv.services.length > 0) w.push(text(`# ${inv.environment}: services (requests, errors, p99 latency, saturation)`));
  for (const s of inv.services) {
    const tg = ["TargetGroup", s.targetGroup, "LoadBalancer", s.loadBalancer];
    const ecs = ["ClusterName", s.clusterName, "ServiceName", s.serviceName];
    w.push(graph<V>(`${s.name} requests`, region, [["AWS/ApplicationELB", "RequestCount", ...tg]]));
    w.push(graph<V>(`${s.name} errors`, region, [["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", ...tg], ["AWS/ApplicationELB", "UnHealthyHostCount", ...tg, { stat: "Maximum" }]]));
    w.push(graph<V>(`${s.name} p99 latency`, region, [["AWS/ApplicationELB", "TargetResponseTime", ...tg, { stat: "p99" }]], "p99"));
    w.push(graph<V>(`${s.name} CPU and memory`, region, [["AWS/ECS", "CPUUtilization", ...ecs], ["AWS/ECS", "MemoryUtilization", ...ecs]], "Average"));
  }
  w.push(text(`# ${inv.environment}: data tier`));
  if (inv.mysql) {
    const d = ["DBInstanceIdentifier", inv.mysql.identifier];
    w.push(graph<V>(`MySQL ${inv.mysql.identifier}`, region, [["AWS/RDS", "CPUUtilization", ...d], ["AWS/RDS", "DatabaseConnections", ...d]], "Average"));
  }
  if (inv.redis) {
    w.push(graph<V>(`Redis ${inv.redis.replicationGroupId}`, region, inv.redis.memberClusterIds.flatMap((m) => [
      ["AWS/ElastiCache", "EngineCPUUtilization", "CacheClusterId", m],
      ["AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "CacheClusterId", m],
    ]), "Average"));
  }
  if (inv.opensearch) {
    const d = ["DomainName", inv.opensearch.domainName, "ClientId", inv.accountId];
    w.push(graph<V>(`OpenSearch ${inv.opensearch.domainName}`, region, [["AWS/ES", "ClusterStatus.red", ...d], ["AWS/ES", "ClusterStatus.yellow", ...d], ["AWS/ES", "JVMMemoryPressure", ...d]], "Maximum"));
  }
  const clusters = [...new Set(inv.nodes.map((n) => n.cluster))];
  for (const c of clusters) {
    const nodes = inv.nodes.filter((n) => n.cluster === c);
    w.push(graph<V>(`${c} nodes: disk and memory used %`, region, nodes.flatMap((n) => [
      ...n.paths.map((p): MetricLine<V> => ["CWAgent", "disk_used_percent", "InstanceId", n.instanceId, "path", p]),
      ["CWAgent", "mem_used_percent", "InstanceId", n.instanceId],
    ]), "Maximum"));
  }
  return w;
}

/** Management's own network: NAT, VPN tunnels, transit attachments. */
export function networkWidgets<V>(inv: Inventory<V>, region: string): Widget<V>[] {
  const w: Widget<V>[] = [text(`# ${inv.environment}: network`)];
  if (inv.vpnTunnels.length > 0) w.push(graph<V>("VPN tunnel state (1 = up)", region, inv.vpnTunnels.map((t) => ["AWS/VPN", "TunnelState", "TunnelIpAddress", t.address, { label: t.label }]), "Maximum", 12));
  if (inv.transitAttachments.length > 0) {
    w.push(graph<V>("Transit packet drops", region, inv.transitAttachments.flatMap((a) => [
      ["AWS/TransitGateway", "PacketDropCountBlackhole", "TransitGateway", a.transitGatewayId, "TransitGatewayAttachment", a.attachmentId, { label: `${a.label} blackhole` }],
      ["AWS/TransitGateway", "PacketDropCountNoRoute", "TransitGateway", a.transitGatewayId, "TransitGatewayAttachment", a.attachmentId, { label: `${a.label} no route` }],
    ]), "Sum", 12));
  }
  if (inv.natGateways.length > 0) w.push(graph<V>("NAT port allocation errors", region, inv.natGateways.map((n) => ["AWS/NATGateway", "ErrorPortAllocation", "NatGatewayId", n.id]), "Sum", 12));
  return w;
}

/**
 * Management's cross-environment view: for each environment account linked to the monitoring sink,
 * its ALBs' requests and 5xx, p99 latency and ECS CPU, found with SEARCH in that account.
 */
export function crossEnvironmentWidgets(environments: readonly { name: string; accountId: string }[], region: string): Widget<string>[] {
  const w: Widget<string>[] = [text("# Environments (cross-account observability)")];
  for (const e of environments) {
    const search = (expr: string, stat: string, id: string): MetricLine<string> => [{ expression: `SEARCH('${expr}', '${stat}', 300)`, id, accountId: e.accountId, label: e.name }];
    w.push(graph<string>(`${e.name}: ALB requests`, region, [search("{AWS/ApplicationELB,LoadBalancer} MetricName=\"RequestCount\"", "Sum", "req")]));
    w.push(graph<string>(`${e.name}: ALB 5xx`, region, [search("{AWS/ApplicationELB,LoadBalancer} MetricName=\"HTTPCode_Target_5XX_Count\"", "Sum", "err")]));
    w.push(graph<string>(`${e.name}: p99 latency`, region, [search("{AWS/ApplicationELB,LoadBalancer} MetricName=\"TargetResponseTime\"", "p99", "lat")], "p99"));
    w.push(graph<string>(`${e.name}: ECS CPU`, region, [search("{AWS/ECS,ClusterName,ServiceName} MetricName=\"CPUUtilization\"", "Average", "cpu")], "Average"));
  }
  return w;
}

/** Lays widgets out left to right in rows of 24 units and serialises the body, refusing one CloudWatch would. */
export function dashboardBody(d: DashboardSpec): pulumi.Output<string> {
  if (d.widgets.length > MAX_WIDGETS) throw new Error(`dashboard ${d.name}: ${d.widgets.length} widgets, above CloudWatch's ${MAX_WIDGETS}`);
  return pulumi.output(d.widgets).apply((widgets) => renderBody(d.name, widgets as unknown as Widget<string>[]));
}

/** Pure: positions and JSON, with CloudWatch's per-widget metric quota checked. */
export function renderBody(name: string, widgets: readonly Widget<string>[]): string {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const placed = widgets.map((wd) => {
    if (x + wd.width > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const out = { ...wd, x, y };
    x += wd.width;
    rowHeight = Math.max(rowHeight, wd.height);
    return out;
  });
  for (const wd of widgets) {
    const n = wd.properties.metrics?.length ?? 0;
    if (n > MAX_METRICS_PER_WIDGET) throw new Error(`dashboard ${name}: widget "${wd.properties.title ?? ""}" has ${n} metrics, above CloudWatch's ${MAX_METRICS_PER_WIDGET}`);
  }
  return JSON.stringify({ widgets: placed });
}
