/**
 * The diff of two plans (`npm run plan -- --diff <old plan dir>`): per stack, the resources created,
 * deleted and updated (with the changed input paths, old -> new), new and resolved policy
 * findings, the cost delta, and the reachability flows whose verdict or ports changed. Pure: it
 * compares plan snapshots as the plan files hold them (secrets already "[secret]"), so it can never
 * show a secret; planDir.ts reads an earlier plan's folder, snapshotOfResult this run.
 */
import type { PlanResult } from "./plan";
import { SECRET_MASK } from "./plan";
import type { PlanSnapshot, ResourceRecord, StackSnapshot } from "./planDir";
import { PolicyRecord, canonicalOrder, policyRecords, resourceRecord } from "./planFiles";
import type { Flow, ReachabilityReport } from "./reachability";
import { STACK_ORDER } from "./stackConfig";
import type { CapturedOptions, CapturedResource } from "./types";

export type { PlanSnapshot, ResourceRecord, StackSnapshot } from "./planDir";
export { planDirProblem, readPlanDir } from "./planDir";

/** One changed value: `path` in the capture's syntax (`a.b[2].c`, `tags["aws:cdk"]`); values as compact JSON, secrets "[secret]". */
export interface ValueChange {
  path: string;
  /** Absent: the value was added. */
  old?: string;
  /** Absent: the value was removed. */
  new?: string;
}

export interface ResourceChange {
  urn: string;
  type: string;
  name: string;
  /** For an update: what changed, inputs first (`inputs` left out of the path), then options (`options.protect`). */
  changes?: ValueChange[];
}

export interface CostDelta {
  old: number;
  new: number;
  delta: number;
}

export interface StackDiff {
  stack: string;
  /** `new stack`: not in the old plan (every resource created); `not compared`: see `note`. */
  status: "changed" | "unchanged" | "new stack" | "not compared";
  note?: string;
  created: ResourceChange[];
  deleted: ResourceChange[];
  updated: ResourceChange[];
  /** Findings of this plan not in the old one, and the old ones gone; absent when either plan has no policy.json for the stack. */
  policy?: { new: PolicyRecord[]; resolved: PolicyRecord[] };
  /** Why findings were not compared. */
  policyNote?: string;
  /** Monthly USD, when a cost estimator was given and priced both sides. */
  cost?: CostDelta;
}

/** A flow (`from -> to`) whose verdict or admitted ports changed: `none` when routed but nothing admits, `blocked` when not routed. */
export interface FlowChange {
  from: string;
  to: string;
  old: string;
  new: string;
}

export interface PlanDiff {
  /** The old plan's folder, as given. */
  against: string;
  stacks: StackDiff[];
  /** Absent when either plan has no reachability.json (it is computed only when every stack ran). */
  reachability?: FlowChange[];
  reachabilityNote?: string;
}

/** A stack's monthly cost, from its resources; undefined when it cannot be priced (the cost delta is then left out). */
export type CostOf = (stack: string, resources: readonly ResourceRecord[]) => number | undefined;

export interface DiffOptions {
  /** Prices both plans' resources (the cost estimate); without it no cost delta is given. */
  costOf?: CostOf;
  /** Stacks to compare: those this plan ran (a `--stack` run compares only its stacks). @default every stack of either plan */
  stacks?: readonly string[];
  /** Why a stack of `stacks` has no snapshot in the new plan (it failed). */
  failed?: Readonly<Record<string, string>>;
}

/** Values longer than this are cut in the diff, both sides from just before where they first differ (the plan files hold them whole). */
const MAX_VALUE_CHARS = 300;
/** Options that change what `pulumi up` does to a resource; `dependsOn` only orders operations and is not compared. */
const COMPARED_OPTIONS = ["protect", "retainOnDelete", "ignoreChanges", "deleteBeforeReplace", "provider", "additionalSecretOutputs"] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function keyPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  const plain = /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key);
  if (plain) return base === "" ? key : `${base}.${key}`;
  return `${base}[${JSON.stringify(key)}]`;
}

/** A string holding a JSON object or array (container definitions, IAM policies) is compared as its structure. */
function structured(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const t = v.trimStart();
  if (!t.startsWith("{") && !t.startsWith("[")) return v;
  try {
    const parsed = JSON.parse(v) as unknown;
    return parsed !== null && typeof parsed === "object" ? parsed : v;
  } catch {
    return v;
  }
}

/** Characters kept before the first difference when a long value is shown from there. */
const DIFF_CONTEXT = 60;

