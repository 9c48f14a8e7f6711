/**
 * Rule baseline-trail-enabled: the stack's account has a CloudTrail trail that is logging,
 * multi-region, validated, KMS-encrypted and delivered to CloudWatch Logs (docs/security.md).
 */
import type { StackRule } from "../types";
import { holdsAccountControls, isOr, ofType, prop } from "./lib";

const TRAIL = "aws:cloudtrail/trail:Trail";

export const baselineTrailEnabled: StackRule = {
  name: "baseline-trail-enabled",
  description:
    "Every account's baseline has a CloudTrail trail that is logging, multi-region, validates its log files, encrypts them with KMS and delivers to CloudWatch Logs, so no API call in any region goes unrecorded or can be altered unseen.",
  meta: { category: "security", domain: "security", appliesTo: [TRAIL], fsbp: "CloudTrail.1" },
  validateStack: (args, report) => {
    if (!holdsAccountControls(args)) return;
    const trails = ofType(args, TRAIL);
    if (trails.length === 0) return report("the stack has no CloudTrail trail: add the SecurityBaseline (stacks/security.ts)");
    const problems = trails.map((t) => {
      const missing: string[] = [];
      if (prop(t, "enableLogging") === false) missing.push("enableLogging is false");
      if (!isOr(prop(t, "isMultiRegionTrail"), true)) missing.push("isMultiRegionTrail is not true");
      if (!isOr(prop(t, "enableLogFileValidation"), true)) missing.push("enableLogFileValidation is not true");
      if (prop(t, "kmsKeyId") === undefined) missing.push("kmsKeyId is not set");
      if (prop(t, "cloudWatchLogsGroupArn") === undefined) missing.push("cloudWatchLogsGroupArn is not set");
      return { t, missing };
    });
    if (problems.some((p) => p.missing.length === 0)) return;
    for (const { t, missing } of problems) report(`trail ${t.name} does not meet the baseline: ${missing.join("; ")}`, t.urn);
  },
};
