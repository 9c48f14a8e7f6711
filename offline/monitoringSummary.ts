/**
 * What a captured stack monitors and where its alerts go (docs/observability.md#operating): alarms
 * counted by what they watch, composites, dashboards, per alert topic its e-mail subscriptions and
 * whether the Teams notifier forwards it, what its Prometheus collector scrapes and which services
 * carry APM agents, and its central-logging line (offline/loggingSummary.ts). Pure, over the
 * captured resources.
 */
import { parseYamlCached } from "../config/yamlCache";
import { LoggingSummary, formatLogging, summarizeLogging } from "./loggingSummary";
import { CapturedResource } from "./types";

/** The stack's managed Prometheus, as its captured collector config and rules say. */
export interface PrometheusLine {
  workspace: string;
  /** ECS services the collector discovers (ecs_observer). */
  services: number;
  /** Static scrape targets (the data nodes' exporters). */
  endpoints: number;
  /** Alert rules in the workspace's rule groups. */
  rules: number;
}

/** Which services carry APM agents, and where the metric stream goes. */
export interface ApmLine {
  newRelicAgents: number;
  /** Host of the Firehose HTTP endpoint the CloudWatch metric stream delivers to. */
  metricStreamTo?: string;
  glowrootAgents: number;
  /** Management: the collector's private name and port, when it runs the collector endpoint. */
  glowrootCollector?: string;
}

export interface TopicLine {
  /** `critical`, `warning` or `security`. */
  topic: string;
  name: string;
  emails: number;
  teams: boolean;
}

export interface MonitoringSummary {
  /** Metric alarms by what they watch (`load balancers`, `ECS services`, ...). */
  alarms: Record<string, number>;
  composites: number;
  /** Metric or composite alarms that notify no SNS topic (the alarms-routed rule refuses them). */
  unrouted: number;
  dashboards: string[];
  topics: TopicLine[];
  prometheus?: PrometheusLine;
  apm?: ApmLine;
  /** Graylog in management, shipping to it in an environment. */
  logging?: LoggingSummary;
}

/** What an alarm's namespace watches, as the report says it. */
const WATCHES: Readonly<Record<string, string>> = {
  "AWS/ApplicationELB": "load balancers and target groups",
  "AWS/ECS": "ECS services",
  "ECS/ContainerInsights": "ECS services",
  "AWS/EC2": "data nodes",
  CWAgent: "data nodes",
  "AWS/RDS": "MySQL",
  "AWS/ElastiCache": "Redis",
  "AWS/ES": "OpenSearch",
  "AWS/NATGateway": "NAT gateways",
  "AWS/VPN": "VPN tunnels",
  "AWS/TransitGateway": "transit attachments",
  "AWS/Lambda": "functions",
  "AWS/SQS": "queues",
};

function namespaceOf(alarm: CapturedResource): string {
  const i = alarm.inputs as { namespace?: string; metricQueries?: { metric?: { namespace?: string } }[] };
  return i.namespace ?? i.metricQueries?.find((q) => q.metric?.namespace)?.metric?.namespace ?? "?";
}

function notifies(alarm: CapturedResource): boolean {
  const actions = alarm.inputs.alarmActions;
  return alarm.inputs.actionsEnabled !== false && Array.isArray(actions) && actions.some((a) => typeof a === "string" && /^arn:aws[a-z-]*:sns:/.test(a));
}

type Env = { name?: string; value?: unknown }[];
type Container = { environment?: Env };

function containers(r: CapturedResource): Container[] {
  const raw = r.inputs.containerDefinitions;
  try {
    const parsed: unknown = typeof raw === "string" ? JSON.parse(raw) : raw;
    return Array.isArray(parsed) ? (parsed as Container[]) : [];
  } catch {
    return [];
  }
}

function envValue(c: Container, name: string): string | undefined {
  const v = c.environment?.find((e) => e.name === name)?.value;
  return typeof v === "string" ? v : undefined;
}

