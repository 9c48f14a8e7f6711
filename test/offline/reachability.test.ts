import { expect } from "chai";
import { analyzeReachability, canReach, flow, formatReachabilityMatrix } from "../../offline/reachability";
import type { CapturedResource } from "../../offline/types";

const TGW = "tgw-hub";
type Target = "tgw" | `nat-${string}` | `igw-${string}`;

/** Builds captured graphs shaped like the offline engine's output, keyed by stack. */
class GraphBuilder {
  private readonly resources: { stack: string; r: CapturedResource }[] = [];

  add(stack: string, type: string, name: string, inputs: Record<string, unknown>, id?: string, outputs: Record<string, unknown> = {}): this {
    this.resources.push({
      stack,
      r: {
        urn: `urn:pulumi:${stack}::tila-platform::${type}::${name}`, type, name, custom: true, remote: false, read: false, id,
        inputs, secretInputs: [], outputs,
        options: { protect: false, retainOnDelete: false, dependsOn: [], ignoreChanges: [], deleteBeforeReplace: false, additionalSecretOutputs: [] },
      },
    });
    return this;
  }

  vpc(stack: string, cidr: string): this {
    return this.add(stack, "aws:ec2/vpc:Vpc", `${stack}-vpc`, { cidrBlock: cidr }, `vpc-${stack}`)
      .add(stack, "aws:ec2transitgateway/vpcAttachment:VpcAttachment", `${stack}-tgw-attachment`,
        { transitGatewayId: TGW, vpcId: `vpc-${stack}`, subnetIds: [`subnet-${stack}-transit`] }, `tgw-attach-${stack}`);
  }

  /** One subnet of `tier` with its own route table; routes as `[destination, target]`. */
  tier(stack: string, tier: string, routes: [string, Target][]): this {
    const rtb = `rtb-${stack}-${tier}`;
    this.add(stack, "aws:ec2/subnet:Subnet", `${stack}-${tier}`, { vpcId: `vpc-${stack}`, tags: { Tier: tier } }, `subnet-${stack}-${tier}`)
      .add(stack, "aws:ec2/routeTable:RouteTable", `${stack}-${tier}-rt`, { vpcId: `vpc-${stack}` }, rtb)
      .add(stack, "aws:ec2/routeTableAssociation:RouteTableAssociation", `${stack}-${tier}-rta`, { subnetId: `subnet-${stack}-${tier}`, routeTableId: rtb });
    routes.forEach(([dest, target]) => this.vpcRoute(stack, tier, dest, target));
    return this;
  }

  vpcRoute(stack: string, tier: string, dest: string, target: Target): this {
    const key = target === "tgw" ? "transitGatewayId" : target.startsWith("nat-") ? "natGatewayId" : "gatewayId";
    return this.add(stack, "aws:ec2/route:Route", `${stack}-${tier}-route-${dest}`,
      { routeTableId: `rtb-${stack}-${tier}`, destinationCidrBlock: dest, [key]: target === "tgw" ? TGW : target });
  }

  /** A TGW route table in management, associated with and propagating the given attachments. */
  tgwTable(name: string, associated: string[], propagated: string[]): this {
    this.add("management", "aws:ec2transitgateway/routeTable:RouteTable", `tgw-rt-${name}`, { transitGatewayId: TGW, tags: { Name: name } }, `tgw-rtb-${name}`);
    associated.forEach((a) => this.add("management", "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
      `assoc-${name}-${a}`, { transitGatewayAttachmentId: a, transitGatewayRouteTableId: `tgw-rtb-${name}` }));
    propagated.forEach((a) => this.propagate(name, a));
    return this;
  }

  propagate(table: string, attachment: string): this {
    return this.add("management", "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation", `prop-${table}-${attachment}`,
      { transitGatewayAttachmentId: attachment, transitGatewayRouteTableId: `tgw-rtb-${table}` });
  }

