import type { ResourceRule } from "../types";
import { RDS_INSTANCE, environmentOf } from "./support";

const APPLIES_TO: readonly string[] = [RDS_INSTANCE];

/** RDS.11's floor everywhere; prod keeps two weeks of point-in-time recovery. */
export const MIN_BACKUP_RETENTION_DAYS = 7;
export const MIN_PROD_BACKUP_RETENTION_DAYS = 14;

/** Availability: backups are how data comes back after loss (FSBP files RDS.11 under Recover > Resilience). */
export const rdsBackupRetention: ResourceRule = {
  name: "rds-backup-retention",
  description: `RDS instances must keep automated backups for at least ${MIN_BACKUP_RETENTION_DAYS} days (${MIN_PROD_BACKUP_RETENTION_DAYS} in prod), so a deleted or corrupted database can be restored to a point in time.`,
  meta: { category: "availability", domain: "data", appliesTo: APPLIES_TO, fsbp: "RDS.11" },
  validateResource: (args, report) => {
    if (!APPLIES_TO.includes(args.type)) return;
    const env = environmentOf(args.props);
    const min = env === "prod" ? MIN_PROD_BACKUP_RETENTION_DAYS : MIN_BACKUP_RETENTION_DAYS;
    const days: unknown = args.props.backupRetentionPeriod;
    if (typeof days !== "number" || days < min) {
      report(`RDS instance ${args.name}${env ? ` (${env})` : ""}: backupRetentionPeriod is ${days ?? "unset"}, needs at least ${min} days`);
    }
  },
};
