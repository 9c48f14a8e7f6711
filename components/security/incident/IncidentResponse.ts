/**
 * Incident response for one account (docs/security.md, "Incident response"): a KMS-encrypted
 * security topic with e-mail subscriptions; EventBridge rules for GuardDuty findings at or above a
 * severity, critical Security Hub findings, and console sign-ins as root or into the break-glass
 * role; and the isolation Lambda (functions/incident-isolation) that the finding rules also invoke,
 * with one quarantine security group (no rules at all) per VPC it may isolate instances in.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, missingCommonTags, resourceTags } from "../../tags";
import {
  DEFAULT_GUARDDUTY_SEVERITY,
  EventPattern,
  breakGlassSignInPattern,
  guardDutyFindingPattern,
  rootSignInPattern,
  securityHubCriticalPattern,
} from "./patterns";
import { Scope, isolationPolicy, topicKeyPolicy, topicPolicy } from "./policies";
import { createSecurityFunction } from "./securityFunction";

export interface IncidentResponseArgs {
  /** The stack: `management`, `dev`, ... (names the topic and functions). */
  readonly environment: string;
  readonly accountId: string;
  readonly region: string;
  /** @default "aws" */
  readonly partition?: string;
  /**
   * Who is told: one e-mail subscription each (each must confirm it once). May be empty where
   * another subscriber (a pager, a SIEM) is added outside this program.
   */
  readonly notificationEmails: readonly string[];
  /** GuardDuty findings at or above this severity are routed (1-10). @default 7 (high and critical) */
  readonly guardDutySeverityThreshold?: number;
  /**
   * Record and publish what the isolation would do without doing it: for the first rollout, until
   * the findings seen in an account are understood. @default true
   */
  readonly dryRun?: boolean;
  /** VPCs whose instances may be isolated, by label: one quarantine group each. */
  readonly vpcs: Readonly<Record<string, pulumi.Input<string>>>;
  /** The SecurityBaseline's break-glass role: console sessions in it are alarmed. */
  readonly breakGlassRoleArn?: pulumi.Input<string>;
  /** Retention of the isolation function's log group. */
  readonly logRetentionDays: number;
  readonly tags: Tags;
}

const SERVICE = "incident-response";

