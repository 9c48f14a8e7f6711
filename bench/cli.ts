/**
 * `npm run bench`: the offline plan against the naive ways of running the same programs under
 * Pulumi's mocks, side by side in one run, several runs each, each run a fresh process. Prints the
 * medians and the ratios (speed goals are ratios measured here, never timed tests). Progress goes
 * to stderr; `--json` prints one document to stdout.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { median, perResource, speedup } from "./stats";
import { syntheticProd } from "./syntheticProd";

const ROOT = path.resolve(__dirname, "..");
/**
 * Node's arguments before the entry point in `npm run plan` (package.json's script `node <these>
 * offline/cli.ts`: V8 flags and the TypeScript loader), with paths made absolute, so the bench runs
 * the plan as users do; throws when the script is not of that shape.
 */
export function planNodeArgs(script: string, root: string): string[] {
  const words = script.trim().split(/\s+/);
  if (words[0] !== "node" || words.at(-1) !== "offline/cli.ts") throw new Error(`package.json's plan script is not "node <options> offline/cli.ts": ${script}`);
  return words.slice(1, -1).map((w) => (w.startsWith("./") ? path.join(root, w) : w));
}

/** How `npm run plan` runs (planNodeArgs), and how the naive baselines load TypeScript: tsx. */
const PROJECT_LOADER = planNodeArgs((require(path.join(ROOT, "package.json")) as { scripts: { plan: string } }).scripts.plan, ROOT);
const TSX = ["-r", "tsx/cjs"];
const RSS_PRELOAD = path.join(__dirname, "rss.cjs");

export const USAGE = `Usage: npm run bench [-- [--runs <n>] [--only <scenario,...>] [--json]]

Runs each scenario <n> times (default 5), each in a fresh Node process, and prints medians:
wall time, resources, cost per resource, peak memory; then the plan's ratios to the baselines.

Scenarios: plan, naive-programs, naive-subnets, replan, prod-50, prod-100
`;

interface Scenario {
  name: string;
  what: string;
  /** The naive baselines run the way a team without this engine would: under tsx. */
  naive?: boolean;
  /** Node arguments (after the preloads); the process runs from the repository root. */
  args: (work: string) => string[];
  /** Untimed work before each timed run, given the Node arguments that load TypeScript. */
  prepare?: (work: string, loader: string[]) => void;
  /** Resources and, when the process measures its own time without start-up, that time. */
  read: (stdout: string) => { resources: number; innerMs?: number };
}

/** A plan's resources, and its own wall time (from the start of the run, after the imports, like the baselines' inner time). */
function planResources(stdout: string): { resources: number; innerMs?: number } {
  const doc = JSON.parse(stdout) as { stacks?: { stack: string; ok: boolean }[]; totals?: { resources?: number; wallMs?: number } };
  // A stack that ran but has a mandatory finding counts in totals.failed; only one that did not run spoils the timing.
  const broken = (doc.stacks ?? []).filter((st) => !st.ok).map((st) => st.stack);
  if (broken.length > 0) throw new Error(`the plan failed for ${broken.join(", ")}`);
  return { resources: doc.totals?.resources ?? 0, innerMs: doc.totals?.wallMs };
}

function lastJsonLine(stdout: string): { resources: number; innerMs?: number } {
  const line = stdout.trim().split("\n").pop() ?? "{}";
  const doc = JSON.parse(line) as { resources: number; ms: number };
  return { resources: doc.resources, innerMs: doc.ms };
}

/** Prod's config with one service's image moved to a new tag: what a hot fix changes. */
function hotfixConfig(work: string): string {
  const file = path.join(work, "Pulumi.prod-hotfix.yaml");
  if (!fs.existsSync(file)) {
    const prod = fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8");
    const hotfix = prod.replace(/(tila\/checkout:)([\w.-]+)/, "$1$2-hotfix.1");
    if (hotfix === prod) throw new Error("Pulumi.prod.yaml has no checkout image to hot-fix");
    fs.writeFileSync(file, hotfix);
  }
  return file;
}

