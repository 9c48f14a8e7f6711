import { expect } from "chai";
import fc from "fast-check";
import { DEFAULT_TIERS, planSubnets } from "../../components/network/cidrPlan";
import {
  NetworkPlanError, NetworkPlanInput, RouteTablePlan, defaultAvailabilityZoneIds, natAzIndexes, natFor, parseAzName, planDataNaclRules, planNetwork,
  resolveAvailabilityZone, validateNetworkInput,
} from "../../components/network/networkPlan";

const AZS = ["mes1-az1", "mes1-az2", "mes1-az3"];

function input(overrides: Partial<NetworkPlanInput> = {}): NetworkPlanInput {
  return {
    environment: "prod",
    cidr: "10.40.0.0/16",
    availabilityZoneIds: AZS,
    natStrategy: "perAz",
    flowLogs: { destination: "cloudwatch", retentionDays: 365 },
    adminCidrs: ["10.0.0.0/16"],
    transit: {
      routes: [{ cidr: "10.0.0.0/16", description: "management" }, { cidr: "172.16.0.0/12", description: "offices" }],
      propagationRouteTableIds: { management: "tgw-rtb-1", offices: "tgw-rtb-2" },
    },
    ...overrides,
  };
}

/** Asserts some problem starts with `field: ` (the argument it names). */
function expectProblem(i: NetworkPlanInput, field: string): void {
  const problems = validateNetworkInput(i);
  expect(problems.some((p) => p.startsWith(`${field}: `)), `no problem for ${field} in ${JSON.stringify(problems)}`).to.equal(true);
}

function table(tables: RouteTablePlan[], role: string): RouteTablePlan {
  const t = tables.find((x) => x.role === role);
  expect(t, `route table ${role}`).to.not.equal(undefined);
  return t!;
}

