/**
 * Renders a PlanResult: a readable text summary for people and one JSON document for tools.
 * Pure formatting; nothing here runs stacks or touches files.
 */
import { formatAnalytics } from "./analyticsSummary";
import { formatDelivery } from "./deliverySummary";
import { formatMonitoring } from "./monitoringSummary";
import * as path from "path";
import type { PlanResult, PolicyViolation, StackPlan } from "./plan";
import { stackFails } from "./plan";
import { formatReachabilityMatrix } from "./reachabilityFormat";
import type { StackCostResult } from "./cost/planCost";

/** Outputs longer than this (or structured) are left to outputs.json. */
const MAX_OUTPUT_CHARS = 80;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Two aligned columns, the second right-aligned when every value is a number. */
function table(rows: [string, string | number][], indent = "    "): string[] {
  const w0 = Math.max(...rows.map(([k]) => k.length));
  const numeric = rows.every(([, v]) => typeof v === "number");
  const w1 = Math.max(...rows.map(([, v]) => String(v).length));
  return rows.map(([k, v]) => `${indent}${k.padEnd(w0)}  ${numeric ? String(v).padStart(w1) : String(v)}`.trimEnd());
}

/** Left-aligned columns of any width. */
function columns(rows: string[][], indent = "    "): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length))) ?? [];
  return rows.map((r) => `${indent}${r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join("  ")}`.trimEnd());
}

function shortOutputs(outputs: Record<string, unknown>): { rows: [string, string][]; omitted: number } {
  const rows: [string, string][] = [];
  let omitted = 0;
  for (const [k, v] of Object.entries(outputs)) {
    const scalar = typeof v === "string" || typeof v === "number" || typeof v === "boolean";
    if (scalar && String(v).length <= MAX_OUTPUT_CHARS) rows.push([k, String(v)]);
    else omitted++;
  }
  return { rows, omitted };
}

function status(s: StackPlan): string {
  if (!s.ok) return `FAILED (${s.failure} error${s.errors && s.errors.length > 1 ? "s" : ""})`;
  return stackFails(s) ? "FAILED (mandatory policy violations)" : "ok";
}

/** How the report names a file: relative to where the command was typed when below it. */
export interface FormatOptions {
  cwd?: string;
  /** `--cost`: each stack's estimate, printed at the end of its block. */
  costs?: Readonly<Record<string, StackCostResult>>;
}

/** The cost block of a stack (offline/cost/format.ts, loaded only when there is an estimate to print). */
function costLines(cost: StackCostResult): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { formatStackCost } = require("./cost/format") as typeof import("./cost/format");
  return formatStackCost(cost);
}

function shownFile(file: string, cwd: string | undefined): string {
  if (cwd === undefined) return file;
  const rel = path.relative(cwd, file);
  return rel === "" || rel.startsWith("..") || path.isAbsolute(rel) ? file : rel;
}

export function formatStack(s: StackPlan, opts: FormatOptions = {}): string {
  const lines = [`== ${s.stack}: ${status(s)}, ${plural(s.resourceCount, "resource")} in ${seconds(s.durationMs)}`];
  for (const w of s.warnings ?? []) lines.push(`  warning: ${w}`);
  if (!s.ok) {
    const heading: Partial<Record<NonNullable<StackPlan["failure"]>, string>> = {
      config: `  configuration errors${s.configFile ? ` in ${shownFile(s.configFile, opts.cwd)}` : ""} (nothing was created):`,
      aws: "  AWS would refuse or never converge on (pulumi up would fail):",
    };
    lines.push((s.failure && heading[s.failure]) ?? "  errors:");
    for (const e of s.errors ?? []) lines.push(`    ${e.path}: ${e.message.split("\n").join("\n      ")}`);
    return lines.join("\n");
  }
  const types = Object.entries(s.byType);
  if (types.length > 0) lines.push("  resources by type:", ...table(types));
  if (s.dataTier && s.dataTier.length > 0) {
    lines.push("  data tier:", ...table(s.dataTier.map((d) => [`${d.kind} ${d.name}`, d.summary])));
  }
  if (s.credentials && s.credentials.length > 0) {
    lines.push("  credential access (who may read each secret, or connect as each database user):");
    lines.push(...table(s.credentials.map((c) => [c.credential, c.readers.length > 0 ? c.readers.join(", ") : "nobody"])));
  }
  if (s.security && s.security.length > 0) lines.push("  security baseline:", ...table(s.security.map((x) => [x.control, x.state])));
  if (s.monitoring) lines.push(...formatMonitoring(s.monitoring));
  if (s.delivery) lines.push(...formatDelivery(s.delivery));
  if (s.analytics) {
    const priced = opts.costs?.[s.stack];
    lines.push(...formatAnalytics(s.analytics, priced?.ok ? priced.cost.byTier.analytics : undefined));
  }
  if (s.services && s.services.length > 0) {
    const pub = s.services.filter((x) => x.exposure === "public").length;
    const tasks = (n: number | undefined): string => (n === undefined ? "?" : String(n));
    lines.push(`  services: ${s.services.length} (${pub} public, ${s.services.length - pub} internal)`);
    lines.push(...columns(s.services.map((x) => [x.name, x.exposure, `tasks ${tasks(x.minTasks)}-${tasks(x.maxTasks)}`, `${x.cpu} cpu / ${x.memory} MiB`, `image ${x.image}`])));
  }
  if (s.images && s.images.length > 0) {
    const envs = [...new Set(s.images.flatMap((i) => Object.keys(i.tags)))];
    lines.push(`  images: ${s.images.length} repositories, the tag each environment runs`);
    lines.push(...columns([["repository", ...envs], ...s.images.map((i) => [i.repository, ...envs.map((e) => i.tags[e] ?? "-")])]));
  }
  const { rows, omitted } = shortOutputs(s.outputs);
  if (rows.length > 0 || omitted > 0) {
    lines.push("  outputs:", ...(rows.length > 0 ? table(rows) : []));
    if (omitted > 0) lines.push(`    (${plural(omitted, "structured or long output")} in outputs.json)`);
  }
  // Extension point: the policy runner fills `violations`; they print here, mandatory first.
  if (s.violations !== undefined) lines.push(...formatViolations(s.violations));
  const cost = opts.costs?.[s.stack];
  if (cost !== undefined) lines.push(...costLines(cost));
  return lines.join("\n");
}

