import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { opensearchHttpsTls12 as rule } from "../../../../policy/rules/data/opensearch-https-tls12";
import { SEARCH_TYPES, searchDomain } from "./search-fixtures";

describe("opensearch-https-tls12", () => {
  for (const type of SEARCH_TYPES) {
    describe(type, () => {
      it("accepts enforced HTTPS with a TLS 1.2 minimum policy", () => {
        expect(checkResource(rule, type, searchDomain("dev"))).to.deep.equal([]);
        expect(checkResource(rule, type, searchDomain("dev", { domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" } }))).to.deep.equal([]);
      });

      it("rejects plaintext HTTP", () => {
        const out = checkResource(rule, type, searchDomain("dev", { domainEndpointOptions: { enforceHttps: false, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" } }), { name: "search" });
        expect(out).to.deep.equal(["domain search: set domainEndpointOptions.enforceHttps: true"]);
      });

      it("rejects a TLS 1.0 policy and an unset one", () => {
        expect(checkResource(rule, type, searchDomain("dev", { domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-0-2019-07" } }))[0]).to.match(/"Policy-Min-TLS-1-0-2019-07"; set a TLS 1.2 minimum/);
        expect(checkResource(rule, type, searchDomain("dev", { domainEndpointOptions: undefined }))).to.have.length(2);
      });

      it("does not report a policy unknown during preview", () => {
        expect(checkResourceDetailed(rule, type, searchDomain("dev", { domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: UNKNOWN } })).violations).to.deep.equal([]);
      });
    });
  }
});
