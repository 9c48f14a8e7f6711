import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { opensearchFineGrainedAccess as rule } from "../../../../policy/rules/data/opensearch-fine-grained-access";
import { SEARCH_TYPES, searchDomain } from "./search-fixtures";

describe("opensearch-fine-grained-access", () => {
  for (const type of SEARCH_TYPES) {
    describe(type, () => {
      it("accepts fine-grained access control without anonymous access", () => {
        expect(checkResource(rule, type, searchDomain("dev"))).to.deep.equal([]);
      });

      it("rejects a domain without fine-grained access control", () => {
        expect(checkResource(rule, type, searchDomain("dev", { advancedSecurityOptions: undefined }), { name: "search" })).to.deep.equal([
          "domain search: set advancedSecurityOptions.enabled: true",
        ]);
      });

      it("rejects anonymous access", () => {
        expect(checkResource(rule, type, searchDomain("dev", { advancedSecurityOptions: { enabled: true, anonymousAuthEnabled: true } }))[0]).to.match(/anonymousAuthEnabled/);
      });

      it("does not report a flag unknown during preview", () => {
        expect(checkResourceDetailed(rule, type, searchDomain("dev", { advancedSecurityOptions: { enabled: UNKNOWN } })).violations).to.deep.equal([]);
      });
    });
  }
});
