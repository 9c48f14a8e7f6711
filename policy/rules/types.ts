/**
 * The shape of a rule in this pack. A rule is a plain CrossGuard policy object (so the same object
 * runs in `pulumi preview --policy-pack policy` and in the offline runner) plus metadata the pack
 * uses for enforcement per stack, the rule catalogue in docs/policy-pack.md and the tests.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/** Security rules are mandatory everywhere; availability rules are mandatory in prod/preprod only. */
export type RuleCategory = "security" | "availability";

export interface RuleMeta {
  category: RuleCategory;
  /** Policy-pack domain folder: network, compute, data, edge, iam, logging, tagging, ... */
  domain: string;
  /** Every type token the rule inspects, including aliases (`aws:lb/...` and `aws:alb/...`). */
  appliesTo: readonly string[];
  /** AWS Foundational Security Best Practices control implemented, e.g. "EC2.8", when one exists. */
  fsbp?: string;
}

export type ResourceRule = ResourceValidationPolicy & { meta: RuleMeta };
export type StackRule = StackValidationPolicy & { meta: RuleMeta };
export type Rule = ResourceRule | StackRule;

export function isStackRule(rule: Rule): rule is StackRule {
  return "validateStack" in rule;
}
