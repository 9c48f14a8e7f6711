/**
 * Graylog's inputs, index sets, streams and alerts as code (docs/observability-logging.md#streams-index-sets-and-alerts):
 * the provisioner Lambda (functions/graylog-provisioner), invoked by the deployment with the spec
 * (an aws.lambda.Invocation: a new spec or new code runs it again, a refusal fails the deploy), and
 * the alert relay Lambda (functions/graylog-alerts) EventBridge runs every minute to publish
 * Graylog's alerts to the critical and warning topics, remembering what it sent in a DynamoDB
 * table. Both run in management's app subnets with their own security group, KMS-encrypted log
 * groups, a dead-letter queue and error alarms to the warning topic, as the Teams notifier does.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FUNCTION_RUNTIME, bundleFacts, functionArchive } from "../../data/functionBundle";
import { EncryptionKey } from "../../security/EncryptionKey";
import { Tags, missingCommonTags, resourceTags } from "../../tags";
import { DEAD_LETTER_RETENTION_SECONDS, queueTlsOnlyPolicy } from "../functionPolicies";
import { AlertTopics } from "../types";
import { GRAYLOG_HTTPS_PORT, GraylogEndpoints } from "./graylogPlan";
import { lambdaTrust, provisionerPolicy, provisioningKeyPolicy, relayPolicy } from "./graylogProvisioningPolicy";
import { ARCHIVE_REPOSITORY, ArchiveSpec, GraylogSpec, archivePolicies } from "./graylogProvisioningSpec";
import { AnyAboveZeroAlarm, anyAboveZeroAlarm } from "../anyAboveZeroAlarm";

export interface GraylogProvisioningArgs {
  /** The stack (management). */
  readonly environment: string;
  readonly region: string;
  readonly partition: string;
  readonly accountId: string;
  /** What the Graylog cluster hands over: its URL, admin secret, load balancer's group, subnets, archive. */
  readonly endpoints: GraylogEndpoints<pulumi.Input<string>>;
  /** What Graylog must hold (graylogProvisioningSpec.ts). */
  readonly spec: GraylogSpec;
  /** The metrics alarms' topics: Graylog's alerts go to the same ones; failures of the two functions to `warning`. */
  readonly topics: AlertTopics;
  /** CloudWatch Logs retention of the two functions' groups. */
  readonly logRetentionDays: number;
  readonly tags: Tags;
  /** How long the provisioner may run (it waits up to 8 minutes for Graylog to answer). @default 600 */
  readonly provisionerTimeoutSeconds?: number;
}

const SERVICE = "graylog";
const RELAY_TIMEOUT_SECONDS = 120;

/** Names of the provisioning's resources; role names start with the stack (the deploy role creates only those). */
export function provisioningNames(environment: string) {
  const base = `tila-${environment}-graylog`;
  return {
    provisioner: `${base}-provisioner`,
    relay: `${base}-alerts`,
    provisionerRole: `${environment}-graylog-provisioner`,
    relayRole: `${environment}-graylog-alerts`,
    table: `${base}-alerts`,
    queue: `${base}-alerts-dlq`,
  };
}

function problemsOf(args: GraylogProvisioningArgs): string[] {
  const problems = [...missingCommonTags(args.tags)];
  if (!/^[a-z][a-z0-9-]*$/.test(args.environment)) problems.push(`environment: "${args.environment}" must be a lower-case stack name`);
  if (provisioningNames(args.environment).provisioner.length > 64) problems.push(`environment: "${args.environment}" makes function names longer than Lambda's 64 characters`);
  if (args.endpoints.subnetIds.length === 0) problems.push("endpoints.subnetIds: the functions need management's app subnets");
  if (args.spec.indexSets.length === 0) problems.push("spec.indexSets: Graylog needs at least one index set");
  if (!Number.isInteger(args.logRetentionDays) || args.logRetentionDays < 1) problems.push(`logRetentionDays: must be a whole number of days (got ${args.logRetentionDays})`);
  const timeout = args.provisionerTimeoutSeconds ?? 600;
  if (!Number.isInteger(timeout) || timeout < 60 || timeout > 900) problems.push(`provisionerTimeoutSeconds: must be 60 to 900, Lambda's limit (got ${timeout})`);
  return problems;
}

export class GraylogProvisioning extends pulumi.ComponentResource {
  readonly provisionerFunctionName: pulumi.Output<string>;
  readonly relayFunctionName: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;
  readonly deadLetterQueueArn: pulumi.Output<string>;
  /** The JSON the provisioner is invoked with (the spec, plus the archive when on). */
  readonly input: pulumi.Output<string>;

