import type { ResourceRule } from "../types";
import { WEB_ACL_TYPE } from "./loadBalancers";

const COMMON_RULE_SET = "AWSManagedRulesCommonRuleSet";
/** Actions that stop a request; `count` only records it. */
const ENFORCING_ACTIONS = ["block", "captcha", "challenge"];

interface WafRule {
  name?: unknown;
  action?: Record<string, unknown>;
  overrideAction?: Record<string, unknown>;
  statement?: {
    rateBasedStatement?: unknown;
    managedRuleGroupStatement?: { name?: unknown; vendorName?: unknown };
  };
}

function enforces(rule: WafRule): boolean {
  return ENFORCING_ACTIONS.some((a) => rule.action?.[a] !== undefined);
}

export const wafWebAclRateLimitAndCommonRules: ResourceRule = {
  name: "waf-web-acl-rate-limit-and-common-rules",
  description:
    "Every WAFv2 web ACL has an enforcing (not count-only) rate-based rule and the AWS managed common rule set (AWSManagedRulesCommonRuleSet, override action none), so floods from one IP and the OWASP top-10 patterns are blocked, not just observed.",
  meta: { category: "security", domain: "edge", appliesTo: [WEB_ACL_TYPE], fsbp: "WAF.10" },
  validateResource: (args, report) => {
    if (args.type !== WEB_ACL_TYPE) return;
    const rules: unknown = args.props.rules;
    const list = (Array.isArray(rules) ? rules : []) as WafRule[];
    const rateBased = list.filter((r) => r.statement?.rateBasedStatement !== undefined);
    if (rateBased.length === 0) report("web ACL has no rate-based rule");
    else if (!rateBased.some(enforces)) report(`rate-based rule(s) ${rateBased.map((r) => `"${String(r.name)}"`).join(", ")} only count; give one a block action`);
    const common = list.filter((r) => r.statement?.managedRuleGroupStatement?.vendorName === "AWS" && r.statement.managedRuleGroupStatement.name === COMMON_RULE_SET);
    if (common.length === 0) report(`web ACL does not use the AWS managed rule group ${COMMON_RULE_SET}`);
    else if (!common.some((r) => r.overrideAction?.none !== undefined)) report(`${COMMON_RULE_SET} is overridden to count; use overrideAction none`);
  },
};
