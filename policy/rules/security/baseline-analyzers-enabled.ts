/**
 * Rule baseline-analyzers-enabled: IAM Access Analyzer and Amazon Inspector (ECR images and EC2
 * instances) run in the account (docs/security.md#detective-controls).
 */
import type { StackRule } from "../types";
import { UNKNOWN } from "../network/lib/values";
import { holdsAccountControls, ofType, prop } from "./lib";

const ANALYZER = "aws:accessanalyzer/analyzer:Analyzer";
const INSPECTOR = "aws:inspector2/enabler:Enabler";

export const baselineAnalyzersEnabled: StackRule = {
  name: "baseline-analyzers-enabled",
  description:
    "Every account's baseline runs IAM Access Analyzer and Amazon Inspector for ECR images and EC2 instances, so resources shared outside the account and known vulnerabilities in images and data nodes are found.",
  meta: { category: "security", domain: "security", appliesTo: [ANALYZER, INSPECTOR], fsbp: "IAM.28" },
  validateStack: (args, report) => {
    if (!holdsAccountControls(args)) return;
    if (ofType(args, ANALYZER).length === 0) report("no IAM Access Analyzer: add an aws:accessanalyzer/analyzer:Analyzer");
    const types = ofType(args, INSPECTOR).flatMap((e) => {
      const v = prop(e, "resourceTypes");
      return v === UNKNOWN ? ["ECR", "EC2"] : Array.isArray(v) ? v : [];
    });
    const missing = ["ECR", "EC2"].filter((t) => !types.includes(t));
    if (missing.length > 0) report(`Amazon Inspector does not scan ${missing.join(" and ")}: add an aws:inspector2/enabler:Enabler with resourceTypes ECR and EC2`);
  },
};