function syntheticConfig(work: string, services: number): string {
  const file = path.join(work, `Pulumi.prod-${services}.yaml`);
  if (!fs.existsSync(file)) fs.writeFileSync(file, syntheticProd(fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8"), services));
  return file;
}

// Full runs: the cache of the incremental plan is what the "replan" scenario measures.
const PLAN = ["offline/cli.ts", "--json", "--no-cache"];

export const SCENARIOS: readonly Scenario[] = [
  { name: "plan", what: "npm run plan: five stacks, policy pack, reachability", args: (w) => [...PLAN, "--out", path.join(w, "plan")], read: planResources },
  { name: "naive-programs", naive: true, what: "the five programs under setMocks, project mocks, default SDK, tsx", args: () => ["bench/naivePrograms.ts"], read: lastJsonLine },
  { name: "naive-subnets", naive: true, what: "1,500 aws.ec2.Subnet, trivial mock, load excluded, tsx", args: () => ["bench/naiveSubnets.ts"], read: lastJsonLine },
  {
    name: "replan",
    what: "incremental re-plan of prod after a hot fix (checkout's image), the other stacks reused from the cache",
    prepare: (w, loader) => {
      // Every stack cached with the real configs, as after the merge request's plan.
      const primed = spawnSync(process.execPath, [...loader, "offline/cli.ts", "--out", path.join(w, "replan")], { cwd: ROOT, encoding: "utf8" });
      if (primed.status !== 0) throw new Error(`replan: priming the cache failed: ${primed.stderr.trim().split("\n").slice(-2).join(" | ")}`);
    },
    args: (w) => ["offline/cli.ts", "--json", "--stack", "prod", "--config", hotfixConfig(w), "--out", path.join(w, "replan")],
    read: planResources,
  },
  {
    name: "prod-50",
    what: "prod with 50 services (management first), policy pack",
    args: (w) => [...PLAN, "--stack", "prod", "--config", syntheticConfig(w, 50), "--out", path.join(w, "p50")],
    read: planResources,
  },
  {
    name: "prod-100",
    what: "prod with 100 services (management first), policy pack",
    args: (w) => [...PLAN, "--stack", "prod", "--config", syntheticConfig(w, 100), "--out", path.join(w, "p100")],
    read: planResources,
  },
];

export interface Sample {
  wallMs: number;
  resources: number;
  innerMs?: number;
  peakBytes: number;
}

function runOnce(s: Scenario, work: string): Sample {
  const loader = s.naive ? TSX : PROJECT_LOADER;
  s.prepare?.(work, loader);
  const rssFile = path.join(work, `rss-${s.name}`);
  fs.rmSync(rssFile, { force: true });
  const started = performance.now();
  const child = spawnSync(process.execPath, [...loader, "-r", RSS_PRELOAD, ...s.args(work)], {
    cwd: ROOT,
    env: { ...process.env, BENCH_RSS_FILE: rssFile, INIT_CWD: ROOT },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  // A plan exits 1 for a policy finding too (a synthetic prod of 50 services is over prod's cost
  // budget, which the pack's config fixes): what is timed ran in full unless a stack failed, which
  // planResources checks. Anything else must exit 0.
  const tolerated = s.read === planResources ? [0, 1] : [0];
  if (!tolerated.includes(child.status ?? -1)) throw new Error(`${s.name} exited ${child.status}: ${child.stderr.trim().split("\n").slice(-3).join(" | ")}`);
  const { resources, innerMs } = s.read(child.stdout);
  const peakBytes = fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, "utf8")) : 0;
  return { wallMs, resources, innerMs, peakBytes };
}

export interface ScenarioResult {
  name: string;
  what: string;
  runs: number;
  wallMs: number;
  /** Median time without start-up and imports, where the scenario reports it. */
  innerMs?: number;
  resources: number;
  /** Per resource: the inner time (start-up and imports excluded) where the scenario reports one, else the wall time. */
  msPerResource?: number;
  peakMb: number;
}

function summarize(s: Scenario, samples: readonly Sample[]): ScenarioResult {
  const wallMs = median(samples.map((x) => x.wallMs));
  const inner = samples.every((x) => x.innerMs !== undefined) ? median(samples.map((x) => x.innerMs ?? 0)) : undefined;
  const resources = samples[0].resources;
  return {
    name: s.name,
    what: s.what,
    runs: samples.length,
    wallMs,
    ...(inner !== undefined ? { innerMs: inner } : {}),
    resources,
    msPerResource: perResource(inner ?? wallMs, resources),
    peakMb: Math.max(...samples.map((x) => x.peakBytes)) / (1024 * 1024),
  };
}

/** The plan's ratios to each baseline present in `results` (x = times cheaper per resource). */
export function ratios(results: readonly ScenarioResult[]): Record<string, number> {
  const by = new Map(results.map((r) => [r.name, r]));
  const plan = by.get("plan");
  const out: Record<string, number> = {};
  if (!plan?.msPerResource) return out;
  for (const base of ["naive-programs", "naive-subnets"]) {
    const b = by.get(base);
    if (b?.msPerResource) out[`plan vs ${base} (per resource)`] = speedup(b.msPerResource, plan.msPerResource);
  }
  const naive = by.get("naive-programs");
  if (naive) out["plan vs naive-programs (wall)"] = speedup(naive.wallMs, plan.wallMs);
  return out;
}

function format(results: readonly ScenarioResult[]): string {
  const rows = [["scenario", "runs", "median wall", "without start-up", "resources", "ms/resource", "peak MB"]];
  const secs = (ms: number | undefined): string => (ms === undefined ? "-" : `${(ms / 1000).toFixed(2)} s`);
  for (const r of results) {
    rows.push([r.name, String(r.runs), secs(r.wallMs), secs(r.innerMs), String(r.resources), r.msPerResource?.toFixed(2) ?? "-", r.peakMb.toFixed(0)]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const lines = rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  "));
  const r = ratios(results);
  if (Object.keys(r).length > 0) lines.push("", ...Object.entries(r).map(([k, v]) => `${k}: ${v.toFixed(2)}x`));
  lines.push("", ...results.map((x) => `${x.name}: ${x.what}`));
  return lines.join("\n") + "\n";
}

export function main(argv: string[]): number {
  let values: { runs?: string; only?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, strict: true, options: { runs: { type: "string" }, only: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } } }));
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message.split("\n")[0]} (npm run bench -- --help lists the options)\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const runs = values.runs === undefined ? 5 : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) {
    process.stderr.write(`bench: --runs must be a whole number from 1 to 50, got "${values.runs}"\n`);
    return 2;
  }
  const names = values.only?.split(",").map((s) => s.trim()) ?? SCENARIOS.map((s) => s.name);
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown scenario ${unknown.join(", ")}; scenarios: ${SCENARIOS.map((s) => s.name).join(", ")}\n`);
    return 2;
  }
  const chosen = SCENARIOS.filter((s) => names.includes(s.name));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "tila-bench-"));
  try {
    const samples = new Map<string, Sample[]>(chosen.map((s) => [s.name, []]));
    // Rounds interleave the scenarios so machine noise hits all of them alike.
    for (let round = 1; round <= runs; round++) {
      for (const s of chosen) {
        const sample = runOnce(s, work);
        samples.get(s.name)?.push(sample);
        process.stderr.write(`[${round}/${runs}] ${s.name.padEnd(14)} ${(sample.wallMs / 1000).toFixed(2)} s, ${sample.resources} resources\n`);
      }
    }
    const results = chosen.map((s) => summarize(s, samples.get(s.name) ?? []));
    process.stdout.write(values.json ? JSON.stringify({ runs, machine: { cpus: os.cpus().length, node: process.version }, results, ratios: ratios(results) }, null, 2) + "\n" : format(results));
    return 0;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
