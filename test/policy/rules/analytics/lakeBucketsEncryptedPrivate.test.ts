import { expect } from "chai";
import { lakeBucketsEncryptedPrivate as rule } from "../../../../policy/rules/analytics/lakeBucketsEncryptedPrivate";
import { StackResourceSpec, UNKNOWN, checkStack } from "../../../../policy/testing";
import { compliantBucket, withProps } from "../data/s3-fixtures";
import { CURATED, DATA_KEY, RAW, RESULTS, catalogue } from "./fixtures";

const SSE_KMS = { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: DATA_KEY }, bucketKeyEnabled: true }] };

/** The three lake buckets under the data key, the catalogue, and an unrelated AES256 bucket. */
function lake(): StackResourceSpec[] {
  const buckets = [RAW, CURATED, RESULTS].flatMap((b) => withProps(compliantBucket(b), `${b}-sse`, SSE_KMS));
  return [...buckets, ...compliantBucket("tila-prod-alb-logs"), ...catalogue()];
}
const messages = (resources: StackResourceSpec[]) => checkStack(rule, resources).map((v) => v.message);

describe("lake-buckets-encrypted-private", () => {
  it("accepts lake buckets under the data key, and leaves other buckets to the generic S3 rules", () => {
    expect(messages(lake())).to.deep.equal([]);
  });

  it("finds the lake buckets through the catalogue and the workgroup: a raw, curated or results bucket on SSE-S3 is refused", () => {
    for (const bucket of [RAW, CURATED, RESULTS]) {
      const out = messages(withProps(lake(), `${bucket}-sse`, { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }));
      expect(out).to.deep.equal([`lake bucket ${bucket} does not default to SSE-KMS (sseAlgorithm aws:kms with the data key as kmsMasterKeyId)`]);
    }
  });

  it("refuses SSE-KMS with the AWS-managed key, and a lake bucket with no encryption configuration", () => {
    expect(messages(withProps(lake(), `${RAW}-sse`, { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] }))[0]).to.include("without a customer-managed kmsMasterKeyId");
    expect(messages(lake().filter((r) => r.name !== `${CURATED}-sse`))).to.deep.equal([`lake bucket ${CURATED} has no server-side encryption configuration`]);
  });

  it("refuses a lake bucket policy that allows anyone", () => {
    const open = JSON.stringify({ Statement: [{ Sid: "Share", Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${CURATED}/*` }] });
    expect(messages(withProps(lake(), `${CURATED}-policy`, { policy: open }))).to.deep.equal([`lake bucket ${CURATED}: its policy allows "s3:GetObject" to anyone (statement "Share")`]);
  });

  it("is silent with no catalogue, and on encryption unknown during preview", () => {
    expect(messages(compliantBucket(RAW))).to.deep.equal([]);
    expect(messages(withProps(lake(), `${RAW}-sse`, { rules: UNKNOWN }))).to.deep.equal([]);
  });
});
