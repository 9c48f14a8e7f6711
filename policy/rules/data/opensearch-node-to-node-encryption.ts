import type { ResourceRule } from "../types";
import { SEARCH_DOMAINS } from "./support";

export const opensearchNodeToNodeEncryption: ResourceRule = {
  name: "opensearch-node-to-node-encryption",
  description: "OpenSearch (and Elasticsearch) domains must enable node-to-node encryption, so shard replication and queries between nodes travel over TLS inside the VPC.",
  meta: { category: "security", domain: "data", appliesTo: SEARCH_DOMAINS, fsbp: "OpenSearch.3" },
  validateResource: (args, report) => {
    if (!SEARCH_DOMAINS.includes(args.type)) return;
    if (args.props.nodeToNodeEncryption?.enabled !== true) report(`domain ${args.name}: set nodeToNodeEncryption.enabled: true`);
  },
};
