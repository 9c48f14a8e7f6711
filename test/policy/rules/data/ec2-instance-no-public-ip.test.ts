import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { ec2InstanceNoPublicIp as rule } from "../../../../policy/rules/data/ec2-instance-no-public-ip";

const INSTANCE = "aws:ec2/instance:Instance";

describe("ec2-instance-no-public-ip", () => {
  it("accepts an explicit associatePublicIpAddress: false", () => {
    expect(checkResource(rule, INSTANCE, { associatePublicIpAddress: false, subnetId: "subnet-1" })).to.deep.equal([]);
  });

  it("rejects an instance that asks for a public IP", () => {
    expect(checkResource(rule, INSTANCE, { associatePublicIpAddress: true }, { name: "n" })[0]).to.match(/^instance n asks for a public IP/);
  });

  it("rejects leaving the choice to the subnet's mapPublicIpOnLaunch", () => {
    expect(checkResource(rule, INSTANCE, { subnetId: "subnet-1" })[0]).to.match(/mapPublicIpOnLaunch decides/);
  });

  it("leaves instances built on existing network interfaces to those interfaces", () => {
    expect(checkResource(rule, INSTANCE, { networkInterfaces: [{ networkInterfaceId: "eni-1", deviceIndex: 0 }] })).to.deep.equal([]);
  });

  it("does not report a flag unknown during preview", () => {
    expect(checkResourceDetailed(rule, INSTANCE, { associatePublicIpAddress: UNKNOWN }).violations).to.deep.equal([]);
  });
});
