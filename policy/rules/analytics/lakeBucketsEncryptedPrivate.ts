/**
 * Rule lake-buckets-encrypted-private: the lake's buckets (those the Glue catalogue and the Athena
 * workgroups point at) default to SSE-KMS with a customer-managed key, and no statement of their
 * bucket policy allows anyone.
 */
import type { PolicyResource } from "@pulumi/policy";
import type { StackRule } from "../types";
import { PENDING, S3_BUCKETS, asArray, known, pairBuckets, peek } from "../data/support";
import { BUCKET_ENCRYPTION_CONFIGS, kmsDefaultProblem } from "../s3Encryption";
import { ATHENA_WORKGROUP, GLUE_DATABASE, GLUE_TABLE, lakeBucketNames } from "./support";

const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";

/** Why a lake bucket's encryption is not SSE-KMS with a customer key; undefined when it is (or is not known yet). */
function encryptionProblem(configs: readonly PolicyResource[]): string | undefined {
  return kmsDefaultProblem(configs, {
    awsManagedKey: "defaults to SSE-KMS without a customer-managed kmsMasterKeyId (S3 then uses the AWS-managed aws/s3 key, whose policy nobody controls)",
    notKms: "does not default to SSE-KMS (sseAlgorithm aws:kms with the data key as kmsMasterKeyId)",
  });
}

type Statement = Record<string, unknown>;

/** Allow statements of a bucket policy whose principal is anyone ("*" or AWS "*"). */
function publicAllows(policy: PolicyResource): Statement[] {
  const raw = peek(policy.props, "policy");
  if (raw === PENDING || raw === undefined) return [];
  let doc: unknown = raw;
  if (typeof raw === "string") {
    try {
      doc = JSON.parse(raw);
    } catch {
      return [];
    }
  }
  const plain = known(() => JSON.parse(JSON.stringify(doc)) as { Statement?: unknown });
  if (plain === undefined || plain === null || typeof plain !== "object") return [];
  const statements = asArray(plain.Statement as Statement | Statement[] | undefined).filter((s): s is Statement => typeof s === "object" && s !== null);
  const anyone = (p: unknown) => p === "*" || (typeof p === "object" && p !== null && asArray((p as Record<string, unknown>).AWS as string | string[] | undefined).includes("*"));
  return statements.filter((s) => s.Effect === "Allow" && anyone(s.Principal));
}

/**
 * The generic S3 rules already hold every bucket to a public access block with all four flags
 * (s3-bucket-public-access-blocked, S3.8), TLS only (s3-bucket-tls-only) and versioning; this rule
 * adds what the lake needs on top: its personal data is under the data key (AES256 passes the
 * generic rule), and no Allow to anyone sits in its policy waiting for the block to be lifted.
 */
export const lakeBucketsEncryptedPrivate: StackRule = {
  name: "lake-buckets-encrypted-private",
  description:
    "Every lake bucket (a bucket a Glue database or table, or an Athena workgroup's result location, points at) defaults to SSE-KMS with a customer-managed kmsMasterKeyId, and its bucket policy allows nothing to anyone (no Allow with Principal \"*\"), so the raw personal data, the curated data and query results are readable only under the data key's policy and by named principals.",
  meta: { category: "security", domain: "analytics", appliesTo: [...S3_BUCKETS, ...BUCKET_ENCRYPTION_CONFIGS, BUCKET_POLICY, GLUE_DATABASE, GLUE_TABLE, ATHENA_WORKGROUP] },
  validateStack: (args, report) => {
    const lake = lakeBucketNames(args.resources);
    if (lake.size === 0) return;
    const { pairs } = pairBuckets(args.resources, [...BUCKET_ENCRYPTION_CONFIGS, BUCKET_POLICY]);
    for (const { bucket, name, siblings } of pairs) {
      if (name === undefined || !lake.has(name)) continue;
      const problem = encryptionProblem(siblings.filter((s) => BUCKET_ENCRYPTION_CONFIGS.includes(s.type)));
      if (problem) report(`lake bucket ${name} ${problem}`, bucket.urn);
      for (const policy of siblings.filter((s) => s.type === BUCKET_POLICY)) {
        for (const st of publicAllows(policy)) {
          report(`lake bucket ${name}: its policy allows ${JSON.stringify(st.Action)} to anyone (statement ${JSON.stringify(st.Sid ?? "unnamed")})`, bucket.urn);
        }
      }
    }
  },
};
