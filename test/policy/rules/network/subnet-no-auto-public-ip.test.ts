import { expect } from "chai";
import { subnetNoAutoPublicIp as rule } from "../../../../policy/rules/network/subnet-no-auto-public-ip";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";

const SUBNET = "aws:ec2/subnet:Subnet";
const DEFAULT_SUBNET = "aws:ec2/defaultSubnet:DefaultSubnet";

describe("subnet-no-auto-public-ip", () => {
  it("accepts subnets that give out no public address (explicitly, or by the provider's default)", () => {
    expect(checkResource(rule, SUBNET, { cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: false })).to.deep.equal([]);
    expect(checkResource(rule, SUBNET, { cidrBlock: "10.0.0.0/24" })).to.deep.equal([]);
    expect(checkResource(rule, DEFAULT_SUBNET, { mapPublicIpOnLaunch: false })).to.deep.equal([]);
  });

  it("refuses public IPv4 and IPv6 addresses on launch", () => {
    expect(checkResource(rule, SUBNET, { mapPublicIpOnLaunch: true }, { name: "public-a" })).to.deep.equal([
      "subnet public-a maps a public IPv4 address on launch; set mapPublicIpOnLaunch: false",
    ]);
    expect(checkResource(rule, SUBNET, { assignIpv6AddressOnCreation: true })).to.have.length(1);
  });

  it("refuses an adopted default subnet that keeps AWS's public-IP setting", () => {
    expect(checkResource(rule, DEFAULT_SUBNET, { availabilityZone: "me-south-1a" })).to.have.length(1);
  });

  it("leaves an unknown setting to a preview note", () => {
    const out = checkResourceDetailed(rule, SUBNET, { mapPublicIpOnLaunch: UNKNOWN });
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.have.length(1);
  });
});
