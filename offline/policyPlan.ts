/**
 * Glue between the policy runner and `npm run plan`: which pack and config files a plan uses,
 * loading and validating those files before any stack runs, and the StackAnalyzer that turns a
 * PolicyResult into the plan's per-stack violations.
 */
import * as fs from "fs";
import * as path from "path";
import type { EnforcementLevel } from "@pulumi/policy";
import type { Rule } from "../policy/rules/types";
import { DigestMemo, digest, policySourcesDigest } from "./cacheKey";
import type { StackRun } from "./engine";
import { DEFAULT_PROJECT_DIR } from "./projectDir";
import type { OutcomeMemo, PolicyViolation, StackAnalyzer } from "./plan";
import { formatConfigError, resolvePackConfig } from "./policyConfig";
import { precompileValidators } from "./policyValidators";
import { PropsText } from "./policyArgs";
import { OutcomeTable, PolicyResourceRecord, runPolicies } from "./policyRunner";

export interface PolicySetup {
  rules: readonly Rule[];
  /** Holds `<stack>.json` in the `--policy-pack-config` format. */
  configDir: string;
  packEnforcementLevel: EnforcementLevel;
  /** Passed to rules as `args.stackTags`. */
  stackTags?: Record<string, string>;
  /** Where the rules' compiled config validators are kept across processes (policyValidators.ts); none: compiled in each. */
  validatorCacheDir?: string;
}

/** This repository's pack: policy/rules and policy/config. Loaded lazily so a broken rule cannot break `--help`. */
export function repositoryPolicySetup(): PolicySetup {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { RULES } = require("../policy/rules") as typeof import("../policy/rules");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PACK_ENFORCEMENT_LEVEL, PACK_NAME } = require("../policy/pack") as typeof import("../policy/pack");
  return {
    rules: RULES,
    configDir: path.join(DEFAULT_PROJECT_DIR, "policy", "config"),
    packEnforcementLevel: PACK_ENFORCEMENT_LEVEL,
    stackTags: { "pulumi:project": PACK_NAME, "pulumi:runtime": "nodejs" },
    validatorCacheDir: path.join(DEFAULT_PROJECT_DIR, "node_modules", ".cache", "tila-ajv"),
  };
}

/**
 * Reads `<configDir>/<stack>.json` for every stack and resolves it against the rules, collecting
 * every problem (missing file, bad JSON, invalid level, schema violation) before anything runs.
 */
