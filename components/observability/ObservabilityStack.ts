/**
 * ObservabilityStack (docs/observability.md): the CloudWatch alarms and composite alarms planned
 * from a stack's inventory (alarmPlan.ts), each routed to the alert topic of its severity, the
 * stack's dashboard, and the Teams notifier for the topics routed to Teams.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, missingCommonTags, resourceTags } from "../tags";
import { AlarmSpec, Inventory, MetricRef, Severity, compositeRule, planAlarms, routedSeverity } from "./alarmPlan";
import { DashboardSpec, dashboardBody } from "./dashboard";
import { TeamsNotifier } from "./TeamsNotifier";
import { ResolvedThresholds } from "./thresholds";
import { AlertTopics } from "./types";

const SERVICE = "observability";
const STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

export interface ObservabilityStackArgs {
  /** Stack name: prefixes every alarm `tila-<stack>-`. */
  readonly environment: string;
  /** What the stack runs, taken from its components (never a hand-written list). */
  readonly inventory: Inventory<pulumi.Input<string>>;
  readonly thresholds: ResolvedThresholds;
  /** Where alarms notify, by severity. */
  readonly topics: AlertTopics;
  /** The stack's dashboard(s); none when omitted. */
  readonly dashboards?: readonly DashboardSpec[];
  /**
   * The Teams notifier and the topics it forwards; none when omitted or empty. `logRetentionDays` is
   * its function's log retention.
   */
  readonly teams?: { readonly topics: readonly { readonly name: string; readonly arn: pulumi.Input<string> }[]; readonly logRetentionDays: number };
  readonly tags: Tags;
}

type Query = aws.types.input.cloudwatch.MetricAlarmMetricQuery;

function metricQuery(id: string, m: MetricRef<pulumi.Input<string>>, period: number): Query {
  return { id, returnData: false, metric: { namespace: m.namespace, metricName: m.metricName, dimensions: { ...m.dimensions }, period, stat: m.stat } };
}

/** The MetricAlarm inputs of one planned alarm, its actions on `topicArn`. */
export function metricAlarmArgs(a: AlarmSpec<pulumi.Input<string>>, topicArn: pulumi.Input<string>, tags: Record<string, string>): aws.cloudwatch.MetricAlarmArgs {
  const common: aws.cloudwatch.MetricAlarmArgs = {
    name: a.name,
    alarmDescription: a.description,
    comparisonOperator: a.comparison,
    threshold: a.threshold,
    evaluationPeriods: a.evaluationPeriods,
    datapointsToAlarm: a.datapointsToAlarm,
    treatMissingData: a.treatMissingData,
    alarmActions: [topicArn],
    okActions: [topicArn],
    tags,
  };
  if (a.math) {
    const queries: Query[] = [
      { id: "e1", expression: a.math.expression, label: a.math.label, returnData: true },
      ...Object.entries(a.math.metrics).map(([id, m]) => metricQuery(id, m, a.period)),
    ];
    return { ...common, metricQueries: queries };
  }
  const m = a.metric!;
  const stat = STATISTICS.includes(m.stat) ? { statistic: m.stat } : { extendedStatistic: m.stat };
  return { ...common, namespace: m.namespace, metricName: m.metricName, dimensions: { ...m.dimensions }, period: a.period, ...stat };
}

export class ObservabilityStack extends pulumi.ComponentResource {
  /** Alarm names by kind: what the plan report and the coverage test count. */
  readonly alarmNamesByKind: Readonly<Record<string, readonly string[]>>;
  readonly compositeNames: readonly string[];
  readonly dashboardNames: readonly string[];
  readonly teamsTopics: readonly string[];

  constructor(name: string, args: ObservabilityStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:observability:ObservabilityStack", name, {}, opts);
    const problems = missingCommonTags(args.tags);
    if (problems.length > 0) throw new pulumi.ResourceError(`ObservabilityStack ${name}: ${problems.join("; ")}`, this);
    let plan;
    try {
      plan = planAlarms(args.inventory, args.thresholds);
    } catch (e) {
      throw new pulumi.ResourceError(`ObservabilityStack ${name}: ${(e as Error).message}`, this);
    }
    const parent = { parent: this };
    const topic = (s: Severity): pulumi.Input<string> => (s === "critical" ? args.topics.critical : args.topics.warning);
    const tags = (role: string) => resourceTags(args.tags, SERVICE, `${name}-${role}`);

    const byName = new Map<string, aws.cloudwatch.MetricAlarm>();
    const kinds: Record<string, string[]> = {};
    for (const a of plan.alarms) {
      const alarm = new aws.cloudwatch.MetricAlarm(`${name}-${a.key}`, metricAlarmArgs(a, topic(routedSeverity(a, plan.composites)), tags(a.key)), parent);
      byName.set(a.name, alarm);
      (kinds[a.kind] ??= []).push(a.name);
    }
    for (const c of plan.composites) {
      if (c.children.length === 0) continue;
      new aws.cloudwatch.CompositeAlarm(`${name}-${c.key}`, {
        alarmName: c.name,
        alarmDescription: c.description,
        alarmRule: compositeRule(c),
        alarmActions: [topic(c.severity)],
        okActions: [topic(c.severity)],
        tags: tags(c.key),
      }, { parent: this, dependsOn: c.children.map((n) => byName.get(n)!) });
      (kinds[c.kind] ??= []).push(c.name);
    }

    const dashboards = args.dashboards ?? [];
    for (const d of dashboards) {
      new aws.cloudwatch.Dashboard(`${name}-dashboard-${d.key}`, { dashboardName: d.name, dashboardBody: dashboardBody(d) }, parent);
    }

    const teamsTopics = args.teams?.topics ?? [];
    if (args.teams && teamsTopics.length > 0) {
      // The notifier's own alarms (errors, dead letters) warn: a page about the pager would go through it.
      new TeamsNotifier(`${name}-teams`, {
        environment: args.environment,
        topics: [...teamsTopics],
        logRetentionDays: args.teams.logRetentionDays,
        alarmTopicArn: args.topics.warning,
        tags: args.tags,
      }, parent);
    }

    this.alarmNamesByKind = kinds;
    this.compositeNames = plan.composites.filter((c) => c.children.length > 0).map((c) => c.name);
    this.dashboardNames = dashboards.map((d) => d.name);
    this.teamsTopics = teamsTopics.map((t) => t.name);
    this.registerOutputs({ alarms: kinds, dashboards: this.dashboardNames, teamsTopics: this.teamsTopics });
  }
}
