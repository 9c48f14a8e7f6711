/**
 * The daily raw -> curated step of the lake (docs/analytics.md#curation): the lake-curation Lambda
 * (functions/lake-curation) with its role (curationPolicy.ts), its log group and failure reports to
 * the warning topic, an EventBridge Scheduler schedule at 02:00 UTC, and an alarm on its errors.
 * The topics, tables, prefixes and curated columns are handed to the function from the analytics
 * contract at deploy time, so the handler never builds SQL from anything an event carries.
 */
import * as pulumi from "@pulumi/pulumi";
import { createSecurityFunction } from "../security/incident/securityFunction";
import { scheduleFunction } from "../security/incident/functionSchedule";
import { anyAboveZeroAlarm } from "../observability/anyAboveZeroAlarm";
import { Tags, missingCommonTags, resourceTags } from "../tags";
import { AnalyticsTopic, curatedColumns, tableName, topicPrefix } from "./analyticsPlan";
import { curationPermissions } from "./curationPolicy";
import type { LakeRefs } from "./lakeRefs";

/** 02:00 UTC: yesterday's partitions are complete (Kafka Connect flushes hourly) and analysts are offline. */
export const CURATION_SCHEDULE = "cron(0 2 * * ? *)";
export const CURATION_TIMEZONE = "UTC";
/** Lambda's ceiling: four topics of at most 3 minutes' polling each fit inside it. */
export const CURATION_TIMEOUT_SECONDS = 900;

export interface LakeCurationArgs {
  readonly environment: string;
  readonly accountId: string;
  readonly region: string;
  /** @default "aws" */
  readonly partition?: string;
  /** The topics curated (the contract's; each with at least one column that is not personal). */
  readonly topics: readonly AnalyticsTopic[];
  readonly lake: LakeRefs;
  /** Where a failed run is reported (the environment's warning topic) and that topic's key. */
  readonly alertTopicArn: pulumi.Input<string>;
  readonly alertKeyArn: pulumi.Input<string>;
  readonly logRetentionDays: number;
  readonly tags: Tags;
}

/** What the function receives in TOPICS: per topic its table, prefix and the columns curated keeps, in table order. */
export function curationTopics(topics: readonly AnalyticsTopic[]): { topic: string; table: string; prefix: string; columns: string[] }[] {
  return topics.map((t) => ({ topic: t.name, table: tableName(t.name), prefix: topicPrefix(t.name), columns: curatedColumns(t).map((c) => c.name) }));
}

export function curationFunctionName(environment: string): string {
  return `tila-${environment}-lake-curation`;
}

const SERVICE = "analytics-curation";

export class LakeCuration extends pulumi.ComponentResource {
  readonly functionArn: pulumi.Output<string>;
  readonly functionName: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;
  readonly scheduleName: pulumi.Output<string>;
  readonly alarmName: pulumi.Output<string>;
  readonly codeHash: string;

  constructor(name: string, args: LakeCurationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:analytics:LakeCuration", name, {}, opts);
    const problems = [...missingCommonTags(args.tags)];
    if (args.topics.length === 0) problems.push("topics: at least one topic");
    for (const t of args.topics) if (curatedColumns(t).length === 0) problems.push(`topics: "${t.name}" has only personal columns; curated would be empty`);
    if (problems.length > 0) throw new pulumi.ResourceError(`LakeCuration ${name}: ${problems.join("; ")}`, this);

    const partition = args.partition ?? "aws";
    const functionName = curationFunctionName(args.environment);
    const topicNames = args.topics.map((t) => t.name);
    const l = args.lake;
    const fn = createSecurityFunction(`${name}-fn`, {
      code: "lake-curation",
      functionName,
      description: `Copies yesterday's lake partitions from raw to curated without personal columns (${args.environment})`,
      accountId: args.accountId,
      policy: pulumi
        .all([l.workgroup, l.rawDatabase, l.curatedDatabase, l.rawBucketArn, l.curatedBucketArn, l.resultsBucketArn, l.keyArn, args.alertTopicArn, args.alertKeyArn])
        .apply(([workgroup, rawDatabase, curatedDatabase, rawBucketArn, curatedBucketArn, resultsBucketArn, keyArn, alertTopicArn, alertKeyArn]) =>
          curationPermissions({
            partition, region: args.region, accountId: args.accountId, functionName, topics: topicNames,
            workgroup, rawDatabase, curatedDatabase, rawBucketArn, curatedBucketArn, resultsBucketArn, keyArn, alertTopicArn, alertKeyArn,
          }),
        ),
      environment: {
        WORKGROUP: l.workgroup,
        RAW_DATABASE: l.rawDatabase,
        CURATED_DATABASE: l.curatedDatabase,
        CURATED_BUCKET: l.curatedBucketName,
        TOPICS: JSON.stringify(curationTopics(args.topics)),
      },
      logRetentionDays: args.logRetentionDays,
      timeoutSeconds: CURATION_TIMEOUT_SECONDS,
      memoryMb: 256,
      failureTopicArn: args.alertTopicArn,
      service: SERVICE,
      tags: args.tags,
      parent: this,
    });

    const schedule = scheduleFunction(name, {
      environment: args.environment,
      accountId: args.accountId,
      functionArn: fn.fn.arn,
      invokes: "lake curation",
      scheduleName: functionName,
      description: `Daily raw -> curated copy of the ${args.environment} lake`,
      expression: CURATION_SCHEDULE,
      timezone: CURATION_TIMEZONE,
      input: { curation: "daily" },
      roleTags: resourceTags(args.tags, SERVICE, `${name}-scheduler-role`),
      parent: this,
    });

    const alarm = anyAboveZeroAlarm(`${name}-errors`, {
      alarmName: `${functionName}-errors`,
      description: `The ${args.environment} lake curation failed: some of yesterday's curated partitions are missing. The function's log names each topic and Athena's reason; re-invoke it after the fix (a re-run replaces the day).`,
      metric: { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: functionName }, statistic: "Sum" },
      actions: [args.alertTopicArn],
      tags: resourceTags(args.tags, SERVICE, `${name}-errors`),
    }, this);

    this.functionArn = fn.fn.arn;
    this.functionName = fn.fn.name;
    this.roleArn = fn.role.arn;
    this.scheduleName = schedule.name;
    this.alarmName = alarm.name;
    this.codeHash = fn.codeHash;
    this.registerOutputs({ functionArn: this.functionArn, roleArn: this.roleArn, scheduleName: this.scheduleName, alarmName: this.alarmName, codeHash: this.codeHash });
  }
}
