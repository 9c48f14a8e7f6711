import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { opensearchNodeToNodeEncryption as rule } from "../../../../policy/rules/data/opensearch-node-to-node-encryption";
import { SEARCH_TYPES, searchDomain } from "./search-fixtures";

describe("opensearch-node-to-node-encryption", () => {
  for (const type of SEARCH_TYPES) {
    describe(type, () => {
      it("accepts node-to-node encryption", () => {
        expect(checkResource(rule, type, searchDomain("dev"))).to.deep.equal([]);
      });

      it("rejects a domain without it", () => {
        expect(checkResource(rule, type, searchDomain("dev", { nodeToNodeEncryption: { enabled: false } }), { name: "search" })).to.deep.equal([
          "domain search: set nodeToNodeEncryption.enabled: true",
        ]);
        expect(checkResource(rule, type, searchDomain("dev", { nodeToNodeEncryption: undefined }))).to.have.length(1);
      });

      it("does not report a flag unknown during preview", () => {
        expect(checkResourceDetailed(rule, type, searchDomain("dev", { nodeToNodeEncryption: UNKNOWN })).violations).to.deep.equal([]);
      });
    });
  }
});
