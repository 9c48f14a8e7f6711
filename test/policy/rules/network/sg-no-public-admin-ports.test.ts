import { expect } from "chai";
import { sgNoPublicAdminPorts as rule } from "../../../../policy/rules/network/sg-no-public-admin-ports";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";

const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const ssh = (cidrIpv4: string) => ({ ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4 });

describe("sg-no-public-admin-ports", () => {
  it("allows SSH and RDP from private ranges (VPCs, offices over the VPN)", () => {
    expect(checkResource(rule, INGRESS_RULE, ssh("10.0.0.0/16"))).to.deep.equal([]);
    expect(checkResource(rule, INGRESS_RULE, { ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv6: "fd00:1::/64" })).to.deep.equal([]);
  });

  it("refuses SSH from the internet and from any public range", () => {
    expect(checkResource(rule, INGRESS_RULE, ssh("0.0.0.0/0"), { name: "bastion" })).to.deep.equal([
      "bastion rule admits 0.0.0.0/0 on tcp 22, which includes SSH (22); use SSM Session Manager instead",
    ]);
    expect(checkResource(rule, INGRESS_RULE, ssh("203.0.113.10/32"))).to.have.length(1);
  });

  it("catches admin ports inside port ranges and all-traffic rules", () => {
    expect(checkResource(rule, SG_RULE, { type: "ingress", protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["198.51.100.0/24"] })).to.have.length(2);
    expect(checkResource(rule, SG, { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }] })).to.have.length(2);
  });

  it("does not concern itself with web ports or egress", () => {
    expect(checkResource(rule, INGRESS_RULE, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" })).to.deep.equal([]);
    expect(checkResource(rule, SG_RULE, { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] })).to.deep.equal([]);
  });

  it("leaves unknown ports to a preview note", () => {
    const out = checkResourceDetailed(rule, INGRESS_RULE, { ipProtocol: "tcp", fromPort: UNKNOWN, toPort: 22, cidrIpv4: "0.0.0.0/0" });
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.have.length(1);
  });
});
