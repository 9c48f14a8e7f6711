import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { opensearchInVpc as rule } from "../../../../policy/rules/data/opensearch-in-vpc";
import { SEARCH_TYPES, searchDomain } from "./search-fixtures";

describe("opensearch-in-vpc", () => {
  for (const type of SEARCH_TYPES) {
    describe(type, () => {
      it("accepts a domain in VPC subnets", () => {
        expect(checkResource(rule, type, searchDomain("dev"))).to.deep.equal([]);
      });

      it("rejects a public domain", () => {
        expect(checkResource(rule, type, searchDomain("dev", { vpcOptions: undefined }), { name: "search" })).to.deep.equal([
          "domain search has a public endpoint: set vpcOptions.subnetIds (and securityGroupIds)",
        ]);
        expect(checkResource(rule, type, searchDomain("dev", { vpcOptions: { subnetIds: [] } }))).to.have.length(1);
      });

      it("does not report subnets unknown during preview", () => {
        expect(checkResourceDetailed(rule, type, searchDomain("dev", { vpcOptions: { subnetIds: UNKNOWN } })).violations).to.deep.equal([]);
      });
    });
  }
});
