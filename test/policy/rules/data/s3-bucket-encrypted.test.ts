import { expect } from "chai";
import { checkStack, UNKNOWN } from "../../../../policy/testing";
import { s3BucketEncrypted as rule } from "../../../../policy/rules/data/s3-bucket-encrypted";
import { ENCRYPTION, ENCRYPTION_V2, compliantBucket, withProps } from "./s3-fixtures";

describe("s3-bucket-encrypted", () => {
  it("accepts a bucket with an encryption configuration (either token), SSE-S3 or KMS", () => {
    expect(checkStack(rule, compliantBucket("logs"))).to.deep.equal([]);
    const kms = withProps(compliantBucket("logs"), "logs-sse", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:k" }, bucketKeyEnabled: true }] });
    expect(checkStack(rule, kms)).to.deep.equal([]);
    const v2 = compliantBucket("logs").map((r) => (r.type === ENCRYPTION ? { ...r, type: ENCRYPTION_V2 } : r));
    expect(checkStack(rule, v2)).to.deep.equal([]);
  });

  it("rejects a bucket without an encryption configuration", () => {
    expect(checkStack(rule, compliantBucket("logs", { omit: [ENCRYPTION] })).map((v) => v.message)).to.deep.equal([
      "bucket logs has no BucketServerSideEncryptionConfiguration: add one (AES256, or aws:kms with a key)",
    ]);
  });

  it("rejects a configuration that sets no default algorithm", () => {
    expect(checkStack(rule, withProps(compliantBucket("logs"), "logs-sse", { rules: [{ bucketKeyEnabled: true }] }))).to.have.length(1);
  });

  it("does not report rules unknown during preview", () => {
    expect(checkStack(rule, withProps(compliantBucket("logs"), "logs-sse", { rules: UNKNOWN }))).to.deep.equal([]);
  });
});
