import { expect } from "chai";
import { analyzeReachability, flow, openPorts } from "../../offline/reachability";
import { formatReachabilityMatrix } from "../../offline/reachabilityFormat";
import { admittedPorts, ingressByNetwork } from "../../offline/portReachability";
import { GraphBuilder, hub } from "../support/reachabilityGraph";

const analyze = (b: GraphBuilder) => analyzeReachability(b.build());
const ports = (b: GraphBuilder, from: string, to: string) => openPorts(analyze(b), from, to);

describe("ports across the transit gateway", () => {
  it("admits a port from a source whose CIDR a rule covers, and only that source", () => {
    const b = hub().group("management", "endpoints").ingress("management", "endpoints", "tcp", "10.10.0.0/16", 443);
    expect(ports(b, "dev", "management")).to.deep.equal(["tcp 443"]);
    expect(ports(b, "stage", "management")).to.deep.equal([]);
    expect(flow(analyze(b), "dev", "management").ports).to.deep.equal([{ protocol: "tcp", ports: "443", from: ["10.10.0.0/16"], partial: false }]);
  });

  it("admits every source a wider rule covers", () => {
    const b = hub().group("management", "endpoints").ingress("management", "endpoints", "tcp", "10.0.0.0/8", 443);
    for (const env of ["dev", "stage", "prod"]) expect(ports(b, env, "management"), env).to.deep.equal(["tcp 443"]);
    expect(ports(b, "riyadh", "management"), "172.16.0.0/16 is outside 10.0.0.0/8").to.deep.equal([]);
  });

  it("marks a port admitted from part of the source only, naming that part", () => {
    const b = hub().group("management", "bastion").ingress("management", "bastion", "tcp", "10.10.5.0/24", 8443);
    expect(ports(b, "dev", "management")).to.deep.equal(["tcp 8443 (part)"]);
    expect(flow(analyze(b), "dev", "management").ports).to.deep.equal([{ protocol: "tcp", ports: "8443", from: ["10.10.5.0/24"], partial: true }]);
  });

  it("drops the part when another rule on the same port admits the whole source", () => {
    const b = hub().group("management", "api")
      .ingress("management", "api", "tcp", "10.10.5.0/24", 443)
      .ingress("management", "api", "tcp", "10.10.0.0/16", 443);
    expect(flow(analyze(b), "dev", "management").ports).to.deep.equal([{ protocol: "tcp", ports: "443", from: ["10.10.0.0/16"], partial: false }]);
  });

  it("ignores rules whose CIDR does not overlap the source, and IPv6 rules", () => {
    const b = hub().group("management", "other", [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.99.0.0/16"], ipv6CidrBlocks: ["::/0"] }])
      .ingress("management", "other", "tcp", "10.11.0.0/16", 80);
    expect(ports(b, "dev", "management")).to.deep.equal([]);
  });

  it("shows an all-protocol rule as all, whichever way it is written", () => {
    const b = hub()
      .group("management", "inline", [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.10.0.0/16"] }])
      .group("management", "named", [{ protocol: "all", fromPort: 0, toPort: 0, cidrBlocks: ["10.20.0.0/16"] }])
      .ingress("management", "named", "-1", "10.40.0.0/16");
    for (const env of ["dev", "stage", "prod"]) expect(ports(b, env, "management"), env).to.deep.equal(["all"]);
    expect(formatReachabilityMatrix(analyze(b))).to.match(/^dev +yes all /m);
  });

  it("reads protocol numbers, port ranges, every-port ranges, UDP and ICMP", () => {
    const b = hub().group("management", "mixed", [
      { protocol: "6", fromPort: 1024, toPort: 2048, cidrBlocks: ["10.10.0.0/16"] },
      { protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["10.20.0.0/16"] },
      { protocol: "17", fromPort: 53, toPort: 53, cidrBlocks: ["10.10.0.0/16"] },
      { protocol: "icmp", fromPort: 8, toPort: 0, cidrBlocks: ["10.10.0.0/16"] },
      { protocol: "50", fromPort: 0, toPort: 0, cidrBlocks: ["10.10.0.0/16"] },
    ]);
    expect(ports(b, "dev", "management")).to.deep.equal(["tcp 1024-2048", "udp 53", "icmp 8/0", "other all"]);
    expect(ports(b, "stage", "management")).to.deep.equal(["tcp all"]);
    expect(formatReachabilityMatrix(analyze(b))).to.match(/^dev +yes 1024-2048,udp:53,icmp,other /m).and.match(/^stage +yes tcp:all /m);
  });

  it("orders entries by protocol then port and merges the sources of one port, whatever the declaration order", () => {
    const rules: [string, string, number?][] = [["udp", "10.10.0.0/16", 53], ["tcp", "10.10.0.0/16", 8181], ["tcp", "10.10.0.0/17", 443],
      ["tcp", "10.10.128.0/17", 443], ["-1", "10.10.9.0/24"], ["tcp", "10.10.0.0/16", 80]];
    const build = (order: typeof rules) => order.reduce((b, [p, c, port]) => b.ingress("management", "mixed", p, c, port), hub().group("management", "mixed"));
    const forward = flow(analyze(build(rules)), "dev", "management").ports;
    expect(forward).to.deep.equal([
      { protocol: "all", ports: "all", from: ["10.10.9.0/24"], partial: true },
      { protocol: "tcp", ports: "80", from: ["10.10.0.0/16"], partial: false },
      { protocol: "tcp", ports: "443", from: ["10.10.0.0/17", "10.10.128.0/17"], partial: true },
      { protocol: "tcp", ports: "8181", from: ["10.10.0.0/16"], partial: false },
      { protocol: "udp", ports: "53", from: ["10.10.0.0/16"], partial: false },
    ]);
    expect(flow(analyze(build([...rules].reverse())), "dev", "management").ports).to.deep.equal(forward);
  });

  it("counts only groups of the destination's VPC", () => {
    const b = hub()
      .group("dev", "dev-open").ingress("dev", "dev-open", "tcp", "10.0.0.0/8", 9000)
      .group("management", "orphan", [], "vpc-elsewhere").ingress("management", "orphan", "tcp", "10.0.0.0/8", 27017);
    expect(ports(b, "dev", "management")).to.deep.equal([]);
    expect(ports(b, "management", "dev")).to.deep.equal(["tcp 9000"]);
    expect(ports(b, "stage", "dev"), "blocked flows carry no ports").to.equal(undefined);
  });

  it("admits a source advertising two CIDRs wholly only when both are admitted", () => {
    const graphs = hub().group("management", "ui").ingress("management", "ui", "tcp", "172.16.0.0/16", 443).build();
    for (const vpn of graphs.management.filter((r) => r.type === "aws:ec2/vpnConnection:VpnConnection")) {
      vpn.inputs = { ...vpn.inputs, tags: { Office: "riyadh", AdvertisedCidrs: "172.16.0.0/16 192.168.50.0/24" } };
    }
    expect(openPorts(analyzeReachability(graphs), "riyadh", "management")).to.deep.equal(["tcp 443 (part)"]);
  });

  it("gives flows into an office no ports (its firewalls are not captured) and a flow into a VPC an empty list when nothing admits it", () => {
    const report = analyze(hub());
    expect(flow(report, "dev", "riyadh").allowed).to.equal(true);
    expect(flow(report, "dev", "riyadh").ports).to.equal(undefined);
    expect(flow(report, "dev", "management").ports).to.deep.equal([]);
    expect(flow(report, "dev", "prod").ports).to.equal(undefined);
  });

  it("reads the legacy aws.ec2.SecurityGroupRule, ingress only", () => {
    const b = hub().group("management", "legacy")
      .add("management", "aws:ec2/securityGroupRule:SecurityGroupRule", "legacy-in",
        { type: "ingress", securityGroupId: "sg-legacy", protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.10.0.0/16"] })
      .add("management", "aws:ec2/securityGroupRule:SecurityGroupRule", "legacy-out",
        { type: "egress", securityGroupId: "sg-legacy", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.10.0.0/16"] });
    expect(ports(b, "dev", "management")).to.deep.equal(["tcp 5432"]);
  });

  it("keys grants by the stack owning the group's VPC, and leaves read copies out", () => {
    const graphs = hub().group("management", "api").ingress("management", "api", "tcp", "10.10.0.0/16", 443).build();
    graphs.dev.push(...graphs.management.filter((r) => r.name.startsWith("api")).map((r) => ({ ...r, read: true })));
    const grants = ingressByNetwork(graphs);
    expect([...grants.keys()]).to.deep.equal(["management"]);
    expect(admittedPorts(grants.get("management")!, ["10.10.0.0/16"])).to.have.length(1);
  });
});

describe("ports across the transit gateway: where the group is worn", () => {
  /** dev's `web` group, open to every address on 443, worn by a load balancer in dev's public subnet (routes only to the internet gateway). */
  const publicWeb = () => hub().group("dev", "web").ingress("dev", "web", "tcp", "0.0.0.0/0", 443)
    .add("dev", "aws:lb/loadBalancer:LoadBalancer", "dev-public-alb", { securityGroups: ["sg-web"], subnets: ["subnet-dev-public"] });

  it("counts nothing a group admits when it is worn only in subnets that reply through the internet gateway", () => {
    expect(ports(publicWeb(), "management", "dev")).to.deep.equal([]);
    expect(ports(publicWeb(), "riyadh", "dev")).to.deep.equal([]);
  });

  it("counts the group once something wears it in a subnet whose route table replies through the TGW", () => {
    const b = publicWeb().add("dev", "aws:ec2/instance:Instance", "dev-worker", { vpcSecurityGroupIds: ["sg-web"], subnetId: "subnet-dev-app" });
    expect(ports(b, "management", "dev")).to.deep.equal(["tcp 443"]);
    expect(ports(b, "riyadh", "dev")).to.deep.equal(["tcp 443"]);
  });

  it("follows a DB subnet group to its subnets", () => {
    const db = (subnet: string) => hub().tier("dev", "data", [["10.0.0.0/8", "tgw"]]).group("dev", "db").ingress("dev", "db", "tcp", "10.0.0.0/16", 3306)
      .add("dev", "aws:rds/subnetGroup:SubnetGroup", "dev-db-subnets", { name: "dev-db", subnetIds: [subnet] }, "dev-db")
      .add("dev", "aws:rds/instance:Instance", "dev-mysql", { vpcSecurityGroupIds: ["sg-db"], dbSubnetGroupName: "dev-db" });
    expect(ports(db("subnet-dev-data"), "management", "dev")).to.deep.equal(["tcp 3306"]);
    expect(ports(db("subnet-dev-public"), "management", "dev")).to.deep.equal([]);
  });

  it("counts a group in every subnet when something wears it without a subnet the graph shows, or nothing wears it", () => {
    const template = publicWeb().add("dev", "aws:ec2/launchTemplate:LaunchTemplate", "dev-workers", { vpcSecurityGroupIds: ["sg-web"] });
    expect(ports(template, "management", "dev")).to.deep.equal(["tcp 443"]);
    const unworn = hub().group("dev", "web").ingress("dev", "web", "tcp", "0.0.0.0/0", 443);
    expect(ports(unworn, "management", "dev")).to.deep.equal(["tcp 443"]);
  });

  it("does not take a rule that references a group for something wearing it", () => {
    const b = publicWeb().group("dev", "app")
      .add("dev", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "app-from-web", { securityGroupId: "sg-app", referencedSecurityGroupId: "sg-web", ipProtocol: "tcp", fromPort: 8080, toPort: 8080 })
      .add("dev", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "web-to-app", { securityGroupId: "sg-web", referencedSecurityGroupId: "sg-app", ipProtocol: "tcp", fromPort: 8080, toPort: 8080 });
    expect(ports(b, "management", "dev")).to.deep.equal([]);
  });
});
