import type { ResourceRule } from "../types";
import { SEARCH_DOMAINS } from "./support";

export const opensearchFineGrainedAccess: ResourceRule = {
  name: "opensearch-fine-grained-access",
  description: "OpenSearch (and Elasticsearch) domains must enable fine-grained access control without anonymous access, so every request is authenticated and authorised per index, document and field.",
  meta: { category: "security", domain: "data", appliesTo: SEARCH_DOMAINS, fsbp: "OpenSearch.7" },
  validateResource: (args, report) => {
    if (!SEARCH_DOMAINS.includes(args.type)) return;
    const security = args.props.advancedSecurityOptions;
    if (security?.enabled !== true) report(`domain ${args.name}: set advancedSecurityOptions.enabled: true`);
    else if (security.anonymousAuthEnabled === true) report(`domain ${args.name}: advancedSecurityOptions.anonymousAuthEnabled lets unauthenticated requests in; set it to false`);
  },
};
