import type { ResourceRule } from "../types";
import { SEARCH_DOMAINS, environmentOf, isHaEnvironment } from "./support";

export const MIN_MASTERS = 3;

/** OpenSearch.11: an odd number of at least three keeps a master quorum through one master's loss. */
export const opensearchDedicatedMastersInProd: ResourceRule = {
  name: "opensearch-dedicated-masters-in-prod",
  description: `OpenSearch (and Elasticsearch) domains of prod and preprod (Environment tag) must run at least ${MIN_MASTERS} dedicated master nodes, so cluster management survives a master's loss and heavy data-node load cannot stall elections.`,
  meta: { category: "availability", domain: "data", appliesTo: SEARCH_DOMAINS, fsbp: "OpenSearch.11" },
  validateResource: (args, report) => {
    if (!SEARCH_DOMAINS.includes(args.type)) return;
    const env = environmentOf(args.props);
    if (!isHaEnvironment(env)) return;
    const cluster = args.props.clusterConfig;
    if (cluster?.dedicatedMasterEnabled !== true) {
      report(`domain ${args.name} (${env}): set clusterConfig.dedicatedMasterEnabled: true with ${MIN_MASTERS} or 5 masters`);
      return;
    }
    const count: unknown = cluster.dedicatedMasterCount;
    if (typeof count !== "number" || count < MIN_MASTERS) report(`domain ${args.name} (${env}): clusterConfig.dedicatedMasterCount is ${count ?? "unset"}, needs at least ${MIN_MASTERS}`);
  },
};
