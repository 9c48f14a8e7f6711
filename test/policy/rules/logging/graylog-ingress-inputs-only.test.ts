import { expect } from "chai";
import { graylogIngressInputsOnly as rule } from "../../../../policy/rules/logging/graylog-ingress-inputs-only";
import { StackResourceSpec, checkStack } from "../../../../policy/testing";
import { realStack } from "../../../support/realStacks";
import { mandatoryFindings, realStackPolicy } from "../../../support/realPolicy";
import { planWeakened } from "../../../support/weaken";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";

/** Management as the rule sees it: its VPC, an office VPN, Graylog's load balancer wearing its group, and the nodes' group. */
function management(extra: StackResourceSpec[] = []): StackResourceSpec[] {
  return [
    { type: "aws:ec2/vpc:Vpc", name: "management-vpc", props: { id: "vpc-m", cidrBlock: "10.0.0.0/16" } },
    { type: "aws:ec2/vpnConnection:VpnConnection", name: "riyadh-vpn-a", props: { tags: { Office: "riyadh", AdvertisedCidrs: "172.16.0.0/16 192.168.50.0/24" } } },
    { type: SG, name: "management-graylog-lb-sg", props: { id: "sg-lb", vpcId: "vpc-m", tags: { Name: "management-graylog-lb-sg" } } },
    { type: SG, name: "management-graylog-node-sg", props: { id: "sg-nodes", vpcId: "vpc-m", tags: { Name: "management-graylog-node-sg" } } },
    { type: "aws:lb/loadBalancer:LoadBalancer", name: "management-graylog-nlb", props: { securityGroups: ["sg-lb"], tags: { Name: "management-graylog-nlb" } } },
    { type: SG, name: "endpoints-sg", props: { id: "sg-endpoints", vpcId: "vpc-m", tags: { Name: "endpoints-sg" } } },
    ingress("gelf-dev", "sg-lb", "10.10.0.0/16", 12201),
    ingress("gelf-management", "sg-lb", "10.0.0.0/16", 12201),
    ingress("api-management", "sg-lb", "10.0.0.0/16", 443),
    ingress("api-riyadh", "sg-lb", "172.16.0.0/16", 443),
    ingress("api-riyadh-small", "sg-lb", "192.168.50.0/24", 443),
    { type: INGRESS, name: "nodes-from-lb", props: { securityGroupId: "sg-nodes", ipProtocol: "tcp", fromPort: 9000, toPort: 9000, referencedSecurityGroupId: "sg-lb" } },
    ...extra,
  ];
}

function ingress(name: string, group: string, cidrIpv4: string, port: number | undefined, ipProtocol = "tcp"): StackResourceSpec {
  const ports = port === undefined ? {} : { fromPort: port, toPort: port };
  return { type: INGRESS, name, props: { securityGroupId: group, ipProtocol, cidrIpv4, ...ports } };
}

