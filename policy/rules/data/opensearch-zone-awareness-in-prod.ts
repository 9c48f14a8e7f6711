import type { ResourceRule } from "../types";
import { SEARCH_DOMAINS, environmentOf, isHaEnvironment } from "./support";

export const MIN_HA_DATA_NODES = 3;

export const opensearchZoneAwarenessInProd: ResourceRule = {
  name: "opensearch-zone-awareness-in-prod",
  description: `OpenSearch (and Elasticsearch) domains of prod and preprod (Environment tag) must enable zone awareness with at least ${MIN_HA_DATA_NODES} data nodes, so every shard has a replica in another AZ and losing one AZ loses no data.`,
  meta: { category: "availability", domain: "data", appliesTo: SEARCH_DOMAINS, fsbp: "OpenSearch.6" },
  validateResource: (args, report) => {
    if (!SEARCH_DOMAINS.includes(args.type)) return;
    const env = environmentOf(args.props);
    if (!isHaEnvironment(env)) return;
    const cluster = args.props.clusterConfig;
    if (cluster?.zoneAwarenessEnabled !== true) report(`domain ${args.name} (${env}): set clusterConfig.zoneAwarenessEnabled: true`);
    const count: unknown = cluster?.instanceCount;
    if (typeof count !== "number" || count < MIN_HA_DATA_NODES) report(`domain ${args.name} (${env}): clusterConfig.instanceCount is ${count ?? "unset"}, needs at least ${MIN_HA_DATA_NODES} data nodes`);
  },
};
