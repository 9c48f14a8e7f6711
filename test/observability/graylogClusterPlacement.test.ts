/**
 * Graylog's placement (components/observability/logging/graylogPlacement.ts): the spread, and the
 * property that decides config validation: for every node and AZ count, the verdict is exactly
 * "losing any one AZ leaves a Graylog node, a MongoDB majority and an OpenSearch masters majority",
 * checked against a brute-force count of what each lost AZ leaves.
 */
import { expect } from "chai";
import fc from "fast-check";
import { GRAYLOG_MONGODB_NODES, GRAYLOG_SEARCH_MASTERS, azLossProblems, isMajority, placeGraylog, spread, survivesAzLoss, survivorsAfterLosing } from "../../components/observability/logging/graylogPlacement";

describe("Graylog placement", () => {
  it("spreads nodes round-robin over the AZs in the network's order", () => {
    expect(spread(5, 3)).to.deep.equal([0, 1, 2, 0, 1]);
    expect(placeGraylog({ nodeCount: 3, azCount: 3 })).to.deep.equal({ graylog: [0, 1, 2], mongodb: [0, 1, 2], searchMasters: [0, 1, 2] });
  });

  it("survives any one AZ with 3 or 5 nodes over 3 AZs (the real management), and says why it does not over 2 or 1", () => {
    expect(survivesAzLoss({ nodeCount: 3, azCount: 3 })).to.equal(true);
    expect(survivesAzLoss({ nodeCount: 5, azCount: 3 })).to.equal(true);
    expect(azLossProblems({ nodeCount: 3, azCount: 2 })).to.deep.equal([
      "losing AZ 1 of 2 leaves 1 of 3 MongoDB members: no majority, no primary",
      "losing AZ 1 of 2 leaves 1 of 3 OpenSearch masters: no majority",
    ]);
    expect(azLossProblems({ nodeCount: 3, azCount: 1 })[0]).to.equal("losing AZ 1 of 1 leaves no Graylog node (of 3)");
  });

  it("refuses a count that is not a whole number, naming the field", () => {
    expect(() => placeGraylog({ nodeCount: 0, azCount: 3 })).to.throw("nodeCount: 0 must be a whole number of at least 1");
    expect(() => placeGraylog({ nodeCount: 3, azCount: 1.5 })).to.throw("azCount: 1.5");
  });

  it("property: the verdict equals a brute-force check of every lost AZ, for every node, member, master and AZ count", () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }),
      (nodeCount, azCount, mongodbNodes, searchMasters) => {
        const input = { nodeCount, azCount, mongodbNodes, searchMasters };
        const p = placeGraylog(input);
        let expected = true;
        for (let lost = 0; lost < azCount; lost++) {
          const left = (azs: readonly number[]): number => azs.filter((a) => a !== lost).length;
          if (left(p.graylog) < 1 || 2 * left(p.mongodb) <= mongodbNodes || 2 * left(p.searchMasters) <= searchMasters) expected = false;
        }
        expect(survivesAzLoss(input), JSON.stringify(input)).to.equal(expected);
        // Every part is placed in the network's AZs, and no AZ holds more than its share.
        for (const azs of [p.graylog, p.mongodb, p.searchMasters]) {
          expect(azs.every((a) => a >= 0 && a < azCount)).to.equal(true);
          const counts = Array.from({ length: azCount }, (_, az) => azs.filter((a) => a === az).length);
          expect(Math.max(...counts) - Math.min(...counts)).to.be.at.most(1);
        }
      }), { numRuns: 500 });
  });

  it("property: whenever it survives, losing any one AZ leaves >= 1 Graylog node and MongoDB and master majorities (default 3 and 3)", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 4 }), (nodeCount, azCount) => {
      const input = { nodeCount, azCount };
      if (!survivesAzLoss(input)) return;
      const p = placeGraylog(input);
      for (let lost = 0; lost < azCount; lost++) {
        const s = survivorsAfterLosing(p, lost);
        expect(s.graylog).to.be.at.least(1);
        expect(isMajority(s.mongodb, GRAYLOG_MONGODB_NODES)).to.equal(true);
        expect(isMajority(s.searchMasters, GRAYLOG_SEARCH_MASTERS)).to.equal(true);
      }
    }), { numRuns: 300 });
  });

  it("the property check can fail: a placement that piles every node into one AZ is caught", () => {
    const piled = { graylog: [0, 0, 0], mongodb: [0, 1, 2], searchMasters: [0, 1, 2] };
    expect(survivorsAfterLosing(piled, 0).graylog).to.equal(0);
  });
});