function yamlOf(text: unknown): Record<string, unknown> {
  try {
    // The same collector config and rule groups come back plan after plan: parsed once per text.
    const doc: unknown = typeof text === "string" ? parseYamlCached(text) : undefined;
    return doc !== null && typeof doc === "object" ? (doc as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function prometheusOf(resources: readonly CapturedResource[], taskContainers: Container[]): PrometheusLine | undefined {
  const workspace = resources.find((r) => r.type === "aws:amp/workspace:Workspace");
  if (!workspace) return undefined;
  const config = taskContainers.map((c) => envValue(c, "AOT_CONFIG_CONTENT")).find((v) => v !== undefined);
  const doc = yamlOf(config) as {
    extensions?: { ecs_observer?: { services?: unknown[] } };
    receivers?: { prometheus?: { config?: { scrape_configs?: { static_configs?: { targets?: unknown[] }[] }[] } } };
  };
  const endpoints = (doc.receivers?.prometheus?.config?.scrape_configs ?? []).flatMap((j) => j.static_configs ?? []).reduce((n, sc) => n + (sc.targets?.length ?? 0), 0);
  const rules = resources
    .filter((r) => r.type === "aws:amp/ruleGroupNamespace:RuleGroupNamespace")
    .reduce((n, r) => n + ((yamlOf(r.inputs.data) as { groups?: { rules?: unknown[] }[] }).groups ?? []).reduce((k, g) => k + (g.rules?.length ?? 0), 0), 0);
  return { workspace: String(workspace.inputs.alias ?? workspace.name), services: doc.extensions?.ecs_observer?.services?.length ?? 0, endpoints, rules };
}

function apmOf(resources: readonly CapturedResource[], taskContainers: Container[][]): ApmLine | undefined {
  const newRelicAgents = taskContainers.filter((cs) => cs.some((c) => envValue(c, "NEW_RELIC_APP_NAME") !== undefined)).length;
  const glowrootAgents = taskContainers.filter((cs) => cs.some((c) => /-javaagent:\S*glowroot/.test(envValue(c, "JAVA_TOOL_OPTIONS") ?? ""))).length;
  const stream = resources.find((r) => r.type === "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream" && /newrelic|nr-data/.test(String((r.inputs.httpEndpointConfiguration as { url?: unknown } | undefined)?.url ?? "")));
  const url = String((stream?.inputs.httpEndpointConfiguration as { url?: unknown } | undefined)?.url ?? "");
  const record = resources.find((r) => r.type === "aws:route53/record:Record" && /^glowroot\./.test(String(r.inputs.name ?? "")) && resources.some((x) => x.type === "tila:observability:GlowrootCollectorEndpoint"));
  const line: ApmLine = {
    newRelicAgents,
    ...(url ? { metricStreamTo: new URL(url).host } : {}),
    glowrootAgents,
    ...(record ? { glowrootCollector: `${String(record.inputs.name)}:8181` } : {}),
  };
  return newRelicAgents + glowrootAgents > 0 || line.metricStreamTo || line.glowrootCollector ? line : undefined;
}

/** Undefined when the stack has no alert topics (nothing to report). */
export function summarizeMonitoring(stack: string, resources: readonly CapturedResource[]): MonitoringSummary | undefined {
  const topics = resources.filter((r) => r.type === "aws:sns/topic:Topic");
  const named = (name: string) => topics.find((t) => t.inputs.name === name);
  const wanted: [string, string][] = [["critical", `tila-${stack}-alerts-critical`], ["warning", `tila-${stack}-alerts-warning`], ["security", `tila-${stack}-security`]];
  if (!named(wanted[0]![1])) return undefined;
  const subs = resources.filter((r) => r.type === "aws:sns/topicSubscription:TopicSubscription");
  const alarms = resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
  const composites = resources.filter((r) => r.type === "aws:cloudwatch/compositeAlarm:CompositeAlarm");
  const byWhat: Record<string, number> = {};
  for (const a of alarms) {
    const ns = namespaceOf(a);
    const what = WATCHES[ns] ?? ns;
    byWhat[what] = (byWhat[what] ?? 0) + 1;
  }
  const lines: TopicLine[] = [];
  for (const [topic, name] of wanted) {
    const t = named(name);
    if (!t) continue;
    const mine = subs.filter((s) => s.inputs.topic === t.outputs.arn);
    lines.push({
      topic,
      name,
      emails: mine.filter((s) => s.inputs.protocol === "email").length,
      teams: mine.some((s) => s.inputs.protocol === "lambda" && /teams/.test(String(s.inputs.endpoint))),
    });
  }
  const tasks = resources.filter((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition").map(containers);
  const prometheus = prometheusOf(resources, tasks.flat());
  const apm = apmOf(resources, tasks);
  const logging = summarizeLogging(stack, resources);
  return {
    ...(prometheus ? { prometheus } : {}),
    ...(apm ? { apm } : {}),
    ...(logging ? { logging } : {}),
    alarms: Object.fromEntries(Object.entries(byWhat).sort(([a], [b]) => a.localeCompare(b))),
    composites: composites.length,
    unrouted: [...alarms, ...composites].filter((a) => !notifies(a)).length,
    dashboards: resources.filter((r) => r.type === "aws:cloudwatch/dashboard:Dashboard").map((d) => String(d.inputs.dashboardName)).sort(),
    topics: lines,
  };
}

/** The report's lines for one stack's monitoring. */
export function formatMonitoring(m: MonitoringSummary): string[] {
  const total = Object.values(m.alarms).reduce((a, b) => a + b, 0);
  const lines = [
    `  monitoring: ${total} alarms, ${m.composites} composite${m.composites === 1 ? "" : "s"}, ${m.unrouted} unrouted; dashboards: ${m.dashboards.join(", ") || "none"}`,
    ...Object.entries(m.alarms).map(([what, n]) => `    ${what.padEnd(34)} ${n}`),
    "  alerts go to:",
    ...m.topics.map((t) => `    ${t.topic.padEnd(9)} ${t.name.padEnd(34)} ${t.emails} e-mail${t.emails === 1 ? "" : "s"}, Teams ${t.teams ? "on" : "off"}`),
  ];
  const p = m.prometheus;
  if (p) lines.push(`  prometheus: workspace ${p.workspace}, collector scrapes ${p.services} services and ${p.endpoints} data-node endpoints, ${p.rules} alert rules`);
  const a = m.apm;
  if (a) {
    const parts = [
      ...(a.newRelicAgents > 0 ? [`New Relic agents on ${a.newRelicAgents} services`] : []),
      ...(a.metricStreamTo ? [`New Relic metric stream to ${a.metricStreamTo}`] : []),
      ...(a.glowrootAgents > 0 ? [`Glowroot agents on ${a.glowrootAgents} services`] : []),
      ...(a.glowrootCollector ? [`Glowroot collector ${a.glowrootCollector} (from the environments only)`] : []),
    ];
    lines.push(`  apm: ${parts.join("; ")}`);
  }
  if (m.logging) lines.push(...formatLogging(m.logging));
  return lines;
}
