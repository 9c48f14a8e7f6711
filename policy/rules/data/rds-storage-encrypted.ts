import type { ResourceRule } from "../types";
import { RDS_INSTANCE } from "./support";

const APPLIES_TO: readonly string[] = [RDS_INSTANCE];

/** RDS.3; snapshots and automated backups of an encrypted instance are encrypted too (RDS.4). */
export const rdsStorageEncrypted: ResourceRule = {
  name: "rds-storage-encrypted",
  description: "RDS instances must set storageEncrypted: true, so the database, its automated backups and snapshots are encrypted at rest (it cannot be turned on after creation).",
  meta: { category: "security", domain: "data", appliesTo: APPLIES_TO, fsbp: "RDS.3" },
  validateResource: (args, report) => {
    if (!APPLIES_TO.includes(args.type)) return;
    if (args.props.storageEncrypted !== true) report(`RDS instance ${args.name}: storageEncrypted is not true (set it, with kmsKeyId for a customer key)`);
  },
};