/** The policy block of a stack: a count line, then one line per finding, mandatory first. */
export function formatViolations(violations: readonly PolicyViolation[]): string[] {
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  const notes = violations.filter((v) => v.kind === "note").length;
  const advisory = violations.length - mandatory - notes;
  if (violations.length === 0) return ["  policy violations: none"];
  const counts = [`${mandatory} mandatory`, `${advisory} advisory`, ...(notes > 0 ? [plural(notes, "preview note")] : [])];
  const rank = (v: PolicyViolation): number => (v.enforcementLevel === "mandatory" ? 0 : v.kind === "note" ? 2 : 1);
  const sorted = [...violations].sort((a, b) => rank(a) - rank(b));
  const lines = [`  policy violations: ${counts.join(", ")}`];
  for (const v of sorted) {
    const level = v.kind === "error" ? "error" : v.kind === "note" ? "note" : v.enforcementLevel;
    const subject = v.name ? `${v.name} (${v.type ?? "?"}): ` : v.urn ? `${v.urn}: ` : "";
    lines.push(`    [${level}] ${v.policy}: ${subject}${v.message.split("\n").join("\n      ")}`);
  }
  return lines;
}

export function formatTotals(result: PlanResult): string {
  const t = result.totals;
  return `Total: ${plural(t.stacks, "stack")} (${t.ok} ok, ${t.failed} failed), ${plural(t.resources, "resource")}, ${seconds(t.wallMs)} wall`;
}

/** The whole human-readable report, ending with a newline. */
export function formatPlan(result: PlanResult, opts: FormatOptions = {}): string {
  const parts = result.stacks.map((s) => formatStack(s, opts));
  if (result.reachability) parts.push(`== reachability\n${formatReachabilityMatrix(result.reachability).trimEnd()}`);
  if (result.reachabilityError) parts.push(`== reachability: FAILED\n    ${result.reachabilityError}`);
  parts.push(formatTotals(result));
  return parts.join("\n\n") + "\n";
}

export interface PlanJsonStack {
  stack: string;
  ok: boolean;
  resourceCount: number;
  byType: Record<string, number>;
  outputs: Record<string, unknown>;
  durationMs: number;
  failure?: StackPlan["failure"];
  errors?: { path: string; message: string }[];
  configFile?: string;
  violations?: StackPlan["violations"];
  warnings?: string[];
  /** `--cost`: the whole estimate (every line item) and the budget, or why it failed. */
  cost?: StackCostResult;
}

export interface PlanJson {
  stacks: PlanJsonStack[];
  reachability?: PlanResult["reachability"];
  reachabilityError?: string;
  totals: PlanResult["totals"];
}

/** The `--json` document: the summary without the captured graphs (those are in resources.json). */
export function planJson(result: PlanResult, opts: { costs?: Readonly<Record<string, StackCostResult>> } = {}): PlanJson {
  return {
    stacks: result.stacks.map((s) => {
      const cost = opts.costs?.[s.stack];
      // The lake's share of the estimate beside the lake (issue 16), as `analytics.monthlyUsd`.
      const analytics = s.analytics && cost?.ok ? { analytics: { ...s.analytics, monthlyUsd: cost.cost.byTier.analytics } } : {};
      return { ...s, ...analytics, ...(cost !== undefined ? { cost } : {}) };
    }),
    ...(result.reachability ? { reachability: result.reachability } : {}),
    ...(result.reachabilityError ? { reachabilityError: result.reachabilityError } : {}),
    totals: result.totals,
  };
}
