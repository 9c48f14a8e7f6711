/**
 * EC2 auto-recovery of a self-managed node: when the instance's system status check fails for two
 * minutes, EC2 recovers it onto healthy hardware (same id, IP and volumes) and the topic, when
 * given, hears of it and of its return. Used by every node the platform runs on EC2 (the data
 * tier's clusters, Glowroot central, Graylog).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface RecoveryAlarm {
  readonly instanceId: pulumi.Input<string>;
  /** The node, for a person: `mongodb-0.prod.internal.tila.sa`, `Graylog node 1`. */
  readonly what: string;
  readonly partition: string;
  readonly region: string;
  readonly alarmTopicArn?: pulumi.Input<string>;
  readonly tags: Record<string, string>;
}

/** Creates the alarm as `logicalName` under `parent`. */
export function recoveryAlarm(logicalName: string, a: RecoveryAlarm, parent: pulumi.Resource): aws.cloudwatch.MetricAlarm {
  const topic = a.alarmTopicArn !== undefined ? [a.alarmTopicArn] : [];
  return new aws.cloudwatch.MetricAlarm(logicalName, {
    alarmDescription: `Recover ${a.what} onto healthy hardware when its system status check fails`,
    namespace: "AWS/EC2",
    metricName: "StatusCheckFailed_System",
    dimensions: { InstanceId: a.instanceId },
    statistic: "Maximum",
    period: 60,
    evaluationPeriods: 2,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    threshold: 1,
    alarmActions: [`arn:${a.partition}:automate:${a.region}:ec2:recover`, ...topic],
    okActions: topic,
    tags: a.tags,
  }, { parent });
}
