import { expect } from "chai";
import { analyzeReachability, canReach, flow, ReachabilityReport } from "../../offline/reachability";
import * as path from "path";
import type { StackRun } from "../../offline/engine";
import { ENVIRONMENTS } from "../../config/schema";
import { MANAGEMENT_OUTPUT_KEYS } from "../../stacks/shared";
import { ofType } from "../support/graph";
import { engineWithRealManagement, realStacks } from "../support/realStacks";

const OFFICES: Record<string, string[]> = {
  riyadh: ["dev", "stage", "preprod"],
  jeddah: ["dev", "stage", "preprod"],
  london: ["dev"],
};

describe("the platform network (all five real stacks)", () => {
  let stacks: Record<string, StackRun>;
  let report: ReachabilityReport;

  before(async () => {
    stacks = await realStacks();
    report = analyzeReachability(Object.fromEntries(Object.entries(stacks).map(([k, v]) => [k, v.resources])));
  });

  describe("isolation", () => {
    for (const from of ENVIRONMENTS) {
      for (const to of ENVIRONMENTS) {
        if (from === to) continue;
        it(`blocks ${from} from reaching ${to}`, () => {
          const f = flow(report, from, to);
          expect(f.allowed, f.path.join(" | ")).to.equal(false);
        });
      }
    }

    it("lets every environment reach management and management reach it back", () => {
      for (const env of ENVIRONMENTS) {
        expect(canReach(report, env, "management"), env).to.equal(true);
        expect(flow(report, "management", env).allowed, `management -> ${env}`).to.equal(true);
      }
    });

    for (const [office, allowed] of Object.entries(OFFICES)) {
      it(`lets the ${office} office reach exactly ${allowed.join(", ")} (and management)`, () => {
        const reached = ENVIRONMENTS.filter((e) => canReach(report, office, e));
        expect(reached).to.deep.equal(allowed);
        for (const env of ENVIRONMENTS.filter((e) => !allowed.includes(e))) {
          expect(flow(report, office, env).allowed, `${office} -> ${env} one-way`).to.equal(false);
          expect(flow(report, env, office).allowed, `${env} -> ${office} one-way`).to.equal(false);
        }
        expect(canReach(report, office, "management")).to.equal(true);
      });
    }

    it("keeps prod unreachable from every office by default", () => {
      for (const office of Object.keys(OFFICES)) expect(flow(report, office, "prod").allowed, office).to.equal(false);
    });

    it("keeps offices from reaching each other through the hub", () => {
      expect(canReach(report, "riyadh", "jeddah")).to.equal(false);
      expect(canReach(report, "london", "riyadh")).to.equal(false);
    });
  });

  describe("transit gateway", () => {
    it("disables default route table association and propagation", () => {
      const [tgw] = ofType(stacks.management!, "aws:ec2transitgateway/transitGateway:TransitGateway");
      expect(tgw!.inputs).to.include({ defaultRouteTableAssociation: "disable", defaultRouteTablePropagation: "disable" });
    });

    it("blackholes every other environment's CIDR in each environment's table", () => {
      const mgmt = stacks.management!;
      const tables = ofType(mgmt, "aws:ec2transitgateway/routeTable:RouteTable");
      const routes = ofType(mgmt, "aws:ec2transitgateway/route:Route");
      for (const env of ENVIRONMENTS) {
        const table = tables.find((t) => (t.inputs.tags as Record<string, string>).Name?.endsWith(`-${env}`) || (t.inputs.tags as Record<string, string>).Segment === env);
        expect(table, `table for ${env}`).to.not.equal(undefined);
        const holes = routes.filter((r) => r.inputs.transitGatewayRouteTableId === table!.id && r.inputs.blackhole === true).map((r) => r.inputs.destinationCidrBlock);
        const others = ENVIRONMENTS.filter((e) => e !== env).map((e) => stacks[e]!.config.config["tila-platform:network"] && JSON.parse(stacks[e]!.config.config["tila-platform:network"]!).cidr);
        expect(holes.sort()).to.deep.equal(others.sort());
      }
    });

    it("shares the transit gateway with every foreign environment account through RAM", () => {
      const principals = ofType(stacks.management!, "aws:ram/principalAssociation:PrincipalAssociation").map((p) => p.inputs.principal);
      expect(principals.sort()).to.deep.equal(["222222222222", "333333333333", "444444444444", "555555555555"]);
    });

    it("associates each environment attachment in the hub account, through the hub role provider", () => {
      for (const env of ENVIRONMENTS) {
        const run = stacks[env]!;
        const [provider] = ofType(run, "pulumi:providers:aws");
        expect(provider, env).to.not.equal(undefined);
        const assoc = ofType(run, "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation");
        expect(assoc).to.have.length(1);
        expect(assoc[0]!.options.provider, env).to.match(new RegExp(`^${provider!.urn.replace(/[$]/g, "\\$")}::`));
        expect(assoc[0]!.inputs.transitGatewayRouteTableId).to.equal((stacks.management!.outputs.transitRouteTableIds as Record<string, string>)[env]);
      }
    });
  });

  describe("stack contract", () => {
    it("exports every output the environment stacks read from management", () => {
      for (const key of MANAGEMENT_OUTPUT_KEYS) expect(stacks.management!.outputs, key).to.have.property(key);
    });

    it("resolves each environment's StackReference to management's real offline outputs", () => {
      for (const env of ENVIRONMENTS) {
        const [ref] = stacks[env]!.resources.filter((r) => r.type === "pulumi:pulumi:StackReference");
        expect((ref!.outputs.outputs as Record<string, unknown>).transitGatewayId).to.equal(stacks.management!.outputs.transitGatewayId);
      }
    });
  });

  describe("per-environment sizing", () => {
    const natCount = (env: string): number => ofType(stacks[env]!, "aws:ec2/natGateway:NatGateway").length;
    const subnets = (env: string): number => ofType(stacks[env]!, "aws:ec2/subnet:Subnet").length;

    it("runs prod and preprod over 3 AZs with a NAT gateway in each", () => {
      for (const env of ["prod", "preprod"]) {
        expect(subnets(env), env).to.equal(12);
        expect(natCount(env), env).to.equal(3);
      }
    });

    it("runs dev and stage over 2 AZs with a single NAT gateway", () => {
      for (const env of ["dev", "stage"]) {
        expect(subnets(env), env).to.equal(8);
        expect(natCount(env), env).to.equal(1);
      }
    });

    it("has a flow log on every VPC", () => {
      for (const [stack, run] of Object.entries(stacks)) {
        expect(ofType(run, "aws:ec2/flowLog:FlowLog"), stack).to.have.length(ofType(run, "aws:ec2/vpc:Vpc").length);
      }
    });

    it("parents every resource under a component or the stack", () => {
      for (const [stack, run] of Object.entries(stacks)) {
        const orphans = run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.parent);
        expect(orphans.map((r) => r.urn), stack).to.deep.equal([]);
        const loose = run.resources.filter((r) => r.custom && !r.read && !r.type.startsWith("pulumi:providers:") && r.parent?.endsWith(`::tila-platform-${stack}`));
        expect(loose.map((r) => r.urn), `${stack}: custom resources directly under the stack`).to.deep.equal([]);
      }
    });
  });
});

describe("an environment that opts out of the central endpoints", () => {
  it("creates its own interface endpoints and zones instead of associating with the hub's", async () => {
    const engine = await engineWithRealManagement({ configFiles: { stage: path.resolve(__dirname, "../fixtures/config/Pulumi.stage.local-endpoints.yaml") } });
    const run = await engine.run("stage");
    // Its only zone association is the management VPC's with its private zone.
    expect(ofType(run, "aws:route53/zoneAssociation:ZoneAssociation").map((a) => a.name)).to.deep.equal(["stage-dns-private-assoc-management"]);
    const endpoints = ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface");
    expect(endpoints).to.have.length(10);
    const [vpc] = ofType(run, "aws:ec2/vpc:Vpc");
    for (const e of endpoints) expect(e.inputs.vpcId).to.equal(vpc!.id);
  });
});