  tgwRoute(table: string, dest: string, attachment: string | "blackhole"): this {
    const target = attachment === "blackhole" ? { blackhole: true } : { transitGatewayAttachmentId: attachment };
    return this.add("management", "aws:ec2transitgateway/route:Route", `tgw-route-${table}-${dest}`,
      { transitGatewayRouteTableId: `tgw-rtb-${table}`, destinationCidrBlock: dest, ...target });
  }

  /** Two VPN connections (two customer gateways), attachments `tgw-attach-vpn-<office>-a|b`. */
  office(name: string, cidrs: string[]): this {
    for (const side of ["a", "b"]) {
      this.add("management", "aws:ec2/vpnConnection:VpnConnection", `${name}-vpn-${side}`,
        { transitGatewayId: TGW, customerGatewayId: `cgw-${name}-${side}`, type: "ipsec.1", tags: { Office: name, AdvertisedCidrs: cidrs.join(" ") } },
        `vpn-${name}-${side}`, { transitGatewayAttachmentId: `tgw-attach-vpn-${name}-${side}` });
    }
    return this;
  }

  remove(name: string): this {
    const i = this.resources.findIndex((x) => x.r.name === name);
    if (i === -1) throw new Error(`no resource named ${name} to remove`);
    this.resources.splice(i, 1);
    return this;
  }

  build(stacks?: string[]): Record<string, CapturedResource[]> {
    const graphs: Record<string, CapturedResource[]> = {};
    for (const { stack, r } of this.resources) {
      if (!stacks || stacks.includes(stack)) (graphs[stack] ??= []).push(r);
    }
    return graphs;
  }
}

const RIYADH = ["tgw-attach-vpn-riyadh-a", "tgw-attach-vpn-riyadh-b"];

/**
 * The hub as DESIGN.md section 3 draws it: environments reach management; dev and prod blackhole
 * each other; stage is isolated only by the absence of propagations; riyadh is propagated to every
 * table but stage's, and prod's VPC does not route the office range to the TGW.
 */
function hub(): GraphBuilder {
  const toHub: [string, Target][] = [["10.0.0.0/8", "tgw"], ["172.16.0.0/12", "tgw"]];
  return new GraphBuilder()
    .add("management", "aws:ec2transitgateway/transitGateway:TransitGateway", "hub-tgw", { defaultRouteTableAssociation: "disable" }, TGW)
    .vpc("management", "10.0.0.0/16").tier("management", "app", [...toHub, ["0.0.0.0/0", "nat-management"]])
    .vpc("dev", "10.10.0.0/16").tier("dev", "public", [["0.0.0.0/0", "igw-dev"]]).tier("dev", "app", [...toHub, ["0.0.0.0/0", "nat-dev"]])
    .vpc("stage", "10.20.0.0/16").tier("stage", "app", toHub)
    .vpc("prod", "10.40.0.0/16").tier("prod", "app", [["10.0.0.0/8", "tgw"], ["0.0.0.0/0", "nat-prod"]])
    .office("riyadh", ["172.16.0.0/16"])
    .tgwTable("management", ["tgw-attach-management"], ["tgw-attach-dev", "tgw-attach-stage", "tgw-attach-prod", ...RIYADH])
    .tgwTable("dev", ["tgw-attach-dev"], ["tgw-attach-management", ...RIYADH])
    .tgwRoute("dev", "10.40.0.0/16", "blackhole")
    .tgwTable("stage", ["tgw-attach-stage"], ["tgw-attach-management"])
    .tgwTable("prod", ["tgw-attach-prod"], ["tgw-attach-management", ...RIYADH])
    .tgwRoute("prod", "10.10.0.0/16", "blackhole")
    .tgwTable("offices", RIYADH, ["tgw-attach-management", "tgw-attach-dev", "tgw-attach-stage", "tgw-attach-prod"]);
}

const analyze = (b: GraphBuilder, stacks?: string[]) => analyzeReachability(b.build(stacks));

