import type { ResourceRule } from "../types";
import { ELASTICACHE_REPLICATION_GROUP, environmentOf, isHaEnvironment } from "./support";

const APPLIES_TO: readonly string[] = [ELASTICACHE_REPLICATION_GROUP];

/** Nodes per shard: `numCacheClusters` (cluster mode off) or one primary plus `replicasPerNodeGroup`. */
function nodesPerShard(props: Record<string, any>): number | undefined {
  const clusters: unknown = props.numCacheClusters;
  if (typeof clusters === "number") return clusters;
  const replicas: unknown = props.replicasPerNodeGroup;
  if (typeof replicas === "number") return 1 + replicas;
  return undefined;
}

export const elasticacheFailoverInProd: ResourceRule = {
  name: "elasticache-failover-in-prod",
  description: "ElastiCache replication groups of prod and preprod (Environment tag) must run at least 2 nodes with automatic failover and Multi-AZ, so losing the primary or its AZ promotes a replica in another AZ.",
  meta: { category: "availability", domain: "data", appliesTo: APPLIES_TO, fsbp: "ElastiCache.3" },
  validateResource: (args, report) => {
    if (!APPLIES_TO.includes(args.type)) return;
    const env = environmentOf(args.props);
    if (!isHaEnvironment(env)) return;
    const nodes = nodesPerShard(args.props);
    if (nodes === undefined || nodes < 2) report(`replication group ${args.name} (${env}) has ${nodes ?? "an unset number of"} node(s) per shard: a failover needs at least 2`);
    if (args.props.automaticFailoverEnabled !== true) report(`replication group ${args.name} (${env}): set automaticFailoverEnabled: true`);
    if (args.props.multiAzEnabled !== true) report(`replication group ${args.name} (${env}): set multiAzEnabled: true`);
  },
};
