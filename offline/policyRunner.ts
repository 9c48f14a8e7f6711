/**
 * Runs the pack's rule objects over a captured graph the way `pulumi preview --policy-pack` does:
 *
 * - enforcement and config resolved as the CLI resolves `--policy-pack-config` (policyConfig.ts);
 *   an invalid config stops the run with errors and no findings, as the CLI refuses to start;
 * - resource rules see every registered resource (custom, component, provider, the root stack;
 *   not reads, which the engine never sends to Analyze) with its inputs; a resource rule's
 *   findings are always attributed to the analysed resource (the engine ignores a reported URN);
 * - stack rules see every captured resource (reads included, as in the snapshot) with its outputs,
 *   `parent` and `dependencies` linked to the other PolicyResource objects;
 * - `disabled` skips a policy; `remediate` reports as mandatory (nothing is remediated offline);
 *   an unknown value touched during validation is an advisory preview note, not a violation.
 */
import type { EnforcementLevel } from "@pulumi/policy";
import type { Rule } from "../policy/rules/types";
import { isStackRule } from "../policy/rules/types";
import { PolicyInput, PropsText, RuleOutcome, RuleReport, inputDigest, runResourceRule, runStackRule } from "./policyArgs";
import { PolicyConfigError, SDK_DEFAULT_LEVEL, resolvePackConfig } from "./policyConfig";
import type { CapturedResource } from "./types";

export type ReportedLevel = "advisory" | "mandatory";

export interface PolicyFinding {
  policy: string;
  level: ReportedLevel;
  message: string;
  /** The resource the finding is about; absent for a stack-wide finding. */
  urn?: string;
  name?: string;
  type?: string;
}

export interface PolicyRunError {
  policy: string;
  message: string;
  /** Config key, for config errors. */
  key?: string;
  /** The resource being validated when a rule threw. */
  urn?: string;
}

export interface NotApplicable {
  policy: string;
  reason: string;
  urn?: string;
}

export interface PolicyResult {
  /** Mandatory first, then by policy and URN. */
  violations: PolicyFinding[];
  /** "can't run policy ... during preview" notes (always advisory). */
  notes: PolicyFinding[];
  /** `args.notApplicable()` calls (the type fast path's skips are not listed: one per resource). */
  notApplicable: NotApplicable[];
  /** Invalid config or a rule that threw: the CLI would fail the preview. */
  errors: PolicyRunError[];
  warnings: string[];
  /** Effective level of every policy for this run. */
  levels: Record<string, EnforcementLevel>;
  /** With `keepOutcomes`, what every resource rule said of each resource; absent when a rule threw. */
  outcomes?: OutcomeTable;
}

/** What one resource rule said of one resource, as kept for a later run: only what a run reports. */
export interface StoredOutcome {
  reports?: RuleReport[];
  previewNotes?: string[];
  notApplicable?: string[];
}

/**
 * The resource rules' outcomes of one run, by resource: for each analysed resource's input digest
 * (policyArgs.ts inputDigest), the rules that said anything of it, by name; `{}` when none did.
 * JSON as it is: the plan's cache stores it (planCache.ts).
 */
export type OutcomeTable = Record<string, Record<string, StoredOutcome>>;

export interface RunPoliciesOptions {
  /** What `args.stackTags` holds (the CLI sends `pulumi:project`, `pulumi:runtime`, ...). */
  stackTags?: Record<string, string>;
  /** The `enforcementLevel` passed to `new PolicyPack`. @default "advisory" (the SDK default) */
  packEnforcementLevel?: EnforcementLevel;
  /**
   * The outcomes of an earlier run of the same rules with the same config, stack tags and pack
   * level, over the same versions of the modules they import (the caller checks all of that): a
   * resource whose input digest is in it is validated by no resource rule again, and its stored
   * outcomes stand in. A resource rule is a function of its arguments alone, so the findings are
   * those of a full run (test/policy/outcomeReuse.test.ts holds the runner to that). Stack rules
   * always run.
   */
  reuse?: OutcomeTable;
  /** Also answer this run's resource-rule outcomes (PolicyResult.outcomes). */
  keepOutcomes?: boolean;
}

const NO_OUTCOME: RuleOutcome = Object.freeze({ reports: Object.freeze([]) as never[], previewNotes: Object.freeze([]) as never[], notApplicable: Object.freeze([]) as never[] });

function restored(s: StoredOutcome | undefined): RuleOutcome {
  return s === undefined ? NO_OUTCOME : { reports: s.reports ?? [], previewNotes: s.previewNotes ?? [], notApplicable: s.notApplicable ?? [] };
}

function stored(out: RuleOutcome): StoredOutcome | undefined {
  if (out.reports.length === 0 && out.previewNotes.length === 0 && out.notApplicable.length === 0) return undefined;
  return {
    ...(out.reports.length > 0 ? { reports: out.reports.map((r) => ({ ...r })) } : {}),
    ...(out.previewNotes.length > 0 ? { previewNotes: [...out.previewNotes] } : {}),
    ...(out.notApplicable.length > 0 ? { notApplicable: [...out.notApplicable] } : {}),
  };
}

const PROVIDER_PREFIX = "pulumi:providers:";

function providerUrn(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  const i = ref.lastIndexOf("::");
  return i > 0 ? ref.slice(0, i) : ref;
}

