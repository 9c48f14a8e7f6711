import type { ResourceRule } from "../types";
import { ELASTICACHE_REPLICATION_GROUP } from "./support";

const APPLIES_TO: readonly string[] = [ELASTICACHE_REPLICATION_GROUP];

/** ElastiCache.2. Unset means AWS's default (on), so only an explicit opt-out is reported. */
export const elasticacheAutoMinorVersionUpgrade: ResourceRule = {
  name: "elasticache-auto-minor-version-upgrade",
  description: "ElastiCache replication groups must not turn off automatic minor version upgrades, so engine security fixes are applied in the maintenance window instead of waiting for someone to notice.",
  meta: { category: "security", domain: "data", appliesTo: APPLIES_TO, fsbp: "ElastiCache.2" },
  validateResource: (args, report) => {
    if (!APPLIES_TO.includes(args.type)) return;
    if (args.props.autoMinorVersionUpgrade === false) report(`replication group ${args.name}: autoMinorVersionUpgrade is false; remove it or set true`);
  },
};
