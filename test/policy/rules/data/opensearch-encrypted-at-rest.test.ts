import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { opensearchEncryptedAtRest as rule } from "../../../../policy/rules/data/opensearch-encrypted-at-rest";
import { SEARCH_TYPES, searchDomain } from "./search-fixtures";

describe("opensearch-encrypted-at-rest", () => {
  for (const type of SEARCH_TYPES) {
    describe(type, () => {
      it("accepts encryption at rest", () => {
        expect(checkResource(rule, type, searchDomain("dev"))).to.deep.equal([]);
      });

      it("rejects a domain without it", () => {
        expect(checkResource(rule, type, searchDomain("dev", { encryptAtRest: { enabled: false } }), { name: "search" })).to.deep.equal([
          "domain search: set encryptAtRest.enabled: true (with kmsKeyId for a customer key)",
        ]);
        expect(checkResource(rule, type, searchDomain("dev", { encryptAtRest: undefined }))).to.have.length(1);
      });

      it("does not report a flag unknown during preview", () => {
        expect(checkResourceDetailed(rule, type, searchDomain("dev", { encryptAtRest: { enabled: UNKNOWN } })).violations).to.deep.equal([]);
      });
    });
  }
});
