import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { ebsVolumeEncrypted as rule } from "../../../../policy/rules/data/ebs-volume-encrypted";

const VOLUME = "aws:ebs/volume:Volume";

describe("ebs-volume-encrypted", () => {
  it("accepts an encrypted volume", () => {
    expect(checkResource(rule, VOLUME, { availabilityZone: "me-south-1a", encrypted: true, kmsKeyId: "arn:aws:kms:me-south-1:1:key/k" })).to.deep.equal([]);
  });

  it("rejects a volume that is unencrypted or leaves encryption unset", () => {
    expect(checkResource(rule, VOLUME, { availabilityZone: "me-south-1a", encrypted: false }, { name: "data-0" })).to.deep.equal([
      "EBS volume data-0 is not encrypted: set encrypted: true (and kmsKeyId for a customer key)",
    ]);
    expect(checkResource(rule, VOLUME, { availabilityZone: "me-south-1a" })).to.have.length(1);
  });

  it("does not report an encryption flag unknown during preview", () => {
    const out = checkResourceDetailed(rule, VOLUME, { encrypted: UNKNOWN });
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.have.length(1);
  });

  it("ignores other resource types", () => {
    expect(checkResource(rule, "aws:ec2/instance:Instance", { encrypted: false })).to.deep.equal([]);
  });
});
