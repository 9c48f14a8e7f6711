import { expect } from "chai";
import fc from "fast-check";
import { IPv4, IPv4CidrRange, IPv4Prefix } from "ip-num";
import {
  CidrPlanError, DEFAULT_TIERS, MAX_AZS, SUBNET_TIERS, TierSpec, SubnetPlan,
  cidrContains, cidrProblem, cidrsOverlap, findOverlaps, isValidCidr, parseCidr, planSubnets,
} from "../../components/network/cidrPlan";

const RUNS = { numRuns: 200 };

/** The address plan of DESIGN.md section 3. */
const DESIGN_ADDRESS_PLAN = Object.entries({
  management: "10.0.0.0/16", dev: "10.10.0.0/16", stage: "10.20.0.0/16", preprod: "10.30.0.0/16", prod: "10.40.0.0/16",
  "office-riyadh": "172.16.0.0/16", "office-jeddah": "172.17.0.0/16", "office-overseas": "172.18.0.0/16",
}).map(([label, cidr]) => ({ label, cidr }));

/** CIDRs per tier, in AZ order; keys in slot order. */
function byTier(plan: SubnetPlan): Record<string, string[]> {
  const tiers: Record<string, string[]> = {};
  for (const s of plan.subnets) (tiers[s.tier] ??= []).push(s.cidr);
  return tiers;
}

function expectPlanError(plan: () => unknown, message: string): void {
  expect(plan).to.throw(CidrPlanError).with.property("issues").that.includes(message);
}

/** The network CIDR of `prefix` that holds `address`. */
function networkCidr(address: number, prefix: number): string {
  const range = new IPv4CidrRange(IPv4.fromNumber(address), IPv4Prefix.fromNumber(BigInt(prefix)));
  return `${range.getFirst().toString()}/${prefix}`;
}

const arbVpc = fc
  .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 16, max: 20 }))
  .map(([address, prefix]) => ({ cidr: networkCidr(address, prefix), prefix }));

/**
 * Standard tiers plus up to two new ones with higher, possibly gapped, slots. Each tier's block is
 * at most half the VPC: a block of the whole VPC (prefix + 2) can never fit beside another tier.
 */
function arbTiers(vpcPrefix: number): fc.Arbitrary<TierSpec[]> {
  const arbPrefix = fc.integer({ min: vpcPrefix + 3, max: 28 });
  const standard = fc.tuple(...SUBNET_TIERS.map(() => arbPrefix));
  const extras = fc.array(fc.tuple(arbPrefix, fc.integer({ min: 1, max: 3 })), { maxLength: 2 });
  return fc.tuple(standard, extras).map(([prefixes, added]) => {
    const tiers: TierSpec[] = SUBNET_TIERS.map((tier, slot) => ({ tier, prefixLength: prefixes[slot], slot }));
    let slot = SUBNET_TIERS.length - 1;
    added.forEach(([prefixLength, gap], i) => tiers.push({ tier: `extra-${i}`, prefixLength, slot: (slot += gap) }));
    return tiers;
  });
}

const arbPlanInput = arbVpc.chain((vpc) =>
  fc.record({ vpc: fc.constant(vpc), tiers: arbTiers(vpc.prefix), azCount: fc.integer({ min: 1, max: MAX_AZS }) }),
);

/** Runs the planner, or undefined when the random tiers legitimately do not fit the VPC. */
function tryPlan(vpcCidr: string, azCount: number, tiers: readonly TierSpec[]) {
  try {
    return planSubnets(vpcCidr, azCount, tiers);
  } catch (err) {
    if (err instanceof CidrPlanError && /needs \d+ addresses/.test(err.message)) return undefined;
    throw err;
  }
}

function reservedAddresses(tiers: readonly TierSpec[]): bigint {
  return tiers.reduce((sum, t) => sum + (BigInt(MAX_AZS) << BigInt(32 - t.prefixLength)), 0n);
}