/** What the runner reads of a captured resource; its inputs and outputs may come as JSON text (the policy worker's). */
export type PolicyResourceRecord = Pick<CapturedResource, "urn" | "type" | "name" | "parent" | "read" | "options"> & {
  inputs: Record<string, unknown> | PropsText;
  outputs: Record<string, unknown> | PropsText;
};

function toInput(r: PolicyResourceRecord, props: Record<string, unknown> | PropsText, byUrn: ReadonlyMap<string, PolicyResourceRecord>): PolicyInput {
  const provider = byUrn.get(providerUrn(r.options.provider) ?? "");
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    props,
    parent: r.parent,
    dependencies: r.options.dependsOn,
    opts: {
      protect: r.options.protect,
      ignoreChanges: r.options.ignoreChanges,
      additionalSecretOutputs: r.options.additionalSecretOutputs,
      ...(r.options.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
    },
    ...(provider && provider.type.startsWith(PROVIDER_PREFIX) ? { provider: { type: provider.type, name: provider.name, urn: provider.urn, props: provider.inputs } } : {}),
  };
}

function reportedLevel(level: EnforcementLevel): ReportedLevel | undefined {
  if (level === "disabled") return undefined;
  return level === "advisory" ? "advisory" : "mandatory";
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const RANK: Record<ReportedLevel, number> = { mandatory: 0, advisory: 1 };

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function byImportance(a: PolicyFinding, b: PolicyFinding): number {
  return RANK[a.level] - RANK[b.level] || compare(a.policy, b.policy) || compare(a.urn ?? "", b.urn ?? "");
}

export function runPolicies(
  resources: readonly PolicyResourceRecord[],
  rules: readonly Rule[],
  packConfig: unknown,
  opts: RunPoliciesOptions = {},
): PolicyResult {
  const resolved = resolvePackConfig(rules, packConfig, opts.packEnforcementLevel ?? SDK_DEFAULT_LEVEL);
  const result: PolicyResult = {
    violations: [],
    notes: [],
    notApplicable: [],
    errors: resolved.errors.map((e: PolicyConfigError) => ({ policy: e.policy, message: e.message, ...(e.key ? { key: e.key } : {}) })),
    warnings: resolved.warnings,
    levels: Object.fromEntries([...resolved.policies].map(([name, p]) => [name, p.level])),
  };
  if (result.errors.length > 0) return result;

  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const stackTags = new Map(Object.entries(opts.stackTags ?? {}));
  const analysed = resources.filter((r) => !r.read).map((r) => toInput(r, r.inputs, byUrn));
  let stackView: PolicyInput[] | undefined;
  // Outcomes by resource, taken from `reuse` and kept for the next run (each analysed resource has a row).
  const digests = opts.reuse !== undefined || opts.keepOutcomes ? analysed.map(inputDigest) : undefined;
  const earlier = digests?.map((d) => (opts.reuse !== undefined && Object.hasOwn(opts.reuse, d) ? opts.reuse[d] : undefined));
  const table: OutcomeTable | undefined = opts.keepOutcomes && digests ? Object.fromEntries(digests.map((d) => [d, {}])) : undefined;

  const record = (rule: Rule, level: ReportedLevel, out: RuleOutcome, subject: PolicyInput | undefined): void => {
    // Most rule x resource outcomes hold nothing.
    if (out.reports.length === 0 && out.previewNotes.length === 0 && out.notApplicable.length === 0) return;
    const about = (urn: string | undefined) => {
      const target = subject ?? (urn ? byUrn.get(urn) : undefined);
      return target ? { urn: target.urn, name: target.name, type: target.type } : urn ? { urn } : {};
    };
    for (const report of out.reports as RuleReport[]) {
      const own = report.level ? reportedLevel(report.level) : level;
      if (!own) continue;
      result.violations.push({ policy: rule.name, level: own, message: report.message, ...about(report.urn) });
    }
    for (const note of out.previewNotes) result.notes.push({ policy: rule.name, level: "advisory", message: note, ...about(undefined) });
    for (const reason of out.notApplicable) result.notApplicable.push({ policy: rule.name, reason, ...(subject ? { urn: subject.urn } : {}) });
  };

  for (const rule of rules) {
    const { level: configured, config } = resolved.policies.get(rule.name)!;
    const level = reportedLevel(configured);
    if (!level) continue;
    const ctx = { config, stackTags };
    if (isStackRule(rule)) {
      stackView ??= resources.map((r) => toInput(r, r.outputs, byUrn));
      try {
        record(rule, level, runStackRule(rule, stackView, ctx), undefined);
      } catch (e) {
        result.errors.push({ policy: rule.name, message: `stack policy threw: ${message(e)}` });
      }
      continue;
    }
    for (let i = 0; i < analysed.length; i++) {
      const input = analysed[i]!;
      const row = earlier?.[i];
      try {
        const out = row !== undefined ? restored(Object.hasOwn(row, rule.name) ? row[rule.name] : undefined) : runResourceRule(rule, input, ctx);
        record(rule, level, out, input);
        const keep = table && stored(out);
        if (keep) table[digests![i]!]![rule.name] = keep;
      } catch (e) {
        result.errors.push({ policy: rule.name, urn: input.urn, message: `policy threw on ${input.name} (${input.type}): ${message(e)}` });
      }
    }
  }
  result.violations.sort(byImportance);
  result.notes.sort(byImportance);
  if (table && result.errors.length === 0) result.outcomes = table;
  return result;
}
