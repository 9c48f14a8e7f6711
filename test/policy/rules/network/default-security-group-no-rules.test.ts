import { expect } from "chai";
import { defaultSecurityGroupNoRules as rule } from "../../../../policy/rules/network/default-security-group-no-rules";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";

const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const allowAll = { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] };

describe("default-security-group-no-rules", () => {
  it("accepts a default group adopted with no rules (as EnvironmentNetwork does) or with none declared", () => {
    expect(checkResource(rule, DEFAULT_SG, { vpcId: "vpc-1", ingress: [], egress: [] })).to.deep.equal([]);
    expect(checkResource(rule, DEFAULT_SG, { vpcId: "vpc-1" })).to.deep.equal([]);
  });

  it("reports ingress and egress rules on the default group", () => {
    expect(checkResource(rule, DEFAULT_SG, { ingress: [{ ...allowAll, self: true }], egress: [allowAll] }, { name: "dev-default-sg" })).to.deep.equal([
      "default security group dev-default-sg declares 1 ingress rule(s); declare ingress: [] so the default group admits nothing",
      "default security group dev-default-sg declares 1 egress rule(s); declare egress: [] so the default group admits nothing",
    ]);
  });

  it("leaves unknown rules to a preview note and other types alone", () => {
    const out = checkResourceDetailed(rule, DEFAULT_SG, { ingress: UNKNOWN, egress: [] });
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.have.length(1);
    expect(checkResourceDetailed(rule, "aws:ec2/securityGroup:SecurityGroup", { ingress: [allowAll] }).notApplicable).to.have.length(1);
  });
});
