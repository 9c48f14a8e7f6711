import { expect } from "chai";
import { checkStack, UNKNOWN } from "../../../../policy/testing";
import { s3BucketTlsOnly as rule } from "../../../../policy/rules/data/s3-bucket-tls-only";
import { BUCKET, POLICY, compliantBucket, tlsOnlyPolicy, withProps } from "./s3-fixtures";

const deny = (over: Record<string, unknown>) =>
  JSON.stringify({
    Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"], Condition: { Bool: { "aws:SecureTransport": "false" } }, ...over }],
  });

describe("s3-bucket-tls-only", () => {
  it("accepts a bucket policy denying insecure transport on the bucket and its objects", () => {
    expect(checkStack(rule, compliantBucket("logs"))).to.deep.equal([]);
    expect(checkStack(rule, withProps(compliantBucket("logs"), "logs-policy", { policy: deny({ Principal: { AWS: "*" }, Action: ["s3:*"], Resource: "*", Condition: { Bool: { "aws:SecureTransport": false } } }) }))).to.deep.equal([]);
  });

  it("accepts the policy in force shown on the bucket itself", () => {
    const inline = compliantBucket("logs", { omit: [POLICY] }).map((r) => (r.type === BUCKET ? { ...r, props: { ...r.props, policy: tlsOnlyPolicy("logs") } } : r));
    expect(checkStack(rule, inline)).to.deep.equal([]);
  });

  it("rejects a bucket without a policy", () => {
    expect(checkStack(rule, compliantBucket("logs", { omit: [POLICY] })).map((v) => v.message)).to.deep.equal([
      "bucket logs has no bucket policy: add one that denies s3:* when aws:SecureTransport is false",
    ]);
  });

  it("rejects a policy whose deny misses a principal, action, condition or the objects", () => {
    for (const over of [{ Principal: { AWS: "arn:aws:iam::1:root" } }, { Action: "s3:GetObject" }, { Condition: { Bool: { "aws:SecureTransport": "true" } } }, { Resource: "arn:aws:s3:::logs" }, { Effect: "Allow" }]) {
      expect(checkStack(rule, withProps(compliantBucket("logs"), "logs-policy", { policy: deny(over) })), JSON.stringify(over)).to.have.length(1);
    }
  });

  it("does not report a policy unknown during preview", () => {
    expect(checkStack(rule, withProps(compliantBucket("logs"), "logs-policy", { policy: UNKNOWN }))).to.deep.equal([]);
  });
});
