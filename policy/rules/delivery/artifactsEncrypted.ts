/**
 * Rule pipeline-artifacts-encrypted: every CodePipeline's artefact store is encrypted with a
 * customer-managed KMS key the environments' accounts can be granted, and the artefact bucket
 * itself defaults to SSE-KMS.
 */
import type { PolicyResource } from "@pulumi/policy";
import type { StackRule } from "../types";
import { PENDING, S3_BUCKETS, asArray, known, pairBuckets, peek } from "../data/support";
import { BUCKET_ENCRYPTION_CONFIGS, kmsDefaultProblem } from "../s3Encryption";
import { PIPELINE, pipelineLabel } from "./pipelines";

/** A key ARN (`arn:<partition>:kms:<region>:<account>:key/<id>`) or a bare key id (a UUID, or mrk-<hex> for a multi-Region key). */
const KEY_ARN = /^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const KEY_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

/** Why an artefact store's key is not a usable customer-managed key; undefined when it is (or is not known yet). */
function keyProblem(store: unknown): string | undefined {
  const key = peek(store, "encryptionKey");
  if (key === PENDING) return undefined;
  if (key === undefined || key === null) return "has no encryptionKey (CodePipeline then uses the AWS-managed aws/s3 key, which no other account can be granted)";
  const type = peek(key, "type");
  if (type !== PENDING && type !== "KMS") return `has encryptionKey.type ${JSON.stringify(type)}; it must be "KMS"`;
  const id = peek(key, "id");
  if (id === PENDING) return undefined;
  if (typeof id !== "string" || id === "") return "has an encryptionKey without an id";
  if (/(^|:)alias\/aws\//.test(id)) return `uses the AWS-managed key ${id}, which no other account can be granted`;
  if (!KEY_ARN.test(id) && !KEY_ID.test(id)) return `names its key as ${id}; a pipeline with cross-account actions must name a customer-managed key by key ARN or key id (an alias is recognised only in the key's own account)`;
  return undefined;
}

/** Why the artefact bucket's encryption does not default to SSE-KMS with a customer-managed key; undefined when it does. */
function bucketProblem(configs: readonly PolicyResource[]): string | undefined {
  return kmsDefaultProblem(configs, {
    awsManagedKey: "defaults to SSE-KMS with the AWS-managed aws/s3 key; set kmsMasterKeyId to the pipelines' customer-managed key",
    notKms: "does not default to SSE-KMS (sseAlgorithm aws:kms with a customer-managed kmsMasterKeyId)",
  });
}

/**
 * Artefacts carry the image tag each environment runs and cross into the environments' accounts:
 * the deploy roles there read them, which AWS allows only through a customer-managed key whose
 * policy grants those accounts (the AWS-managed aws/s3 key's policy cannot be changed). CodePipeline
 * requires encryptionKey.type "KMS" and, for cross-account actions, the key by key ARN or id, never
 * an alias (AWS::CodePipeline::Pipeline EncryptionKey). The bucket's own default encryption is held
 * to the same key kind, so an object written around the pipeline is not left under aws/s3.
 */
export const pipelineArtifactsEncrypted: StackRule = {
  name: "pipeline-artifacts-encrypted",
  description:
    "Every artifact store of a CodePipeline has an encryptionKey of type KMS naming a customer-managed key by key ARN or key id (not an aws/ alias, not an alias at all: cross-account actions cannot resolve one), and the artefact bucket it names, when the stack holds it, defaults to SSE-KMS with a customer-managed key, so the artefacts the environments' accounts read are encrypted with a key whose policy says who may.",
  meta: { category: "security", domain: "delivery", appliesTo: [PIPELINE, ...S3_BUCKETS, ...BUCKET_ENCRYPTION_CONFIGS] },
  validateStack: (args, report) => {
    const { pairs } = pairBuckets(args.resources, BUCKET_ENCRYPTION_CONFIGS);
    const reportedBuckets = new Set<string>();
    for (const pipeline of args.resources.filter((r) => r.type === PIPELINE)) {
      const label = pipelineLabel(pipeline.props, pipeline.name);
      const stores = peek(pipeline.props, "artifactStores");
      if (stores === PENDING) continue;
      const list = known(() => asArray(stores as unknown[] | undefined)) ?? [];
      if (list.length === 0) report(`pipeline ${label} has no artifact store`, pipeline.urn);
      list.forEach((store, i) => {
        const problem = keyProblem(store);
        if (problem) report(`pipeline ${label}: artifactStores[${i}] ${problem}`, pipeline.urn);
        const location = peek(store, "location");
        const bucket = typeof location === "string" ? pairs.find((p) => p.name === location) : undefined;
        if (!bucket || reportedBuckets.has(bucket.bucket.urn)) return;
        reportedBuckets.add(bucket.bucket.urn);
        const bucketIssue = bucketProblem(bucket.siblings.filter((s) => BUCKET_ENCRYPTION_CONFIGS.includes(s.type)));
        if (bucketIssue) report(`pipeline ${label}: its artefact bucket ${location} ${bucketIssue}`, bucket.bucket.urn);
      });
    }
  },
};
