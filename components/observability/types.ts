/**
 * What the observability parts of a stack share: the alert topics every alarm, Prometheus alert
 * and notifier routes through (docs/observability.md).
 */
import * as pulumi from "@pulumi/pulumi";

/** The stack's alert topics by severity, and the KMS key that encrypts them. */
export interface AlertTopics {
  /** Pages: an outage or imminent data loss. */
  critical: pulumi.Input<string>;
  /** Needs attention within working hours. */
  warning: pulumi.Input<string>;
  /** ARN of the customer-managed key the topics are encrypted with (publishers need kms:GenerateDataKey*). */
  keyArn: pulumi.Input<string>;
}
