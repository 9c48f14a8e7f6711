/**
 * Cost estimates of a plan: each stack run (or a plan folder's resources.json, secrets masked) priced
 * with its region's snapshot and its config's assumptions and budget. Loaded only when asked
 * (`--cost`, the diff, the budget rule), so a plain plan never reads prices.
 */
import * as fs from "fs";
import * as path from "path";
import { costSettingsOf } from "../../config/costSchema";
import type { StackRun } from "../engine";
import { DEFAULT_PROJECT_DIR } from "../projectDir";
import { loadStackConfig } from "../stackConfig";
import type { CapturedResource } from "../types";
import { estimateStack, resolveAssumptions } from "./estimate";
import { loadSnapshot } from "./snapshot";
import type { StackCost } from "./types";

/** A stack's estimate with its budget, or why it could not be estimated. */
export type StackCostResult = { ok: true; cost: StackCost; budgetMonthlyUsd?: number } | { ok: false; stack: string; error: string };

/** The estimate of one stack's resources with a stack's flattened config (`aws:region`, `tila-platform:cost`). */
export function estimateWithConfig(stack: string, region: string, flatConfig: Readonly<Record<string, string>>, resources: readonly CapturedResource[], pricesDir?: string): StackCostResult {
  try {
    const settings = costSettingsOf(flatConfig);
    const cost = estimateStack(stack, region, resources, loadSnapshot(region, pricesDir), resolveAssumptions(settings.assumptions));
    return { ok: true, cost, ...(settings.budgetMonthlyUsd !== undefined ? { budgetMonthlyUsd: settings.budgetMonthlyUsd } : {}) };
  } catch (e) {
    return { ok: false, stack, error: e instanceof Error ? e.message : String(e) };
  }
}

/** The estimate of a stack that ran (or was taken from the cache) in this plan. */
export function estimateRun(run: StackRun, pricesDir?: string): StackCostResult {
  return estimateWithConfig(run.stack, run.config.region, run.config.config, run.resources, pricesDir);
}

/** Every stack of a plan that ran, by stack name, in the order given. */
export function estimateRuns(runs: Readonly<Record<string, StackRun>>, stacks: readonly string[], pricesDir?: string): Record<string, StackCostResult> {
  const out: Record<string, StackCostResult> = {};
  for (const s of stacks) if (runs[s] !== undefined) out[s] = estimateRun(runs[s], pricesDir);
  return out;
}

/**
 * The estimate of `<planDir>/<stack>/resources.json` (an earlier plan, for the diff), with the stack's
 * current config in `projectDir` for its region, assumptions and budget. Secret inputs are `"[secret]"`
 * there; pricers read sizes and counts, never secrets, so the figures are those of the live run.
 */
export function estimatePlanFolder(planDir: string, stack: string, opts: { projectDir?: string; configFile?: string; pricesDir?: string } = {}): StackCostResult {
  let resources: CapturedResource[];
  let flat: Record<string, string>;
  let region: string;
  try {
    const file = path.join(planDir, stack, "resources.json");
    resources = (JSON.parse(fs.readFileSync(file, "utf8")) as CapturedResource[]).map((r) => ({ ...r, remote: r.remote ?? false, read: r.read ?? r.type === "pulumi:pulumi:StackReference" }));
    const cfg = loadStackConfig(stack, { projectDir: opts.projectDir ?? DEFAULT_PROJECT_DIR, configFile: opts.configFile });
    flat = cfg.config;
    region = cfg.region;
  } catch (e) {
    return { ok: false, stack, error: e instanceof Error ? e.message : String(e) };
  }
  return estimateWithConfig(stack, region, flat, resources, opts.pricesDir);
}