  constructor(name: string, args: GraylogProvisioningArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:observability:GraylogProvisioning", name, {}, opts);
    const problems = problemsOf(args);
    if (problems.length > 0) throw new pulumi.ResourceError(`GraylogProvisioning ${name}: ${problems.join("; ")}`, this);
    const parent = { parent: this };
    const tags = (role: string) => resourceTags(args.tags, SERVICE, `${name}-${role}`);
    const names = provisioningNames(args.environment);
    const scope = { partition: args.partition, region: args.region, accountId: args.accountId };
    const ep = args.endpoints;

    const logGroupNames = [`/aws/lambda/${names.provisioner}`, `/aws/lambda/${names.relay}`];
    const key = new EncryptionKey(`${name}-key`, {
      purpose: "graylog-provisioning",
      environment: args.environment,
      policy: JSON.stringify(provisioningKeyPolicy(scope, logGroupNames)),
      tags: args.tags,
    }, parent);

    const logGroups = logGroupNames.map((groupName, i) => new aws.cloudwatch.LogGroup(`${name}-${i === 0 ? "provisioner" : "alerts"}-logs`, {
      name: groupName,
      retentionInDays: args.logRetentionDays,
      kmsKeyId: key.keyArn,
      tags: tags(i === 0 ? "provisioner-logs" : "alerts-logs"),
    }, parent));

    const queue = new aws.sqs.Queue(`${name}-dlq`, { name: names.queue, kmsMasterKeyId: key.keyArn, messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS, tags: tags("dlq") }, parent);
    new aws.sqs.QueuePolicy(`${name}-dlq-policy`, { queueUrl: queue.url, policy: queue.arn.apply((arn) => JSON.stringify(queueTlsOnlyPolicy(arn))) }, parent);

    // No ingress. Egress: Graylog's load balancer on 443, and HTTPS to the AWS APIs (Secrets Manager
    // through the central endpoints, SNS through the NAT gateway, DynamoDB through its gateway
    // endpoint) and to the search domain, as the project's other VPC Lambdas do.
    const sg = new aws.ec2.SecurityGroup(`${name}-sg`, {
      vpcId: ep.vpcId,
      description: "Graylog provisioning and alert relay functions: no ingress",
      tags: tags("sg"),
    }, parent);
    new aws.vpc.SecurityGroupEgressRule(`${name}-out-graylog`, {
      securityGroupId: sg.id, ipProtocol: "tcp", fromPort: GRAYLOG_HTTPS_PORT, toPort: GRAYLOG_HTTPS_PORT, referencedSecurityGroupId: ep.loadBalancerSecurityGroupId,
      description: "Graylog's REST API through its load balancer", tags: tags("out-graylog"),
    }, parent);
    new aws.vpc.SecurityGroupIngressRule(`${name}-in-graylog`, {
      securityGroupId: ep.loadBalancerSecurityGroupId, ipProtocol: "tcp", fromPort: GRAYLOG_HTTPS_PORT, toPort: GRAYLOG_HTTPS_PORT, referencedSecurityGroupId: sg.id,
      description: "Graylog provisioning and alert relay functions to the REST API", tags: tags("in-graylog"),
    }, parent);
    // The domain admits only the Graylog nodes; registering the archive calls it from this group.
    if (ep.archive?.domainSecurityGroupId !== undefined) {
      new aws.vpc.SecurityGroupIngressRule(`${name}-in-domain`, {
        securityGroupId: ep.archive.domainSecurityGroupId, ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: sg.id,
        description: "Graylog provisioning function registers the archive's snapshot repository and policies", tags: tags("in-domain"),
      }, parent);
    }
    new aws.vpc.SecurityGroupEgressRule(`${name}-out-https`, {
      securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0",
      description: "AWS APIs (endpoints, NAT) and the search domain over HTTPS", tags: tags("out-https"),
    }, parent);

    const table = new aws.dynamodb.Table(`${name}-alerts-table`, {
      name: names.table,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "pk",
      attributes: [{ name: "pk", type: "S" }],
      ttl: { attributeName: "expiresAt", enabled: true },
      // Event ids and a timestamp, nothing sensitive: the AWS managed key (aws/dynamodb).
      serverSideEncryption: { enabled: true },
      tags: tags("alerts-table"),
    }, parent);

    const archive = ep.archive;
    const policies = archive ? archivePolicies(args.spec.indexSets) : [];
    const vpcConfig = { subnetIds: [...ep.subnetIds], securityGroupIds: [sg.id] };
    const trust = JSON.stringify(lambdaTrust(args.accountId));

    // The provisioner.
    const provisionerRole = new aws.iam.Role(`${name}-provisioner-role`, { name: names.provisionerRole, description: "Graylog provisioner: inputs, index sets, streams, alerts", assumeRolePolicy: trust, tags: tags("provisioner-role") }, parent);
    const provisionerVpc = new aws.iam.RolePolicyAttachment(`${name}-provisioner-vpc`, { role: provisionerRole.name, policyArn: `arn:${args.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole` }, parent);
    const provisionerGrants = new aws.iam.RolePolicy(`${name}-provisioner-policy`, {
      role: provisionerRole.id,
      name: "provision-graylog",
      policy: pulumi.all([ep.adminSecretArn, ep.secretsKeyArn, queue.arn, key.keyArn, archive?.domainArn ?? "", archive?.snapshotRoleArn ?? "", archive?.masterSecretArn ?? ""]).apply(([secret, secretsKey, queueArn, keyArn, domainArn, snapshotRoleArn, masterSecretArn]) =>
        JSON.stringify(provisionerPolicy(scope, {
          functionName: names.provisioner, adminSecretArn: secret, secretsKeyArn: secretsKey, queueArn, keyArn,
          ...(policies.length > 0 ? { archive: { domainArn, snapshotRoleArn, ...(masterSecretArn ? { masterSecretArn } : {}) } } : {}),
        }))),
    }, parent);
    const provisionerHash = bundleFacts("graylog-provisioner").hash;
    const provisioner = new aws.lambda.Function(`${name}-provisioner`, {
      name: names.provisioner,
      description: "Applies the Graylog spec (inputs, index sets, streams, alerts) through Graylog's REST API; invoked by the deployment",
      runtime: FUNCTION_RUNTIME,
      architectures: ["arm64"],
      handler: "index.handler",
      code: functionArchive("graylog-provisioner"),
      sourceCodeHash: provisionerHash,
      role: provisionerRole.arn,
      timeout: args.provisionerTimeoutSeconds ?? 600,
      memorySize: 256,
      environment: { variables: { GRAYLOG_URL: ep.url, ADMIN_SECRET_ARN: ep.adminSecretArn, ROLE_ARN: provisionerRole.arn } },
      vpcConfig,
      tags: tags("provisioner"),
    }, { parent: this, dependsOn: [provisionerGrants, provisionerVpc, logGroups[0]!] });

    const archiveInput: pulumi.Output<ArchiveSpec<string> | undefined> = archive && policies.length > 0
      ? pulumi.all([archive.domainEndpoint, archive.bucketName, archive.snapshotRoleArn, archive.masterSecretArn ?? ""]).apply(([domainEndpoint, bucketName, snapshotRoleArn, masterSecretArn]) => ({
          domainEndpoint, region: args.region, bucketName, snapshotRoleArn, repository: ARCHIVE_REPOSITORY, policies,
          ...(masterSecretArn ? { masterSecretArn } : {}),
        }))
      : pulumi.output(undefined);
    this.input = archiveInput.apply((a) => JSON.stringify(a ? { ...args.spec, archive: a } : args.spec));
    const invocation = new aws.lambda.Invocation(`${name}-apply`, {
      functionName: provisioner.name,
      input: this.input,
      // A new bundle applies the same spec again (the provisioner writes only what differs).
      triggers: { code: provisionerHash },
    }, { parent: this, dependsOn: [provisioner] });
    invocation.result.apply((result) => {
      if (typeof result !== "string" || result === "") return;
      const parsed = JSON.parse(result) as { ok?: unknown; error?: unknown };
      if (parsed.ok !== true) throw new pulumi.ResourceError(`${name}: Graylog provisioning refused: ${String(parsed.error)}`, invocation);
    });

    // The relay.
    const relayRole = new aws.iam.Role(`${name}-alerts-role`, { name: names.relayRole, description: "Graylog alert relay: Graylog's alerts to the alert topics", assumeRolePolicy: trust, tags: tags("alerts-role") }, parent);
    const relayVpc = new aws.iam.RolePolicyAttachment(`${name}-alerts-vpc`, { role: relayRole.name, policyArn: `arn:${args.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole` }, parent);
    const relayGrants = new aws.iam.RolePolicy(`${name}-alerts-policy`, {
      role: relayRole.id,
      name: "relay-graylog-alerts",
      policy: pulumi.all([ep.adminSecretArn, ep.secretsKeyArn, queue.arn, key.keyArn, args.topics.critical, args.topics.warning, args.topics.keyArn, table.arn]).apply(([secret, secretsKey, queueArn, keyArn, critical, warning, topicsKey, tableArn]) =>
        JSON.stringify(relayPolicy(scope, { functionName: names.relay, adminSecretArn: secret, secretsKeyArn: secretsKey, queueArn, keyArn, topicArns: [critical, warning], topicsKeyArn: topicsKey, tableArn }))),
    }, parent);
    const relayHash = bundleFacts("graylog-alerts").hash;
    const relay = new aws.lambda.Function(`${name}-alerts`, {
      name: names.relay,
      description: "Publishes Graylog's alerts to the critical and warning topics, each once (run every minute)",
      runtime: FUNCTION_RUNTIME,
      architectures: ["arm64"],
      handler: "index.handler",
      code: functionArchive("graylog-alerts"),
      sourceCodeHash: relayHash,
      role: relayRole.arn,
      timeout: RELAY_TIMEOUT_SECONDS,
      memorySize: 256,
      environment: {
        variables: {
          GRAYLOG_URL: ep.url, ADMIN_SECRET_ARN: ep.adminSecretArn, TABLE_NAME: table.name,
          WARNING_TOPIC_ARN: args.topics.warning, CRITICAL_TOPIC_ARN: args.topics.critical, MARKER: args.spec.marker, ENVIRONMENT: args.environment,
        },
      },
      vpcConfig,
      deadLetterConfig: { targetArn: queue.arn },
      tags: tags("alerts"),
    }, { parent: this, dependsOn: [relayGrants, relayVpc, logGroups[1]!] });
    // A failed run is retried once by Lambda; the next minute's run retries anyway, so an event older than 10 minutes is dropped to the queue.
    new aws.lambda.FunctionEventInvokeConfig(`${name}-alerts-async`, {
      functionName: relay.name, maximumRetryAttempts: 1, maximumEventAgeInSeconds: 600, destinationConfig: { onFailure: { destination: queue.arn } },
    }, { parent: this, dependsOn: [relayGrants] });
    const schedule = new aws.cloudwatch.EventRule(`${name}-schedule`, { description: "Runs the Graylog alert relay every minute", scheduleExpression: "rate(1 minute)", tags: tags("schedule") }, parent);
    const permission = new aws.lambda.Permission(`${name}-schedule-invoke`, { action: "lambda:InvokeFunction", function: relay.name, principal: "events.amazonaws.com", sourceArn: schedule.arn }, parent);
    new aws.cloudwatch.EventTarget(`${name}-schedule-target`, { rule: schedule.name, arn: relay.arn }, { parent: this, dependsOn: [permission] });

    const actions = [args.topics.warning];
    const anyAbove0 = (suffix: string, description: string, metric: AnyAboveZeroAlarm["metric"]) =>
      anyAboveZeroAlarm(`${name}-${suffix}`, { alarmName: `tila-${args.environment}-graylog-${suffix}`, description, metric, actions, tags: tags(suffix) }, this);
    anyAbove0("provisioner-errors", `The Graylog provisioner failed (the deployment shows why; its log group ${logGroupNames[0]}). Runbook: docs/observability-logging.md#operating`,
      { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: names.provisioner }, statistic: "Sum" });
    anyAbove0("alerts-errors", `The Graylog alert relay is failing: Graylog's alerts are not reaching the topics (Graylog down, the admin secret, SNS). Runbook: its log group ${logGroupNames[1]}; docs/observability-logging.md#operating`,
      { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: names.relay }, statistic: "Sum" });
    anyAbove0("alerts-dead-letters", `Runs of the Graylog alert relay failed twice and wait in ${names.queue}; their alerts are retried by later runs while the watermark stays. Runbook: docs/observability-logging.md#operating`,
      { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: names.queue }, statistic: "Maximum" });

    this.provisionerFunctionName = provisioner.name;
    this.relayFunctionName = relay.name;
    this.securityGroupId = sg.id;
    this.deadLetterQueueArn = queue.arn;
    this.registerOutputs({ provisionerFunctionName: this.provisionerFunctionName, relayFunctionName: this.relayFunctionName, securityGroupId: this.securityGroupId, deadLetterQueueArn: this.deadLetterQueueArn });
  }
}
