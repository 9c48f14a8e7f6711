/**
 * The merge-request report (`npm run plan -- --report <file.md>`): one Markdown document for a
 * merge-request comment, built from a plan's summary, its cost estimate, its diff against an
 * earlier plan and its Mermaid diagrams, capped in size with a line saying what was cut. Pure:
 * the CLI hands it everything; nothing here runs stacks or touches files.
 */
import type { StackCostResult } from "./cost/planCost";
import type { LineItem } from "./cost/types";
import type { Diagram } from "./diagrams";
import type { FlowChange, PlanDiff, ResourceChange, StackDiff } from "./diff";
import type { PlanResult, PolicyViolation, StackPlan } from "./plan";
import { stackFails } from "./plan";

/**
 * The report's cap in characters. GitLab refuses a note over 1,000,000 characters (1 MB since
 * GitLab 12.5: gitlab-org/gitlab commit 58c5e765, merge request 18617); a tenth of that keeps the
 * comment readable and leaves room when a pipeline posts it with other text.
 */
export const REPORT_CAP_CHARS = 100_000;
/** An updated resource's changes beyond this many lines are folded in <details>. */
const FOLD_LINES = 12;
/** Which sections give way first when the report is over the cap: the diff can be any length, the rest is small. */
const CUT_ORDER = ["changes", "reachability", "diagrams", "cost", "policy"];
/** Line items per stack in the cost section. */
const TOP_ITEMS = 5;

export interface ReportInput {
  result: PlanResult;
  /** Each stack's estimate; absent: the cost section says it was not computed. */
  costs?: Readonly<Record<string, StackCostResult>>;
  diff?: PlanDiff;
  /** The plan's diagrams (diagrams.ts diagramsOf); the network's, the reachability matrix's and those of the changed environments are embedded. */
  diagrams?: readonly Diagram[];
  /** @default REPORT_CAP_CHARS */
  capChars?: number;
}

/** One row of the summary table, as `--json` carries it. */
export interface SummaryRow {
  stack: string;
  status: string;
  resources: number;
  created?: number;
  updated?: number;
  deleted?: number;
  monthlyUsd?: number;
  deltaUsd?: number;
  budgetUsd?: number;
  mandatory: number;
  advisory: number;
}

export interface MergeRequestReport {
  markdown: string;
  summary: SummaryRow[];
  /** Each stack's biggest line items, as the cost section lists them. */
  topCostItems: Record<string, LineItem[]>;
  /** The diagrams embedded, with their Mermaid source. */
  diagrams: Pick<Diagram, "name" | "title" | "mermaid">[];
  /** What was cut to stay under the cap, one line per section (empty: nothing). */
  cut: string[];
}

/** A section: its heading and body lines, then blocks that may be dropped from the end to fit the cap. */
interface Section {
  key: string;
  head: string[];
  blocks: string[];
  /** What a dropped block is called in the cut line (`resource changes`, `diagrams`). */
  unit: string;
}

