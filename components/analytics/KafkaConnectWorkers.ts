/**
 * The Kafka Connect workers of one environment (docs/analytics.md, "Ingestion: Kafka Connect"): a
 * Fargate service in distributed mode on the environment's ECS cluster, no load balancer, its log
 * group, execution and task roles, and the workers' own security-group rules (to Kafka on its client
 * port, to OpenSearch on 443, HTTPS for S3 and AWS APIs, the REST port from its own group only).
 * Decisions live in connectPlan.ts; this class wires resources.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, resourceTags } from "../tags";
import { arnLocation, ecsTasksTrustPolicy, executionRolePolicy } from "../compute/servicePolicies";
import { secretValueFrom } from "../compute/containerDefinition";
import { CONNECT_REST_PORT, CONNECT_WORKERS } from "./analyticsPlan";
import { CONNECT_IMAGE, PLUGIN_INSTALL_COMMAND, PLUGIN_PATH, WORKER_COMMAND, WORKER_CONFIG_DIR, connectTaskPolicy, maxWorkers, workerCount, workerEnvironment } from "./connectPlan";
import { ecsServiceSafety } from "../compute/ecsServiceSafety";

export const KAFKA_CLIENT_PORT = 9092;
export const HTTPS_PORT = 443;

export interface KafkaConnectWorkersArgs {
  /** Environment name (`dev` ... `prod`): names the family `tila-<env>-analytics-connect`. */
  readonly environment: string;
  readonly clusterArn: pulumi.Input<string>;
  /** The cluster's name: the scaling target's resource id is `service/<cluster>/<service>`. */
  readonly clusterName: pulumi.Input<string>;
  /** The app subnets, one per AZ: the tasks spread over them. */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** The workers' security group (ServiceSecurityGroups' `analytics-connect`), admitted by Kafka and OpenSearch. */
  readonly securityGroupId: pulumi.Input<string>;
  /** The Kafka cluster the workers read: its group, brokers (`host:9092,...`) and their number. */
  readonly kafka: { readonly securityGroupId: pulumi.Input<string>; readonly bootstrapServers: string; readonly brokers: number };
  /** OpenSearch's group: the search-analytics sink writes there on 443. */
  readonly searchSecurityGroupId: pulumi.Input<string>;
  /** The S3 gateway endpoint's prefix list: HTTPS to S3 stays inside the VPC. */
  readonly s3PrefixListId: pulumi.Input<string>;
  /** The raw bucket and the data key: the task role writes `topics/` there and nothing else. */
  readonly rawBucketArn: pulumi.Input<string>;
  readonly keyArn: pulumi.Input<string>;
  /** Environment variables from Secrets Manager (e.g. the OpenSearch sink's password), by name. */
  readonly secrets?: Readonly<Record<string, { readonly secretArn: pulumi.Input<string>; readonly jsonKey?: string }>>;
  /** The keys of those secrets (the execution role decrypts through Secrets Manager). */
  readonly secretKmsKeyArns?: readonly pulumi.Input<string>[];
  /** Groups that may call the REST API on 8083 besides the workers themselves (the configuration function). */
  readonly restClientGroupIds?: Readonly<Record<string, pulumi.Input<string>>>;
  /** @default 30 */
  readonly logRetentionDays?: number;
  readonly tags: Tags;
}

export class KafkaConnectWorkers extends pulumi.ComponentResource {
  readonly serviceName: pulumi.Output<string>;
  readonly serviceArn: pulumi.Output<string>;
  readonly taskRoleArn: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  readonly desiredCount: number;

  constructor(name: string, args: KafkaConnectWorkersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:analytics:KafkaConnectWorkers", name, {}, opts);
    const issues: string[] = [];
    if (!/^[a-z][a-z0-9]{1,15}$/.test(args.environment)) issues.push(`environment: "${args.environment}" is not an environment name`);
    if (args.subnetIds.length < 2) issues.push("subnetIds: at least two subnets (AZs), so the workers survive an AZ");
    if (args.kafka.brokers < 1) issues.push("kafka.brokers: at least one broker");
    if (!/:\d+/.test(args.kafka.bootstrapServers)) issues.push(`kafka.bootstrapServers: "${args.kafka.bootstrapServers}" lists no host:port`);
    if (issues.length > 0) throw new pulumi.ResourceError(`KafkaConnectWorkers "${name}": ${issues.join("; ")}`, this);

    const parent = { parent: this };
    const tags = (role: string): Record<string, string> => resourceTags(args.tags, CONNECT_WORKERS, `${name}-${role}`);
    const family = `tila-${args.environment}-${CONNECT_WORKERS}`;
    this.desiredCount = workerCount(args.environment);

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { name: `/ecs/${family}`, retentionInDays: args.logRetentionDays ?? 30, tags: tags("logs") }, parent);
    const where = logGroup.arn.apply(arnLocation);

