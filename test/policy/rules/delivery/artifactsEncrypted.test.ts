import { expect } from "chai";
import { pipelineArtifactsEncrypted as rule } from "../../../../policy/rules/delivery/artifactsEncrypted";
import { StackResourceSpec, UNKNOWN, checkStack } from "../../../../policy/testing";
import { ENCRYPTION_V2, compliantBucket, withProps } from "../data/s3-fixtures";
import { KEY_ARN, PIPELINE, pipelineProps } from "./fixtures";

const BUCKET = "tila-delivery-artifacts-111111111111-me-south-1";
const SSE_KMS = { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true }] };

/** The pipeline and its artefact bucket (SSE-KMS with the CMK) as stack outputs; `store` replaces the artifact store. */
function stack(store?: Record<string, unknown>, sse: Record<string, unknown> = SSE_KMS): StackResourceSpec[] {
  const bucket = withProps(compliantBucket(BUCKET), `${BUCKET}-sse`, sse);
  const props = pipelineProps(undefined, store ? { artifactStores: [store] } : {});
  return [...bucket, { type: PIPELINE, name: "checkout-pipeline", props }];
}
const messages = (resources: StackResourceSpec[]) => checkStack(rule, resources).map((v) => v.message);

describe("pipeline-artifacts-encrypted", () => {
  it("accepts a KMS artifact store naming a customer-managed key by ARN, on an SSE-KMS bucket", () => {
    expect(messages(stack())).to.deep.equal([]);
  });

  it("accepts a bare key id, and a V2 encryption configuration", () => {
    const v2 = stack({ location: BUCKET, type: "S3", encryptionKey: { id: "1234abcd-12ab-34cd-56ef-1234567890ab", type: "KMS" } }).map((r) => (r.name === `${BUCKET}-sse` ? { ...r, type: ENCRYPTION_V2 } : r));
    expect(messages(v2)).to.deep.equal([]);
  });

  it("refuses an artifact store without an encryption key", () => {
    expect(messages(stack({ location: BUCKET, type: "S3" }))).to.deep.equal([
      "pipeline tila-checkout: artifactStores[0] has no encryptionKey (CodePipeline then uses the AWS-managed aws/s3 key, which no other account can be granted)",
    ]);
  });

  it("refuses the AWS-managed key, an alias, and a type other than KMS", () => {
    expect(messages(stack({ location: BUCKET, type: "S3", encryptionKey: { id: "alias/aws/s3", type: "KMS" } }))[0]).to.include("AWS-managed key alias/aws/s3");
    expect(messages(stack({ location: BUCKET, type: "S3", encryptionKey: { id: "arn:aws:kms:me-south-1:111111111111:alias/delivery", type: "KMS" } }))[0]).to.include("an alias is recognised only in the key's own account");
    expect(messages(stack({ location: BUCKET, type: "S3", encryptionKey: { id: KEY_ARN, type: "AES256" } }))[0]).to.include('it must be "KMS"');
  });

  it("refuses an artefact bucket that defaults to SSE-S3 or to the aws/s3 key", () => {
    expect(messages(stack(undefined, { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }))).to.deep.equal([
      `pipeline tila-checkout: its artefact bucket ${BUCKET} does not default to SSE-KMS (sseAlgorithm aws:kms with a customer-managed kmsMasterKeyId)`,
    ]);
    expect(messages(stack(undefined, { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] }))[0]).to.include("AWS-managed aws/s3 key");
  });

  it("refuses an artefact bucket with no encryption configuration", () => {
    const resources = stack().filter((r) => r.name !== `${BUCKET}-sse`);
    expect(messages(resources)).to.deep.equal([`pipeline tila-checkout: its artefact bucket ${BUCKET} has no server-side encryption configuration`]);
  });

  it("refuses a pipeline with no artifact store at all", () => {
    expect(messages([{ type: PIPELINE, props: pipelineProps(undefined, { artifactStores: [] }) }])).to.deep.equal(["pipeline tila-checkout has no artifact store"]);
  });

  it("leaves a bucket of another stack alone and does not report values unknown during preview", () => {
    expect(messages([{ type: PIPELINE, props: pipelineProps() }])).to.deep.equal([]);
    expect(messages(stack({ location: BUCKET, type: "S3", encryptionKey: UNKNOWN }))).to.deep.equal([]);
    expect(messages(stack(undefined, { rules: UNKNOWN }))).to.deep.equal([]);
  });
});
