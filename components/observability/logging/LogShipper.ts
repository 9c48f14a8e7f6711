/**
 * The log shipper of an environment (docs/observability-logging.md, "Flow logs and ALB access
 * logs"): the Lambda in functions/log-shipper, in the app subnets, invoked by S3 when a log file
 * lands in one of the given buckets (the flow-log bucket, the ALBs' access-log buckets) and by a
 * subscription filter on the flow logs' log group where they go to CloudWatch; it sends every
 * record to Graylog over GELF TLS through the Transit Gateway.
 *
 * Its group has no ingress and two ways out: Graylog's GELF port towards management's CIDR, and
 * HTTPS to S3 through the VPC's gateway endpoint (its prefix list: no route to the internet). Its
 * role reads exactly the buckets' log objects; failed events are retried by Lambda twice and then
 * kept for 14 days in a KMS-encrypted dead-letter queue; its own log group is KMS-encrypted, and its
 * errors and dead letters raise alarms.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FUNCTION_RUNTIME, bundleFacts, functionArchive } from "../../data/functionBundle";
import { EncryptionKey } from "../../security/EncryptionKey";
import { Tags, missingCommonTags, resourceTags } from "../../tags";
import { LogShippingTarget } from "./graylogPlan";
import { shipperKeyPolicy, shipperPolicy } from "./logShipperPolicy";
import { ASYNC_RETRIES, DEAD_LETTER_RETENTION_SECONDS, lambdaTrust, queueTlsOnlyPolicy } from "../functionPolicies";

export { ASYNC_RETRIES, DEAD_LETTER_RETENTION_SECONDS };
import { AnyAboveZeroAlarm, anyAboveZeroAlarm } from "../anyAboveZeroAlarm";

/** A bucket a log service writes to, which the shipper reads. */
export interface LogShipperBucket {
  /** Short lower-case label: names the bucket's notification and permission (`flow-logs`, `public-alb`). */
  readonly label: string;
  readonly kind: "flow-log" | "alb-access";
  readonly bucketName: pulumi.Input<string>;
  readonly bucketArn: pulumi.Input<string>;
  /** Where the service writes, ending in `AWSLogs/` (`AWSLogs/`, `<alb>/AWSLogs/`). */
  readonly prefix: string;
  /** The bucket's SSE-KMS key; undefined for SSE-S3. @default undefined */
  readonly kmsKeyArn?: pulumi.Input<string>;
}

export interface LogShipperArgs {
  /** Stack name (dev, stage, ...). */
  readonly environment: string;
  readonly vpcId: pulumi.Input<string>;
  /** App-tier subnets, one per AZ: their route to management goes through the Transit Gateway. */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** Where Graylog is: the name its certificate covers, the GELF port, management's CIDR. */
  readonly target: LogShippingTarget;
  /** The prefix list of the VPC's S3 gateway endpoint. */
  readonly s3PrefixListId: pulumi.Input<string>;
  /** Buckets whose new log files the shipper reads (an S3 notification each: a bucket has one configuration, so no other may exist). */
  readonly buckets: readonly LogShipperBucket[];
  /** The flow logs' CloudWatch log group, where they go to CloudWatch. @default undefined */
  readonly flowLogGroup?: { readonly name: pulumi.Input<string>; readonly arn: pulumi.Input<string> };
  /** Retention of the function's own log group (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  /** Where the shipper's failures are alarmed (errors, dead letters). @default undefined: no alarms */
  readonly alarmTopicArn?: pulumi.Input<string>;
  /** Failures in a row per connection before an invocation gives up (1-10). @default 4 */
  readonly maxAttempts?: number;
  /** Messages per write. @default 500 */
  readonly batchSize?: number;
  /** Pulumi `protect` on the key (dead letters waiting are unreadable without it): prod. @default false */
  readonly protect?: boolean;
  readonly tags: Tags;
}

