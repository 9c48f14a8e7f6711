/**
 * Rule baseline-securityhub-standards: Security Hub is enabled with the AWS Foundational Security
 * Best Practices and CIS AWS Foundations standards (docs/security.md#detective-controls).
 */
import type { StackRule } from "../types";
import { UNKNOWN } from "../network/lib/values";
import { standardKind } from "../../../components/aws/securityServices";
import { holdsAccountControls, ofType, prop } from "./lib";

const ACCOUNT = "aws:securityhub/account:Account";
const SUBSCRIPTION = "aws:securityhub/standardsSubscription:StandardsSubscription";

export const baselineSecurityHubStandards: StackRule = {
  name: "baseline-securityhub-standards",
  description:
    "Every account's baseline enables Security Hub with the AWS Foundational Security Best Practices and CIS AWS Foundations Benchmark standards, so every control of both is evaluated continuously.",
  meta: { category: "security", domain: "security", appliesTo: [ACCOUNT, SUBSCRIPTION], fsbp: "SecurityHub.1" },
  validateStack: (args, report) => {
    if (!holdsAccountControls(args)) return;
    if (ofType(args, ACCOUNT).length === 0) return report("the stack does not enable Security Hub: add the SecurityBaseline (stacks/security.ts)");
    const arns = ofType(args, SUBSCRIPTION).map((s) => prop(s, "standardsArn"));
    if (arns.includes(UNKNOWN)) return;
    const kinds = new Set(arns.map((a) => (typeof a === "string" ? standardKind(a) : undefined)));
    const missing = [["fsbp", "AWS Foundational Security Best Practices"], ["cis", "CIS AWS Foundations Benchmark"]].filter(([k]) => !kinds.has(k as "fsbp" | "cis")).map(([, label]) => label);
    if (missing.length > 0) report(`Security Hub is not subscribed to ${missing.join(" and ")}: add an aws:securityhub/standardsSubscription:StandardsSubscription for each`);
  },
};