function money(n: number): string {
  return `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function signed(n: number): string {
  return n > 0 ? `+${money(n)}` : n < 0 ? `-${money(-n)}` : money(0);
}

/** Text safe in a Markdown table cell or list item: no pipes, no line breaks, no HTML. */
function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Inline code that survives backticks in the value. */
function code(s: string): string {
  const flat = s.replace(/[\r\n]+/g, " ");
  const fence = flat.includes("`") ? "``" : "`";
  return `${fence}${fence.length > 1 ? " " : ""}${flat}${fence.length > 1 ? " " : ""}${fence}`;
}

function status(s: StackPlan): string {
  if (!s.ok) return `failed (${s.failure ?? "error"})`;
  return stackFails(s) ? "failed (mandatory policy)" : "ok";
}

function levelOf(v: PolicyViolation): string {
  return v.kind === "error" ? "error" : v.kind === "note" ? "note" : v.enforcementLevel;
}

function summaryRows(input: ReportInput): SummaryRow[] {
  return input.result.stacks.map((s) => {
    const d = input.diff?.stacks.find((x) => x.stack === s.stack);
    const c = input.costs?.[s.stack];
    const v = s.violations ?? [];
    const row: SummaryRow = {
      stack: s.stack,
      status: status(s),
      resources: s.resourceCount,
      mandatory: v.filter((x) => x.enforcementLevel === "mandatory" && x.kind !== "note").length,
      advisory: v.filter((x) => x.enforcementLevel === "advisory" && x.kind !== "note").length,
    };
    if (d && d.status !== "not compared") Object.assign(row, { created: d.created.length, updated: d.updated.length, deleted: d.deleted.length });
    if (c?.ok) {
      row.monthlyUsd = c.cost.total;
      if (c.budgetMonthlyUsd !== undefined) row.budgetUsd = c.budgetMonthlyUsd;
    }
    if (d?.cost) row.deltaUsd = d.cost.delta;
    return row;
  });
}

function summarySection(rows: readonly SummaryRow[], input: ReportInput): Section {
  const withDiff = input.diff !== undefined;
  const head = ["| stack | status | resources |" + (withDiff ? " +created | ~updated | -deleted |" : "") + " monthly (USD) |" + (withDiff ? " delta |" : "") + " policy (mandatory / advisory) |"];
  head.push(head[0].replace(/[^|]+/g, (m) => (/\d|[a-z]/i.test(m) ? " --- " : m)));
  for (const r of rows) {
    const n = (x: number | undefined): string => (x === undefined ? "–" : String(x));
    const cost = r.monthlyUsd === undefined ? "–" : `${money(r.monthlyUsd)}${r.budgetUsd !== undefined ? ` of ${money(r.budgetUsd)}` : ""}`;
    const diffCells = withDiff ? ` ${n(r.created)} | ${n(r.updated)} | ${n(r.deleted)} |` : "";
    const delta = withDiff ? ` ${r.deltaUsd === undefined ? "–" : signed(r.deltaUsd)} |` : "";
    head.push(`| ${r.stack} | ${r.status} | ${r.resources} |${diffCells} ${cost} |${delta} ${r.mandatory} / ${r.advisory} |`);
  }
  const against = input.diff ? `Compared with the plan in ${code(input.diff.against)}.` : "No earlier plan given (`--diff`): no changes shown.";
  return { key: "summary", head: ["## Summary", "", against, "", ...head, ""], blocks: [], unit: "rows" };
}

function violationLine(v: PolicyViolation): string {
  const subject = v.name ? `${code(v.name)} (${code(v.type ?? "?")})` : v.urn ? code(v.urn) : "the stack";
  return `- **${levelOf(v)}** ${code(v.policy)}: ${subject}: ${cell(v.message.split("\n")[0])}`;
}

function policySection(input: ReportInput): Section {
  const blocks: string[] = [];
  for (const s of input.result.stacks) {
    if (s.violations === undefined) continue;
    const rank = (v: PolicyViolation): number => (v.enforcementLevel === "mandatory" ? 0 : v.kind === "note" ? 2 : 1);
    const sorted = [...s.violations].sort((a, b) => rank(a) - rank(b));
    const d = input.diff?.stacks.find((x) => x.stack === s.stack);
    const lines = [`### ${s.stack}: ${sorted.length === 0 ? "no findings" : `${sorted.length} finding${sorted.length === 1 ? "" : "s"}`}`, ""];
    lines.push(...sorted.map(violationLine));
    if (d?.policy && d.policy.new.length + d.policy.resolved.length > 0) {
      lines.push("", `Since the earlier plan: ${d.policy.new.length} new, ${d.policy.resolved.length} resolved.`);
      for (const v of d.policy.new) lines.push(`- new **${v.level}** ${code(v.policy)}: ${v.name ? code(v.name) : "the stack"}: ${cell(v.message.split("\n")[0])}`);
      for (const v of d.policy.resolved) lines.push(`- resolved **${v.level}** ${code(v.policy)}: ${v.name ? code(v.name) : "the stack"}: ${cell(v.message.split("\n")[0])}`);
    }
    blocks.push([...lines, ""].join("\n"));
  }
  const head = ["## Policy findings", ""];
  if (blocks.length === 0) head.push("The policy pack did not run (`--no-policy`).", "");
  return { key: "policy", head, blocks, unit: "stacks' findings" };
}

function changeBlock(r: ResourceChange): string {
  const title = `\`~\` ${code(r.name)} (${code(r.type)})`;
  const lines = (r.changes ?? []).map((c) => `  - ${code(c.path)}: ${c.old === undefined ? "_(absent)_" : code(c.old)} → ${c.new === undefined ? "_(absent)_" : code(c.new)}`);
  if (lines.length <= FOLD_LINES) return [`- ${title}`, ...lines].join("\n");
  return [`- ${title}: ${lines.length} paths`, "", "  <details><summary>changed paths</summary>", "", ...lines, "", "  </details>", ""].join("\n");
}