const SERVICE = "log-shipper";
/** A five-minute file of a busy load balancer, with the backoff of a Graylog restart, fits well inside this. */
export const TIMEOUT_SECONDS = 300;
export const MEMORY_MB = 512;
/** The suffix of every flow-log and ALB access-log object (gzip text files). */
export const LOG_OBJECT_SUFFIX = ".log.gz";

/** Names of the shipper's resources in a stack. */
export function shipperNames(environment: string): { functionName: string; queueName: string; roleName: string; filterName: string } {
  const base = `tila-${environment}-${SERVICE}`;
  return { functionName: base, queueName: `${base}-dlq`, roleName: base, filterName: base };
}

function problemsOf(args: LogShipperArgs): string[] {
  const problems = [...missingCommonTags(args.tags)];
  if (!/^[a-z][a-z0-9-]*$/.test(args.environment)) problems.push(`environment: "${args.environment}" must be a lower-case stack name`);
  // Lambda function and IAM role names: 64 characters.
  if (shipperNames(args.environment).functionName.length > 64) problems.push(`environment: "${args.environment}" makes the function name longer than Lambda's 64 characters`);
  if (args.subnetIds.length === 0) problems.push("subnetIds: the function needs the app subnets");
  if (args.buckets.length === 0 && args.flowLogGroup === undefined) problems.push("buckets: nothing to ship (no bucket and no flow log group)");
  const seen = new Set<string>();
  args.buckets.forEach((b, i) => {
    if (!/^[a-z][a-z0-9-]{0,30}$/.test(b.label)) problems.push(`buckets[${i}].label: "${b.label}" must be a short lower-case label`);
    if (seen.has(b.label)) problems.push(`buckets[${i}].label: "${b.label}" is listed twice`);
    seen.add(b.label);
    if (!/^([a-z0-9][a-z0-9.-]*\/)?AWSLogs\/$/.test(b.prefix)) problems.push(`buckets[${i}].prefix: "${b.prefix}" must be where the log service writes, ending in AWSLogs/`);
  });
  if (!Number.isInteger(args.target.port) || args.target.port < 1 || args.target.port > 65535) problems.push(`target.port: ${args.target.port} is not a port`);
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(args.target.managementCidr)) problems.push(`target.managementCidr: "${args.target.managementCidr}" is not an IPv4 CIDR`);
  if (!Number.isInteger(args.logRetentionDays) || args.logRetentionDays < 1) problems.push(`logRetentionDays: must be a whole number of days (got ${args.logRetentionDays})`);
  const attempts = args.maxAttempts ?? 4;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 10) problems.push(`maxAttempts: must be 1 to 10 (got ${attempts})`);
  const batch = args.batchSize ?? 500;
  if (!Number.isInteger(batch) || batch < 1 || batch > 10_000) problems.push(`batchSize: must be 1 to 10000 (got ${batch})`);
  return problems;
}

export class LogShipper extends pulumi.ComponentResource {
  readonly functionArn: pulumi.Output<string>;
  readonly functionName: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;
  readonly deadLetterQueueArn: pulumi.Output<string>;
  /** Base64 SHA-256 of the deployed bundle. */
  readonly codeHash: string;