/** A value as the diff shows it: compact JSON, cut to MAX_VALUE_CHARS from `from` (the first difference, less some context). */
function shown(v: unknown, secret: boolean, from = 0): string {
  if (secret || v === SECRET_MASK) return SECRET_MASK;
  const s = JSON.stringify(v) ?? "undefined";
  if (s.length <= MAX_VALUE_CHARS) return s;
  const start = from > DIFF_CONTEXT ? from - DIFF_CONTEXT : 0;
  const body = s.slice(start, start + MAX_VALUE_CHARS - 2);
  return `${start > 0 ? "…" : ""}${body}${start + body.length < s.length ? "…" : ""}`;
}

/** Where two long values first differ as JSON, so both are shown from there; 0 when either is short. */
function firstDifference(a: unknown, b: unknown): number {
  const x = JSON.stringify(a) ?? "";
  const y = JSON.stringify(b) ?? "";
  if (x.length <= MAX_VALUE_CHARS && y.length <= MAX_VALUE_CHARS) return 0;
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return i;
}

/** Whether `p` is at or under one of the secret paths (`password`, `secrets[1].value`). */
function underSecret(p: string, secretPaths: readonly string[]): boolean {
  return secretPaths.some((s) => p === s || p.startsWith(`${s}.`) || p.startsWith(`${s}[`));
}

/**
 * The changed leaves between `a` and `b`, deep (objects by key, in key order; arrays by index), each
 * at its path under `base`. A value that is "[secret]" on either side, or under a path listed as
 * secret, is shown as "[secret]".
 */
export function changedPaths(a: unknown, b: unknown, base = "", secretPaths: readonly string[] = []): ValueChange[] {
  const out: ValueChange[] = [];
  const walk = (x: unknown, y: unknown, p: string): void => {
    const xs = structured(x);
    const ys = structured(y);
    if (xs === SECRET_MASK || ys === SECRET_MASK) {
      // A secret on both sides cannot be compared from masked files; a secret appearing or going is shown masked.
      if (xs === SECRET_MASK && ys === SECRET_MASK) return;
    } else if (isRecord(xs) && isRecord(ys)) {
      for (const k of [...new Set([...Object.keys(xs), ...Object.keys(ys)])].sort()) walk(xs[k], ys[k], keyPath(p, k));
      return;
    } else if (Array.isArray(xs) && Array.isArray(ys)) {
      for (let i = 0; i < Math.max(xs.length, ys.length); i++) walk(xs[i], ys[i], keyPath(p, i));
      return;
    }
    if (JSON.stringify(xs) === JSON.stringify(ys)) return;
    const secret = underSecret(p, secretPaths);
    const from = x !== undefined && y !== undefined ? firstDifference(x, y) : 0;
    out.push({ path: p, ...(x !== undefined ? { old: shown(x, secret, from) } : {}), ...(y !== undefined ? { new: shown(y, secret, from) } : {}) });
  };
  walk(a, b, base);
  return out;
}

function comparedOptions(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of COMPARED_OPTIONS) {
    const v = o[k];
    out[k] = Array.isArray(v) ? [...(v as unknown[])].map(String).sort() : v;
  }
  return out;
}

/** What changed in one resource present in both plans: its inputs, then the options that matter to an update. */
export function resourceChanges(a: ResourceRecord, b: ResourceRecord): ValueChange[] {
  const secrets = [...new Set([...a.secretInputs, ...b.secretInputs])];
  const typeChange = a.type !== b.type ? [{ path: "type", old: a.type, new: b.type }] : [];
  return [...typeChange, ...changedPaths(a.inputs, b.inputs, "", secrets), ...changedPaths(comparedOptions(a.options), comparedOptions(b.options), "options")];
}

function byUrn(a: { urn: string }, b: { urn: string }): number {
  return a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0;
}

function policyKey(r: PolicyRecord): string {
  return JSON.stringify([r.policy, r.urn, r.level, r.message]);
}