    const secretEntries = Object.entries(args.secrets ?? {});
    const executionRole = new aws.iam.Role(`${name}-agent-role`, {
      description: `ECS agent for ${family}: pull the image, write logs, read its secrets`,
      assumeRolePolicy: where.apply((w) => JSON.stringify(ecsTasksTrustPolicy(w, "execution"))),
      tags: tags("execution-role"),
    }, parent);
    const executionPolicy = new aws.iam.RolePolicy(`${name}-agent-policy`, {
      role: executionRole.id,
      // Not "execution": that name marks a catalogue service's role, which pulls from management's ECR.
      name: "agent",
      policy: pulumi.all([where, logGroup.arn, pulumi.all(secretEntries.map(([, s]) => pulumi.output(s.secretArn))), pulumi.all([...(args.secretKmsKeyArns ?? [])])])
        .apply(([w, logGroupArn, secretArns, keys]) => JSON.stringify(executionRolePolicy({ where: w, logGroupArn, secretArns, kmsKeyArns: keys }))),
    }, parent);
    const taskRole = new aws.iam.Role(`${name}-task-role`, {
      description: `Kafka Connect workers in ${args.environment}: write the lake's raw topics/ prefix only`,
      assumeRolePolicy: where.apply((w) => JSON.stringify(ecsTasksTrustPolicy(w, "task"))),
      tags: tags("task-role"),
    }, parent);
    const taskPolicy = new aws.iam.RolePolicy(`${name}-task-policy`, {
      role: taskRole.id,
      name: "task",
      policy: pulumi.all([where, args.rawBucketArn, args.keyArn]).apply(([w, rawBucketArn, keyArn]) =>
        JSON.stringify(connectTaskPolicy({ rawBucketArn, keyArn, region: w.region, partition: w.partition }))),
    }, parent);

    const environment = workerEnvironment({ environment: args.environment, bootstrapServers: args.kafka.bootstrapServers, brokers: args.kafka.brokers });
    const secrets = pulumi.all(secretEntries.map(([envName, s]) => pulumi.output(s.secretArn).apply((arn) => ({ name: envName, valueFrom: secretValueFrom(arn, s.jsonKey) }))));
    const containers = pulumi.all([where, logGroup.name, secrets]).apply(([w, group, resolvedSecrets]) => {
      const logs = (prefix: string): object => ({ logDriver: "awslogs", options: { "awslogs-group": group, "awslogs-region": w.region, "awslogs-stream-prefix": prefix } });
      return JSON.stringify([
        {
          name: "plugins",
          image: CONNECT_IMAGE,
          essential: false,
          user: "1000:1000",
          readonlyRootFilesystem: true,
          command: [...PLUGIN_INSTALL_COMMAND],
          mountPoints: [{ sourceVolume: "plugins", containerPath: PLUGIN_PATH }, { sourceVolume: "tmp", containerPath: "/tmp" }],
          logConfiguration: logs("plugins"),
        },
        {
          name: CONNECT_WORKERS,
          image: CONNECT_IMAGE,
          essential: true,
          user: "1000:1000",
          readonlyRootFilesystem: true,
          command: [...WORKER_COMMAND],
          portMappings: [{ containerPort: CONNECT_REST_PORT, protocol: "tcp" }],
          environment: Object.entries(environment).map(([n, value]) => ({ name: n, value })),
          secrets: resolvedSecrets,
          dependsOn: [{ containerName: "plugins", condition: "SUCCESS" }],
          mountPoints: [
            { sourceVolume: "plugins", containerPath: PLUGIN_PATH, readOnly: true },
            { sourceVolume: "worker-config", containerPath: WORKER_CONFIG_DIR },
            { sourceVolume: "tmp", containerPath: "/tmp" },
          ],
          healthCheck: { command: ["CMD-SHELL", `curl -sf http://localhost:${CONNECT_REST_PORT}/ || exit 1`], interval: 30, timeout: 5, retries: 3, startPeriod: 120 },
          logConfiguration: logs("worker"),
        },
      ]);
    });
    const taskDefinition = new aws.ecs.TaskDefinition(`${name}-task`, {
      family,
      cpu: "1024",
      memory: "4096",
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      executionRoleArn: executionRole.arn,
      taskRoleArn: taskRole.arn,
      containerDefinitions: containers,
      volumes: [{ name: "plugins" }, { name: "worker-config" }, { name: "tmp" }],
      skipDestroy: true,
      tags: tags("task"),
    }, { parent: this, dependsOn: [executionPolicy, taskPolicy] });

    this.networkRules(name, args, tags);

