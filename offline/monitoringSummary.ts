/**
 * What a captured stack monitors and where its alerts go (docs/observability.md#operating): alarms
 * counted by what they watch, composites, dashboards, and per alert topic its e-mail subscriptions
 * and whether the Teams notifier forwards it. Pure, over the captured resources.
 */
import { CapturedResource } from "./types";

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
  return {
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
  return lines;
}
