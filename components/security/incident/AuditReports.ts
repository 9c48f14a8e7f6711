/**
 * The weekly audit report of one account (docs/security.md, "Audit reports"): an EventBridge
 * Scheduler schedule invokes the audit-report Lambda (functions/audit-report), which writes a dated
 * JSON and Markdown report of known vulnerabilities, failed controls and credential items under
 * this stack's prefix of the log-archive bucket and sends a summary to the security topic.
 */
import * as pulumi from "@pulumi/pulumi";
import { Tags, missingCommonTags, resourceTags } from "../../tags";
import { DEFAULT_AUDIT_SCHEDULE, DEFAULT_AUDIT_TIMEZONE } from "./patterns";
import { Scope, auditReportPolicy, auditReportPrefix, auditReportRoleName } from "./policies";
import { scheduleFunction } from "./functionSchedule";
import { createSecurityFunction } from "./securityFunction";

export { DEFAULT_AUDIT_SCHEDULE, DEFAULT_AUDIT_TIMEZONE };

export interface ReportBucket {
  /** The log-archive bucket (in management; environments write to it cross-account). */
  readonly name: pulumi.Input<string>;
  /** Its SSE-KMS key, when the bucket encrypts with one. */
  readonly kmsKeyArn?: pulumi.Input<string>;
}

export interface AuditReportsArgs {
  readonly environment: string;
  readonly accountId: string;
  readonly region: string;
  /** @default "aws" */
  readonly partition?: string;
  readonly topicArn: pulumi.Input<string>;
  readonly topicKeyArn: pulumi.Input<string>;
  readonly bucket: ReportBucket;
  /** EventBridge Scheduler expression. @default weekly, Monday 08:00 */
  readonly scheduleExpression?: string;
  /** IANA zone of the expression. @default "Asia/Riyadh" */
  readonly timezone?: string;
  readonly logRetentionDays: number;
  readonly tags: Tags;
}

const SERVICE = "audit-reports";

export class AuditReports extends pulumi.ComponentResource {
  readonly functionArn: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;
  readonly scheduleName: pulumi.Output<string>;
  /** Key prefix of this stack's reports in the bucket. */
  readonly prefix: string;
  readonly codeHash: string;
  readonly bundleBytes: number;

  constructor(name: string, args: AuditReportsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:security:AuditReports", name, {}, opts);
    const expression = args.scheduleExpression ?? DEFAULT_AUDIT_SCHEDULE;
    const problems = [...missingCommonTags(args.tags)];
    if (!/^(cron\(.+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/.test(expression)) problems.push(`scheduleExpression: "${expression}" must be cron(...) or rate(...)`);
    if (problems.length > 0) throw new pulumi.ResourceError(`AuditReports ${name}: ${problems.join("; ")}`, this);

    const scope: Scope = { partition: args.partition ?? "aws", region: args.region, accountId: args.accountId };
    this.prefix = auditReportPrefix(args.environment, args.accountId);
    const functionName = `tila-${args.environment}-audit-report`;
    const fn = createSecurityFunction(`${name}-report`, {
      code: "audit-report",
      functionName,
      roleName: auditReportRoleName(args.environment),
      description: `Weekly report of known vulnerabilities, failed controls and credential items (${args.environment})`,
      accountId: args.accountId,
      policy: pulumi
        .all([args.topicArn, args.topicKeyArn, args.bucket.name, args.bucket.kmsKeyArn])
        .apply(([topicArn, topicKeyArn, bucketName, bucketKeyArn]) =>
          auditReportPolicy(scope, { functionName, topicArn, topicKeyArn, bucketName, prefix: this.prefix, ...(bucketKeyArn ? { bucketKeyArn } : {}) }),
        ),
      environment: {
        TOPIC_ARN: args.topicArn,
        REPORT_BUCKET: args.bucket.name,
        REPORT_PREFIX: this.prefix,
        ...(args.bucket.kmsKeyArn ? { REPORT_KMS_KEY_ARN: args.bucket.kmsKeyArn } : {}),
        ENVIRONMENT: args.environment,
        ACCOUNT_ID: args.accountId,
      },
      logRetentionDays: args.logRetentionDays,
      // Inspector pages of 100 and the credential report's generation take a while in a busy account.
      timeoutSeconds: 300,
      memoryMb: 512,
      failureTopicArn: args.topicArn,
      service: SERVICE,
      tags: args.tags,
      parent: this,
    });

    const schedule = scheduleFunction(name, {
      environment: args.environment,
      accountId: args.accountId,
      functionArn: fn.fn.arn,
      invokes: "audit report",
      scheduleName: `tila-${args.environment}-weekly-audit-report`,
      description: `Weekly security audit report of ${args.environment}`,
      expression,
      timezone: args.timezone ?? DEFAULT_AUDIT_TIMEZONE,
      input: { report: "weekly" },
      roleTags: resourceTags(args.tags, SERVICE, `${name}-scheduler-role`),
      parent: this,
    });

    this.functionArn = fn.fn.arn;
    this.roleArn = fn.role.arn;
    this.scheduleName = schedule.name;
    this.codeHash = fn.codeHash;
    this.bundleBytes = fn.bundleBytes;
    this.registerOutputs({ functionArn: this.functionArn, roleArn: this.roleArn, scheduleName: this.scheduleName, prefix: this.prefix, codeHash: this.codeHash });
  }
}
