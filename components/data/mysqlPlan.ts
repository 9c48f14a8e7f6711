/**
 * RDS MySQL: per-environment defaults (`mysqlDefaults`) and the checked plan (`resolveMySql`) that
 * `MySqlDatabase` turns into resources. Pure and tested directly.
 */
import { usernameIssues } from "./credentialPolicy";
import { AccessShape, BACKUP_WINDOW, DataEnvironment, LOG_RETENTION_DAYS, MAINTENANCE_WINDOW, Resolved, commonIssues, identifierIssues, intIssue, isHaEnvironment } from "./managedDefaults";

/**
 * MySQL 8.4 (the LTS line, in RDS standard support; 8.0 left it and bills Extended Support), with
 * `autoMinorVersionUpgrade` rather than a pinned minor: RDS applies minor upgrades in the
 * maintenance window, and a pinned `8.4.x` would then read as drift and plan a downgrade that RDS
 * refuses; RDS also retires old minors, so a pin eventually stops creating new environments. The
 * provider treats `8.4` as a prefix and reports the running minor as `engineVersionActual`. The
 * upgrade of an existing 8.0 instance is a major version upgrade: docs/data-tier.md, "MySQL 8.4".
 */
export const MYSQL_ENGINE_VERSION = "8.4";
export const MYSQL_PARAMETER_FAMILY = "mysql8.4";
export const MYSQL_PORT = 3306;
/** The issue's floor for prod backups (point-in-time recovery window). */
export const MIN_PROD_BACKUP_RETENTION_DAYS = 14;

/** Server settings every database gets (all dynamic, so they apply without a reboot). */
export const MYSQL_PARAMETERS: Readonly<Record<string, string>> = {
  character_set_server: "utf8mb4",
  collation_server: "utf8mb4_0900_ai_ci",
  slow_query_log: "1",
  long_query_time: "1",
  require_secure_transport: "1",
  // The CloudWatch export reads the slow log from a file, never from mysql.slow_log.
  log_output: "FILE",
};

/** Prefix of every per-service MySQL user; the provisioner manages (and drops) only users with it. */
export const SERVICE_USER_PREFIX = "svc_";

/** A service's MySQL user and schema: `checkout-api` -> `svc_checkout_api` on schema `checkout_api`. */
export function mysqlServiceAccess(service: string): { readonly user: string; readonly database: string } {
  const base = service.replace(/-/g, "_");
  return { user: `${SERVICE_USER_PREFIX}${base}`, database: base };
}

/** Problems with the services given their own users (names become MySQL identifiers of at most 32 characters). */
export function serviceUserIssues(services: readonly string[], databaseName?: string): string[] {
  const issues: string[] = [];
  const seen = new Set<string>();
  services.forEach((s, i) => {
    if (!/^[a-z][a-z0-9-]{0,27}$/.test(s)) issues.push(`serviceUsers[${i}]: "${s}" must be 1-28 lower-case letters, digits and dashes, starting with a letter`);
    const { database } = mysqlServiceAccess(s);
    if (seen.has(database)) issues.push(`serviceUsers[${i}]: "${s}" maps to schema ${database} like another service`);
    if (database === databaseName) issues.push(`serviceUsers[${i}]: "${s}" would share the initial schema ${databaseName}`);
    seen.add(database);
  });
  return issues;
}

/** What a caller may override; everything else follows the environment. */
export interface MySqlOptions {
  /** Selects the defaults (`mysqlDefaults`) and the rules prod and preprod must keep. */
  readonly environment: DataEnvironment;
  /** RDS identifier; also names the subnet and parameter groups and the log groups. @default the component name */
  readonly identifier?: string;
  /** Cost: db.r7g.large lists at roughly 3-4x db.t4g.medium, and Multi-AZ doubles either. @default mysqlDefaults(environment).instanceClass */
  readonly instanceClass?: string;
  /** gp3 storage at creation, 20 to 65536 GiB. @default mysqlDefaults(environment).allocatedStorageGiB */
  readonly allocatedStorageGiB?: number;
  /** Storage autoscaling ceiling; at least 10% above allocatedStorageGiB. @default mysqlDefaults(environment).maxAllocatedStorageGiB */
  readonly maxAllocatedStorageGiB?: number;
  /** A standby in a second AZ; required in prod and preprod. @default true in prod/preprod, false elsewhere */
  readonly multiAz?: boolean;
  /** Automated backup (PITR) days, 1 to 35; at least 14 in prod. @default 30 prod, 14 preprod, 7 stage and dev (7 is the FSBP RDS.11 floor) */
  readonly backupRetentionDays?: number;
  /** Required in prod and preprod. @default true in prod/preprod, false elsewhere */
  readonly deletionProtection?: boolean;
  /** Master user name, 1-16 letters or digits starting with a letter. @default "dbadmin" */
  readonly masterUsername?: string;
  /** Initial schema created with the instance. @default none */
  readonly databaseName?: string;
  /**
   * Services that get their own IAM-authenticated user, limited to their own schema (see
   * mysqlServiceAccess); created by the provisioning function at deploy time. @default []
   */
  readonly serviceUsers?: readonly string[];
}