export function loadPolicyConfigs(setup: PolicySetup, stacks: readonly string[]): { configs: Record<string, unknown>; errors: string[] } {
  const configs: Record<string, unknown> = {};
  const errors: string[] = [];
  if (setup.validatorCacheDir !== undefined) precompileValidators(setup.rules, setup.validatorCacheDir);
  for (const stack of stacks) {
    const file = path.join(setup.configDir, `${stack}.json`);
    if (!fs.existsSync(file)) {
      errors.push(`${file}: missing (every stack needs a policy config; run npm run policy:config)`);
      continue;
    }
    try {
      configs[stack] = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      errors.push(`${file}: not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const resolved = resolvePackConfig(setup.rules, configs[stack], setup.packEnforcementLevel);
    for (const err of resolved.errors) errors.push(`${file}: ${formatConfigError(err)}`);
  }
  return { configs, errors };
}

/** What the pack reads of a stack run (all of it plain data, so it can cross to a worker thread). */
export interface PolicyStackInput {
  stack: string;
  project: string;
  resources: readonly PolicyResourceRecord[];
}

/** A resource as the policy worker is sent it: what the rules read, inputs and outputs as JSON text. */
export type WireResource = Omit<PolicyResourceRecord, "inputs" | "outputs"> & { inputs: string; outputs: string };

/**
 * A stack run as the policy worker is sent it (policyHost.ts). Each resource's inputs and outputs
 * cross as one string each: cheaper to copy between threads than their object trees, and the
 * worker's heap keeps strings, which its garbage collector does not walk, until a rule reads them.
 */
export interface WireStackInput {
  stack: string;
  project: string;
  resources: WireResource[];
}

export function wirePolicyInput(run: StackRun): WireStackInput {
  return {
    stack: run.stack,
    project: run.config.project,
    resources: run.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, parent: r.parent, read: r.read, options: r.options, inputs: JSON.stringify(r.inputs ?? {}), outputs: JSON.stringify(r.outputs ?? {}) })),
  };
}

/** The worker's side of wirePolicyInput. */
export function fromWire(input: WireStackInput): PolicyStackInput {
  return { ...input, resources: input.resources.map((r) => ({ ...r, inputs: new PropsText(r.inputs), outputs: new PropsText(r.outputs) })) };
}

/**
 * Runs the rules over one stack's captured graph with that stack's config; the plan's violations.
 * With `reuse`, resources whose input is unchanged take the earlier outcomes of the resource rules
 * (PolicyResult.outcomes), and this run's go to `keep`.
 */
export function analyzeStack(
  setup: PolicySetup,
  configs: Readonly<Record<string, unknown>>,
  input: PolicyStackInput,
  reuse?: { previous?: OutcomeTable; keep: (outcomes: OutcomeTable | undefined) => void },
): PolicyViolation[] {
  const result = runPolicies(input.resources, setup.rules, configs[input.stack], {
    packEnforcementLevel: setup.packEnforcementLevel,
    stackTags: { ...setup.stackTags, "pulumi:project": input.project },
    ...(reuse ? { keepOutcomes: true, ...(reuse.previous ? { reuse: reuse.previous } : {}) } : {}),
  });
  reuse?.keep(result.outcomes);
  const out: PolicyViolation[] = [];
  for (const e of result.errors) {
    out.push({ policy: e.policy, enforcementLevel: "mandatory", kind: "error", message: e.key ? `${e.key}: ${e.message}` : e.message, ...(e.urn ? { urn: e.urn } : {}) });
  }
  for (const v of result.violations) {
    out.push({ policy: v.policy, enforcementLevel: v.level, message: v.message, ...(v.urn ? { urn: v.urn } : {}), ...(v.name ? { name: v.name } : {}), ...(v.type ? { type: v.type } : {}) });
  }
  for (const n of result.notes) {
    out.push({ policy: n.policy, enforcementLevel: "advisory", kind: "note", message: n.message, ...(n.urn ? { urn: n.urn, name: n.name, type: n.type } : {}) });
  }
  return out;
}

/** What the pack reads of a run. */
export function policyInput(run: StackRun): PolicyStackInput {
  return { stack: run.stack, project: run.config.project, resources: run.resources };
}

/** The plan hook, in this thread: runs the rules over one stack's captured graph. */
export function policyAnalyzer(setup: PolicySetup, configs: Readonly<Record<string, unknown>>): StackAnalyzer {
  return (run, memo?: OutcomeMemo) => analyzeStack(setup, configs, policyInput(run), memo && { previous: memo.previous(), keep: (o) => memo.keep(o) });
}

/** A rule as data: its settings, and its functions by their source text (a test's inline rule changes with them). */
function ruleIdentity(value: unknown): unknown {
  if (typeof value === "function") return String(value);
  if (Array.isArray(value)) return value.map(ruleIdentity);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ruleIdentity(v)]));
  return value;
}

/**
 * What the policy findings of one stack depend on besides its graph: the pack's sources in the
 * repository, the rules as loaded, the pack settings and that stack's config. The plan's cache
 * reuses stored findings only when this is unchanged (planCache.ts).
 */
export function policyCacheKey(setup: PolicySetup, configs: Readonly<Record<string, unknown>>, repoRoot: string = DEFAULT_PROJECT_DIR, memo?: DigestMemo): (stack: string) => string | undefined {
  const shared = digest({
    sources: policySourcesDigest(repoRoot, memo),
    rules: ruleIdentity(setup.rules),
    packEnforcementLevel: setup.packEnforcementLevel,
    stackTags: setup.stackTags ?? null,
  });
  return (stack) => (stack in configs ? digest({ shared, config: configs[stack] }) : undefined);
}
