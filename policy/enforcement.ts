/**
 * The enforcement model, as data. `policy/config/<stack>.json` is generated from this file and the
 * rule metadata (`npm run policy:config`); nothing else decides a rule's level in a stack.
 *
 * - security rules: mandatory in every stack;
 * - availability rules: mandatory in prod, preprod and management (the hub every environment,
 *   prod included, routes through), advisory in dev and stage;
 * - OVERRIDES: the only exceptions, one line each with the reason (mirrored in docs/policy-pack.md, "Enforcement").
 *
 * The pack itself defaults to mandatory (policy/pack.ts), so a run without a config file, or a
 * rule missing from one, fails closed.
 */
import type { EnforcementLevel } from "@pulumi/policy";
import { STACKS, StackName } from "../config/schema";
import type { Rule, RuleCategory } from "./rules/types";
import { type StackRuleProperties, stackRuleConfig } from "./stackRuleConfig";

export { STACKS, StackName };

const STRICT_STACKS: readonly StackName[] = ["management", "preprod", "prod"];

export function baseLevel(category: RuleCategory, stack: StackName): "mandatory" | "advisory" {
  if (category === "security") return "mandatory";
  return STRICT_STACKS.includes(stack) ? "mandatory" : "advisory";
}

export interface StackOverride {
  stack: StackName;
  rule: string;
  /** Replaces the base level. */
  level?: EnforcementLevel;
  /** Properties for the rule's configSchema in this stack. */
  config?: Record<string, unknown>;
  /** Why: shown next to the enforcement table of docs/policy-pack.md and reviewed like code. */
  reason: string;
}

/** Per-stack exceptions. Keep it short; every line needs a reason a reviewer accepts. */
export const OVERRIDES: readonly StackOverride[] = [
  { stack: "management", rule: "cost-within-budget", level: "advisory", reason: "the budget gates prod only: the hub's cost is reviewed with the estimate in the plan and merge-request report, never blocks the hub every environment routes through" },
  { stack: "preprod", rule: "cost-within-budget", level: "advisory", reason: "the budget gates prod only: preprod mirrors prod's shape for rehearsals and may run over while a change is tried before prod" },
];

/** One `--policy-pack-config` value: a level, or a level plus the rule's properties. */
export type PackConfigEntry = EnforcementLevel | ({ enforcementLevel: EnforcementLevel } & Record<string, unknown>);
export type PackConfigFile = Record<string, PackConfigEntry>;

function checkOverrides(rules: readonly Rule[], overrides: readonly StackOverride[]): void {
  const names = new Set(rules.map((r) => r.name));
  const problems: string[] = [];
  const seen = new Set<string>();
  overrides.forEach((o, i) => {
    const where = `OVERRIDES[${i}] (${o.stack}/${o.rule})`;
    if (!STACKS.includes(o.stack)) problems.push(`${where}: unknown stack`);
    if (!names.has(o.rule)) problems.push(`${where}: no rule of that name`);
    if (!o.reason || o.reason.trim().length < 10) problems.push(`${where}: needs a reason`);
    if (o.level === undefined && o.config === undefined) problems.push(`${where}: sets neither level nor config`);
    if (o.config && "enforcementLevel" in o.config) problems.push(`${where}: use level, not config.enforcementLevel`);
    const key = `${o.stack}/${o.rule}`;
    if (seen.has(key)) problems.push(`${where}: duplicate override`);
    seen.add(key);
  });
  if (problems.length > 0) throw new Error(`invalid policy overrides:\n  ${problems.join("\n  ")}`);
}

/** The `--policy-pack-config` document for one stack: every rule, sorted by name. */
export function stackConfig(rules: readonly Rule[], stack: StackName, overrides: readonly StackOverride[] = OVERRIDES, fromStack: StackRuleProperties = stackRuleConfig(stack)): PackConfigFile {
  checkOverrides(rules, overrides);
  const out: PackConfigFile = {};
  for (const rule of [...rules].sort((a, b) => a.name.localeCompare(b.name))) {
    const o = overrides.find((x) => x.stack === stack && x.rule === rule.name);
    const level = o?.level ?? baseLevel(rule.meta.category, stack);
    // Properties from the stack's own config file (its budget, ...), then the override's.
    const props = { ...fromStack[rule.name], ...o?.config };
    out[rule.name] = Object.keys(props).length > 0 ? { enforcementLevel: level, ...props } : level;
  }
  return out;
}

export function renderConfig(config: PackConfigFile): string {
  return JSON.stringify(config, null, 2) + "\n";
}

/** Path of a stack's config file relative to the repository root. */
export function configFileFor(stack: string): string {
  return `policy/config/${stack}.json`;
}
