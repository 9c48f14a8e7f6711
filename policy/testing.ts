/**
 * Test harness for rule authors. A rule runs here through the same argument builder, unknown-value
 * proxy, type fast path and config resolution (schema defaults + validation) as in `npm run plan`,
 * so a rule test cannot pass on arguments the real pack would never send.
 *
 * ```ts
 * import { checkResource, checkStack, UNKNOWN } from "../../policy/testing";
 * expect(checkResource(rule, "aws:s3/bucket:Bucket", { bucket: "x" })).to.deep.equal([]);
 * expect(checkResource(rule, "aws:rds/instance:Instance", { storageEncrypted: false })).to.have.length(1);
 * ```
 *
 * Test-only: the pack (policy/index.ts) never imports this file.
 */
import type { PolicyResourceOptions } from "@pulumi/policy";
import { PolicyInput, RuleOutcome, UNKNOWN, runResourceRule, runStackRule } from "../offline/policyArgs";
import { formatConfigError, resolvePackConfig } from "../offline/policyConfig";
import { Rule, ResourceRule, StackRule, isStackRule } from "./rules/types";

export { UNKNOWN };

export interface CheckResourceExtra {
  /** Resource options as the CLI sends them (protect, ignoreChanges, parent...). */
  opts?: Partial<PolicyResourceOptions>;
  /** @default "test" */
  name?: string;
  /** @default a URN built from `type` and `name` in stack `test` */
  urn?: string;
  /** The rule's entry in `--policy-pack-config` (without `enforcementLevel`); defaults applied. */
  config?: Record<string, unknown>;
  stackTags?: Record<string, string>;
}

export interface StackResourceSpec {
  type: string;
  props: Record<string, unknown>;
  /** @default `<last segment of type, lower case>-<index>` */
  name?: string;
  /** @default built from type and name */
  urn?: string;
  /** Name or URN of another resource in the list. */
  parent?: string;
  /** Names or URNs of other resources in the list. */
  dependencies?: string[];
  opts?: Partial<PolicyResourceOptions>;
}

export interface StackViolation {
  message: string;
  urn?: string;
}

/** Everything a resource rule produced, for tests that care about more than violations. */
export interface ResourceCheck {
  violations: string[];
  /** A validation touched an unknown value: the CLI reports an advisory note, not a violation. */
  previewNotes: string[];
  /** `args.notApplicable()` reasons, and the SDK's type fast path skipping the rule. */
  notApplicable: string[];
}

export function testUrn(type: string, name: string): string {
  return `urn:pulumi:test::tila-platform::${type}::${name}`;
}

function contextFor(rule: Rule, config: Record<string, unknown> | undefined, stackTags?: Record<string, string>) {
  const resolved = resolvePackConfig([rule], config ? { [rule.name]: config } : {});
  if (resolved.errors.length > 0) {
    throw new Error(`invalid config for "${rule.name}":\n  ${resolved.errors.map(formatConfigError).join("\n  ")}`);
  }
  return { config: resolved.policies.get(rule.name)!.config, stackTags: new Map(Object.entries(stackTags ?? {})) };
}

function asResourceRule(rule: Rule): ResourceRule {
  if (isStackRule(rule)) throw new Error(`"${rule.name}" is a stack rule: use checkStack`);
  return rule;
}

function asStackRule(rule: Rule): StackRule {
  if (!isStackRule(rule)) throw new Error(`"${rule.name}" is a resource rule: use checkResource`);
  return rule;
}

/** Runs a resource rule on one resource's inputs and returns everything it produced. */
export function checkResourceDetailed(rule: Rule, type: string, props: Record<string, unknown>, extra: CheckResourceExtra = {}): ResourceCheck {
  const name = extra.name ?? "test";
  const input: PolicyInput = { type, name, urn: extra.urn ?? testUrn(type, name), props, opts: extra.opts, parent: extra.opts?.parent };
  const out: RuleOutcome = runResourceRule(asResourceRule(rule), input, contextFor(rule, extra.config, extra.stackTags));
  return { violations: out.reports.map((r) => r.message), previewNotes: out.previewNotes, notApplicable: [...(out.skippedForType ? [out.skippedForType] : []), ...out.notApplicable] };
}

/** Violation messages a resource rule reports for one resource's inputs (empty when compliant). */
export function checkResource(rule: Rule, type: string, props: Record<string, unknown>, extra: CheckResourceExtra = {}): string[] {
  return checkResourceDetailed(rule, type, props, extra).violations;
}

function defaultName(type: string, i: number): string {
  return `${(type.split(":").pop() ?? "resource").toLowerCase()}-${i}`;
}

/** Builds the stack a stack rule sees, linking parent/dependencies given by name or URN. */
export function stackInputs(resources: readonly StackResourceSpec[]): PolicyInput[] {
  const named = resources.map((r, i) => {
    const name = r.name ?? defaultName(r.type, i);
    return { spec: r, name, urn: r.urn ?? testUrn(r.type, name) };
  });
  const urns = new Set<string>();
  for (const n of named) {
    if (urns.has(n.urn)) throw new Error(`two resources share the URN ${n.urn}: give them distinct names`);
    urns.add(n.urn);
  }
  const resolve = (ref: string): string => {
    const hit = named.find((n) => n.urn === ref) ?? named.find((n) => n.name === ref);
    if (!hit) throw new Error(`"${ref}" is neither the name nor the URN of a resource in the list`);
    return hit.urn;
  };
  return named.map(({ spec, name, urn }) => ({
    type: spec.type,
    name,
    urn,
    props: spec.props,
    opts: spec.opts,
    ...(spec.parent ? { parent: resolve(spec.parent) } : {}),
    dependencies: (spec.dependencies ?? []).map(resolve),
  }));
}

/** Violations a stack rule reports over the given resources (their outputs). */
export function checkStack(rule: Rule, resources: readonly StackResourceSpec[], config?: Record<string, unknown>): StackViolation[] {
  const out = runStackRule(asStackRule(rule), stackInputs(resources), contextFor(rule, config));
  return out.reports.map((r) => ({ message: r.message, ...(r.urn ? { urn: r.urn } : {}) }));
}
