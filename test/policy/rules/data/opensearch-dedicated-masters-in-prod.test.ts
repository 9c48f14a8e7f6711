import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { opensearchDedicatedMastersInProd as rule } from "../../../../policy/rules/data/opensearch-dedicated-masters-in-prod";
import { SEARCH_TYPES, searchDomain } from "./search-fixtures";

const cluster = (over: Record<string, unknown>) => ({ clusterConfig: { ...(searchDomain().clusterConfig as object), ...over } });

describe("opensearch-dedicated-masters-in-prod", () => {
  for (const type of SEARCH_TYPES) {
    describe(type, () => {
      it("accepts 3 dedicated masters in prod and preprod", () => {
        expect(checkResource(rule, type, searchDomain("prod"))).to.deep.equal([]);
        expect(checkResource(rule, type, searchDomain("preprod", cluster({ dedicatedMasterCount: 5 })))).to.deep.equal([]);
      });

      it("rejects a prod domain without dedicated masters", () => {
        expect(checkResource(rule, type, searchDomain("prod", cluster({ dedicatedMasterEnabled: false })), { name: "search" })).to.deep.equal([
          "domain search (prod): set clusterConfig.dedicatedMasterEnabled: true with 3 or 5 masters",
        ]);
      });

      it("rejects fewer than 3 masters", () => {
        expect(checkResource(rule, type, searchDomain("preprod", cluster({ dedicatedMasterCount: 2 })))[0]).to.match(/dedicatedMasterCount is 2, needs at least 3/);
      });

      it("leaves dev and stage alone", () => {
        expect(checkResource(rule, type, searchDomain("stage", cluster({ dedicatedMasterEnabled: false })))).to.deep.equal([]);
      });

      it("does not report a count unknown during preview", () => {
        expect(checkResourceDetailed(rule, type, searchDomain("prod", cluster({ dedicatedMasterCount: UNKNOWN }))).violations).to.deep.equal([]);
      });
    });
  }
});