  constructor(name: string, args: LogShipperArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:observability:LogShipper", name, {}, opts);
    const problems = problemsOf(args);
    if (problems.length > 0) throw new pulumi.ResourceError(`LogShipper ${name}: ${problems.join("; ")}`, this);

    const parent = { parent: this };
    const tags = (role: string) => resourceTags(args.tags, SERVICE, `${name}-${role}`);
    const names = shipperNames(args.environment);
    const caller = aws.getCallerIdentityOutput({}, parent);
    const region = aws.getRegionOutput({}, parent);
    const scope = pulumi.all([caller.accountId, caller.arn, region.region]).apply(([accountId, arn, reg]) => ({ accountId, partition: arn.split(":")[1] ?? "aws", region: reg }));

    const key = new EncryptionKey(`${name}-key`, {
      purpose: SERVICE,
      environment: args.environment,
      policy: scope.apply((s) => JSON.stringify(shipperKeyPolicy(s, names.functionName))),
      protect: args.protect ?? false,
      tags: args.tags,
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
      kmsKeyId: key.keyArn,
      tags: tags("logs"),
    }, parent);

    // No ingress; out only to Graylog's input in management and to S3 through the gateway endpoint.
    const sg = new aws.ec2.SecurityGroup(`${name}-sg`, {
      vpcId: args.vpcId,
      description: `Log shipper (${args.environment}): no ingress; GELF to management, HTTPS to S3`,
      tags: tags("sg"),
    }, parent);
    new aws.vpc.SecurityGroupEgressRule(`${name}-out-gelf`, {
      securityGroupId: sg.id,
      ipProtocol: "tcp",
      fromPort: args.target.port,
      toPort: args.target.port,
      cidrIpv4: args.target.managementCidr,
      description: `Log shipper to Graylog's GELF input (${args.target.host}) in management`,
      tags: tags("out-gelf"),
    }, parent);
    new aws.vpc.SecurityGroupEgressRule(`${name}-out-s3`, {
      securityGroupId: sg.id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      prefixListId: args.s3PrefixListId,
      description: "Log shipper to S3 through the VPC's gateway endpoint (reads the log files)",
      tags: tags("out-s3"),
    }, parent);

    const role = new aws.iam.Role(`${name}-role`, {
      name: names.roleName,
      description: `Runs the ${args.environment} log shipper`,
      assumeRolePolicy: caller.accountId.apply((accountId) => JSON.stringify(lambdaTrust(accountId))),
      tags: tags("role"),
    }, parent);
    // ENI actions for a function in a VPC, which AWS authorizes on "*" only.
    const vpcAccess = new aws.iam.RolePolicyAttachment(`${name}-vpc-access`, {
      role: role.name,
      policyArn: scope.apply((s) => `arn:${s.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole`),
    }, parent);
    const buckets = pulumi.all(args.buckets.map((b) => pulumi.all([b.bucketArn, pulumi.output(b.kmsKeyArn)]).apply(([bucketArn, kmsKeyArn]) => ({
      bucketArn, prefix: b.prefix, ...(kmsKeyArn !== undefined ? { kmsKeyArn } : {}),
    }))));
    const policy = new aws.iam.RolePolicy(`${name}-policy`, {
      role: role.id,
      name: "ship-logs",
      policy: pulumi.all([scope, queue.arn, key.keyArn, buckets]).apply(([s, queueArn, keyArn, b]) =>
        JSON.stringify(shipperPolicy(s, { functionName: names.functionName, queueArn, keyArn, buckets: b }))),
    }, parent);

    this.codeHash = bundleFacts(SERVICE).hash;
    const sources = pulumi.all(args.buckets.map((b) => pulumi.output(b.bucketName).apply((n) => [n, b.kind] as const)))
      .apply((pairs) => JSON.stringify(Object.fromEntries(pairs)));
    const fn = new aws.lambda.Function(`${name}-function`, {
      name: names.functionName,
      description: `Ships the ${args.environment} flow logs and ALB access logs to Graylog (GELF over TLS)`,
      runtime: FUNCTION_RUNTIME,
      architectures: ["arm64"],
      handler: "index.handler",
      code: functionArchive(SERVICE),
      sourceCodeHash: this.codeHash,
      role: role.arn,
      timeout: TIMEOUT_SECONDS,
      memorySize: MEMORY_MB,
      environment: {
        variables: {
          ENVIRONMENT: args.environment,
          GELF_HOST: args.target.host,
          GELF_PORT: String(args.target.port),
          S3_SOURCES: sources,
          ...(args.flowLogGroup ? { FLOW_LOG_GROUP: args.flowLogGroup.name } : {}),
          MAX_ATTEMPTS: String(args.maxAttempts ?? 4),
          BATCH_SIZE: String(args.batchSize ?? 500),
        },
      },
      vpcConfig: { subnetIds: [...args.subnetIds], securityGroupIds: [sg.id] },
      deadLetterConfig: { targetArn: queue.arn },
      tags: tags("function"),
    }, { parent: this, dependsOn: [policy, vpcAccess, logs] });

    // S3 and CloudWatch Logs invoke asynchronously: two retries, then the queue keeps the event.
    new aws.lambda.FunctionEventInvokeConfig(`${name}-async`, {
      functionName: fn.name,
      maximumRetryAttempts: ASYNC_RETRIES,
      maximumEventAgeInSeconds: 21_600,
      destinationConfig: { onFailure: { destination: queue.arn } },
    }, { parent: this, dependsOn: [policy] });

    for (const b of args.buckets) {
      // Only this bucket, in this account, may invoke it (aws:SourceArn / aws:SourceAccount).
      const permission = new aws.lambda.Permission(`${name}-invoke-${b.label}`, {
        action: "lambda:InvokeFunction",
        function: fn.name,
        principal: "s3.amazonaws.com",
        sourceArn: b.bucketArn,
        sourceAccount: caller.accountId,
      }, parent);
      new aws.s3.BucketNotification(`${name}-${b.label}`, {
        bucket: b.bucketName,
        lambdaFunctions: [{ lambdaFunctionArn: fn.arn, events: ["s3:ObjectCreated:*"], filterPrefix: b.prefix, filterSuffix: LOG_OBJECT_SUFFIX }],
      }, { parent: this, dependsOn: [permission] });
    }

    if (args.flowLogGroup) {
      const group = args.flowLogGroup;
      const permission = new aws.lambda.Permission(`${name}-invoke-flow-log-group`, {
        action: "lambda:InvokeFunction",
        function: fn.name,
        principal: "logs.amazonaws.com",
        sourceArn: pulumi.interpolate`${group.arn}:*`,
        sourceAccount: caller.accountId,
      }, parent);
      new aws.cloudwatch.LogSubscriptionFilter(`${name}-flow-log-group`, {
        name: names.filterName,
        logGroup: group.name,
        // Every event: each is one flow record.
        filterPattern: "",
        destinationArn: fn.arn,
      }, { parent: this, dependsOn: [permission] });
    }

    if (args.alarmTopicArn !== undefined) {
      const actions = [args.alarmTopicArn];
      const anyAbove0 = (suffix: string, description: string, metric: AnyAboveZeroAlarm["metric"]) =>
        anyAboveZeroAlarm(`${name}-${suffix}`, { alarmName: `${names.functionName}-${suffix}`, description, metric, actions, tags: tags(suffix) }, this);
      anyAbove0(
        "errors",
        `The ${args.environment} log shipper is failing (Graylog unreachable on ${args.target.port}, or a log file unreadable): flow and ALB logs are not reaching Graylog. Runbook: read /aws/lambda/${names.functionName}; docs/observability-logging.md "Flow logs and ALB access logs"`,
        { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: names.functionName }, statistic: "Sum" },
      );
      anyAbove0(
        "dead-letters",
        `Log files of ${args.environment} were not shipped to Graylog after Lambda's retries and wait in ${names.queueName}. Runbook: docs/observability-logging.md "Flow logs and ALB access logs" (replaying the dead-letter queue)`,
        { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: names.queueName }, statistic: "Maximum" },
      );
    }

    this.functionArn = fn.arn;
    this.functionName = fn.name;
    this.securityGroupId = sg.id;
    this.deadLetterQueueArn = queue.arn;
    this.registerOutputs({
      functionArn: this.functionArn,
      functionName: this.functionName,
      securityGroupId: this.securityGroupId,
      deadLetterQueueArn: this.deadLetterQueueArn,
      codeHash: this.codeHash,
    });
  }
}
