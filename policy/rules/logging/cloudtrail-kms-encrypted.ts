import type { ResourceRule } from "../types";
import { forType } from "../network/lib/values";

const TRAIL = "aws:cloudtrail/trail:Trail";
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/**
 * SSE-KMS adds a key policy between the trail and anyone who can read the bucket. CloudTrail
 * takes the key's ARN; not applicable until the security baseline adds a trail.
 */
export const cloudtrailKmsEncrypted: ResourceRule = {
  name: "cloudtrail-kms-encrypted",
  description: "CloudTrail trails must encrypt their log files with a KMS key (kmsKeyId set to a key ARN), so reading them also requires permission on the key.",
  meta: { category: "security", domain: "logging", appliesTo: [TRAIL], fsbp: "CloudTrail.2" },
  validateResource: forType(TRAIL, (args, report) => {
    const key: unknown = args.props.kmsKeyId;
    if (key === undefined) report(`trail ${args.name} is not encrypted with KMS; set kmsKeyId to a KMS key ARN`);
    else if (typeof key !== "string" || !KMS_KEY_ARN.test(key)) report(`trail ${args.name} has kmsKeyId "${String(key)}"; use the key's ARN (arn:aws:kms:<region>:<account>:key/<id>)`);
  }),
};