/** One stack's diff; `old` undefined: the stack is new. */
export function diffStack(stack: string, old: StackSnapshot | undefined, now: StackSnapshot, costOf?: CostOf): StackDiff {
  const before = new Map((old?.resources ?? []).map((r) => [r.urn, r]));
  const after = new Map(now.resources.map((r) => [r.urn, r]));
  const summary = (r: ResourceRecord): ResourceChange => ({ urn: r.urn, type: r.type, name: r.name });
  const created = now.resources.filter((r) => !before.has(r.urn)).map(summary).sort(byUrn);
  const deleted = (old?.resources ?? []).filter((r) => !after.has(r.urn)).map(summary).sort(byUrn);
  const updated: ResourceChange[] = [];
  for (const r of now.resources) {
    const was = before.get(r.urn);
    if (!was) continue;
    const changes = resourceChanges(was, r);
    if (changes.length > 0) updated.push({ ...summary(r), changes });
  }
  updated.sort(byUrn);
  const diff: StackDiff = { stack, status: old === undefined ? "new stack" : created.length + deleted.length + updated.length > 0 ? "changed" : "unchanged", created, deleted, updated };
  if (old?.violations !== undefined && now.violations !== undefined) {
    const was = new Set(old.violations.map(policyKey));
    const is = new Set(now.violations.map(policyKey));
    diff.policy = { new: now.violations.filter((v) => !was.has(policyKey(v))), resolved: old.violations.filter((v) => !is.has(policyKey(v))) };
    if (diff.status === "unchanged" && diff.policy.new.length + diff.policy.resolved.length > 0) diff.status = "changed";
  } else if (old !== undefined) {
    diff.policyNote = now.violations === undefined ? "the policy pack did not run in this plan" : "the old plan has no policy findings for this stack (no policy.json)";
  }
  if (costOf) {
    const a = old ? costOf(stack, old.resources) : 0;
    const b = costOf(stack, now.resources);
    if (a !== undefined && b !== undefined) diff.cost = { old: a, new: b, delta: Math.round((b - a) * 100) / 100 };
  }
  return diff;
}

/** What a flow allows, in a word or a port list: `blocked`, `none`, `tcp 443, tcp 5432 (part of 10.0.0.0/16)`. */
export function flowVerdict(f: Flow | undefined): string {
  if (f === undefined) return "absent";
  if (!f.allowed) return "blocked";
  if (f.ports === undefined) return "routed";
  if (f.ports.length === 0) return "none";
  return f.ports.map((p) => `${p.protocol} ${p.ports}${p.partial ? ` (from ${p.from.join(" ")})` : ""}`).join(", ");
}

/** Flows whose verdict or admitted ports changed, in the new matrix's order (the old one's for flows gone). */
export function diffReachability(old: ReachabilityReport, now: ReachabilityReport): FlowChange[] {
  const key = (f: Flow): string => `${f.from}\u0000${f.to}`;
  const before = new Map(old.flows.map((f) => [key(f), f]));
  const after = new Map(now.flows.map((f) => [key(f), f]));
  const out: FlowChange[] = [];
  for (const f of [...now.flows, ...old.flows.filter((o) => !after.has(key(o)))]) {
    const a = flowVerdict(before.get(key(f)));
    const b = flowVerdict(after.get(key(f)));
    if (a !== b) out.push({ from: f.from, to: f.to, old: a, new: b });
  }
  return out;
}

function stackRank(s: string): number {
  const i = STACK_ORDER.indexOf(s);
  return i < 0 ? STACK_ORDER.length : i;
}

