import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { opensearchZoneAwarenessInProd as rule } from "../../../../policy/rules/data/opensearch-zone-awareness-in-prod";
import { SEARCH_TYPES, searchDomain } from "./search-fixtures";

const cluster = (over: Record<string, unknown>) => ({ clusterConfig: { ...(searchDomain().clusterConfig as object), ...over } });

describe("opensearch-zone-awareness-in-prod", () => {
  for (const type of SEARCH_TYPES) {
    describe(type, () => {
      it("accepts zone awareness with 3 data nodes in prod and preprod", () => {
        expect(checkResource(rule, type, searchDomain("prod"))).to.deep.equal([]);
        expect(checkResource(rule, type, searchDomain("preprod"))).to.deep.equal([]);
      });

      it("rejects a prod domain without zone awareness or with too few data nodes", () => {
        expect(checkResource(rule, type, searchDomain("prod", cluster({ zoneAwarenessEnabled: false })), { name: "search" })).to.deep.equal([
          "domain search (prod): set clusterConfig.zoneAwarenessEnabled: true",
        ]);
        expect(checkResource(rule, type, searchDomain("preprod", cluster({ instanceCount: 2 })))[0]).to.match(/instanceCount is 2, needs at least 3/);
      });

      it("leaves dev and stage alone", () => {
        expect(checkResource(rule, type, searchDomain("dev", cluster({ zoneAwarenessEnabled: false, instanceCount: 1 })))).to.deep.equal([]);
      });

      it("does not report a count unknown during preview", () => {
        expect(checkResourceDetailed(rule, type, searchDomain("prod", cluster({ instanceCount: UNKNOWN }))).violations).to.deep.equal([]);
      });
    });
  }
});
