/**
 * ElastiCache Redis replication group on the data subnets (docs/data-tier.md), cluster mode off.
 * Every per-environment decision is in `redisPlan.ts`; this class turns the plan into resources.
 *
 * Encryption in transit is `required` and the AUTH token is set from the first apply, so the group
 * never accepts a plaintext or passwordless connection. No custom parameter group: the
 * `default.redis7` settings (volatile-lru eviction, 10 ms slow-log threshold) suit a cache, and a
 * group with no overrides would only be one more resource to keep in step with the engine family.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../tags";
import { ManagedCredential } from "./credentials";
import { Owner, clientSecurityGroup, dataKey, logGroup, tagsFor } from "./managedResources";
import { REDIS_ENGINE_VERSION, REDIS_PARAMETER_GROUP, REDIS_PORT, RedisOptions, RedisPlan, resolveRedis } from "./redisPlan";

const LOG_TYPES = ["slow-log", "engine-log"] as const;

export interface RedisCacheArgs extends RedisOptions {
  /** The VPC of the data subnets. */
  readonly vpcId: pulumi.Input<string>;
  /** The data-tier subnets, one per AZ (EnvironmentNetwork `subnetIds.data`); at least two. */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** CIDRs admitted to 6379, e.g. EnvironmentNetwork `subnetCidrs.app`. @default [] */
  readonly clientCidrs?: readonly string[];
  /** Security groups admitted to 6379, by a label that names the rule. @default {} */
  readonly clientSecurityGroupIds?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Customer-managed key for data at rest, snapshots and the AUTH token secret. @default a dedicated key with rotation on */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** Common tags (Environment, Owner, CostCenter, ManagedBy); `Service` and `Name` are set here. */
  readonly tags: Tags;
}

export class RedisCache extends pulumi.ComponentResource {
  /** Writes go here; it follows the primary across failovers. */
  readonly primaryEndpoint: pulumi.Output<string>;
  /** Spreads reads over the replicas. */
  readonly readerEndpoint: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  readonly securityGroupId: pulumi.Output<string>;
  /** Secrets Manager secret holding `{username: "default", password: <AUTH token>, engine, host, port}`. */
  readonly secretArn: pulumi.Output<string>;

  constructor(name: string, args: RedisCacheArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:data:RedisCache", name, {}, opts);
    const plan = this.resolve(name, args);
    const owner: Owner = { name, parent: this, tags: args.tags };
    const parent = { parent: this };

    const keyArn = args.kmsKeyArn ?? dataKey(owner, `ElastiCache ${plan.replicationGroupId}: data at rest, snapshots, AUTH token`, plan.protect).arn;
    // The secret records the address of the group that takes its password: resolved once the group exists.
    const [host, setHost] = pulumi.deferredOutput<string>();
    const credential = new ManagedCredential(`${name}-auth-token`, {
      environment: args.environment,
      target: "elasticache-redis",
      kmsKeyArn: keyArn,
      description: `AUTH token of ElastiCache ${plan.replicationGroupId}`,
      connection: { host, port: REDIS_PORT },
      tags: args.tags,
    }, parent);

    const sg = clientSecurityGroup(owner, {
      vpcId: args.vpcId,
      port: REDIS_PORT,
      what: "Redis",
      clientCidrs: args.clientCidrs ?? [],
      clientSecurityGroupIds: args.clientSecurityGroupIds ?? {},
    });
    const subnetGroup = new aws.elasticache.SubnetGroup(`${name}-subnet-group`, {
      name: plan.replicationGroupId,
      description: `Data subnets of ${plan.replicationGroupId}`,
      subnetIds: [...args.subnetIds],
      tags: tagsFor(owner, "subnet-group"),
    }, parent);
    const logGroups = LOG_TYPES.map((type) => ({
      type,
      group: logGroup(owner, `log-${type}`, `/aws/elasticache/${plan.replicationGroupId}/${type}`, plan.logRetentionDays),
    }));

    const group = new aws.elasticache.ReplicationGroup(`${name}-replication-group`, {
      replicationGroupId: plan.replicationGroupId,
      description: `Redis for ${args.environment} (${name})`,
      engine: "redis",
      engineVersion: REDIS_ENGINE_VERSION,
      parameterGroupName: REDIS_PARAMETER_GROUP,
      autoMinorVersionUpgrade: true,
      clusterMode: "disabled",
      nodeType: plan.nodeType,
      numCacheClusters: plan.numCacheClusters,
      automaticFailoverEnabled: plan.automaticFailover,
      multiAzEnabled: plan.multiAz,
      port: REDIS_PORT,
      subnetGroupName: subnetGroup.name,
      securityGroupIds: [sg.id],
      networkType: "ipv4",
      ipDiscovery: "ipv4",
      atRestEncryptionEnabled: true,
      kmsKeyId: keyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      authToken: credential.password,
      authTokenUpdateStrategy: plan.authTokenUpdateStrategy,
      snapshotRetentionLimit: plan.snapshotRetentionDays,
      snapshotWindow: plan.snapshotWindow,
      maintenanceWindow: plan.maintenanceWindow,
      finalSnapshotIdentifier: plan.finalSnapshot ? `${plan.replicationGroupId}-final` : undefined,
      applyImmediately: plan.applyImmediately,
      logDeliveryConfigurations: logGroups.map(({ type, group: lg }) => ({
        destinationType: "cloudwatch-logs",
        destination: lg.name,
        logFormat: "json",
        logType: type,
      })),
      tags: tagsFor(owner, "replication-group"),
    }, { parent: this, protect: plan.protect });
    setHost(group.primaryEndpointAddress);

    this.primaryEndpoint = group.primaryEndpointAddress;
    this.readerEndpoint = group.readerEndpointAddress;
    this.port = pulumi.output(REDIS_PORT);
    this.securityGroupId = sg.id;
    this.secretArn = credential.secretArn;
    this.registerOutputs({
      primaryEndpoint: this.primaryEndpoint,
      readerEndpoint: this.readerEndpoint,
      port: this.port,
      securityGroupId: this.securityGroupId,
      secretArn: this.secretArn,
    });
  }

  private resolve(name: string, args: RedisCacheArgs): RedisPlan {
    const r = resolveRedis(name, args, {
      subnetCount: args.subnetIds.length,
      clientCidrs: args.clientCidrs ?? [],
      clientSecurityGroupLabels: Object.keys(args.clientSecurityGroupIds ?? {}),
      tags: args.tags,
    });
    if (!r.ok) throw new pulumi.ResourceError(`RedisCache "${name}": ${r.issues.join("; ")}`, this);
    return r.value;
  }
}