    const service = new aws.ecs.Service(`${name}-service`, {
      name: CONNECT_WORKERS,
      cluster: args.clusterArn,
      taskDefinition: taskDefinition.arn,
      launchType: "FARGATE",
      platformVersion: "LATEST",
      desiredCount: this.desiredCount,
      networkConfiguration: { subnets: [...args.subnetIds], securityGroups: [args.securityGroupId], assignPublicIp: false },
      ...ecsServiceSafety(),
      // One worker at a time: the group rebalances its tasks instead of stopping.
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      availabilityZoneRebalancing: "ENABLED",
      tags: tags("service"),
    }, { parent: this, ignoreChanges: ["desiredCount"] });

    // More workers only help while there are more connector tasks than workers (tasks.max per connector).
    const target = new aws.appautoscaling.Target(`${name}-scaling-target`, {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: pulumi.interpolate`service/${args.clusterName}/${service.name}`,
      minCapacity: this.desiredCount,
      maxCapacity: maxWorkers(args.environment),
      tags: tags("scaling-target"),
    }, parent);
    new aws.appautoscaling.Policy(`${name}-scale-cpu`, {
      name: `${family}-cpu`,
      policyType: "TargetTrackingScaling",
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: 70,
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
        // Each scale event rebalances every connector task: slow in, slower out.
        scaleInCooldown: 900,
        scaleOutCooldown: 300,
      },
    }, parent);

    this.serviceName = service.name;
    this.serviceArn = service.id;
    this.taskRoleArn = taskRole.arn;
    this.logGroupName = logGroup.name;
    this.registerOutputs({ serviceName: this.serviceName, serviceArn: this.serviceArn, taskRoleArn: this.taskRoleArn, logGroupName: this.logGroupName });
  }

  private networkRules(name: string, args: KafkaConnectWorkersArgs, tags: (role: string) => Record<string, string>): void {
    const opts = { parent: this };
    const tcp = (port: number) => ({ ipProtocol: "tcp", fromPort: port, toPort: port });
    new aws.vpc.SecurityGroupEgressRule(`${name}-egress-kafka`, {
      securityGroupId: args.securityGroupId, referencedSecurityGroupId: args.kafka.securityGroupId, ...tcp(KAFKA_CLIENT_PORT),
      description: `Kafka Connect workers to Kafka on ${KAFKA_CLIENT_PORT}`, tags: tags("egress-kafka"),
    }, opts);
    new aws.vpc.SecurityGroupEgressRule(`${name}-egress-opensearch`, {
      securityGroupId: args.securityGroupId, referencedSecurityGroupId: args.searchSecurityGroupId, ...tcp(HTTPS_PORT),
      description: `Kafka Connect workers to OpenSearch on ${HTTPS_PORT}`, tags: tags("egress-opensearch"),
    }, opts);
    new aws.vpc.SecurityGroupEgressRule(`${name}-egress-s3`, {
      securityGroupId: args.securityGroupId, prefixListId: args.s3PrefixListId, ...tcp(HTTPS_PORT),
      description: `Kafka Connect workers to S3 (gateway endpoint) on ${HTTPS_PORT}`, tags: tags("egress-s3"),
    }, opts);
    new aws.vpc.SecurityGroupEgressRule(`${name}-egress-https`, {
      securityGroupId: args.securityGroupId, cidrIpv4: "0.0.0.0/0", ...tcp(HTTPS_PORT),
      description: "Kafka Connect workers to HTTPS: image registry, Confluent Hub, AWS APIs (endpoints or NAT)", tags: tags("egress-https"),
    }, opts);
    // Workers forward REST calls to the leader and talk to each other on the REST port.
    new aws.vpc.SecurityGroupIngressRule(`${name}-ingress-rest-self`, {
      securityGroupId: args.securityGroupId, referencedSecurityGroupId: args.securityGroupId, ...tcp(CONNECT_REST_PORT),
      description: `Kafka Connect REST on ${CONNECT_REST_PORT} between the workers`, tags: tags("ingress-rest-self"),
    }, opts);
    new aws.vpc.SecurityGroupEgressRule(`${name}-egress-rest-self`, {
      securityGroupId: args.securityGroupId, referencedSecurityGroupId: args.securityGroupId, ...tcp(CONNECT_REST_PORT),
      description: `Kafka Connect REST on ${CONNECT_REST_PORT} to the other workers`, tags: tags("egress-rest-self"),
    }, opts);
    for (const [client, groupId] of Object.entries(args.restClientGroupIds ?? {})) {
      new aws.vpc.SecurityGroupIngressRule(`${name}-ingress-rest-${client}`, {
        securityGroupId: args.securityGroupId, referencedSecurityGroupId: groupId, ...tcp(CONNECT_REST_PORT),
        description: `Kafka Connect REST on ${CONNECT_REST_PORT} from ${client}`, tags: tags(`ingress-rest-${client}`),
      }, opts);
    }
  }
}
