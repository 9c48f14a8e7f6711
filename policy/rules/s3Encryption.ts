/**
 * Whether a bucket's default encryption is SSE-KMS with a customer-managed key, as the rules that
 * guard buckets whose contents cross accounts or hold personal data need it (the AWS-managed aws/s3
 * key's policy cannot grant another account, and nobody controls it). Shared by the delivery and
 * analytics rules; each gives its own advice in the messages.
 */
import type { PolicyResource } from "@pulumi/policy";
import { PENDING, asArray, known, peek } from "./data/support";

/** The resources that carry a bucket's default encryption. */
export const BUCKET_ENCRYPTION_CONFIGS = [
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

export interface KmsDefaultMessages {
  /** When the default is SSE-KMS but with the AWS-managed key (no kmsMasterKeyId, or alias/aws/...). */
  readonly awsManagedKey: string;
  /** When no rule defaults to SSE-KMS. */
  readonly notKms: string;
}

/**
 * Why a bucket's encryption configurations do not default to SSE-KMS with a customer-managed key;
 * undefined when they do, or when a value the answer depends on is not known yet (a preview).
 */
export function kmsDefaultProblem(configs: readonly PolicyResource[], messages: KmsDefaultMessages): string | undefined {
  if (configs.length === 0) return "has no server-side encryption configuration";
  for (const config of configs) {
    const rules = peek(config.props, "rules");
    if (rules === PENDING) return undefined;
    for (const rule of known(() => asArray(rules as unknown[] | undefined)) ?? []) {
      const byDefault = peek(rule, "applyServerSideEncryptionByDefault");
      if (byDefault === PENDING) return undefined;
      const algorithm = peek(byDefault, "sseAlgorithm");
      const key = peek(byDefault, "kmsMasterKeyId");
      if (algorithm === PENDING || (typeof algorithm === "string" && KMS_ALGORITHMS.includes(algorithm))) {
        if (key === PENDING || (typeof key === "string" && key !== "" && !/(^|:)alias\/aws\//.test(key))) return undefined;
        return messages.awsManagedKey;
      }
    }
  }
  return messages.notKms;
}
