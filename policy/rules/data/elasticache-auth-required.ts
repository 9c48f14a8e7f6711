import type { ResourceRule } from "../types";
import { ELASTICACHE_REPLICATION_GROUP, asArray, isSetOrPending } from "./support";

const APPLIES_TO: readonly string[] = [ELASTICACHE_REPLICATION_GROUP];

/** ElastiCache.6 asks this of Redis before 6.0 only; here every group needs AUTH or RBAC users. */
export const elasticacheAuthRequired: ResourceRule = {
  name: "elasticache-auth-required",
  description: "ElastiCache replication groups must authenticate clients with an AUTH token or RBAC user groups, so reaching the port is not enough to read or change the cache.",
  meta: { category: "security", domain: "data", appliesTo: APPLIES_TO, fsbp: "ElastiCache.6" },
  validateResource: (args, report) => {
    if (!APPLIES_TO.includes(args.type)) return;
    if (asArray(args.props.userGroupIds).length > 0) return;
    // A token generated in the same update is unknown at preview: it is still a token.
    if (isSetOrPending(args.props, "authToken") || isSetOrPending(args.props, "authTokenWo")) return;
    report(`replication group ${args.name} accepts unauthenticated clients: set authToken (from a generated secret) or userGroupIds`);
  },
};
