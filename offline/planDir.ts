/**
 * Reads an earlier plan's folder for `--diff`: whether a folder is a plan, and its stacks'
 * resources, policy findings and reachability as the plan files hold them (secrets "[secret]").
 * Light on purpose (fs and the folder rules only): the CLI checks `--diff` before it loads the
 * engine, so the policy worker's start still overlaps the engine's.
 */
import * as fs from "fs";
import * as path from "path";
import { PLAN_INDEX, PLAN_MARKER, isPlanFile } from "./outDir";
import type { PolicyFile, PolicyRecord } from "./planFiles";
import type { ReachabilityReport } from "./reachability";

/** One resource as `resources.json` holds it (planFiles.ts resourceRecord): secret values are "[secret]". */
export interface ResourceRecord {
  urn: string;
  type: string;
  name: string;
  parent: string | null;
  custom: boolean;
  id: string | null;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  options: Record<string, unknown>;
  secretInputs: string[];
  secretOutputs: string[];
}

/** One stack of a plan, as its files hold it. */
export interface StackSnapshot {
  resources: ResourceRecord[];
  /** Absent: the pack did not run on it (`--no-policy`), or the plan predates policy.json. */
  violations?: PolicyRecord[];
}

/** A plan as the diff sees it: the stacks that planned cleanly, and reachability when every stack ran. */
export interface PlanSnapshot {
  stacks: Record<string, StackSnapshot>;
  reachability?: ReachabilityReport;
}

/** Why `dir` cannot be read as a plan folder, if it cannot: it must hold the marker or plan files. */
export function planDirProblem(dir: string): string | undefined {
  let entries: fs.Dirent[];
  try {
    if (!fs.statSync(dir).isDirectory()) return "is a file, not a plan folder";
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ENOTDIR" ? "no such folder" : `cannot be read: ${(e as Error).message}`;
  }
  const names = new Set(entries.map((e) => e.name));
  if (names.has(PLAN_MARKER) || names.has(PLAN_INDEX)) return undefined;
  const planShaped = entries.some((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, "resources.json")));
  return planShaped ? undefined : "is not a plan folder (no .tila-plan marker, no index.json, no <stack>/resources.json); name the --out folder of an earlier npm run plan";
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
}

/**
 * The plan in folder `dir` as its files hold it. The stacks are those its index.json lists as `ok`
 * (without an index, every `<stack>/resources.json`); a file that cannot be read or parsed is an error naming it.
 */
export function readPlanDir(dir: string): PlanSnapshot {
  const read = (rel: string): unknown => {
    try {
      return readJson(path.join(dir, ...rel.split("/")));
    } catch (e) {
      throw new Error(`${path.join(dir, rel)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  let stacks: string[];
  const indexFile = path.join(dir, PLAN_INDEX);
  if (fs.existsSync(indexFile)) {
    const index = read(PLAN_INDEX) as { stacks?: Record<string, string>; files?: string[] };
    const files = new Set((index.files ?? []).filter(isPlanFile));
    stacks = Object.entries(index.stacks ?? {})
      .filter(([s, outcome]) => outcome === "ok" && files.has(`${s}/resources.json`))
      .map(([s]) => s);
  } else {
    stacks = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, "resources.json"))).map((e) => e.name);
  }
  const snapshot: PlanSnapshot = { stacks: {} };
  for (const s of stacks) {
    const resources = read(`${s}/resources.json`);
    if (!Array.isArray(resources)) throw new Error(`${path.join(dir, s, "resources.json")}: not a list of resources`);
    const entry: StackSnapshot = { resources: resources as ResourceRecord[] };
    if (fs.existsSync(path.join(dir, s, "policy.json"))) entry.violations = (read(`${s}/policy.json`) as PolicyFile).violations;
    snapshot.stacks[s] = entry;
  }
  if (fs.existsSync(path.join(dir, "reachability.json"))) snapshot.reachability = read("reachability.json") as ReachabilityReport;
  return snapshot;
}
