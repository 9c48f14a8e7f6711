import type { ResourceRule } from "../types";
import { ELASTICACHE_REPLICATION_GROUP, environmentOf, isHaEnvironment } from "./support";

const APPLIES_TO: readonly string[] = [ELASTICACHE_REPLICATION_GROUP];

export const elasticacheSnapshotsInProd: ResourceRule = {
  name: "elasticache-snapshots-in-prod",
  description: "ElastiCache replication groups of prod and preprod (Environment tag) must keep daily snapshots (snapshotRetentionLimit of 1 day or more), so the cache can be rebuilt after a failure takes every node.",
  meta: { category: "availability", domain: "data", appliesTo: APPLIES_TO, fsbp: "ElastiCache.1" },
  validateResource: (args, report) => {
    if (!APPLIES_TO.includes(args.type)) return;
    const env = environmentOf(args.props);
    if (!isHaEnvironment(env)) return;
    const days: unknown = args.props.snapshotRetentionLimit;
    if (typeof days !== "number" || days < 1) report(`replication group ${args.name} (${env}): snapshotRetentionLimit is ${days ?? "unset"}; keep at least 1 day of snapshots`);
  },
};
