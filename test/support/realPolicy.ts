/**
 * The whole policy pack's verdict on each unchanged real stack (its real pack config, the pack
 * enforced as mandatory, as the tests that weaken a stack run it), computed at most once per test
 * process and shared: over prod the pack costs about a second, and several test files start from
 * "the real stack is clean".
 */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { PolicyFinding, PolicyResult, runPolicies } from "../../offline/policyRunner";
import type { CapturedResource } from "../../offline/types";
import { RULES } from "../../policy/rules";
import type { Rule } from "../../policy/rules/types";
import { checkResource } from "../../policy/testing";
import { realStack } from "./realStacks";

const ROOT = path.resolve(__dirname, "../..");

/** The stack's pack config, policy/config/<stack>.json. */
export function packConfig(stack: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(ROOT, "policy", "config", `${stack}.json`), "utf8"));
}

/** The pack (or `rules` of it) over `resources` with `stack`'s config, enforced as mandatory. */
export function runPack(resources: readonly CapturedResource[], stack: string, rules: readonly Rule[] = RULES): PolicyResult {
  return runPolicies(resources, rules, packConfig(stack), { packEnforcementLevel: "mandatory" });
}

/** The mandatory findings of the pack (or `rules` of it) over `resources` with `stack`'s config; fails the test if a rule threw or the config is invalid. */
export function mandatoryFindings(resources: readonly CapturedResource[], stack: string, rules: readonly Rule[] = RULES): PolicyFinding[] {
  const result = runPack(resources, stack, rules);
  expect(result.errors, "policy run errors").to.deep.equal([]);
  return result.violations.filter((v) => v.level === "mandatory");
}

const verdicts = new Map<string, Promise<PolicyResult>>();

/** The whole pack over the real `stack`, run at most once per test process. */
export function realStackPolicy(stack: string): Promise<PolicyResult> {
  let verdict = verdicts.get(stack);
  if (!verdict) {
    verdict = realStack(stack).then((run) => runPack(run.resources, stack));
    verdicts.set(stack, verdict);
  }
  return verdict;
}

/**
 * Every resource rule of the pack over each custom resource of a component's capture on its own
 * (`checkResource`, each rule's default config): one `<rule> on <name>: <message>` line per finding.
 */
export function resourceRuleFindings(resources: readonly CapturedResource[], rules: readonly Rule[] = RULES): string[] {
  const findings: string[] = [];
  for (const rule of rules) {
    if (!("validateResource" in rule)) continue;
    for (const r of resources.filter((x) => x.custom)) {
      for (const v of checkResource(rule, r.type, r.inputs, { name: r.name, opts: { protect: r.options.protect } })) findings.push(`${rule.name} on ${r.name}: ${v}`);
    }
  }
  return findings;
}