export interface MySqlDefaults {
  readonly instanceClass: string;
  readonly allocatedStorageGiB: number;
  readonly maxAllocatedStorageGiB: number;
  readonly multiAz: boolean;
  readonly backupRetentionDays: number;
  readonly deletionProtection: boolean;
  /** Keep a final snapshot (and the automated backups) when the instance is deleted. */
  readonly finalSnapshot: boolean;
  /** Pulumi `protect`: `pulumi destroy` refuses until it is lifted in code. */
  readonly protect: boolean;
  /** false in prod/preprod: changes wait for the maintenance window. */
  readonly applyImmediately: boolean;
  readonly performanceInsightsRetentionDays: number;
  readonly monitoringIntervalSeconds: number;
  readonly logRetentionDays: number;
  readonly backupWindow: string;
  readonly maintenanceWindow: string;
}

const MYSQL_BACKUP_DAYS: Readonly<Record<DataEnvironment, number>> = { prod: 30, preprod: 14, stage: 7, dev: 7 };

export function mysqlDefaults(env: DataEnvironment): MySqlDefaults {
  const ha = isHaEnvironment(env);
  return {
    instanceClass: ha ? "db.r7g.large" : "db.t4g.medium",
    allocatedStorageGiB: ha ? 100 : 20,
    maxAllocatedStorageGiB: ha ? 1000 : 100,
    multiAz: ha,
    backupRetentionDays: MYSQL_BACKUP_DAYS[env],
    deletionProtection: ha,
    finalSnapshot: ha,
    protect: env === "prod",
    applyImmediately: !ha,
    performanceInsightsRetentionDays: 7,
    monitoringIntervalSeconds: 60,
    logRetentionDays: LOG_RETENTION_DAYS[env],
    backupWindow: BACKUP_WINDOW,
    maintenanceWindow: MAINTENANCE_WINDOW,
  };
}

export interface MySqlPlan extends MySqlDefaults {
  readonly identifier: string;
  readonly masterUsername: string;
  readonly databaseName?: string;
  readonly serviceUsers: readonly string[];
}

/** Performance Insights is not offered on these sizes for RDS for MySQL. */
const NO_PERFORMANCE_INSIGHTS = /^db\.t[234]g?\.(micro|small)$/;

export function resolveMySql(name: string, options: MySqlOptions, access: AccessShape): Resolved<MySqlPlan> {
  const env = options.environment;
  const issues = commonIssues(env, access, 2, "an RDS subnet group spans at least two AZs");
  if (issues.some((i) => i.startsWith("environment:"))) return { ok: false, issues };
  const d = mysqlDefaults(env);
  const ha = isHaEnvironment(env);
  const plan: MySqlPlan = {
    ...d,
    instanceClass: options.instanceClass ?? d.instanceClass,
    allocatedStorageGiB: options.allocatedStorageGiB ?? d.allocatedStorageGiB,
    maxAllocatedStorageGiB: options.maxAllocatedStorageGiB ?? d.maxAllocatedStorageGiB,
    multiAz: options.multiAz ?? d.multiAz,
    backupRetentionDays: options.backupRetentionDays ?? d.backupRetentionDays,
    deletionProtection: options.deletionProtection ?? d.deletionProtection,
    identifier: options.identifier ?? name,
    masterUsername: options.masterUsername ?? "dbadmin",
    databaseName: options.databaseName,
    serviceUsers: [...(options.serviceUsers ?? [])],
  };
  issues.push(...identifierIssues("identifier", plan.identifier, 63));
  if (!/^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(plan.instanceClass)) issues.push(`instanceClass: "${plan.instanceClass}" is not an RDS instance class`);
  else if (NO_PERFORMANCE_INSIGHTS.test(plan.instanceClass)) issues.push(`instanceClass: "${plan.instanceClass}" has no Performance Insights; use db.t4g.medium or larger`);
  issues.push(...intIssue("allocatedStorageGiB", plan.allocatedStorageGiB, 20, 65536));
  issues.push(...intIssue("maxAllocatedStorageGiB", plan.maxAllocatedStorageGiB, 22, 65536));
  if (plan.maxAllocatedStorageGiB < plan.allocatedStorageGiB * 1.1) {
    issues.push(`maxAllocatedStorageGiB: ${plan.maxAllocatedStorageGiB} must be at least 10% above allocatedStorageGiB (${plan.allocatedStorageGiB})`);
  }
  issues.push(...intIssue("backupRetentionDays", plan.backupRetentionDays, 1, 35));
  if (env === "prod" && plan.backupRetentionDays < MIN_PROD_BACKUP_RETENTION_DAYS) {
    issues.push(`backupRetentionDays: prod keeps at least ${MIN_PROD_BACKUP_RETENTION_DAYS} days of backups, got ${plan.backupRetentionDays}`);
  }
  if (ha && !plan.multiAz) issues.push(`multiAz: ${env} databases must be Multi-AZ`);
  if (ha && !plan.deletionProtection) issues.push(`deletionProtection: ${env} databases must have deletion protection`);
  issues.push(...usernameIssues("rds-mysql", plan.masterUsername, "masterUsername"));
  issues.push(...serviceUserIssues(options.serviceUsers ?? [], plan.databaseName));
  if (plan.databaseName !== undefined && !/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(plan.databaseName)) {
    issues.push(`databaseName: "${plan.databaseName}" must be 1-64 letters, digits or underscores, starting with a letter`);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: plan };
}

