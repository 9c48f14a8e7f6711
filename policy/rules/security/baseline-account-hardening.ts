/**
 * Rule baseline-account-hardening: the account's password policy, EBS encryption by default, the
 * account-level S3 public access block and IMDSv2 by default are all set (docs/security.md, the table of parts).
 */
import type { StackRule } from "../types";
import { holdsAccountControls, isOr, ofType, prop } from "./lib";

const PASSWORD = "aws:iam/accountPasswordPolicy:AccountPasswordPolicy";
const EBS = "aws:ebs/encryptionByDefault:EncryptionByDefault";
const S3 = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock";
const IMDS = "aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults";
const S3_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

export const baselineAccountHardening: StackRule = {
  name: "baseline-account-hardening",
  description:
    "Every account's baseline sets a password policy of at least 14 characters, EBS encryption by default, the account-level S3 public access block (all four settings) and IMDSv2 as the instance metadata default.",
  meta: { category: "security", domain: "security", appliesTo: [PASSWORD, EBS, S3, IMDS], fsbp: "IAM.7" },
  validateStack: (args, report) => {
    if (!holdsAccountControls(args)) return;
    const password = ofType(args, PASSWORD);
    if (password.length === 0) report("no account password policy: add an aws:iam/accountPasswordPolicy:AccountPasswordPolicy");
    for (const p of password) {
      const length = prop(p, "minimumPasswordLength");
      if (typeof length === "number" && length < 14) report(`password policy ${p.name} allows passwords shorter than 14 characters`, p.urn);
      if (length === undefined) report(`password policy ${p.name} leaves the minimum length at AWS's default (8); set minimumPasswordLength >= 14`, p.urn);
    }
    if (!ofType(args, EBS).some((e) => isOr(prop(e, "enabled"), true))) report("EBS encryption by default is not on: add an aws:ebs/encryptionByDefault:EncryptionByDefault with enabled true");
    const s3 = ofType(args, S3);
    if (!s3.some((b) => S3_FLAGS.every((f) => isOr(prop(b, f), true)))) report(`the account-level S3 public access block is missing or partial: set ${S3_FLAGS.join(", ")} to true`);
    if (!ofType(args, IMDS).some((m) => isOr(prop(m, "httpTokens"), "required"))) report("IMDSv2 is not the account's default: add an aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults with httpTokens required");
  },
};