/** The diff of two plans: stacks in platform order (then by name), resources by URN. */
export function diffPlans(old: PlanSnapshot, now: PlanSnapshot, against: string, opts: DiffOptions = {}): PlanDiff {
  const names = opts.stacks ?? [...new Set([...Object.keys(old.stacks), ...Object.keys(now.stacks), ...Object.keys(opts.failed ?? {})])];
  const ordered = [...new Set(names)].sort((a, b) => stackRank(a) - stackRank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const stacks = ordered.map((stack): StackDiff => {
    const current = now.stacks[stack];
    if (current === undefined) {
      const why = opts.failed?.[stack] ?? (old.stacks[stack] ? "not in this plan" : "in neither plan");
      return { stack, status: "not compared", note: why, created: [], deleted: [], updated: [] };
    }
    return diffStack(stack, old.stacks[stack], current, opts.costOf);
  });
  const result: PlanDiff = { against, stacks };
  if (old.reachability && now.reachability) result.reachability = diffReachability(old.reachability, now.reachability);
  else result.reachabilityNote = now.reachability ? "the old plan has no reachability.json (not every stack ran)" : "this plan has no reachability matrix (not every stack ran)";
  return result;
}

/** This run as its plan files will hold it: secrets masked exactly as written, so the diff shows nothing the files do not. */
export function snapshotOfResult(result: PlanResult): PlanSnapshot {
  const snapshot: PlanSnapshot = { stacks: {} };
  for (const s of result.stacks) {
    const run = result.runs[s.stack];
    if (!s.ok || !run) continue;
    snapshot.stacks[s.stack] = {
      resources: canonicalOrder(run.resources).map((r) => resourceRecord(r) as unknown as ResourceRecord),
      ...(s.violations !== undefined ? { violations: policyRecords(s.violations) } : {}),
    };
  }
  if (result.reachability) snapshot.reachability = JSON.parse(JSON.stringify(result.reachability)) as ReachabilityReport;
  return snapshot;
}

/** A plan-file record as the cost estimate reads a captured resource (null parent and id are absent). */
function asCaptured(r: ResourceRecord): CapturedResource {
  return {
    ...r,
    parent: r.parent ?? undefined,
    id: r.id ?? undefined,
    remote: false,
    read: r.type === "pulumi:pulumi:StackReference",
    options: r.options as unknown as CapturedOptions,
  };
}

/**
 * Prices a stack's plan-file records with the cost estimate (offline/cost/planCost.ts, loaded on first
 * use) and this run's config of the stack (region, usage assumptions): both plans are priced the
 * same way from their masked records, so an unchanged graph has a delta of exactly 0.
 */
export function costOfRuns(result: PlanResult): CostOf {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { estimateWithConfig } = require("./cost/planCost") as typeof import("./cost/planCost");
  return (stack, resources) => {
    const run = result.runs[stack];
    if (run === undefined) return undefined;
    const priced = estimateWithConfig(stack, run.config.region, run.config.config, resources.map(asCaptured));
    return priced.ok ? priced.cost.total : undefined;
  };
}

/** The diff of this run against the plan in `oldDir`, over the stacks this run planned. */
export function diffAgainst(result: PlanResult, old: PlanSnapshot, against: string, costOf?: CostOf): PlanDiff {
  const failed = Object.fromEntries(result.stacks.filter((s) => !s.ok).map((s) => [s.stack, `failed in this plan (${s.failure ?? "error"})`]));
  return diffPlans(old, snapshotOfResult(result), against, { costOf, stacks: result.stacks.map((s) => s.stack), failed });
}

function count(n: number, word: string): string {
  return `${n} ${word}`;
}

/** The diff as text: one section per stack, then the reachability changes. */
export function formatDiff(diff: PlanDiff): string {
  const lines = [`== diff against ${diff.against}`];
  const money = (n: number): string => `${n < 0 ? "-" : n > 0 ? "+" : ""}$${Math.abs(n).toFixed(2)}`;
  for (const s of diff.stacks) {
    if (s.status === "not compared") {
      lines.push(`  ${s.stack}: not compared (${s.note ?? ""})`);
      continue;
    }
    if (s.status === "unchanged") {
      lines.push(`  ${s.stack}: unchanged${s.cost ? `, cost ${money(s.cost.delta)}/month` : ""}`);
      continue;
    }
    const counts = `${count(s.created.length, "created")}, ${count(s.updated.length, "updated")}, ${count(s.deleted.length, "deleted")}`;
    const cost = s.cost ? `, cost ${money(s.cost.delta)}/month` : "";
    lines.push(`  ${s.stack}: ${s.status === "new stack" ? "new stack, " : ""}${counts}${cost}`);
    for (const r of s.created) lines.push(`    + ${r.name} (${r.type})`);
    for (const r of s.deleted) lines.push(`    - ${r.name} (${r.type})`);
    for (const r of s.updated) {
      lines.push(`    ~ ${r.name} (${r.type})`);
      for (const c of r.changes ?? []) lines.push(`        ${c.path}: ${c.old ?? "(absent)"} -> ${c.new ?? "(absent)"}`);
    }
    if (s.policy) {
      for (const v of s.policy.new) lines.push(`    policy new [${v.level}] ${v.policy}: ${v.name ?? v.urn ?? "stack"}: ${v.message.split("\n")[0]}`);
      for (const v of s.policy.resolved) lines.push(`    policy resolved [${v.level}] ${v.policy}: ${v.name ?? v.urn ?? "stack"}: ${v.message.split("\n")[0]}`);
    } else if (s.policyNote) lines.push(`    policy not compared: ${s.policyNote}`);
  }
  if (diff.reachability) {
    if (diff.reachability.length === 0) lines.push("  reachability: unchanged");
    else {
      lines.push("  reachability changes:");
      for (const f of diff.reachability) lines.push(`    ${f.from} -> ${f.to}: ${f.old} -> ${f.new}`);
    }
  } else if (diff.reachabilityNote) lines.push(`  reachability not compared: ${diff.reachabilityNote}`);
  return lines.join("\n");
}