function stackChangeBlocks(d: StackDiff): string[] {
  if (d.status === "not compared") return [`### ${d.stack}: not compared (${cell(d.note ?? "")})\n`];
  if (d.status === "unchanged") return [`### ${d.stack}: unchanged\n`];
  const counts = `${d.created.length} created, ${d.updated.length} updated, ${d.deleted.length} deleted${d.status === "new stack" ? " (new stack)" : ""}`;
  const blocks = [`### ${d.stack}: ${counts}\n`];
  const listed = (sign: string, list: readonly ResourceChange[]): string => {
    const lines = list.map((r) => `- \`${sign}\` ${code(r.name)} (${code(r.type)})`);
    return lines.length <= FOLD_LINES ? lines.join("\n") : ["<details><summary>" + `${lines.length} ${sign === "+" ? "created" : "deleted"}` + "</summary>", "", ...lines, "", "</details>"].join("\n");
  };
  if (d.created.length > 0) blocks.push(listed("+", d.created));
  if (d.deleted.length > 0) blocks.push(listed("-", d.deleted));
  for (const r of d.updated) blocks.push(changeBlock(r));
  return blocks;
}

function changesSection(input: ReportInput): Section | undefined {
  if (!input.diff) return undefined;
  const blocks = input.diff.stacks.flatMap(stackChangeBlocks).map((b) => `${b}\n`);
  return { key: "changes", head: ["## Changes", "", "Secret values show as `[secret]`; a changed secret cannot be seen (both plans hold it masked).", ""], blocks, unit: "change entries" };
}

function costSection(input: ReportInput): Section {
  const head = ["## Cost (monthly estimate, USD)", ""];
  if (!input.costs) return { key: "cost", head: [...head, "Not estimated.", ""], blocks: [], unit: "stacks' cost items" };
  const blocks: string[] = [];
  for (const s of input.result.stacks) {
    const c = input.costs[s.stack];
    if (!c) continue;
    if (!c.ok) {
      blocks.push(`### ${s.stack}: not estimated\n\n${cell(c.error)}\n`);
      continue;
    }
    const delta = input.diff?.stacks.find((x) => x.stack === s.stack)?.cost;
    const top = topItems(c.cost.items);
    const lines = [`### ${s.stack}: ${money(c.cost.total)}${delta ? ` (${signed(delta.delta)} against the earlier plan)` : ""}${c.budgetMonthlyUsd !== undefined ? `, budget ${money(c.budgetMonthlyUsd)}` : ""}`, ""];
    // The analytics lake's share (issue 16: "the lake's monthly cost appears in the plan report").
    if (c.cost.byTier.analytics > 0) lines.push(`Analytics lake: ${money(c.cost.byTier.analytics)} a month (its components: buckets, catalogue, workgroup, workers, curation).`, "");
    if (top.length > 0) {
      lines.push("| resource | dimension | quantity | monthly |", "| --- | --- | ---: | ---: |");
      for (const i of top) lines.push(`| ${cell(i.name)} | ${cell(i.dimension)} | ${Number(i.quantity.toFixed(2))} ${cell(i.unit)} | ${money(i.monthly)} |`);
    }
    blocks.push([...lines, ""].join("\n"));
  }
  return { key: "cost", head, blocks, unit: "stacks' cost items" };
}

/** The biggest line items, most expensive first (ties by URN and dimension, so the order is fixed). */
function topItems(items: readonly LineItem[]): LineItem[] {
  const key = (i: LineItem): string => `${i.urn}\u0000${i.dimension}`;
  return [...items].sort((a, b) => b.monthly - a.monthly || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).slice(0, TOP_ITEMS);
}

function reachabilitySection(input: ReportInput): Section | undefined {
  const changes: readonly FlowChange[] | undefined = input.diff?.reachability;
  if (!input.diff) return undefined;
  const head = ["## Reachability changes", ""];
  if (changes === undefined) return { key: "reachability", head: [...head, `Not compared: ${cell(input.diff.reachabilityNote ?? "")}.`, ""], blocks: [], unit: "flows" };
  if (changes.length === 0) return { key: "reachability", head: [...head, "None: every flow between VPCs and offices is as before.", ""], blocks: [], unit: "flows" };
  return { key: "reachability", head: [...head, "| from | to | before | now |", "| --- | --- | --- | --- |"], blocks: changes.map((f) => `| ${f.from} | ${f.to} | ${cell(f.old)} | ${cell(f.new)} |`), unit: "flows" };
}

