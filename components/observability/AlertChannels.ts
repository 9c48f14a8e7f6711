/**
 * A stack's alert topics (docs/observability.md#topics): critical and warning SNS topics encrypted
 * with a customer-managed key of their own (rotated yearly), policies that let CloudWatch alarms and
 * Amazon Managed Prometheus publish for this account only and nothing publish without TLS, and the
 * e-mail subscriptions of each severity.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, missingCommonTags, resourceTags } from "../tags";
import { AlertScope, alertKeyPolicy, alertTopicArn, alertTopicName, alertTopicPolicy } from "./alertPolicies";
import { Severity } from "./alarmPlan";
import { AlertTopics } from "./types";

export const SEVERITIES: readonly Severity[] = ["critical", "warning"];
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/;
const SERVICE = "observability";

export interface AlertChannelsArgs {
  /** Stack name: names the topics `tila-<stack>-alerts-<severity>` and the key alias. */
  readonly environment: string;
  readonly accountId: string;
  readonly region: string;
  /** @default "aws" */
  readonly partition?: string;
  /** E-mail subscriptions per severity (each address confirms once). @default none */
  readonly emails?: Readonly<Partial<Record<Severity, readonly string[]>>>;
  /** EventBridge rules of this account that publish to the warning topic (alertPolicies.ts AlertScope). @default none */
  readonly eventRuleArns?: readonly string[];
  /** Pulumi `protect` on the key: losing it leaves the topics unable to deliver. @default false */
  readonly protect?: boolean;
  readonly tags: Tags;
}

export class AlertChannels extends pulumi.ComponentResource {
  /** Topic ARNs by severity, and the key. */
  readonly topics: AlertTopics;
  readonly keyArn: pulumi.Output<string>;
  /** How many e-mail subscriptions each severity has. */
  readonly emailCounts: Record<Severity, number>;

  constructor(name: string, args: AlertChannelsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:observability:AlertChannels", name, {}, opts);
    const problems = [...missingCommonTags(args.tags)];
    for (const sev of SEVERITIES) {
      (args.emails?.[sev] ?? []).forEach((e, i) => {
        if (!EMAIL.test(e)) problems.push(`emails.${sev}[${i}]: "${e}" is not an e-mail address`);
      });
    }
    if (problems.length > 0) throw new pulumi.ResourceError(`AlertChannels ${name}: ${problems.join("; ")}`, this);

    const scope: AlertScope = { partition: args.partition ?? "aws", region: args.region, accountId: args.accountId, eventRuleArns: args.eventRuleArns };
    const parent = { parent: this };
    const tags = (role: string) => resourceTags(args.tags, SERVICE, `${name}-${role}`);
    const key = new aws.kms.Key(`${name}-key`, {
      description: `tila ${args.environment} alert topics`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify(alertKeyPolicy(scope)),
      tags: tags("key"),
    }, { parent: this, protect: args.protect ?? false });
    new aws.kms.Alias(`${name}-key-alias`, { name: `alias/tila/${args.environment}/alerts`, targetKeyId: key.keyId }, parent);

    const arns = {} as Record<Severity, pulumi.Output<string>>;
    this.emailCounts = { critical: 0, warning: 0 };
    for (const sev of SEVERITIES) {
      const topic = new aws.sns.Topic(`${name}-${sev}`, {
        name: alertTopicName(args.environment, sev),
        displayName: `tila ${args.environment} ${sev}`,
        kmsMasterKeyId: key.arn,
        tags: tags(sev),
      }, parent);
      // The ARN is fixed by the name, so the policy is plain JSON rather than an apply on the topic.
      new aws.sns.TopicPolicy(`${name}-${sev}-policy`, {
        arn: topic.arn,
        policy: JSON.stringify(alertTopicPolicy(scope, alertTopicArn(scope, args.environment, sev), sev === "warning")),
      }, parent);
      const emails = args.emails?.[sev] ?? [];
      emails.forEach((email, i) => {
        new aws.sns.TopicSubscription(`${name}-${sev}-email-${i}`, { topic: topic.arn, protocol: "email", endpoint: email }, parent);
      });
      this.emailCounts[sev] = emails.length;
      arns[sev] = topic.arn;
    }
    this.keyArn = key.arn;
    this.topics = { critical: arns.critical, warning: arns.warning, keyArn: key.arn };
    this.registerOutputs({ critical: arns.critical, warning: arns.warning, keyArn: key.arn });
  }
}
