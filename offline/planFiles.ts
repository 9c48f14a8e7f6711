/**
 * What `npm run plan` writes to disk: per stack `resources.json` and `outputs.json`, and
 * `reachability.json` when every stack ran. outDir.ts decides where and what may be removed.
 */
import type { PlanResult } from "./plan";
import type { CapturedResource } from "./types";
import { PlanFile, WriteOptions, WriteReport, writeOutDir } from "./outDir";

/** One captured resource as written to `resources.json`. */
export function resourceRecord(r: CapturedResource): Record<string, unknown> {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    parent: r.parent ?? null,
    custom: r.custom,
    id: r.id ?? null,
    inputs: r.inputs,
    outputs: r.outputs,
    options: r.options,
  };
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/** The files of one plan run, in writing order. A failed stack has none. */
export function planFiles(result: PlanResult): PlanFile[] {
  const files: PlanFile[] = [];
  for (const s of result.stacks) {
    const run = result.runs[s.stack];
    if (!s.ok || !run) continue;
    files.push({ rel: `${s.stack}/resources.json`, content: json(run.resources.map(resourceRecord)) });
    files.push({ rel: `${s.stack}/outputs.json`, content: json(s.outputs) });
  }
  if (result.reachability) files.push({ rel: "reachability.json", content: json(result.reachability) });
  return files;
}

function outcome(s: PlanResult["stacks"][number]): string {
  if (s.ok) return "ok";
  return `failed (${s.failure ?? "error"})`;
}

/** Writes the run into `outDir`, leaving nothing of earlier runs that could read as current. */
export function writePlanFiles(result: PlanResult, outDir: string, opts: Pick<WriteOptions, "knownStacks" | "adoptPlanShaped">): WriteReport {
  const stacks = Object.fromEntries(result.stacks.map((s) => [s.stack, outcome(s)]));
  return writeOutDir(outDir, planFiles(result), { ...opts, stacks });
}
