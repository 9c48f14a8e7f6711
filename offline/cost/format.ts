/**
 * The text of a stack's cost estimate in the plan report: total against the budget, by tier, the top
 * line items, the assumptions used, and what could not be priced. Pure formatting.
 */
import type { StackCostResult } from "./planCost";
import { type LineItem, type StackCost, TIERS, type UsageAssumptions } from "./types";

/** How many line items the report lists (the JSON carries them all). */
export const TOP_ITEMS = 10;

export function usd(n: number): string {
  const fixed = (Math.round(n * 100) / 100).toFixed(2);
  const [whole, cents] = fixed.split(".");
  return `$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${cents}`;
}

/** A unit price with the precision prices have ($0.0528 an hour, $0.00000133 a request). */
export function unitPrice(n: number): string {
  return n >= 1 ? usd(n) : `$${Number(n.toPrecision(4))}`;
}

function qty(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString("en-US") : String(Math.round(n * 1000) / 1000);
}

/** The biggest items first; equal costs by name and price key, so the list is stable. */
export function topItems(cost: StackCost, n = TOP_ITEMS): LineItem[] {
  return [...cost.items].sort((a, b) => b.monthly - a.monthly || a.name.localeCompare(b.name) || a.priceKey.localeCompare(b.priceKey)).slice(0, n);
}

function aligned(rows: string[][], indent: string, rightCols: readonly number[] = []): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length))) ?? [];
  return rows.map((r) => `${indent}${r.map((cell, c) => (rightCols.includes(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join("  ")}`.trimEnd());
}

function assumptionLine(a: UsageAssumptions): string {
  return Object.entries(a)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
}

/** The budget's verdict: within (with the headroom) or over (by how much). */
export function budgetVerdict(total: number, budget: number | undefined): string {
  if (budget === undefined) return "no budget set (tila-platform:cost.budgetMonthlyUsd)";
  const pct = Math.round((total / budget) * 100);
  return total > budget ? `OVER budget ${usd(budget)} by ${usd(total - budget)} (${pct} %)` : `within budget ${usd(budget)} (${pct} %)`;
}

/** The report lines of one stack's estimate, indented like the rest of the stack's block. */
export function formatStackCost(result: StackCostResult): string[] {
  if (!result.ok) return [`  cost: FAILED: ${result.error.split("\n").join("\n    ")}`];
  const c = result.cost;
  const lines = [`  cost: ${usd(c.total)} a month (${c.region}, prices of ${c.priceDate}), ${budgetVerdict(c.total, result.budgetMonthlyUsd)}`];
  const tiers = TIERS.filter((t) => c.byTier[t] > 0);
  if (tiers.length > 0) lines.push(`    by tier: ${tiers.map((t) => `${t} ${usd(c.byTier[t])}`).join(", ")}`);
  const top = topItems(c);
  if (top.length > 0) {
    lines.push(`    top ${top.length} of ${c.items.length} line items:`);
    lines.push(
      ...aligned(
        top.map((i) => [usd(i.monthly), i.name, i.dimension, `${qty(i.quantity)} ${i.unit} x ${unitPrice(i.unitPrice)}${i.assumption ? ` (assumed: ${i.assumption})` : ""}`]),
        "      ",
        [0],
      ),
    );
  }
  lines.push(`    assumptions (per month): ${assumptionLine(c.assumptions)}`);
  const unpriced = Object.values(c.unpricedTypes).reduce((a, b) => a + b, 0);
  lines.push(
    `    prices missing: ${c.missingPrices.length}${c.missingPrices.length > 0 ? ` (${c.missingPrices.join(", ")})` : ""}; unverified: ${c.unverifiedPrices.length}; resources of unpriced types: ${unpriced}${unpriced > 0 ? ` (${Object.keys(c.unpricedTypes).length} types)` : ""}`,
  );
  return lines;
}
