/**
 * A Lambda function invoked on a schedule by EventBridge Scheduler: the scheduler's own role
 * (trusted by scheduler.amazonaws.com from this account only, allowed to invoke exactly this
 * function) and the schedule, with two retries within an hour. Shared by the weekly audit report
 * and the lake's nightly curation; children are parented to the caller's component.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { schedulerInvokePolicy, serviceTrust } from "./policies";

export interface FunctionScheduleArgs {
  readonly environment: string;
  readonly accountId: string;
  readonly functionArn: pulumi.Output<string>;
  /** What the scheduler's role says it invokes: "audit report" -> "EventBridge Scheduler invokes the prod audit report". */
  readonly invokes: string;
  /** The schedule's name and description. */
  readonly scheduleName: string;
  readonly description: string;
  /** A cron() or rate() expression, in `timezone`. */
  readonly expression: string;
  readonly timezone: string;
  /** The event the function receives. */
  readonly input: unknown;
  /** Tags of the scheduler's role (the caller's own tagging). */
  readonly roleTags: Record<string, string>;
  readonly parent: pulumi.Resource;
}

/** The scheduler role, its invoke policy and the schedule, named `<name>-scheduler-role`, `-scheduler-invoke`, `-schedule`. */
export function scheduleFunction(name: string, a: FunctionScheduleArgs): aws.scheduler.Schedule {
  const parent = { parent: a.parent };
  const role = new aws.iam.Role(`${name}-scheduler-role`, {
    description: `EventBridge Scheduler invokes the ${a.environment} ${a.invokes}`,
    assumeRolePolicy: JSON.stringify(serviceTrust("scheduler.amazonaws.com", a.accountId)),
    tags: a.roleTags,
  }, parent);
  const invoke = new aws.iam.RolePolicy(`${name}-scheduler-invoke`, {
    role: role.id,
    policy: a.functionArn.apply((arn) => JSON.stringify(schedulerInvokePolicy(arn))),
  }, parent);
  return new aws.scheduler.Schedule(`${name}-schedule`, {
    name: a.scheduleName,
    description: a.description,
    scheduleExpression: a.expression,
    scheduleExpressionTimezone: a.timezone,
    flexibleTimeWindow: { mode: "OFF" },
    state: "ENABLED",
    target: {
      arn: a.functionArn,
      roleArn: role.arn,
      input: JSON.stringify(a.input),
      retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
    },
  }, { parent: a.parent, dependsOn: [invoke] });
}
