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
 * How a changed AUTH token is applied (never used at create). `ROTATE` adds the new token while the
 * old one keeps working, so clients re-read the secret without an outage; a later apply with `SET`
 * (the ModifyReplicationGroup API allows it only after a `ROTATE`) retires the old token. The
 * common advice to use `SET` (terraform-provider-aws #33439) is for adding a first token to a
 * passwordless group, where `ROTATE` keeps accepting unauthenticated clients; these groups never
 * exist without a token.
 */
export type AuthTokenUpdateStrategy = "ROTATE" | "SET";

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
  /** See AuthTokenUpdateStrategy: `SET` for one apply finishes a rotation. @default "ROTATE" */
  readonly authTokenUpdateStrategy?: AuthTokenUpdateStrategy;
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
  readonly authTokenUpdateStrategy: AuthTokenUpdateStrategy;
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
    authTokenUpdateStrategy: options.authTokenUpdateStrategy ?? "ROTATE",
  };
  issues.push(...identifierIssues("replicationGroupId", plan.replicationGroupId, 40));
  if (!/^cache\.[a-z0-9-]+\.[a-z0-9]+$/.test(plan.nodeType)) issues.push(`nodeType: "${plan.nodeType}" is not an ElastiCache node type`);
  issues.push(...intIssue("numCacheClusters", nodes, 1, 6));
  if (!["ROTATE", "SET"].includes(plan.authTokenUpdateStrategy)) issues.push(`authTokenUpdateStrategy: must be "ROTATE" or "SET", got "${plan.authTokenUpdateStrategy}"`);
  if (isHaEnvironment(env) && nodes < 2) issues.push(`numCacheClusters: ${env} needs at least 2 nodes for Multi-AZ with automatic failover, got ${nodes}`);
  issues.push(...intIssue("snapshotRetentionDays", plan.snapshotRetentionDays, 0, 35));
  if (env === "prod" && plan.snapshotRetentionDays < MIN_PROD_SNAPSHOT_RETENTION_DAYS) {
    issues.push(`snapshotRetentionDays: prod keeps at least ${MIN_PROD_SNAPSHOT_RETENTION_DAYS} days of snapshots, got ${plan.snapshotRetentionDays}`);
  } else if (env === "preprod" && plan.snapshotRetentionDays < 1) {
    issues.push("snapshotRetentionDays: preprod keeps at least 1 day of snapshots");
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: plan };
}

