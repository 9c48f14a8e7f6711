import type { ResourceRule } from "../types";
import { ELASTICACHE_REPLICATION_GROUP } from "./support";

const APPLIES_TO: readonly string[] = [ELASTICACHE_REPLICATION_GROUP];

export const elasticacheEncryptedAtRest: ResourceRule = {
  name: "elasticache-encrypted-at-rest",
  description: "ElastiCache replication groups must enable encryption at rest, so cached data, swap and snapshots are encrypted (it cannot be turned on after creation).",
  meta: { category: "security", domain: "data", appliesTo: APPLIES_TO, fsbp: "ElastiCache.4" },
  validateResource: (args, report) => {
    if (!APPLIES_TO.includes(args.type)) return;
    if (args.props.atRestEncryptionEnabled !== true) report(`replication group ${args.name}: set atRestEncryptionEnabled: true (with kmsKeyId for a customer key)`);
  },
};
