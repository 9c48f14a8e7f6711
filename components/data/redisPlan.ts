/**
 * ElastiCache Redis: per-environment defaults (`redisDefaults`) and the checked plan
 * (`resolveRedis`) that `RedisCache` turns into resources. Pure and tested directly.
 */
import { AccessShape, BACKUP_WINDOW, DataEnvironment, LOG_RETENTION_DAYS, MAINTENANCE_WINDOW, Resolved, commonIssues, identifierIssues, intIssue, isHaEnvironment } from "./managedDefaults";

/**
 * Redis OSS 7.1, the last Redis OSS line ElastiCache offers. The issue asks for Redis; Valkey is
 * the cheaper successor, and ElastiCache upgrades a Redis 7 group to Valkey in place (same
 * endpoints, no downtime, one way), so that choice stays open without a rebuild.
 */
export const REDIS_ENGINE_VERSION = "7.1";
export const REDIS_PARAMETER_GROUP = "default.redis7";
export const REDIS_PORT = 6379;
export const MIN_PROD_SNAPSHOT_RETENTION_DAYS = 7;

/**
 * Clients authenticate as ElastiCache RBAC users (Redis 6.0 and later), one per service, each limited
 * by its access string to its own key prefix; the group has no AUTH token. `DELETE` is the
 * ModifyReplicationGroup strategy that moves a group created with an AUTH token to its user group
 * (the provider sends it with the group to add); it is not used when a group is created.
 */
export const AUTH_TOKEN_UPDATE_STRATEGY = "DELETE";
/** Operators' user: every key, every command. Its secret is readable by the operator role only. */
export const REDIS_ADMIN_USER = "ops-admin";

/**
 * A service's access string: on, keys under `<service>:` only, every command except the
 * @dangerous category (FLUSHALL, KEYS, CONFIG, DEBUG, ...). No `&` channel pattern, so no pub/sub
 * channels (Redis 7 resets channel permissions by default).
 */
export function redisAccessString(service: string): string {
  return `on ~${service}:* +@all -@dangerous`;
}

/** RBAC user ids are `[a-z][a-z0-9-]*` and unique per account and region: prefixed with the group id. */
export function redisUserId(replicationGroupId: string, user: string): string {
  return `${replicationGroupId}-${user}`;
}

export interface RedisOptions {
  /** Selects the defaults (`redisDefaults`) and the rules prod and preprod must keep. */
  readonly environment: DataEnvironment;
  /** Replication group id, at most 40 characters. @default the component name */
  readonly replicationGroupId?: string;
  /** Cost: every node bills; prod runs three. @default cache.r7g.large in prod/preprod, cache.t4g.small elsewhere */
  readonly nodeType?: string;
  /** Primary plus replicas, 1 to 6; at least 2 in prod/preprod (Multi-AZ needs a replica). @default 3 prod, 2 preprod, 1 stage/dev */
  readonly numCacheClusters?: number;
  /** Daily snapshot days, 0 to 35; at least 7 in prod, 1 in preprod. @default 7 prod, 3 preprod, 1 stage/dev */
  readonly snapshotRetentionDays?: number;
  /** Services that get their own RBAC user and password secret, limited to keys `<service>:*`. @default [] */
  readonly serviceUsers?: readonly string[];
}

export interface RedisDefaults {
  readonly nodeType: string;
  readonly numCacheClusters: number;
  readonly snapshotRetentionDays: number;
  readonly finalSnapshot: boolean;
  readonly protect: boolean;
  readonly applyImmediately: boolean;
  readonly logRetentionDays: number;
  readonly snapshotWindow: string;
  readonly maintenanceWindow: string;
}

const REDIS_NODES: Readonly<Record<DataEnvironment, number>> = { prod: 3, preprod: 2, stage: 1, dev: 1 };
const REDIS_SNAPSHOT_DAYS: Readonly<Record<DataEnvironment, number>> = { prod: 7, preprod: 3, stage: 1, dev: 1 };

export function redisDefaults(env: DataEnvironment): RedisDefaults {
  const ha = isHaEnvironment(env);
  return {
    nodeType: ha ? "cache.r7g.large" : "cache.t4g.small",
    numCacheClusters: REDIS_NODES[env],
    snapshotRetentionDays: REDIS_SNAPSHOT_DAYS[env],
    finalSnapshot: ha,
    protect: env === "prod",
    applyImmediately: !ha,
    logRetentionDays: LOG_RETENTION_DAYS[env],
    snapshotWindow: BACKUP_WINDOW,
    maintenanceWindow: MAINTENANCE_WINDOW,
  };
}

export interface RedisPlan extends RedisDefaults {
  readonly replicationGroupId: string;
  /** Multi-AZ and automatic failover go together, and only with a replica to fail over to. */
  readonly automaticFailover: boolean;
  readonly multiAz: boolean;
  readonly serviceUsers: readonly string[];
}

export function resolveRedis(name: string, options: RedisOptions, access: AccessShape): Resolved<RedisPlan> {
  const env = options.environment;
  const issues = commonIssues(env, access, 2, "replicas are placed in other AZs");
  if (issues.some((i) => i.startsWith("environment:"))) return { ok: false, issues };
  const d = redisDefaults(env);
  const nodes = options.numCacheClusters ?? d.numCacheClusters;
  const plan: RedisPlan = {
    ...d,
    nodeType: options.nodeType ?? d.nodeType,
    numCacheClusters: nodes,
    snapshotRetentionDays: options.snapshotRetentionDays ?? d.snapshotRetentionDays,
    replicationGroupId: options.replicationGroupId ?? name,
    automaticFailover: nodes >= 2,
    multiAz: nodes >= 2,
    serviceUsers: [...(options.serviceUsers ?? [])],
  };
  issues.push(...identifierIssues("replicationGroupId", plan.replicationGroupId, 40));
  if (!/^cache\.[a-z0-9-]+\.[a-z0-9]+$/.test(plan.nodeType)) issues.push(`nodeType: "${plan.nodeType}" is not an ElastiCache node type`);
  issues.push(...intIssue("numCacheClusters", nodes, 1, 6));
  const seen = new Set<string>();
  plan.serviceUsers.forEach((svc, i) => {
    if (!/^[a-z][a-z0-9-]{0,27}$/.test(svc) || svc === REDIS_ADMIN_USER || svc === "default") {
      issues.push(`serviceUsers[${i}]: "${svc}" must be 1-28 lower-case letters, digits and dashes, starting with a letter, and neither ${REDIS_ADMIN_USER} nor default`);
    }
    if (seen.has(svc)) issues.push(`serviceUsers[${i}]: "${svc}" is listed twice`);
    seen.add(svc);
  });
  if (isHaEnvironment(env) && nodes < 2) issues.push(`numCacheClusters: ${env} needs at least 2 nodes for Multi-AZ with automatic failover, got ${nodes}`);
  issues.push(...intIssue("snapshotRetentionDays", plan.snapshotRetentionDays, 0, 35));
  if (env === "prod" && plan.snapshotRetentionDays < MIN_PROD_SNAPSHOT_RETENTION_DAYS) {
    issues.push(`snapshotRetentionDays: prod keeps at least ${MIN_PROD_SNAPSHOT_RETENTION_DAYS} days of snapshots, got ${plan.snapshotRetentionDays}`);
  } else if (env === "preprod" && plan.snapshotRetentionDays < 1) {
    issues.push("snapshotRetentionDays: preprod keeps at least 1 day of snapshots");
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: plan };
}