describe("graylog-ingress-inputs-only", () => {
  it("accepts GELF from the environments, and the web interface from management and the offices", () => {
    expect(checkStack(rule, management())).to.deep.equal([]);
  });

  it("refuses Graylog's HTTP port or MongoDB's port opened to an environment, on the rule", () => {
    const out = checkStack(rule, management([ingress("api-dev", "sg-lb", "10.10.0.0/16", 9000), ingress("mongo-dev", "sg-nodes", "10.10.0.0/16", 27017)]));
    expect(out.map((v) => v.message)).to.deep.equal([
      "api-dev rule admits 10.10.0.0/16 on tcp 9000 into Graylog's group sg-lb; from outside the stack's VPC and the offices Graylog admits only TCP 12201 (its inputs)",
      "mongo-dev rule admits 10.10.0.0/16 on tcp 27017 into Graylog's group sg-nodes; from outside the stack's VPC and the offices Graylog admits only TCP 12201 (its inputs)",
    ]);
    expect(out[0].urn).to.match(/::api-dev$/);
  });

  it("refuses the web interface (443) to an environment, an all-protocol rule, and a range wider than the input", () => {
    const out = checkStack(rule, management([
      ingress("api-prod", "sg-lb", "10.40.0.0/16", 443),
      ingress("all-stage", "sg-lb", "10.20.0.0/16", undefined, "-1"),
      { type: INGRESS, name: "range-dev", props: { securityGroupId: "sg-lb", ipProtocol: "tcp", fromPort: 12200, toPort: 12210, cidrIpv4: "10.10.0.0/16" } },
    ]));
    expect(out.map((v) => v.message.split(" into ")[0])).to.deep.equal([
      "api-prod rule admits 10.40.0.0/16 on tcp 443",
      "all-stage rule admits 10.20.0.0/16 on all traffic",
      "range-dev rule admits 10.10.0.0/16 on tcp 12200-12210",
    ]);
  });

  it("counts a CIDR wider than management as outside it, and reads inline and legacy rules", () => {
    const out = checkStack(rule, management([
      ingress("wide", "sg-nodes", "10.0.0.0/8", 9000),
      { type: SG, name: "graylog-extra-sg", props: { id: "sg-extra", vpcId: "vpc-m", ingress: [{ protocol: "tcp", fromPort: 27017, toPort: 27017, cidrBlocks: ["10.0.0.0/16", "10.30.0.0/16"] }] } },
      { type: RULE, name: "legacy", props: { type: "ingress", securityGroupId: "sg-lb", protocol: "tcp", fromPort: 9000, toPort: 9000, cidrBlocks: ["10.40.0.0/16"] } },
      { type: RULE, name: "legacy-egress", props: { type: "egress", securityGroupId: "sg-lb", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] } },
    ]));
    expect(out.map((v) => v.message.split(" into ")[0])).to.deep.equal([
      "wide rule admits 10.0.0.0/8 on tcp 9000",
      "graylog-extra-sg ingress[0] admits 10.30.0.0/16 on tcp 27017",
      "legacy rule admits 10.40.0.0/16 on tcp 9000",
    ]);
  });

  it("judges a group by the load balancer that wears it even when the group's name does not say Graylog", () => {
    const specs = management([ingress("api-dev", "sg-plain", "10.10.0.0/16", 9000)]).map((s) =>
      s.name === "management-graylog-nlb" ? { ...s, props: { ...s.props, securityGroups: ["sg-lb", "sg-plain"] } } : s);
    specs.push({ type: SG, name: "plain-sg", props: { id: "sg-plain", vpcId: "vpc-m" } });
    expect(checkStack(rule, specs)).to.have.length(1);
  });

  it("leaves groups that are not Graylog's alone", () => {
    expect(checkStack(rule, management([ingress("endpoints-dev", "sg-endpoints", "10.10.0.0/16", 443)]))).to.deep.equal([]);
  });

  it("refuses office-wide access only beyond the advertised prefixes", () => {
    expect(checkStack(rule, management([ingress("api-jeddah", "sg-lb", "172.17.0.0/16", 443)]))).to.have.length(1);
  });

  describe("on the real management stack", () => {
    it("finds no violation", async () => {
      const verdict = await realStackPolicy("management");
      expect(verdict.violations.filter((v) => v.policy === rule.name)).to.deep.equal([]);
      const run = await realStack("management");
      expect(run.resources.some((r) => r.type === SG && /graylog/.test(r.name)), "Graylog's groups are in management").to.equal(true);
    });

    for (const port of [9000, 27017]) {
      it(`fails a management whose Graylog group admits an environment on ${port}`, async () => {
        const { run, hits } = await planWeakened("management", (a) =>
          a.type === INGRESS && a.props.cidrIpv4 === "10.20.0.0/16" && a.props.fromPort === 12201 ? { ...a.props, fromPort: port, toPort: port } : undefined);
        expect(hits).to.equal(1);
        const found = mandatoryFindings(run.resources, "management", [rule]);
        expect(found.map((f) => f.message)).to.have.length(1);
        expect(found[0]!.message).to.match(new RegExp(`admits 10\\.20\\.0\\.0/16 on tcp ${port} into Graylog's group`));
      });
    }
  });
});