describe("cidrPlan", () => {
  describe("parseCidr", () => {
    it("gives the first address, prefix, size and last address", () => {
      expect(parseCidr("10.40.0.0/16")).to.deep.equal({ network: 0x0a280000n, prefix: 16, size: 65536n, last: 0x0a28ffffn });
    });

    it("names the field when the CIDR is invalid", () => {
      expect(() => parseCidr("10.0.0.0/33", "network.cidr")).to.throw(CidrPlanError, 'network.cidr: "10.0.0.0/33" is not a valid IPv4 CIDR');
    });

    it("rejects host bits and says what the network address should be", () => {
      expect(() => parseCidr("10.0.0.1/16", "network.cidr")).to.throw(
        'network.cidr: "10.0.0.1/16" has host bits set; the network address should be 10.0.0.0/16',
      );
    });
  });

  describe("isValidCidr", () => {
    for (const cidr of ["10.0.0.0/16", "172.16.0.0/12", "0.0.0.0/0", "10.40.4.16/28", "192.168.1.1/32"]) {
      it(`accepts ${cidr}`, () => expect(isValidCidr(cidr)).to.equal(true));
    }
    for (const cidr of ["", "10.0.0.0", "10.0.0.0/33", "10.0.0.0/016", "256.0.0.0/8", "10.0.0/8", " 10.0.0.0/16", "10.0.0.1/16", "::/0"]) {
      it(`rejects ${JSON.stringify(cidr)}`, () => expect(isValidCidr(cidr)).to.equal(false));
    }

    it("explains the problem through cidrProblem for config validation", () => {
      expect(cidrProblem("offices.riyadh.cidr", "172.16.0.0/16")).to.equal(undefined);
      expect(cidrProblem("offices.riyadh.cidr", "172.16.0.0")).to.equal('offices.riyadh.cidr: "172.16.0.0" is not a valid IPv4 CIDR');
    });
  });

  describe("cidrsOverlap and cidrContains", () => {
    it("treats nested and identical blocks as overlapping, in either order", () => {
      expect(cidrsOverlap("172.16.0.0/12", "172.17.0.0/16")).to.equal(true);
      expect(cidrsOverlap("172.17.0.0/16", "172.16.0.0/12")).to.equal(true);
      expect(cidrsOverlap("10.10.0.0/16", "10.10.0.0/16")).to.equal(true);
    });

    it("does not treat adjacent blocks as overlapping", () => {
      expect(cidrsOverlap("10.10.0.0/16", "10.11.0.0/16")).to.equal(false);
      expect(cidrsOverlap("10.40.4.0/28", "10.40.4.16/28")).to.equal(false);
    });

    it("contains an inner block and itself but not a larger or partly outside one", () => {
      expect(cidrContains("10.40.0.0/16", "10.40.128.0/19")).to.equal(true);
      expect(cidrContains("10.40.0.0/16", "10.40.0.0/16")).to.equal(true);
      expect(cidrContains("10.40.128.0/19", "10.40.0.0/16")).to.equal(false);
      expect(cidrContains("10.40.0.0/16", "10.41.0.0/24")).to.equal(false);
    });

    it("throws on an invalid CIDR rather than answering", () => {
      expect(() => cidrsOverlap("10.0.0.0/16", "nope")).to.throw(CidrPlanError, '"nope" is not a valid IPv4 CIDR');
    });
  });

  describe("findOverlaps", () => {
    it("finds no clash in the address plan of the design", () => {
      expect(findOverlaps(DESIGN_ADDRESS_PLAN)).to.deep.equal([]);
    });

    it("reports every overlapping pair in input order", () => {
      const entries = [...DESIGN_ADDRESS_PLAN, { label: "office-new", cidr: "172.16.0.0/12" }, { label: "stage-copy", cidr: "10.20.0.0/16" }];
      expect(findOverlaps(entries)).to.deep.equal([
        { a: "stage", b: "stage-copy" },
        { a: "office-riyadh", b: "office-new" },
        { a: "office-jeddah", b: "office-new" },
        { a: "office-overseas", b: "office-new" },
      ]);
    });

    it("reports every invalid CIDR by its label", () => {
      const bad = [{ label: "dev.network.cidr", cidr: "10.10.0.0/33" }, { label: "prod.network.cidr", cidr: "10.40.0.1/16" }];
      expect(() => findOverlaps(bad)).to.throw(CidrPlanError).with.property("issues").that.has.length(2);
    });
  });

  describe("planSubnets", () => {
    it("plans the default tiers of a /16 across 3 AZs", () => {
      const plan = planSubnets("10.40.0.0/16", 3);
      expect(plan.vpcCidr).to.equal("10.40.0.0/16");
      expect(byTier(plan)).to.deep.equal({
        public: ["10.40.0.0/24", "10.40.1.0/24", "10.40.2.0/24"],
        app: ["10.40.128.0/19", "10.40.160.0/19", "10.40.192.0/19"],
        data: ["10.40.32.0/21", "10.40.40.0/21", "10.40.48.0/21"],
        transit: ["10.40.4.0/28", "10.40.4.16/28", "10.40.4.32/28"],
      });
    });

    it("gives a fourth AZ the room reserved for it", () => {
      const plan = planSubnets("10.40.0.0/16", 4);
      expect(Object.values(byTier(plan)).map((cidrs) => cidrs[3])).to.deep.equal(["10.40.3.0/24", "10.40.224.0/19", "10.40.56.0/21", "10.40.4.48/28"]);
    });

    it("keeps the 2-AZ subnets when a third AZ is added", () => {
      expect(planSubnets("10.10.0.0/16", 3).subnets).to.deep.include.members(planSubnets("10.10.0.0/16", 2).subnets);
    });

    it("places a new tier in free space without moving the default tiers", () => {
      const tiers = [...DEFAULT_TIERS, { tier: "endpoints", prefixLength: 24, slot: 4 }];
      const plan = planSubnets("10.40.0.0/16", 3, tiers);
      expect(plan.subnets).to.deep.include.members(planSubnets("10.40.0.0/16", 3).subnets);
      expect(byTier(plan).endpoints).to.deep.equal(["10.40.8.0/24", "10.40.9.0/24", "10.40.10.0/24"]);
    });

    it("orders subnets by slot, whatever order the tiers are given in", () => {
      const plan = planSubnets("10.40.0.0/16", 2, [...DEFAULT_TIERS].reverse());
      expect(plan.subnets.map((s) => s.tier)).to.deep.equal(["public", "public", "app", "app", "data", "data", "transit", "transit"]);
    });
  });

  describe("planSubnets errors", () => {
    const custom = (tier: string, prefixLength: number, slot: number): TierSpec => ({ tier, prefixLength, slot });
    const rejects = (what: string, args: Parameters<typeof planSubnets>, message: string) =>
      it(`rejects ${what}`, () => expectPlanError(() => planSubnets(...args), message));
    const VPC = "10.0.0.0/16";

    rejects("an invalid VPC CIDR", ["10.0.0.0/33", 3], 'network.cidr: "10.0.0.0/33" is not a valid IPv4 CIDR');
    rejects("host bits in the VPC CIDR", ["10.0.0.1/16", 3],
      'network.cidr: "10.0.0.1/16" has host bits set; the network address should be 10.0.0.0/16');
    rejects("a VPC larger than AWS allows", ["10.0.0.0/8", 3], "network.cidr: AWS VPCs must be /16 to /28 (got /8)");
    rejects("more AZs than reserved", [VPC, 5], "network.azCount: must be between 1 and 4 (got 5)");
    rejects("no AZs", [VPC, 0], "network.azCount: must be between 1 and 4 (got 0)");
    rejects("a fractional AZ count", [VPC, 2.5], "network.azCount: must be a whole number (got 2.5)");
    rejects("a tier larger than the VPC", [VPC, 3, [custom("app", 14, 1)]], "network.tiers.app.prefixLength: /14 is larger than the VPC /16");
    rejects("a subnet smaller than AWS allows", [VPC, 3, [custom("transit", 29, 3)]],
      "network.tiers.transit.prefixLength: /29 is smaller than /28, the smallest subnet AWS allows");
    rejects("a nonsense prefix", [VPC, 3, [custom("app", 40, 1)]], "network.tiers.app.prefixLength: must be a whole number from 0 to 32 (got 40)");
    rejects("a tier whose room for 4 AZs exceeds the VPC", [VPC, 3, [custom("app", 17, 1)]],
      "network.tiers.app.prefixLength: /17 reserves a /15 (room for 4 AZs), which is larger than the VPC /16");
    rejects("tiers that together do not fit", ["10.10.0.0/17", 3],
      "network.tiers: the subnet plan needs 42048 addresses (public 4 x /24 + app 4 x /19 + data 4 x /21 + transit 4 x /28) but the VPC 10.10.0.0/17 has only 32768");
    rejects("a tier listed twice", [VPC, 3, [...DEFAULT_TIERS, custom("app", 19, 1)]], 'network.tiers.app: tier "app" is listed more than once');
    rejects("two new tiers on one slot", [VPC, 3, [custom("edge", 24, 4), custom("mesh", 24, 4)]],
      'network.tiers.mesh.slot: slot 4 is already used by tier "edge"');
    rejects("a standard tier off its fixed slot", [VPC, 3, [custom("data", 21, 5)]],
      'network.tiers.data.slot: tier "data" has the fixed slot 2 (got 5); moving it would renumber subnets');
    rejects("a new tier on a reserved slot", [VPC, 3, [custom("edge", 24, 0)]],
      "network.tiers.edge.slot: slots 0-3 belong to public, app, data, transit; a new tier takes slot 4 or higher (got 0)");
    rejects("a tier name unfit for resource names", [VPC, 3, [custom("App Tier", 19, 4)]],
      'network.tiers[0].tier: "App Tier" is not a valid tier name (lowercase letters, digits, hyphens)');
    rejects("no tiers", [VPC, 3, []], "network.tiers: at least one tier is required");

    it("reports every problem at once", () => {
      expect(() => planSubnets("10.0.0.1/16", 7, [custom("edge", 30, 1)]))
        .to.throw(CidrPlanError)
        .with.property("issues")
        .that.has.length(4);
    });
  });

  describe("planSubnets properties", () => {
    it("never plans two overlapping subnets", () => {
      fc.assert(
        fc.property(arbPlanInput, ({ vpc, tiers, azCount }) => {
          const plan = tryPlan(vpc.cidr, azCount, tiers);
          fc.pre(plan !== undefined);
          const ranges = plan!.subnets.map((s) => parseCidr(s.cidr)).sort((a, b) => (a.network < b.network ? -1 : 1));
          ranges.slice(1).forEach((r, i) => expect(r.network > ranges[i].last).to.equal(true));
        }),
        RUNS,
      );
    });

    it("plans every subnet inside the VPC, at its tier's size", () => {
      fc.assert(
        fc.property(arbPlanInput, ({ vpc, tiers, azCount }) => {
          const plan = tryPlan(vpc.cidr, azCount, tiers);
          fc.pre(plan !== undefined);
          expect(plan!.subnets).to.have.length(tiers.length * azCount);
          for (const s of plan!.subnets) {
            expect(cidrContains(vpc.cidr, s.cidr), s.cidr).to.equal(true);
            expect(s.cidr).to.match(new RegExp(`/${tiers.find((t) => t.tier === s.tier)!.prefixLength}$`));
          }
        }),
        RUNS,
      );
    });

    it("keeps every subnet when an AZ is added", () => {
      fc.assert(
        fc.property(arbPlanInput, ({ vpc, tiers, azCount }) => {
          fc.pre(azCount < MAX_AZS);
          const before = tryPlan(vpc.cidr, azCount, tiers);
          fc.pre(before !== undefined);
          const after = planSubnets(vpc.cidr, azCount + 1, tiers).subnets;
          expect(after.filter((s) => s.azIndex < azCount)).to.deep.equal(before!.subnets);
        }),
        RUNS,
      );
    });

    it("keeps every subnet when a tier with a higher slot is added", () => {
      const input = arbPlanInput.chain((p) => fc.record({ p: fc.constant(p), keep: fc.integer({ min: 1, max: p.tiers.length - 1 }) }));
      fc.assert(
        fc.property(input, ({ p: { vpc, tiers, azCount }, keep }) => {
          const grown = tryPlan(vpc.cidr, azCount, tiers.slice(0, keep + 1));
          fc.pre(grown !== undefined);
          const before = planSubnets(vpc.cidr, azCount, tiers.slice(0, keep)).subnets;
          expect(grown!.subnets.filter((s) => s.tier !== tiers[keep].tier)).to.deep.equal(before);
        }),
        RUNS,
      );
    });

    it("fits the tiers whenever their reserved blocks add up to no more than the VPC", () => {
      fc.assert(
        fc.property(arbPlanInput, ({ vpc, tiers, azCount }) => {
          fc.pre(reservedAddresses(tiers) <= parseCidr(vpc.cidr).size);
          expect(planSubnets(vpc.cidr, azCount, tiers).subnets).to.have.length(tiers.length * azCount);
        }),
        RUNS,
      );
    });
  });

  describe("overlap properties", () => {
    // A small address space, so that random blocks often overlap or nest.
    const arbCidr = fc
      .tuple(fc.integer({ min: 0x0a000000, max: 0x0a03ffff }), fc.integer({ min: 12, max: 24 }))
      .map(([address, prefix]) => networkCidr(address, prefix));

    it("agrees with ip-num on overlap and containment", () => {
      fc.assert(
        fc.property(arbCidr, arbCidr, (a, b) => {
          const [ra, rb] = [IPv4CidrRange.fromCidr(a), IPv4CidrRange.fromCidr(b)];
          expect(cidrsOverlap(a, b)).to.equal(ra.isOverlapping(rb));
          expect(cidrContains(a, b)).to.equal(ra.contains(rb));
        }),
        RUNS,
      );
    });

    it("makes findOverlaps report exactly the pairs cidrsOverlap reports, in either order", () => {
      fc.assert(
        fc.property(fc.array(arbCidr, { minLength: 2, maxLength: 6 }), (cidrs) => {
          const entries = cidrs.map((cidr, i) => ({ label: `e${i}`, cidr }));
          const expected = entries.flatMap((x, i) =>
            entries.slice(i + 1).flatMap((y) => {
              expect(cidrsOverlap(y.cidr, x.cidr)).to.equal(cidrsOverlap(x.cidr, y.cidr));
              return cidrsOverlap(x.cidr, y.cidr) ? [{ a: x.label, b: y.label }] : [];
            }),
          );
          expect(findOverlaps(entries)).to.deep.equal(expected);
          expect(findOverlaps([...entries].reverse())).to.have.length(expected.length);
        }),
        RUNS,
      );
    });
  });
});
