import { expect } from "chai";
import { analyzeReachability, canReach, flow } from "../../offline/reachability";
import { formatReachabilityMatrix } from "../../offline/reachabilityFormat";
import type { CapturedResource } from "../../offline/types";
import { GraphBuilder, hub } from "../support/reachabilityGraph";

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
  it("renders an aligned yes/no/one-way matrix with the ports each destination admits, and a legend", () => {
    const b = hub().group("management", "endpoints").ingress("management", "endpoints", "tcp", "10.0.0.0/8", 443)
      .group("dev", "dns").ingress("dev", "dns", "udp", "172.16.0.0/12", 53).ingress("dev", "dns", "tcp", "10.0.5.0/24", 22);
    expect(formatReachabilityMatrix(analyzeReachability(b.build()))).to.equal([
      "from \\ to   management  dev         stage         prod          riyadh",
      "management  -           yes 22*     yes none      yes none      yes",
      "dev         yes 443     -           no            no            yes",
      "stage       yes 443     no          -             no            no",
      "prod        yes 443     no          no            -             no",
      "riyadh      yes none    yes udp:53  one-way none  one-way none  -",
      "",
      "yes = reachable both ways, one-way = row reaches column but replies cannot return, no = row cannot reach column, - = same network",
      "after yes/one-way: the ports the column's security groups admit from the row's CIDRs (TCP unless marked udp:, icmp or other;",
      "all = every protocol and port; * = from part of the row's CIDRs only; none = routed but no group admits the row);",
      "no ports into an office: its firewalls are not part of the plan",
      "",
    ].join("\n"));
  });
});
