/**
 * The Microsoft Teams notifier (docs/observability-teams.md): one Lambda (functions/teams-notifier)
 * subscribed to the stack's alert topics and its security topic, turning each message into a Teams
 * card. Its webhook URL lives in a KMS-encrypted secret the operators fill in after deploy (the
 * program never holds it); failed deliveries are retried by the handler, then twice by Lambda, then
 * kept in an encrypted dead-letter queue for 14 days for replay.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FUNCTION_RUNTIME, bundleFacts, functionArchive } from "../data/functionBundle";
import { EncryptionKey } from "../security/EncryptionKey";
import { Tags, missingCommonTags, resourceTags } from "../tags";
import { notifierPolicy } from "./teamsNotifierPolicy";
import { ASYNC_RETRIES, DEAD_LETTER_RETENTION_SECONDS, lambdaTrust, queueTlsOnlyPolicy } from "./functionPolicies";

export { ASYNC_RETRIES, DEAD_LETTER_RETENTION_SECONDS };
import { AnyAboveZeroAlarm, anyAboveZeroAlarm } from "./anyAboveZeroAlarm";

export interface TeamsNotifierArgs {
  /** Stack name (management, dev, ...). */
  readonly environment: string;
  /**
   * Topics whose messages become Teams cards: the alert topics (critical, warning) and the security
   * topic. `name` is a short label (it names the subscription and its permission).
   */
  readonly topics: readonly { readonly name: string; readonly arn: pulumi.Input<string> }[];
  /** CloudWatch Logs retention of the function's log group. */
  readonly logRetentionDays: number;
  readonly tags: Tags;
  /**
   * Where the notifier's own failures are alarmed (a dead letter waiting, the function erroring):
   * usually the warning topic, which also mails. Without it the alarms are not created.
   * @default undefined
   */
  readonly alarmTopicArn?: pulumi.Input<string>;
  /** Delivery attempts per card inside one invocation, before Lambda's own two retries. @default 4 */
  readonly maxAttempts?: number;
}

const SERVICE = "teams-notifier";
/** Four attempts with up to 20 s waits and 10 s requests fit well inside this. */
export const TIMEOUT_SECONDS = 120;

/** Names of the notifier's resources in a stack; all within AWS's limits for the five stacks. */
export function notifierNames(environment: string): { functionName: string; queueName: string; secretName: string; roleName: string } {
  const base = `tila-${environment}-teams-notifier`;
  return { functionName: base, queueName: `${base}-dlq`, secretName: `tila/${environment}/teams-webhook`, roleName: base };
}

function problemsOf(args: TeamsNotifierArgs): string[] {
  const problems = [...missingCommonTags(args.tags)];
  if (!/^[a-z][a-z0-9-]*$/.test(args.environment)) problems.push(`environment: "${args.environment}" must be a lower-case stack name`);
  const names = notifierNames(args.environment);
  // Lambda function and IAM role names: 64 characters; SQS queue names: 80.
  if (names.functionName.length > 64) problems.push(`environment: "${args.environment}" makes the function name ${names.functionName} longer than Lambda's 64 characters`);
  if (args.topics.length === 0) problems.push("topics: at least one topic must feed the notifier");
  const seen = new Set<string>();
  args.topics.forEach((t, i) => {
    if (!/^[a-z][a-z0-9-]{0,30}$/.test(t.name)) problems.push(`topics[${i}].name: "${t.name}" must be a short lower-case label`);
    if (seen.has(t.name)) problems.push(`topics[${i}].name: "${t.name}" is listed twice`);
    seen.add(t.name);
  });
  if (!Number.isInteger(args.logRetentionDays) || args.logRetentionDays < 1) problems.push(`logRetentionDays: must be a whole number of days (got ${args.logRetentionDays})`);
  const attempts = args.maxAttempts ?? 4;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 10) problems.push(`maxAttempts: must be 1 to 10 (got ${attempts})`);
  return problems;
}

export class TeamsNotifier extends pulumi.ComponentResource {
  readonly functionArn: pulumi.Output<string>;
  readonly functionName: pulumi.Output<string>;
  readonly deadLetterQueueArn: pulumi.Output<string>;
  readonly webhookSecretArn: pulumi.Output<string>;
  /** Base64 SHA-256 of the deployed bundle (the plan records it). */
  readonly codeHash: string;

