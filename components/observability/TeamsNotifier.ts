/**
 * The Microsoft Teams notifier: one Lambda (functions/teams-notifier) subscribed to the alert and
 * security topics that turns each message into a Teams card (docs/observability-teams.md).
 * STUB: the interface is final; the resources follow.
 */
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../tags";

export interface TeamsNotifierArgs {
  /** Stack name (management, dev, ...). */
  environment: string;
  /** Topics whose messages become Teams cards: the alert topics (critical, warning) and the security topic. */
  topics: { name: string; arn: pulumi.Input<string> }[];
  /** CloudWatch Logs retention of the function's log group. */
  logRetentionDays: number;
  tags: Tags;
}

export class TeamsNotifier extends pulumi.ComponentResource {
  readonly functionArn: pulumi.Output<string>;
  readonly functionName: pulumi.Output<string>;
  readonly deadLetterQueueArn: pulumi.Output<string>;
  readonly webhookSecretArn: pulumi.Output<string>;

  constructor(name: string, args: TeamsNotifierArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:observability:TeamsNotifier", name, {}, opts);
    void args;
    this.functionArn = pulumi.output("");
    this.functionName = pulumi.output("");
    this.deadLetterQueueArn = pulumi.output("");
    this.webhookSecretArn = pulumi.output("");
    this.registerOutputs({});
  }
}
