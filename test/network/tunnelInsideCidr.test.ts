import { expect } from "chai";
import { createHash } from "crypto";
import * as fc from "fast-check";
import { cidrContains, cidrsOverlap } from "../../components/network/cidrPlan";
import {
  RESERVED_INSIDE_CIDRS,
  TUNNEL_INSIDE_RANGE,
  isUsableInsideCidr,
  officeInsideCidrBlock,
  planTunnelInsideCidrs,
  tunnelInsideCidr,
} from "../../components/network/officeVpnPlan";

const officeName = fc.stringMatching(/^[a-z][a-z0-9-]{0,31}$/);

function fourTunnels(office: string): string[] {
  return ([0, 1] as const).flatMap((slot) => ([1, 2] as const).map((t) => tunnelInsideCidr(office, slot, t)));
}

describe("tunnel inside CIDRs", () => {
  it("gives an office four distinct /30s inside 169.254.0.0/16, none AWS-reserved", () => {
    fc.assert(
      fc.property(officeName, (office) => {
        const cidrs = fourTunnels(office);
        expect(new Set(cidrs).size).to.equal(4);
        for (const c of cidrs) {
          expect(isUsableInsideCidr(c), c).to.equal(true);
          expect(cidrContains(TUNNEL_INSIDE_RANGE, c)).to.equal(true);
          expect(RESERVED_INSIDE_CIDRS.some((r) => cidrsOverlap(r, c)), c).to.equal(false);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("keeps all four tunnels inside the office's own /28", () => {
    fc.assert(
      fc.property(officeName, (office) => {
        const block = officeInsideCidrBlock(office);
        expect(block).to.match(/\/28$/);
        for (const c of fourTunnels(office)) expect(cidrContains(block, c)).to.equal(true);
      }),
      { numRuns: 100 },
    );
  });

  it("is deterministic: the same office always gets the same CIDRs", () => {
    expect(fourTunnels("riyadh")).to.deep.equal(fourTunnels("riyadh"));
  });

  it("gives the planned offices (riyadh, jeddah, london) disjoint blocks", () => {
    const blocks = ["riyadh", "jeddah", "london"].map(officeInsideCidrBlock);
    expect(cidrsOverlap(blocks[0], blocks[1]) || cidrsOverlap(blocks[0], blocks[2]) || cidrsOverlap(blocks[1], blocks[2])).to.equal(false);
  });

  it("steps past a block that contains a reserved /30 to the next one", () => {
    // Same hash as the planner, to find names that land on a reserved block before probing.
    const rawBlock = (office: string): number => createHash("sha256").update(`tila-vpn-inside|${office}`).digest().readUInt32BE(0) % 4096;
    const reserved = new Map([[0, "169.254.0.16/28"], [16, "169.254.1.16/28"], [2719, "169.254.170.0/28"]]);
    let found = 0;
    for (let i = 0; found < 2 && i < 100000; i++) {
      const moved = reserved.get(rawBlock(`office${i}`));
      if (moved === undefined) continue;
      expect(officeInsideCidrBlock(`office${i}`)).to.equal(moved);
      found++;
    }
    expect(found).to.equal(2);
  });

  it("rejects reserved, wrongly sized or out-of-range CIDRs as unusable", () => {
    expect(isUsableInsideCidr("169.254.169.252/30")).to.equal(false);
    expect(isUsableInsideCidr("169.254.10.0/29")).to.equal(false);
    expect(isUsableInsideCidr("10.0.0.0/30")).to.equal(false);
    expect(isUsableInsideCidr("169.254.10.4/30")).to.equal(true);
  });

  it("assigns device slots by sorted name, not list order", () => {
    const a = planTunnelInsideCidrs("riyadh", ["fw-b", "fw-a"]);
    expect(a["fw-a"]).to.deep.equal([tunnelInsideCidr("riyadh", 0, 1), tunnelInsideCidr("riyadh", 0, 2)]);
    expect(a["fw-b"]).to.deep.equal([tunnelInsideCidr("riyadh", 1, 1), tunnelInsideCidr("riyadh", 1, 2)]);
  });
});