  constructor(name: string, args: TeamsNotifierArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:observability:TeamsNotifier", name, {}, opts);
    const problems = problemsOf(args);
    if (problems.length > 0) throw new pulumi.ResourceError(`TeamsNotifier ${name}: ${problems.join("; ")}`, this);

    const parent = { parent: this };
    const tags = (role: string) => resourceTags(args.tags, SERVICE, `${name}-${role}`);
    const names = notifierNames(args.environment);
    // Account, partition and region of the provider the component runs under (its parent's).
    const caller = aws.getCallerIdentityOutput({}, parent);
    const region = aws.getRegionOutput({}, parent);

    // Protected: without it the webhook secret and any dead letters waiting are unreadable.
    const key = new EncryptionKey(`${name}-key`, { purpose: SERVICE, environment: args.environment, protect: true, tags: args.tags }, parent);

    // No SecretVersion: the URL is a credential (a Workflows URL's `sig`), so it never passes
    // through config or state; operators put it in after the first deploy.
    const secret = new aws.secretsmanager.Secret(`${name}-webhook`, {
      name: names.secretName,
      description: `Microsoft Teams webhook URL the ${args.environment} notifier posts cards to (set after deploy; docs/observability-teams.md)`,
      kmsKeyId: key.keyArn,
      tags: tags("webhook"),
    }, parent);

    const queue = new aws.sqs.Queue(`${name}-dlq`, {
      name: names.queueName,
      kmsMasterKeyId: key.keyArn,
      messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
      tags: tags("dlq"),
    }, parent);
    new aws.sqs.QueuePolicy(`${name}-dlq-policy`, { queueUrl: queue.url, policy: queue.arn.apply((arn) => JSON.stringify(queueTlsOnlyPolicy(arn))) }, parent);

    const logs = new aws.cloudwatch.LogGroup(`${name}-logs`, {
      name: `/aws/lambda/${names.functionName}`,
      retentionInDays: args.logRetentionDays,
      tags: tags("logs"),
    }, parent);

    const role = new aws.iam.Role(`${name}-role`, {
      name: names.roleName,
      description: `Runs the ${args.environment} Teams notifier`,
      assumeRolePolicy: caller.accountId.apply((accountId) => JSON.stringify(lambdaTrust(accountId))),
      tags: tags("role"),
    }, parent);
    const policy = new aws.iam.RolePolicy(`${name}-policy`, {
      role: role.id,
      policy: pulumi.all([caller.accountId, caller.arn, region.region, secret.arn, queue.arn, key.keyArn]).apply(([accountId, callerArn, reg, secretArn, queueArn, keyArn]) =>
        JSON.stringify(notifierPolicy({ partition: callerArn.split(":")[1] ?? "aws", region: reg, accountId }, { functionName: names.functionName, secretArn, queueArn, keyArn })),
      ),
    }, parent);

    this.codeHash = bundleFacts("teams-notifier").hash;
    const fn = new aws.lambda.Function(`${name}-function`, {
      name: names.functionName,
      description: `Posts the ${args.environment} alert and security topics' messages to Microsoft Teams as cards`,
      runtime: FUNCTION_RUNTIME,
      architectures: ["arm64"],
      handler: "index.handler",
      code: functionArchive("teams-notifier"),
      sourceCodeHash: this.codeHash,
      role: role.arn,
      timeout: TIMEOUT_SECONDS,
      memorySize: 256,
      environment: { variables: { WEBHOOK_SECRET_ARN: secret.arn, ENVIRONMENT: args.environment, MAX_ATTEMPTS: String(args.maxAttempts ?? 4) } },
      deadLetterConfig: { targetArn: queue.arn },
      tags: tags("function"),
    }, { parent: this, dependsOn: [policy, logs] });

    // Both are allowed and both are set (docs/observability-teams.md): the dead-letter queue gets
    // the event itself (what a replay needs), the on-failure destination the invocation record
    // (the error and the attempts). Two retries, and an event older than six hours is not retried.
    new aws.lambda.FunctionEventInvokeConfig(`${name}-async`, {
      functionName: fn.name,
      maximumRetryAttempts: ASYNC_RETRIES,
      maximumEventAgeInSeconds: 21_600,
      destinationConfig: { onFailure: { destination: queue.arn } },
    }, { parent: this, dependsOn: [policy] });

    for (const t of args.topics) {
      const permission = new aws.lambda.Permission(`${name}-invoke-${t.name}`, {
        action: "lambda:InvokeFunction",
        function: fn.name,
        principal: "sns.amazonaws.com",
        sourceArn: t.arn,
      }, parent);
      new aws.sns.TopicSubscription(`${name}-${t.name}`, { topic: t.arn, protocol: "lambda", endpoint: fn.arn }, { parent: this, dependsOn: [permission] });
    }

    if (args.alarmTopicArn !== undefined) {
      const actions = [args.alarmTopicArn];
      /** Alarms on the first datapoint above zero in five minutes: any dead letter or error is worth a look. */
      const anyAbove0 = (suffix: string, description: string, metric: AnyAboveZeroAlarm["metric"]) =>
        anyAboveZeroAlarm(`${name}-${suffix}`, { alarmName: `${names.functionName}-${suffix}`, description, metric, actions, tags: tags(suffix) }, this);
      anyAbove0(
        "dead-letters",
        `Teams cards of ${args.environment} were not delivered and wait in ${names.queueName}. Runbook: docs/observability-teams.md "Replaying the dead-letter queue" (check the webhook secret first)`,
        { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: names.queueName }, statistic: "Maximum" },
      );
      anyAbove0(
        "errors",
        `The ${args.environment} Teams notifier is failing (Teams refusing cards, throttling or the webhook secret unset). Runbook: read the function's log group /aws/lambda/${names.functionName}; docs/observability-teams.md`,
        { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: names.functionName }, statistic: "Sum" },
      );
    }

    this.functionArn = fn.arn;
    this.functionName = fn.name;
    this.deadLetterQueueArn = queue.arn;
    this.webhookSecretArn = secret.arn;
    this.registerOutputs({
      functionArn: this.functionArn,
      functionName: this.functionName,
      deadLetterQueueArn: this.deadLetterQueueArn,
      webhookSecretArn: this.webhookSecretArn,
      codeHash: this.codeHash,
    });
  }
}
