import type { ResourceRule } from "../types";
import { SEARCH_DOMAINS } from "./support";

/** `Policy-Min-TLS-1-2-2019-07`, `Policy-Min-TLS-1-2-PFS-2023-10` and any later minimum; not `...-TLS-1-0-...`. */
const TLS12_OR_LATER = /^Policy-Min-TLS-1-[2-9]-/;

export const opensearchHttpsTls12: ResourceRule = {
  name: "opensearch-https-tls12",
  description: "OpenSearch (and Elasticsearch) domains must enforce HTTPS with a TLS 1.2 minimum security policy, so no client can talk to the domain in plaintext or over deprecated TLS 1.0/1.1.",
  meta: { category: "security", domain: "data", appliesTo: SEARCH_DOMAINS, fsbp: "OpenSearch.8" },
  validateResource: (args, report) => {
    if (!SEARCH_DOMAINS.includes(args.type)) return;
    const endpoint = args.props.domainEndpointOptions;
    if (endpoint?.enforceHttps !== true) report(`domain ${args.name}: set domainEndpointOptions.enforceHttps: true`);
    const policy: unknown = endpoint?.tlsSecurityPolicy;
    if (typeof policy !== "string" || !TLS12_OR_LATER.test(policy)) {
      report(`domain ${args.name}: domainEndpointOptions.tlsSecurityPolicy is ${JSON.stringify(policy ?? null)}; set a TLS 1.2 minimum such as "Policy-Min-TLS-1-2-PFS-2023-10"`);
    }
  },
};
