import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { ec2InstanceImdsv2Required as rule } from "../../../../policy/rules/data/ec2-instance-imdsv2-required";

const INSTANCE = "aws:ec2/instance:Instance";

describe("ec2-instance-imdsv2-required", () => {
  it("accepts required session tokens, or a disabled metadata endpoint", () => {
    expect(checkResource(rule, INSTANCE, { metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 } })).to.deep.equal([]);
    expect(checkResource(rule, INSTANCE, { metadataOptions: { httpEndpoint: "disabled" } })).to.deep.equal([]);
  });

  it("rejects optional tokens and instances that leave metadataOptions to the AMI", () => {
    expect(checkResource(rule, INSTANCE, { metadataOptions: { httpTokens: "optional" } }, { name: "n" })).to.deep.equal([
      'instance n: metadataOptions.httpTokens is "optional"; set it to "required" (IMDSv2 only)',
    ]);
    expect(checkResource(rule, INSTANCE, {})).to.have.length(1);
  });

  it("does not report a token setting unknown during preview", () => {
    expect(checkResourceDetailed(rule, INSTANCE, { metadataOptions: { httpTokens: UNKNOWN } }).violations).to.deep.equal([]);
  });
});
