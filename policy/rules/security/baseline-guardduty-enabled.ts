/**
 * Rule baseline-guardduty-enabled: the account has an enabled GuardDuty detector with S3
 * protection, EBS malware protection and Runtime Monitoring (docs/security.md#detective-controls).
 */
import type { StackRule } from "../types";
import { holdsAccountControls, isOr, ofType, prop, refersTo } from "./lib";

const DETECTOR = "aws:guardduty/detector:Detector";
const FEATURE = "aws:guardduty/detectorFeature:DetectorFeature";
/** The protection plans every account turns on; both regions of the catalogue offer them (components/aws/securityServices.ts). */
export const REQUIRED_FEATURES = ["S3_DATA_EVENTS", "EBS_MALWARE_PROTECTION", "RUNTIME_MONITORING"] as const;

export const baselineGuardDutyEnabled: StackRule = {
  name: "baseline-guardduty-enabled",
  description:
    "Every account's baseline has an enabled GuardDuty detector with S3 protection, EBS malware protection and Runtime Monitoring enabled, so threats to data, volumes and running workloads are detected.",
  meta: { category: "security", domain: "security", appliesTo: [DETECTOR, FEATURE], fsbp: "GuardDuty.1" },
  validateStack: (args, report) => {
    if (!holdsAccountControls(args)) return;
    const detectors = ofType(args, DETECTOR).filter((d) => prop(d, "enable") !== false);
    if (detectors.length === 0) return report("the stack has no enabled GuardDuty detector: add the SecurityBaseline (stacks/security.ts)");
    const features = ofType(args, FEATURE);
    for (const d of detectors) {
      const on = new Set(features.filter((f) => refersTo(f, "detectorId", d) && isOr(prop(f, "status"), "ENABLED")).map((f) => prop(f, "name")));
      const missing = REQUIRED_FEATURES.filter((name) => !on.has(name));
      if (missing.length > 0) report(`GuardDuty detector ${d.name} lacks ${missing.join(", ")} (an aws:guardduty/detectorFeature:DetectorFeature with status ENABLED each)`, d.urn);
    }
  },
};