describe("networkPlan", () => {
  describe("validateNetworkInput", () => {
    it("accepts the prod network of DESIGN.md", () => {
      expect(validateNetworkInput(input())).to.deep.equal([]);
    });

    it("rejects no AZs and more than four", () => {
      expectProblem(input({ availabilityZoneIds: [] }), "availabilityZoneIds");
      expectProblem(input({ availabilityZoneIds: [...AZS, "mes1-az4", "mes1-az5"] }), "availabilityZoneIds");
    });

    it("rejects repeated AZs, AZs of two regions, unknown AZ IDs and AZ names", () => {
      expectProblem(input({ availabilityZoneIds: ["mes1-az1", "mes1-az1"] }), "availabilityZoneIds[1]");
      expectProblem(input({ availabilityZoneIds: ["mes1-az1", "mec1-az2"] }), "availabilityZoneIds");
      expectProblem(input({ availabilityZoneIds: ["mes1-az9"] }), "availabilityZoneIds[0]");
      expect(validateNetworkInput(input({ availabilityZoneIds: ["me-south-1a"] }))).to.include('availabilityZoneIds[0]: "me-south-1a" is not an AZ ID such as mes1-az1');
    });

    it("places subnets by AZ ID and keeps the AZ name's letter in logical names", () => {
      const plan = planNetwork(input({ availabilityZoneIds: ["mes1-az3", "mes1-az1", "mes1-az2"] }));
      expect(plan.azs).to.deep.equal([
        { index: 0, id: "mes1-az3", name: "me-south-1c", letter: "c" },
        { index: 1, id: "mes1-az1", name: "me-south-1a", letter: "a" },
        { index: 2, id: "mes1-az2", name: "me-south-1b", letter: "b" },
      ]);
      expect(plan.region).to.equal("me-south-1");
      expect(planNetwork(input({ availabilityZoneIds: ["mec1-az1", "mec1-az2"] })).region).to.equal("me-central-1");
    });

    it("defaults to the region's first zones by name, as AZ IDs", () => {
      expect(defaultAvailabilityZoneIds("me-south-1", 2)).to.deep.equal(["mes1-az1", "mes1-az2"]);
      expect(defaultAvailabilityZoneIds("me-central-1", 3)).to.deep.equal(["mec1-az1", "mec1-az2", "mec1-az3"]);
      expect(defaultAvailabilityZoneIds("eu-west-1", 3)).to.deep.equal([]);
      expect(resolveAvailabilityZone("mes1-az2")).to.deep.equal({ id: "mes1-az2", name: "me-south-1b", region: "me-south-1" });
      expect(resolveAvailabilityZone("use1-az1")).to.equal(undefined);
    });

    it("requires a public tier for NAT gateways", () => {
      const tiers = DEFAULT_TIERS.filter((t) => t.tier !== "public");
      expectProblem(input({ tiers, natStrategy: "single" }), "natStrategy");
      expect(validateNetworkInput(input({ tiers, natStrategy: "none" }))).to.deep.equal([]);
    });

    it("requires the transit tier for an attachment, and the app and data tiers always", () => {
      expectProblem(input({ tiers: DEFAULT_TIERS.filter((t) => t.tier !== "transit") }), "transit");
      expectProblem(input({ tiers: DEFAULT_TIERS.filter((t) => t.tier !== "data") }), "tiers");
    });

    it("rejects a tier it has no routing for", () => {
      expectProblem(input({ tiers: [...DEFAULT_TIERS, { tier: "dmz", prefixLength: 26, slot: 4 }] }), "tiers[4].tier");
    });

    it("accepts only CloudWatch's retention periods for a log group, any whole number of days for S3", () => {
      expectProblem(input({ flowLogs: { destination: "cloudwatch", retentionDays: 45 } }), "flowLogs.retentionDays");
      expect(validateNetworkInput(input({ flowLogs: { destination: "s3", retentionDays: 45 } }))).to.deep.equal([]);
      expectProblem(input({ flowLogs: { destination: "s3", retentionDays: 0 } }), "flowLogs.retentionDays");
    });

    it("rejects transit routes that are invalid, repeated, undocumented or inside the VPC", () => {
      const withRoutes = (routes: { cidr: string; description: string }[]): NetworkPlanInput =>
        input({ transit: { routes, propagationRouteTableIds: {} } });
      expectProblem(withRoutes([{ cidr: "10.0.0.1/16", description: "x" }]), "transit.routes[0].cidr");
      expectProblem(withRoutes([{ cidr: "10.0.0.0/16", description: "x" }, { cidr: "10.0.0.0/16", description: "y" }]), "transit.routes[1].cidr");
      expectProblem(withRoutes([{ cidr: "10.0.0.0/16", description: " " }]), "transit.routes[0].description");
      expectProblem(withRoutes([{ cidr: "10.40.8.0/24", description: "x" }]), "transit.routes[0].cidr");
    });

    it("accepts a transit route wider than the VPC, since the local route wins", () => {
      expect(validateNetworkInput(input({ transit: { routes: [{ cidr: "10.0.0.0/8", description: "all VPCs" }], propagationRouteTableIds: {} } }))).to.deep.equal([]);
    });

    it("allows a TGW default route only without NAT (centralised egress)", () => {
      const routes = [{ cidr: "0.0.0.0/0", description: "egress via hub" }];
      expectProblem(input({ transit: { routes, propagationRouteTableIds: {} } }), "transit.routes[0].cidr");
      expect(validateNetworkInput(input({ natStrategy: "none", transit: { routes, propagationRouteTableIds: {} } }))).to.deep.equal([]);
    });

    it("rejects propagation labels that cannot name a resource", () => {
      expectProblem(input({ transit: { routes: [], propagationRouteTableIds: { "Mgmt VPC": "x" } } }), "transit.propagationRouteTableIds.Mgmt VPC");
    });

    it("rejects invalid admin CIDRs and more than the data NACL's inbound quota", () => {
      expectProblem(input({ adminCidrs: ["10.0.0.0/33"] }), "adminCidrs[0]");
      const many = Array.from({ length: 14 }, (_, i) => `172.${16 + i}.0.0/16`);
      expectProblem(input({ adminCidrs: many }), "adminCidrs");
      expect(validateNetworkInput(input({ adminCidrs: many, dataTierNacl: false }))).to.deep.equal([]);
    });

    it("reports the planner's problems under the component's argument names", () => {
      expectProblem(input({ cidr: "10.40.0.0/12" }), "cidr");
      expectProblem(input({ cidr: "10.40.0.0/24" }), "tiers.app.prefixLength");
    });

    it("reports every problem at once", () => {
      expect(() => planNetwork(input({ environment: "Prod", natStrategy: "everywhere" as never, availabilityZoneIds: [] })))
        .to.throw(NetworkPlanError)
        .with.property("issues").that.satisfies((issues: string[]) =>
          ["environment: ", "natStrategy: ", "availabilityZoneIds: "].every((f) => issues.some((p) => p.startsWith(f))));
    });
  });

  describe("NAT placement", () => {
    it("puts one NAT in every AZ with perAz, one in the first with single, none with none", () => {
      expect(natAzIndexes("perAz", 3)).to.deep.equal([0, 1, 2]);
      expect(natAzIndexes("single", 3)).to.deep.equal([0]);
      expect(natAzIndexes("none", 3)).to.deep.equal([]);
    });

    it("sends each AZ to its own NAT with perAz and to the first with single", () => {
      expect([0, 1, 2].map((az) => natFor("perAz", az))).to.deep.equal([0, 1, 2]);
      expect([0, 1, 2].map((az) => natFor("single", az))).to.deep.equal([0, 0, 0]);
      expect(natFor("none", 1)).to.equal(undefined);
    });
  });

  describe("route plan", () => {
    it("has one public table, one app and one data table per AZ, and one transit table", () => {
      expect(planNetwork(input()).routeTables.map((t) => t.role)).to.deep.equal(
        ["public", "app-a", "app-b", "app-c", "data-a", "data-b", "data-c", "transit"]);
    });

    it("routes public to the internet gateway and app/data to the NAT of their own AZ", () => {
      const tables = planNetwork(input()).routeTables;
      expect(table(tables, "public").routes).to.deep.equal([{ key: "default", destination: "0.0.0.0/0", target: { kind: "internetGateway" } }]);
      for (const [role, az] of [["app-b", 1], ["data-c", 2]] as const) {
        expect(table(tables, role).routes.find((r) => r.key === "default")?.target).to.deep.equal({ kind: "natGateway", azIndex: az });
      }
    });

    it("routes every private table to the first AZ's NAT with single, and nowhere with none", () => {
      const single = planNetwork(input({ natStrategy: "single" })).routeTables.filter((t) => t.tier === "app" || t.tier === "data");
      expect(single.map((t) => t.routes.find((r) => r.key === "default")?.target)).to.deep.equal(single.map(() => ({ kind: "natGateway", azIndex: 0 })));
      const none = planNetwork(input({ natStrategy: "none" })).routeTables.filter((t) => t.tier === "app" || t.tier === "data");
      expect(none.flatMap((t) => t.routes).filter((r) => r.destination === "0.0.0.0/0")).to.deep.equal([]);
    });

    it("sends the transit routes to the TGW from app and data tables only", () => {
      const tables = planNetwork(input()).routeTables;
      const withTgw = tables.filter((t) => t.routes.some((r) => r.target.kind === "transitGateway")).map((t) => t.role);
      expect(withTgw).to.deep.equal(["app-a", "app-b", "app-c", "data-a", "data-b", "data-c"]);
      expect(table(tables, "app-a").routes.filter((r) => r.target.kind === "transitGateway").map((r) => r.key))
        .to.deep.equal(["tgw-10-0-0-0-16", "tgw-172-16-0-0-12"]);
      expect(table(tables, "transit").routes).to.deep.equal([]);
    });

    it("gives each subnet to exactly one table of its own tier", () => {
      const plan = planNetwork(input());
      const assigned = plan.routeTables.flatMap((t) => t.subnets.map((s) => ({ role: s.role, ok: s.tier === t.tier && (!t.az || t.az === s.az) })));
      expect(assigned.map((a) => a.role).sort()).to.deep.equal(plan.subnets.map((s) => s.role).sort());
      expect(assigned.every((a) => a.ok)).to.equal(true);
    });

    it("has no public table without a public tier", () => {
      const plan = planNetwork(input({ natStrategy: "none", tiers: DEFAULT_TIERS.filter((t) => t.tier !== "public") }));
      expect(plan.routeTables.map((t) => t.tier)).to.not.include("public");
      expect(plan.natAzs).to.deep.equal([]);
    });
  });

  describe("data tier NACL", () => {
    it("admits all traffic from app, data and admin CIDRs, TCP return traffic from anywhere, and allows all egress", () => {
      const plan = planNetwork(input());
      const cidrs = (tier: string): string[] => plan.subnets.filter((s) => s.tier === tier).map((s) => s.cidr);
      const inbound = plan.dataNaclRules!.filter((r) => !r.egress);
      expect(inbound.filter((r) => r.protocol === "-1").map((r) => r.cidr)).to.deep.equal([...cidrs("app"), ...cidrs("data"), "10.0.0.0/16"]);
      expect(inbound.filter((r) => r.protocol !== "-1").map(({ protocol, cidr, fromPort, toPort }) => ({ protocol, cidr, fromPort, toPort })))
        .to.deep.equal([{ protocol: "tcp", cidr: "0.0.0.0/0", fromPort: 1024, toPort: 65535 }]);
      expect(plan.dataNaclRules!.filter((r) => r.egress).map((r) => [r.protocol, r.cidr])).to.deep.equal([["-1", "0.0.0.0/0"]]);
    });

    it("uses distinct rule numbers per direction", () => {
      const rules = planNetwork(input()).dataNaclRules!;
      for (const egress of [true, false]) {
        const numbers = rules.filter((r) => r.egress === egress).map((r) => r.ruleNumber);
        expect(new Set(numbers).size).to.equal(numbers.length);
      }
    });

    it("keeps every existing rule unchanged when an AZ is added", () => {
      fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.array(fc.integer({ min: 16, max: 31 }), { maxLength: 6 }), (azCount, octets) => {
        const admin = [...new Set(octets)].map((o) => `172.${o}.0.0/16`);
        const rulesFor = (n: number): string[] => {
          const subnets = planSubnets("10.40.0.0/16", n).subnets.map((s) => ({
            tier: s.tier as "app", az: { index: s.azIndex, id: AZS[s.azIndex] ?? "mes1-az4", name: `me-south-1${"abcd"[s.azIndex]}`, letter: "abcd"[s.azIndex] }, cidr: s.cidr, role: s.tier,
          }));
          return planDataNaclRules(subnets, admin).map((r) => JSON.stringify({ ...r, reason: undefined }));
        };
        const after = new Set(rulesFor(azCount + 1));
        return rulesFor(azCount).every((r) => after.has(r));
      }), { numRuns: 100 });
    });

    it("is omitted when dataTierNacl is false", () => {
      expect(planNetwork(input({ dataTierNacl: false })).dataNaclRules).to.equal(undefined);
    });
  });

  describe("defaults", () => {
    it("reads the region from the AZ names for the gateway endpoints", () => {
      expect(parseAzName("me-south-1b")).to.deep.equal({ region: "me-south-1", letter: "b" });
      expect(planNetwork(input()).gatewayEndpoints.map((e) => e.serviceName)).to.deep.equal(["com.amazonaws.me-south-1.s3", "com.amazonaws.me-south-1.dynamodb"]);
    });

    it("records all traffic unless told otherwise", () => {
      expect(planNetwork(input()).flowLogs.trafficType).to.equal("ALL");
      expect(planNetwork(input({ flowLogs: { destination: "s3", retentionDays: 90, trafficType: "REJECT" } })).flowLogs.trafficType).to.equal("REJECT");
    });

    it("uses the default tiers and the planner's CIDRs", () => {
      const plan = planNetwork(input());
      expect(plan.subnets.map((s) => [s.tier, s.az.index, s.cidr])).to.deep.equal(
        planSubnets("10.40.0.0/16", 3).subnets.map((s) => [s.tier, s.azIndex, s.cidr]));
    });
  });
});
