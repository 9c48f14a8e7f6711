/**
 * ElastiCache Redis replication group on the data subnets (docs/data-tier.md), cluster mode off.
 * Every per-environment decision is in `redisPlan.ts`; this class turns the plan into resources.
 *
 * Encryption in transit is `required` and clients authenticate as ElastiCache RBAC users, so the
 * group never accepts a plaintext or anonymous connection: each service in `serviceUsers` has its own
 * user and password secret, limited to the keys `<service>:*`; operators have `ops-admin`, whose
 * secret only the operator role reads; the group's `default` user is switched off. No custom parameter group: the
 * `default.redis7` settings (volatile-lru eviction, 10 ms slow-log threshold) suit a cache, and a
 * group with no overrides would only be one more resource to keep in step with the engine family.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Tags } from "../tags";
import { ManagedCredential } from "./credentials";
import { Owner, clientSecurityGroup, dataKey, logGroup, tagsFor } from "./managedResources";
import {
  AUTH_TOKEN_UPDATE_STRATEGY, REDIS_ADMIN_USER, REDIS_ENGINE_VERSION, REDIS_PARAMETER_GROUP, REDIS_PORT, RedisOptions, RedisPlan, redisAccessString, redisUserId, resolveRedis,
} from "./redisPlan";

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
  /** Customer-managed key for data at rest, snapshots and the users' secrets. @default a dedicated key with rotation on */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** Common tags (Environment, Owner, CostCenter, ManagedBy); `Service` and `Name` are set here. */
  readonly tags: Tags;
}

export class RedisCache extends pulumi.ComponentResource {
  /** Writes go here; it follows the primary across failovers. */
  readonly primaryEndpoint: pulumi.Output<string>;
  /** Spreads reads over the replicas. */
  readonly readerEndpoint: pulumi.Output<string>;
  readonly replicationGroupId: string;
  /**
   * The group's cache clusters, `<group>-001` to `<group>-00N` (cluster mode disabled): the CacheClusterId
   * dimension of the node metrics.
   */
  readonly memberClusterIds: readonly string[];
  readonly port: pulumi.Output<number>;
  readonly securityGroupId: pulumi.Output<string>;
  /** The operators' `ops-admin` user: `{username, password, engine, host, port}`. Never given to a service. */
  readonly adminSecretArn: pulumi.Output<string>;
  /** Each service in `serviceUsers`: its own user's secret `{username, password, engine, host, port}`. */
  readonly serviceSecretArns: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: RedisCacheArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:data:RedisCache", name, {}, opts);
    const plan = this.resolve(name, args);
    const owner: Owner = { name, parent: this, tags: args.tags };
    const parent = { parent: this };

    const keyArn = args.kmsKeyArn ?? dataKey(owner, `ElastiCache ${plan.replicationGroupId}: data at rest, snapshots, AUTH token`, plan.protect).arn;
    // Secrets record the address of the group their users belong to: resolved once the group exists.
    const [host, setHost] = pulumi.deferredOutput<string>();
    const userGroup = this.users(name, args, plan, keyArn, host);

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
      userGroupIds: [userGroup.group.userGroupId],
      authTokenUpdateStrategy: AUTH_TOKEN_UPDATE_STRATEGY,
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
    this.replicationGroupId = plan.replicationGroupId;
    this.memberClusterIds = Array.from({ length: plan.numCacheClusters }, (_, i) => `${plan.replicationGroupId}-${String(i + 1).padStart(3, "0")}`);
    this.securityGroupId = sg.id;
    this.adminSecretArn = userGroup.adminSecretArn;
    this.serviceSecretArns = userGroup.serviceSecretArns;
    this.registerOutputs({
      primaryEndpoint: this.primaryEndpoint,
      readerEndpoint: this.readerEndpoint,
      port: this.port,
      securityGroupId: this.securityGroupId,
      adminSecretArn: this.adminSecretArn,
      serviceSecretArns: this.serviceSecretArns,
      userGroupId: userGroup.group.userGroupId,
    });
  }

  /**
   * The RBAC users and their group: a `default` user that is off (every group must contain a user
   * named default, and ElastiCache's own one is on with every permission and no password), the
   * operators' admin, and one user per service. Passwords are ManagedCredentials, so each user's
   * secret is its own and a service's execution role can be given exactly one.
   */
  private users(name: string, args: RedisCacheArgs, plan: RedisPlan, keyArn: pulumi.Input<string>, host: pulumi.Output<string>): {
    group: aws.elasticache.UserGroup; adminSecretArn: pulumi.Output<string>; serviceSecretArns: Record<string, pulumi.Output<string>>;
  } {
    const owner: Owner = { name, parent: this, tags: args.tags };
    const parent = { parent: this };
    const user = (label: string, userName: string, accessString: string, password: pulumi.Output<string>): aws.elasticache.User =>
      new aws.elasticache.User(`${name}-user-${label}`, {
        userId: redisUserId(plan.replicationGroupId, label),
        userName,
        engine: "redis",
        accessString,
        authenticationMode: { type: "password", passwords: [password] },
        tags: tagsFor(owner, `user-${label}`),
      }, parent);
    const credential = (label: string, username: string, description: string): ManagedCredential =>
      new ManagedCredential(`${name}-${label}`, {
        environment: args.environment,
        target: "elasticache-user",
        username,
        kmsKeyArn: keyArn,
        description,
        connection: { host, port: REDIS_PORT },
        tags: args.tags,
      }, parent);

    // Off, so a client that sends no AUTH (or AUTH default) is refused; its password is never used
    // and lives in the state only.
    const disabledPassword = new random.RandomPassword(`${name}-default-password`, { length: 64, special: false }, parent);
    const users = [user("default", "default", "off -@all", pulumi.secret(disabledPassword.result))];
    const admin = credential("admin", REDIS_ADMIN_USER, `Operators' user of ElastiCache ${plan.replicationGroupId} (every key and command)`);
    users.push(user("admin", REDIS_ADMIN_USER, "on ~* +@all", admin.password));
    const serviceSecretArns: Record<string, pulumi.Output<string>> = {};
    for (const svc of plan.serviceUsers) {
      const c = credential(`svc-${svc}`, svc, `Service ${svc}'s user of ElastiCache ${plan.replicationGroupId} (keys ${svc}:*)`);
      users.push(user(`svc-${svc}`, svc, redisAccessString(svc), c.password));
      serviceSecretArns[svc] = c.secretArn;
    }
    const group = new aws.elasticache.UserGroup(`${name}-users`, {
      userGroupId: `${plan.replicationGroupId}-users`,
      engine: "redis",
      userIds: users.map((u) => u.userId),
      tags: tagsFor(owner, "users"),
    }, parent);
    return { group, adminSecretArn: admin.secretArn, serviceSecretArns };
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
