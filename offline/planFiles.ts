/**
 * What `npm run plan` writes to disk: per stack `resources.json` and `outputs.json`, and
 * `reachability.json` when every stack ran, with every secret value written as "[secret]" (as
 * `pulumi preview --json` does): plan files are attached to merge requests. outDir.ts decides
 * where they go and what may be removed; the captured graph in memory keeps the real values.
 */
import { PlanResult, PolicyViolation, SECRET_MASK } from "./plan";
import type { StackRun } from "./engine";
import type { CapturedResource } from "./types";
import { PlanFile, WriteOptions, WriteReport, isAscii, writeOutDir } from "./outDir";

const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/** Splits `a.b[0]["odd key"]` (the capture's path syntax) into its keys. */
function pathKeys(p: string): (string | number)[] {
  const keys: (string | number)[] = [];
  for (const m of p.matchAll(/\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|([^.[\]]+)/g)) {
    if (m[1] !== undefined) keys.push(Number(m[1]));
    else if (m[2] !== undefined) keys.push(JSON.parse(m[2]) as string);
    else keys.push(m[3]);
  }
  return keys;
}

/** A copy of `value` with the value at each path replaced by the mask; paths that are absent are skipped. */
export function maskPaths<T>(value: T, paths: readonly string[]): T {
  if (paths.length === 0) return value;
  const copy = structuredClone(value) as unknown;
  for (const p of paths) {
    const keys = pathKeys(p);
    let holder: unknown = copy;
    for (const k of keys.slice(0, -1)) holder = holder !== null && typeof holder === "object" ? (holder as Record<string | number, unknown>)[k] : undefined;
    const last = keys[keys.length - 1];
    if (holder !== null && typeof holder === "object" && last !== undefined && last in holder) (holder as Record<string | number, unknown>)[last] = SECRET_MASK;
  }
  return copy as T;
}

/**
 * Where a resource's outputs are secret: where the capture saw secrets, the outputs the program
 * asked to keep secret, and (as the engine does) every output of a custom resource whose input
 * was secret; for a StackReference, the referenced stack's secret outputs.
 */
function secretOutputPaths(r: CapturedResource, inputPaths: readonly string[]): string[] {
  const paths = [...(r.secretOutputPaths ?? []), ...r.options.additionalSecretOutputs, ...(r.custom ? inputPaths : [])];
  if (r.type === STACK_REFERENCE && Array.isArray(r.outputs.secretOutputNames)) {
    for (const name of r.outputs.secretOutputNames) if (typeof name === "string") paths.push(`outputs[${JSON.stringify(name)}]`);
  }
  return [...new Set(paths)];
}

/** One captured resource as written to `resources.json`: secret values masked, their paths listed. */
export function resourceRecord(r: CapturedResource): Record<string, unknown> {
  const secretInputs = r.secretInputPaths ?? r.secretInputs;
  const secretOutputs = secretOutputPaths(r, secretInputs);
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    parent: r.parent ?? null,
    custom: r.custom,
    id: r.id ?? null,
    inputs: maskPaths(r.inputs, secretInputs),
    outputs: maskPaths(r.outputs, secretOutputs),
    options: r.options,
    secretInputs,
    secretOutputs,
  };
}

/**
 * The order `resources.json` lists a stack's resources in: the root stack first, then by URN (which
 * groups each component's children under it). Registration order follows promise scheduling, which
 * differs with what the process did before (a stack reused from the cache or run fresh first), so
 * it is not a property of the plan; this order is, and two plans of the same graph write the same file.
 */
export function canonicalOrder<T extends { urn: string; type: string }>(resources: readonly T[]): T[] {
  const rank = (r: T): number => (r.type === "pulumi:pulumi:Stack" ? 0 : 1);
  return [...resources].sort((a, b) => rank(a) - rank(b) || (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/** One policy finding as `policy.json` records it: the rule, the resource (URN, name, type), the level and the message. */
export interface PolicyRecord {
  policy: string;
  /** `mandatory` or `advisory`; a rule that threw is `error`, one that met an unknown value `note`. */
  level: "mandatory" | "advisory" | "error" | "note";
  urn: string | null;
  name: string | null;
  type: string | null;
  message: string;
}

/** `<stack>/policy.json`: the stack's policy findings, so a later plan can tell new from resolved ones (diff.ts). */
export interface PolicyFile {
  stack: string;
  violations: PolicyRecord[];
}

function policyLevel(v: PolicyViolation): PolicyRecord["level"] {
  if (v.kind === "error") return "error";
  if (v.kind === "note") return "note";
  return v.enforcementLevel;
}

/** The findings in a fixed order (rule, URN, message), whatever order the pack reported them in. */
export function policyRecords(violations: readonly PolicyViolation[]): PolicyRecord[] {
  const records = violations.map((v) => ({ policy: v.policy, level: policyLevel(v), urn: v.urn ?? null, name: v.name ?? null, type: v.type ?? null, message: v.message }));
  const key = (r: PolicyRecord): string => `${r.policy}\u0000${r.urn ?? ""}\u0000${r.message}\u0000${r.level}`;
  return records.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Each run's `resources.json`, kept once made (see resourcesFile). */
const resourceFiles = new WeakMap<StackRun, PlanFile>();

/**
 * `<stack>/resources.json` of a run, made once: the plan makes every stack's while the policy pack
 * still checks the last one (runPlan's `whileChecking`), instead of after it. Whether the text is
 * ASCII is found then too: finding it copies JSON.stringify's pieces into one string, most of the
 * cost of writing the file.
 */
export function resourcesFile(run: StackRun): PlanFile {
  let file = resourceFiles.get(run);
  if (file === undefined) {
    const content = json(canonicalOrder(run.resources).map(resourceRecord));
    file = { rel: `${run.stack}/resources.json`, content, ascii: isAscii(content) };
    resourceFiles.set(run, file);
  }
  return file;
}

/** The files of one plan run, in writing order. A failed stack has none; a stack the pack did not check (`--no-policy`) has no policy.json. */
export function planFiles(result: PlanResult): PlanFile[] {
  const files: PlanFile[] = [];
  for (const s of result.stacks) {
    const run = result.runs[s.stack];
    if (!s.ok || !run) continue;
    files.push(resourcesFile(run));
    files.push({ rel: `${s.stack}/outputs.json`, content: json(s.outputs) });
    if (s.violations !== undefined) files.push({ rel: `${s.stack}/policy.json`, content: json({ stack: s.stack, violations: policyRecords(s.violations) } satisfies PolicyFile) });
  }
  if (result.reachability) files.push({ rel: "reachability.json", content: json(result.reachability) });
  return files;
}

function outcome(s: PlanResult["stacks"][number]): string {
  if (s.ok) return "ok";
  return `failed (${s.failure ?? "error"})`;
}

/** Writes the run (and its cache entries) into `outDir`, leaving nothing of earlier runs that could read as current. */
export function writePlanFiles(result: PlanResult, outDir: string, opts: Pick<WriteOptions, "knownStacks" | "adoptPlanShaped">): WriteReport {
  const stacks = Object.fromEntries(result.stacks.map((s) => [s.stack, outcome(s)]));
  const files = [...planFiles(result), ...(result.cache?.files ?? [])];
  return writeOutDir(outDir, files, { ...opts, stacks, dropCache: result.cache?.drop });
}
