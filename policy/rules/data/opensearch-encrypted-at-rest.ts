import type { ResourceRule } from "../types";
import { SEARCH_DOMAINS } from "./support";

export const opensearchEncryptedAtRest: ResourceRule = {
  name: "opensearch-encrypted-at-rest",
  description: "OpenSearch (and Elasticsearch) domains must enable encryption at rest, so indices, logs, swap and automated snapshots are encrypted with KMS.",
  meta: { category: "security", domain: "data", appliesTo: SEARCH_DOMAINS, fsbp: "OpenSearch.1" },
  validateResource: (args, report) => {
    if (!SEARCH_DOMAINS.includes(args.type)) return;
    if (args.props.encryptAtRest?.enabled !== true) report(`domain ${args.name}: set encryptAtRest.enabled: true (with kmsKeyId for a customer key)`);
  },
};
