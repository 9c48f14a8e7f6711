/**
 * The alarm the platform's own functions carry on their failures: the first datapoint above zero in
 * five minutes (a Lambda error, a dead letter) notifies the topic, and its return to zero too. One
 * definition for the Teams notifier, the Graylog provisioning functions and the log shipper.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AnyAboveZeroAlarm {
  /** The alarm's CloudWatch name. */
  readonly alarmName: string;
  /** What it means and the runbook. */
  readonly description: string;
  readonly metric: { readonly namespace: string; readonly metricName: string; readonly dimensions: Record<string, string>; readonly statistic: string };
  /** Alarm and OK actions. */
  readonly actions: pulumi.Input<string>[];
  readonly tags: Record<string, string>;
}

/** Creates the alarm as `logicalName` under `parent`. */
export function anyAboveZeroAlarm(logicalName: string, a: AnyAboveZeroAlarm, parent: pulumi.Resource): aws.cloudwatch.MetricAlarm {
  return new aws.cloudwatch.MetricAlarm(logicalName, {
    name: a.alarmName,
    alarmDescription: a.description,
    namespace: a.metric.namespace,
    metricName: a.metric.metricName,
    dimensions: a.metric.dimensions,
    statistic: a.metric.statistic,
    period: 300,
    evaluationPeriods: 1,
    comparisonOperator: "GreaterThanThreshold",
    threshold: 0,
    treatMissingData: "notBreaching",
    alarmActions: a.actions,
    okActions: a.actions,
    tags: a.tags,
  }, { parent });
}