describe("analyzeReachability", () => {
  it("names one network per stack VPC and one per office", () => {
    const report = analyze(hub());
    expect(report.networks).to.deep.equal([
      { name: "management", kind: "vpc", cidrs: ["10.0.0.0/16"] },
      { name: "dev", kind: "vpc", cidrs: ["10.10.0.0/16"] },
      { name: "stage", kind: "vpc", cidrs: ["10.20.0.0/16"] },
      { name: "prod", kind: "vpc", cidrs: ["10.40.0.0/16"] },
      { name: "riyadh", kind: "office", cidrs: ["172.16.0.0/16"] },
    ]);
    expect(report.flows).to.have.length(5 * 4);
  });

  it("blocks dev from reaching prod through a blackhole, in both directions", () => {
    const report = analyze(hub());
    const there = flow(report, "dev", "prod");
    expect(there.allowed).to.equal(false);
    expect(there.reason).to.match(/^blackhole: tgw-rtb dev drops 10\.40\.0\.0\/16/);
    expect(there.path).to.include("tgw-rtb dev: 10.40.0.0/16 blackhole");
    expect(flow(report, "prod", "dev").reason).to.match(/^blackhole: tgw-rtb prod/);
    expect(canReach(report, "dev", "prod")).to.equal(false);
  });

  it("isolates stage from dev and prod when their attachments are not propagated", () => {
    const report = analyze(hub());
    for (const other of ["dev", "prod"]) {
      expect(flow(report, "stage", other).reason).to.match(/^no TGW route: tgw-rtb stage has no route covering/);
      expect(flow(report, other, "stage").reason).to.match(new RegExp(`^no TGW route: tgw-rtb ${other} `));
    }
  });

  it("connects every environment with management in both directions", () => {
    const report = analyze(hub());
    for (const env of ["dev", "stage", "prod"]) {
      expect(canReach(report, env, "management"), env).to.equal(true);
      expect(flow(report, "management", env).reason).to.equal(undefined);
    }
  });

  it("describes every hop of an allowed flow, through the route table that reaches the TGW", () => {
    expect(flow(analyze(hub()), "dev", "management").path).to.deep.equal([
      "dev rtb-dev-app (app) 10.0.0.0/8 -> tgw-hub",
      "tgw-attach-dev associated with tgw-rtb dev",
      "tgw-rtb dev: 10.0.0.0/16 -> tgw-attach-management (management, propagated)",
    ]);
  });

  it("reports one-way when the VPC route table lacks the route back", () => {
    const report = analyze(hub().remove("management-app-route-10.0.0.0/8").vpcRoute("management", "app", "10.10.0.0/16", "tgw"));
    expect(flow(report, "prod", "management").allowed).to.equal(true);
    const back = flow(report, "management", "prod");
    expect(back.allowed).to.equal(false);
    expect(back.reason).to.equal("no VPC route: management rtb-management-app (app) sends 10.40.0.0/16 to nat-management, not a transit gateway");
    expect(canReach(report, "prod", "management")).to.equal(false);
    expect(canReach(report, "dev", "management")).to.equal(true);
  });

  it("reports one-way when the return TGW table lacks the route", () => {
    const report = analyze(hub().remove("prop-management-tgw-attach-dev"));
    expect(flow(report, "dev", "management").allowed).to.equal(true);
    expect(flow(report, "management", "dev").reason).to.match(/^no TGW route: tgw-rtb management has no route covering 10\.10\.0\.0\/16/);
    expect(canReach(report, "dev", "management")).to.equal(false);
  });

  it("lets a longer propagated prefix beat a shorter static blackhole", () => {
    const report = analyze(hub().tgwRoute("management", "10.0.0.0/8", "blackhole"));
    expect(flow(report, "management", "dev").allowed).to.equal(true);
    expect(flow(report, "management", "dev").path).to.include("tgw-rtb management: 10.10.0.0/16 -> tgw-attach-dev (dev, propagated)");
  });

  it("lets a longer blackhole beat a shorter route that would deliver", () => {
    const report = analyze(hub().tgwRoute("dev", "10.0.0.0/8", "tgw-attach-prod"));
    expect(flow(report, "dev", "prod").reason).to.match(/^blackhole: tgw-rtb dev drops 10\.40\.0\.0\/16 \(10\.40\.0\.0\/16\)/);
  });

  it("treats a more specific blackhole inside the destination as blocking, and names it", () => {
    const report = analyze(hub().tgwRoute("management", "10.10.5.0/24", "blackhole"));
    const f = flow(report, "management", "dev");
    expect(f.allowed).to.equal(false);
    expect(f.reason).to.equal("blackhole: tgw-rtb management takes 10.10.5.0/24, part of dev, away from it");
  });

  it("flags a more specific route that still delivers under a covering blackhole", () => {
    const report = analyze(hub().tgwRoute("dev", "10.40.7.0/24", "tgw-attach-prod"));
    const f = flow(report, "dev", "prod");
    expect(f.allowed).to.equal(false);
    expect(f.reason).to.match(/; but 10\.40\.7\.0\/24 still reaches prod$/);
  });

  it("prefers a static route over a propagated route with the same prefix", () => {
    const misrouted = analyze(hub().tgwRoute("management", "10.10.0.0/16", "tgw-attach-prod"));
    expect(flow(misrouted, "management", "dev").reason).to.equal(
      "wrong destination: tgw-rtb management sends 10.10.0.0/16 to tgw-attach-prod (prod), not dev");
    const dropped = analyze(hub().tgwRoute("management", "10.10.0.0/16", "blackhole"));
    expect(flow(dropped, "management", "dev").reason).to.match(/^blackhole: tgw-rtb management drops 10\.10\.0\.0\/16/);
  });

  it("pins overlapping office advertisements with a static route of the same prefix", () => {
    const overlapping = hub().office("jeddah", ["172.16.0.0/16"]).propagate("dev", "tgw-attach-vpn-jeddah-a");
    expect(flow(analyze(overlapping), "dev", "riyadh").reason).to.match(
      /^wrong destination: tgw-rtb dev sends 172\.16\.0\.0\/16 to tgw-attach-vpn-jeddah-a \(jeddah, propagated\)/);
    const pinned = analyze(overlapping.tgwRoute("dev", "172.16.0.0/16", "tgw-attach-vpn-riyadh-a"));
    expect(flow(pinned, "dev", "riyadh").path).to.include("tgw-rtb dev: 172.16.0.0/16 -> tgw-attach-vpn-riyadh-a (riyadh)");
    expect(flow(pinned, "dev", "riyadh").allowed).to.equal(true);
  });

  it("ignores route tables not associated with any subnet of the VPC", () => {
    const report = analyze(hub().remove("dev-app-rta"));
    expect(flow(report, "dev", "management").reason).to.equal(
      "no VPC route: dev rtb-dev-public (public) sends 10.0.0.0/16 to igw-dev, not a transit gateway");
  });

  it("does not reach through a VPC route that points at a NAT gateway", () => {
    const report = analyze(hub().remove("dev-app-route-10.0.0.0/8").vpcRoute("dev", "app", "10.0.0.0/8", "nat-dev"));
    const f = flow(report, "dev", "management");
    expect(f.allowed).to.equal(false);
    expect(f.path).to.include("dev rtb-dev-app (app) 10.0.0.0/8 -> nat-dev");
    expect(f.reason).to.equal("no VPC route: dev rtb-dev-public (public) sends 10.0.0.0/16 to igw-dev, not a transit gateway; "
      + "no VPC route: dev rtb-dev-app (app) sends 10.0.0.0/16 to nat-dev, not a transit gateway");
  });

  it("explains a VPC with no attachment on the transit gateway it routes to", () => {
    const report = analyze(hub().remove("dev-tgw-attachment"));
    expect(flow(report, "dev", "management").reason).to.equal("no attachment: dev has no VPC attachment on tgw-hub");
  });

  it("lets an office reach only environments whose tables propagate it and whose VPCs route it to the TGW", () => {
    const report = analyze(hub());
    expect(canReach(report, "riyadh", "dev")).to.equal(true);
    expect(canReach(report, "riyadh", "management")).to.equal(true);
    expect(canReach(report, "riyadh", "stage")).to.equal(false);
    expect(flow(report, "stage", "riyadh").reason).to.match(/^no TGW route: tgw-rtb stage has no route covering 172\.16\.0\.0\/16/);
    expect(canReach(report, "riyadh", "prod")).to.equal(false);
    expect(flow(report, "prod", "riyadh").reason).to.match(/^no VPC route: prod rtb-prod-app \(app\) sends 172\.16\.0\.0\/16 to nat-prod/);
    expect(flow(report, "riyadh", "prod").allowed).to.equal(true);
  });

  it("keeps an office reachable through its second VPN when the first is not associated", () => {
    const report = analyze(hub().remove("assoc-offices-tgw-attach-vpn-riyadh-a"));
    const f = flow(report, "riyadh", "dev");
    expect(f.allowed).to.equal(true);
    expect(f.path[0]).to.equal("riyadh vpn-riyadh-b tgw-attach-vpn-riyadh-b -> tgw-hub");
  });

  it("blocks an office whose VPN attachments are all unassociated, saying so", () => {
    const report = analyze(hub().remove("assoc-offices-tgw-attach-vpn-riyadh-a").remove("assoc-offices-tgw-attach-vpn-riyadh-b"));
    expect(flow(report, "riyadh", "dev").reason).to.match(/^not associated: tgw-attach-vpn-riyadh-a has no route table on tgw-hub/);
  });

  it("counts a flow to an office only when every prefix it advertises gets there", () => {
    const graphs = hub().build();
    for (const vpn of graphs.management.filter((r) => r.type === "aws:ec2/vpnConnection:VpnConnection")) {
      vpn.inputs = { ...vpn.inputs, tags: { Office: "riyadh", AdvertisedCidrs: "172.16.0.0/16 192.168.50.0/24" } };
    }
    const report = analyzeReachability(graphs);
    expect(report.networks.find((n) => n.name === "riyadh")?.cidrs).to.deep.equal(["172.16.0.0/16", "192.168.50.0/24"]);
    expect(flow(report, "dev", "riyadh").reason).to.match(/^no VPC route: dev .* sends 192\.168\.50\.0\/24 to nat-dev/);
  });

  it("refuses an office named like a stack, since both would be one network", () => {
    expect(() => analyze(hub().office("dev", ["172.20.0.0/16"]))).to.throw(/office "dev" .* has the same name as a stack/);
  });

  it("analyses any subset of stacks", () => {
    const withHub = analyze(hub(), ["management", "dev"]);
    expect(withHub.networks.map((n) => n.name)).to.deep.equal(["management", "dev", "riyadh"]);
    expect(canReach(withHub, "dev", "management")).to.equal(true);
    expect(() => flow(withHub, "dev", "prod")).to.throw(/unknown network "prod"/);

    const withoutHub = analyze(hub(), ["prod", "dev"]);
    expect(withoutHub.networks.map((n) => n.name)).to.deep.equal(["dev", "prod"]);
    expect(flow(withoutHub, "dev", "prod").reason).to.match(/^not associated: tgw-attach-dev/);
  });

  it("ignores read copies of resources from other stacks", () => {
    const graphs = hub().build();
    const mgmtVpc = graphs.management.find((r) => r.type === "aws:ec2/vpc:Vpc");
    graphs.dev.push({ ...(mgmtVpc as CapturedResource), read: true });
    const report = analyzeReachability(graphs);
    expect(report.networks.find((n) => n.name === "dev")?.cidrs).to.deep.equal(["10.10.0.0/16"]);
    expect(canReach(report, "dev", "management")).to.equal(true);
  });
});

describe("formatReachabilityMatrix", () => {
  it("renders an aligned yes/no/one-way matrix with a legend", () => {
    expect(formatReachabilityMatrix(analyze(hub()))).to.equal([
      "from \\ to   management  dev  stage    prod     riyadh",
      "management  -           yes  yes      yes      yes",
      "dev         yes         -    no       no       yes",
      "stage       yes         no   -        no       no",
      "prod        yes         no   no       -        no",
      "riyadh      yes         yes  one-way  one-way  -",
      "",
      "yes = reachable both ways, one-way = row reaches column but replies cannot return, no = row cannot reach column, - = same network",
      "",
    ].join("\n"));
  });
});
