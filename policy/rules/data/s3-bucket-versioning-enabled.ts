import type { PolicyResource } from "@pulumi/policy";
import type { StackRule } from "../types";
import { PENDING, S3_BUCKETS, pairBuckets, peek } from "./support";

const VERSIONING = ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"];

function enabled(config: PolicyResource): boolean {
  const status = peek(peek(config.props, "versioningConfiguration"), "status");
  return status === "Enabled" || status === PENDING || peek(config.props, "versioningConfiguration") === PENDING;
}

/**
 * S3.14. Availability: versions are how an overwritten or deleted object comes back. Needs the
 * BucketVersioning resource; the bucket's inline `versioning` is deprecated in aws v7.
 */
export const s3BucketVersioningEnabled: StackRule = {
  name: "s3-bucket-versioning-enabled",
  description: "Every S3 bucket must have a BucketVersioning with status Enabled, so an overwritten or deleted object can be recovered from its previous version.",
  meta: { category: "availability", domain: "data", appliesTo: [...S3_BUCKETS, ...VERSIONING], fsbp: "S3.14" },
  validateStack: (args, report) => {
    const { pairs, unresolved } = pairBuckets(args.resources, VERSIONING);
    for (const { bucket, siblings } of pairs) {
      if (siblings.length === 0) {
        if (!unresolved) report(`bucket ${bucket.name} has no BucketVersioning: add one with versioningConfiguration.status "Enabled"`, bucket.urn);
      } else if (!siblings.some(enabled)) {
        report(`bucket ${bucket.name}: versioning is not Enabled (suspended or disabled)`, bucket.urn);
      }
    }
  },
};