/** The diagrams worth a reviewer's look: the network, the reachability matrix, and each changed environment's services (every environment without a diff). */
export function reportDiagrams(diagrams: readonly Diagram[], diff: PlanDiff | undefined): Diagram[] {
  const changed = diff ? new Set(diff.stacks.filter((s) => s.status === "changed" || s.status === "new stack").map((s) => s.stack)) : undefined;
  return diagrams.filter((d) => d.name === "network" || d.name === "reachability" || (d.name.startsWith("services-") && (changed === undefined || changed.has(d.name.slice("services-".length)))));
}

function diagramSection(chosen: readonly Diagram[]): Section | undefined {
  if (chosen.length === 0) return undefined;
  const blocks = chosen.map((d, i) => {
    const body = ["```mermaid", d.mermaid.trimEnd(), "```"];
    // The first picture open; the others folded, so the comment stays short until asked.
    return (i === 0 ? [`### ${cell(d.title)}`, "", ...body, ""] : [`<details><summary>${cell(d.title)}</summary>`, "", ...body, "", "</details>", ""]).join("\n");
  });
  return { key: "diagrams", head: ["## Diagrams", ""], blocks, unit: "diagrams" };
}

function render(sections: readonly Section[], cut: readonly string[]): string {
  const parts = ["# Plan report", ""];
  for (const s of sections) parts.push(...s.head, ...s.blocks);
  if (cut.length > 0) parts.push("---", "", ...cut.map((c) => `_${c}_`), "");
  return parts.join("\n").replace(/\n{3,}/g, "\n\n");
}

/**
 * The report, cut to the cap: blocks are dropped from the end of the changes, then the reachability
 * changes, the diagrams, the cost items and the findings, each cut named in a line at the end.
 */
export function mergeRequestReport(input: ReportInput): MergeRequestReport {
  const cap = input.capChars ?? REPORT_CAP_CHARS;
  const rows = summaryRows(input);
  const chosen = reportDiagrams(input.diagrams ?? [], input.diff);
  const sections = [summarySection(rows, input), policySection(input), changesSection(input), costSection(input), reachabilitySection(input), diagramSection(chosen)].filter((s): s is Section => s !== undefined);
  const dropped = new Map<string, number>();
  const cutLines = (): string[] =>
    CUT_ORDER.flatMap((key) => {
      const n = dropped.get(key) ?? 0;
      const s = sections.find((x) => x.key === key);
      return n > 0 && s ? [`the last ${n} ${s.unit} of the ${key} section cut to keep this report under ${Math.round(cap / 1000)} KB; the whole plan: npm run plan -- --json${key === "changes" || key === "reachability" ? " --diff <dir>" : ""}${key === "diagrams" ? ", --diagrams <dir>" : ""}`] : [];
    });
  let markdown = render(sections, []);
  for (const key of CUT_ORDER) {
    const s = sections.find((x) => x.key === key);
    while (s && s.blocks.length > 0 && markdown.length > cap) {
      s.blocks.pop();
      dropped.set(key, (dropped.get(key) ?? 0) + 1);
      markdown = render(sections, cutLines());
    }
  }
  if (markdown.length > cap) {
    // Only the summary and the headings are left: cut at a line, and say so.
    const note = `\n\n_The report was cut at ${Math.round(cap / 1000)} KB._\n`;
    markdown = markdown.slice(0, markdown.lastIndexOf("\n", cap - note.length)) + note;
  }
  const embedded = sections.find((s) => s.key === "diagrams")?.blocks.length ?? 0;
  const topCostItems: Record<string, LineItem[]> = {};
  for (const [stack, c] of Object.entries(input.costs ?? {})) if (c.ok) topCostItems[stack] = topItems(c.cost.items);
  const diagrams = chosen.slice(0, embedded).map((d) => ({ name: d.name, title: d.title, mermaid: d.mermaid }));
  return { markdown, summary: rows, topCostItems, diagrams, cut: cutLines() };
}
