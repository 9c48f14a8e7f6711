import type { PolicyResource } from "@pulumi/policy";
import type { StackRule } from "../types";
import { PENDING, S3_BUCKETS, asArray, known, pairBuckets, peek } from "./support";

const ENCRYPTION_CONFIGS = [
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
const ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

/** Whether a configuration sets a default algorithm (a value unknown until apply counts). */
function setsDefaultEncryption(config: PolicyResource): boolean {
  const rules = peek(config.props, "rules");
  const list = rules === PENDING ? undefined : known(() => asArray(rules as unknown[] | undefined));
  if (list === undefined) return true;
  return list.some((rule) => {
    const byDefault = peek(rule, "applyServerSideEncryptionByDefault");
    if (byDefault === PENDING) return true;
    const algorithm = peek(byDefault, "sseAlgorithm");
    return algorithm === PENDING || (typeof algorithm === "string" && ALGORITHMS.includes(algorithm));
  });
}

/**
 * No FSBP control any more: S3.4 was retired once S3 began encrypting every new object with SSE-S3.
 * The rule still asks for the configuration as a resource, so the choice of algorithm and key is
 * explicit in code and reviewable; the bucket's inline `serverSideEncryptionConfiguration` is
 * deprecated in aws v7, and its output would show AWS's default whatever the program says.
 */
export const s3BucketEncrypted: StackRule = {
  name: "s3-bucket-encrypted",
  description: "Every S3 bucket must have a BucketServerSideEncryptionConfiguration with a default algorithm (AES256 or aws:kms), so the encryption of its objects is an explicit, reviewable choice.",
  meta: { category: "security", domain: "data", appliesTo: [...S3_BUCKETS, ...ENCRYPTION_CONFIGS] },
  validateStack: (args, report) => {
    const { pairs, unresolved } = pairBuckets(args.resources, ENCRYPTION_CONFIGS);
    for (const { bucket, siblings } of pairs) {
      if (siblings.length === 0) {
        if (!unresolved) report(`bucket ${bucket.name} has no BucketServerSideEncryptionConfiguration: add one (AES256, or aws:kms with a key)`, bucket.urn);
      } else if (!siblings.some(setsDefaultEncryption)) {
        report(`bucket ${bucket.name}: its encryption configuration sets no applyServerSideEncryptionByDefault.sseAlgorithm`, bucket.urn);
      }
    }
  },
};
