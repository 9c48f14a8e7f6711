import { expect } from "chai";
import { cloudtrailKmsEncrypted as rule } from "../../../../policy/rules/logging/cloudtrail-kms-encrypted";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";

const TRAIL = "aws:cloudtrail/trail:Trail";
const KEY_ARN = "arn:aws:kms:me-south-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab";

describe("cloudtrail-kms-encrypted", () => {
  it("accepts a trail encrypted with a KMS key ARN", () => {
    expect(checkResource(rule, TRAIL, { s3BucketName: "b", kmsKeyId: KEY_ARN })).to.deep.equal([]);
  });

  it("refuses a trail without a key, or with an alias instead of a key ARN", () => {
    expect(checkResource(rule, TRAIL, { s3BucketName: "b" }, { name: "org" })).to.deep.equal(["trail org is not encrypted with KMS; set kmsKeyId to a KMS key ARN"]);
    expect(checkResource(rule, TRAIL, { s3BucketName: "b", kmsKeyId: "alias/cloudtrail" })).to.have.length(1);
  });

  it("is not applicable to anything but a trail", () => {
    expect(checkResourceDetailed(rule, "aws:cloudwatch/logGroup:LogGroup", {}).notApplicable).to.have.length(1);
  });

  it("leaves a key unknown during preview to a preview note", () => {
    const out = checkResourceDetailed(rule, TRAIL, { s3BucketName: "b", kmsKeyId: UNKNOWN });
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.have.length(1);
  });
});