export class IncidentResponse extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string>;
  readonly topicKeyArn: pulumi.Output<string>;
  readonly isolationFunctionArn: pulumi.Output<string>;
  readonly quarantineGroupIds: Record<string, pulumi.Output<string>>;
  /** Base64 SHA-256 and size of the isolation bundle (the plan records the hash). */
  readonly isolationCodeHash: string;
  readonly isolationBundleBytes: number;
  readonly ruleNames: readonly string[];

  constructor(name: string, args: IncidentResponseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:security:IncidentResponse", name, {}, opts);
    const problems = [...missingCommonTags(args.tags)];
    const threshold = args.guardDutySeverityThreshold ?? DEFAULT_GUARDDUTY_SEVERITY;
    if (!(threshold >= 1 && threshold <= 10)) problems.push(`guardDutySeverityThreshold: must be 1 to 10 (got ${threshold})`);
    if (Object.keys(args.vpcs).length === 0) problems.push("vpcs: at least one VPC needs a quarantine group");
    if (problems.length > 0) throw new pulumi.ResourceError(`IncidentResponse ${name}: ${problems.join("; ")}`, this);

    const scope: Scope = { partition: args.partition ?? "aws", region: args.region, accountId: args.accountId };
    const parent = { parent: this };
    const tags = (role: string) => resourceTags(args.tags, SERVICE, `${name}-${role}`);

    const key = new aws.kms.Key(`${name}-topic-key`, {
      description: `tila ${args.environment} security topic`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify(topicKeyPolicy(scope)),
      tags: tags("topic-key"),
      // Protected: deleting it would leave the topic unable to deliver (and lose what it encrypted).
    }, { parent: this, protect: true });
    new aws.kms.Alias(`${name}-topic-key-alias`, { name: `alias/tila/${args.environment}/security-topic`, targetKeyId: key.keyId }, parent);

    const topic = new aws.sns.Topic(`${name}-topic`, {
      name: `tila-${args.environment}-security`,
      displayName: `tila ${args.environment} security`,
      kmsMasterKeyId: key.arn,
      tags: tags("topic"),
    }, parent);
    new aws.sns.TopicPolicy(`${name}-topic-policy`, { arn: topic.arn, policy: topic.arn.apply((arn) => JSON.stringify(topicPolicy(scope, arn))) }, parent);
    args.notificationEmails.forEach((email, i) => {
      new aws.sns.TopicSubscription(`${name}-email-${i}`, { topic: topic.arn, protocol: "email", endpoint: email }, parent);
    });

    this.quarantineGroupIds = {};
    for (const [label, vpcId] of Object.entries(args.vpcs)) {
      // No ingress and no egress rule: the provider removes the default allow-all egress AWS adds.
      const sg = new aws.ec2.SecurityGroup(`${name}-quarantine-${label}`, {
        vpcId,
        description: "Quarantine for instances under investigation: no traffic in or out",
        tags: tags(`quarantine-${label}`),
      }, parent);
      this.quarantineGroupIds[label] = sg.id;
    }
    const quarantineByVpc = pulumi
      .all(Object.entries(args.vpcs).map(([label, vpcId]) => pulumi.all([vpcId, this.quarantineGroupIds[label]!])))
      .apply((pairs) => JSON.stringify(Object.fromEntries(pairs)));

    const functionName = `tila-${args.environment}-incident-isolation`;
    const isolation = createSecurityFunction(`${name}-isolation`, {
      code: "incident-isolation",
      functionName,
      description: `Isolates EC2 instances and stops ECS tasks named by security findings (${args.environment})`,
      accountId: args.accountId,
      policy: pulumi.all([topic.arn, key.arn]).apply(([topicArn, topicKeyArn]) => isolationPolicy(scope, { functionName, topicArn, topicKeyArn })),
      environment: {
        TOPIC_ARN: topic.arn,
        ACCOUNT_ID: args.accountId,
        DRY_RUN: String(args.dryRun ?? true),
        QUARANTINE_GROUPS: quarantineByVpc,
      },
      logRetentionDays: args.logRetentionDays,
      timeoutSeconds: 120,
      memoryMb: 256,
      failureTopicArn: topic.arn,
      service: SERVICE,
      tags: args.tags,
      parent: this,
    });

    const rules: { role: string; description: string; pattern: pulumi.Input<EventPattern>; isolate: boolean }[] = [
      { role: "guardduty", description: `GuardDuty findings of severity ${threshold} or more`, pattern: guardDutyFindingPattern(threshold), isolate: true },
      { role: "securityhub-critical", description: "Critical, new and active Security Hub findings", pattern: securityHubCriticalPattern(), isolate: true },
      { role: "root-sign-in", description: "Console sign-in as the root user", pattern: rootSignInPattern(), isolate: false },
    ];
    if (args.breakGlassRoleArn) {
      rules.push({ role: "break-glass-sign-in", description: "Console sign-in into the break-glass role", pattern: pulumi.output(args.breakGlassRoleArn).apply(breakGlassSignInPattern), isolate: false });
    }
    for (const r of rules) {
      const rule = new aws.cloudwatch.EventRule(`${name}-${r.role}`, {
        description: r.description,
        eventPattern: pulumi.output(r.pattern).apply((p) => JSON.stringify(p)),
        tags: tags(r.role),
      }, parent);
      new aws.cloudwatch.EventTarget(`${name}-${r.role}-topic`, { rule: rule.name, arn: topic.arn }, parent);
      if (!r.isolate) continue;
      const permission = new aws.lambda.Permission(`${name}-${r.role}-invoke`, {
        action: "lambda:InvokeFunction",
        function: isolation.fn.name,
        principal: "events.amazonaws.com",
        sourceArn: rule.arn,
      }, parent);
      new aws.cloudwatch.EventTarget(`${name}-${r.role}-isolation`, { rule: rule.name, arn: isolation.fn.arn }, { parent: this, dependsOn: [permission] });
    }

    this.topicArn = topic.arn;
    this.topicKeyArn = key.arn;
    this.isolationFunctionArn = isolation.fn.arn;
    this.isolationCodeHash = isolation.codeHash;
    this.isolationBundleBytes = isolation.bundleBytes;
    this.ruleNames = rules.map((r) => r.role);
    this.registerOutputs({
      topicArn: this.topicArn,
      topicKeyArn: this.topicKeyArn,
      isolationFunctionArn: this.isolationFunctionArn,
      isolationCodeHash: this.isolationCodeHash,
      quarantineGroupIds: this.quarantineGroupIds,
    });
  }
}
