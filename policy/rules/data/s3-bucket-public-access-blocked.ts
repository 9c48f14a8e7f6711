import type { PolicyResource } from "@pulumi/policy";
import type { StackRule } from "../types";
import { PENDING, S3_BUCKETS, pairBuckets, peek } from "./support";

const PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/** Flags a block leaves off (absent counts as off; a value unknown until apply is not judged). */
function flagsOff(block: PolicyResource): string[] {
  return FLAGS.filter((flag) => {
    const value = peek(block.props, flag);
    return value !== true && value !== PENDING;
  });
}

/**
 * S3.8 (bucket level; S3.1 is the account-level setting). A stack rule because in aws v7 the block
 * is its own resource, joined to its bucket by `bucket`.
 */
export const s3BucketPublicAccessBlocked: StackRule = {
  name: "s3-bucket-public-access-blocked",
  description: "Every S3 bucket must have a BucketPublicAccessBlock with all four flags true, so no ACL or bucket policy, present or future, can make its objects public.",
  meta: { category: "security", domain: "data", appliesTo: [...S3_BUCKETS, PUBLIC_ACCESS_BLOCK], fsbp: "S3.8" },
  validateStack: (args, report) => {
    const { pairs, unresolved } = pairBuckets(args.resources, [PUBLIC_ACCESS_BLOCK]);
    for (const { bucket, siblings } of pairs) {
      if (siblings.length === 0) {
        if (!unresolved) report(`bucket ${bucket.name} has no BucketPublicAccessBlock: add one with all four flags true`, bucket.urn);
        continue;
      }
      const off = siblings.map(flagsOff);
      if (off.every((flags) => flags.length > 0)) report(`bucket ${bucket.name}: its public access block leaves ${off[0].join(", ")} off; set all four flags to true`, bucket.urn);
    }
  },
};
