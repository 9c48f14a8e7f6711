import type { ResourceRule } from "../types";
import { SEARCH_DOMAINS, asArray } from "./support";

export const opensearchInVpc: ResourceRule = {
  name: "opensearch-in-vpc",
  description: "OpenSearch (and Elasticsearch) domains must be placed in a VPC (vpcOptions.subnetIds), so the endpoint is private and reachable only through its security groups, never from the internet.",
  meta: { category: "security", domain: "data", appliesTo: SEARCH_DOMAINS, fsbp: "OpenSearch.2" },
  validateResource: (args, report) => {
    if (!SEARCH_DOMAINS.includes(args.type)) return;
    if (asArray(args.props.vpcOptions?.subnetIds).length === 0) report(`domain ${args.name} has a public endpoint: set vpcOptions.subnetIds (and securityGroupIds)`);
  },
};
