/**
 * `npm run plan`: every stack offline against the mocked engine, a summary per stack, the
 * reachability matrix, and the captured graphs on disk. Exit 0 when every stack ran, 1 when one
 * failed or the files could not be written, 2 on a usage error (arguments, `--config`, `--out`),
 * found before any stack runs. Progress goes to stderr so `--json` output stays parseable.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { persistParsedYaml } from "../config/yamlCache";
import { checkOutDir } from "./outDir";
import type { StackAnalyzer } from "./plan";
import type { PolicySetup } from "./policyPlan";
import { DEFAULT_PROJECT_DIR } from "./projectDir";
import { listStacks } from "./stackConfig";

/**
 * The engine (and with it the Pulumi SDK), the cache and the report: imported inside main(), after
 * the policy worker has started, so the worker's imports overlap these.
 */
function loadPlanModules() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { planFails, runPlan } = require("./plan") as typeof import("./plan");
  const { PlanCache } = require("./planCache") as typeof import("./planCache");
  const { DigestMemo } = require("./cacheKey") as typeof import("./cacheKey");
  const { resourcesFile, writePlanFiles } = require("./planFiles") as typeof import("./planFiles");
  const { formatPlan, planJson } = require("./report") as typeof import("./report");
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { planFails, runPlan, PlanCache, DigestMemo, resourcesFile, writePlanFiles, formatPlan, planJson };
}
type PlanModules = ReturnType<typeof loadPlanModules>;

export const USAGE = `Usage: npm run plan [-- [--stack <name>]... [--config <file>] [--out <dir>] [--json] [--no-cache]]

Runs the project's stacks offline (mocked Pulumi engine, no AWS, no Pulumi CLI) with each stack's
real Pulumi.<stack>.yaml, and reports what every stack would create.

Options:
  --stack <name>   run only this stack (repeat for several); stacks they reference
                   (management) still run first, unreported
  --config <file>  read this file instead of Pulumi.<stack>.yaml (needs exactly one --stack)
  --out <dir>      write <dir>/<stack>/resources.json, outputs.json, <dir>/reachability.json and
                   an index.json of the run (default: out/plan). The folder must be new, empty
                   or an earlier plan's (marked .tila-plan); only the plan's own files are removed
                   from it. Secret values are written as "[secret]".
  --json           print one JSON document to stdout instead of the text report
  --diff <dir>     compare with the plan in <dir> (an earlier --out folder): per stack the
                   resources created, deleted and updated with their changed input paths
                   (secrets masked), new and resolved policy findings, reachability changes
  --report <file>  write a Markdown report for a merge-request comment to <file>: a summary
                   per stack, policy findings, cost, Mermaid diagrams and, with --diff, the
                   changes; at most 100 KB, what was cut said (docs/plan-cli.md)
  --cost           estimate each stack's monthly cost from the committed price snapshot
                   (offline/cost/prices): total against its budget, by tier, the top 10 line
                   items, the usage assumptions; --json carries every line item (docs/cost.md)
  --diagrams <dir> draw the plan: <dir>/<name>.mmd (Mermaid) and <name>.svg (Graphviz, rendered
                   offline) for the network, each environment's services and data tier, and the
                   reachability matrix; the folder rules of --out apply (docs/diagrams.md)
  --no-policy      skip the policy pack (by default every stack is checked with policy/rules and
                   policy/config/<stack>.json; a mandatory violation fails the run)
  --no-cache       run every stack even if nothing it depends on changed (by default a stack
                   whose sources, config and inputs from other stacks are unchanged is taken
                   from <dir>/.cache; see docs/plan-cli.md)
  -h, --help       show this help

Exit status: 0 all stacks ok, 1 a stack failed (config errors are listed) or has a mandatory
policy violation or the plan files could not be written (the report is still printed), 2 usage
error (bad arguments, a --config file that does not exist, an --out folder that cannot be used;
nothing runs).
For machine-readable output run \`npm run -s plan -- --json\`: without -s, npm prints its own
banner on stdout before the document.
`;

/** A usage error is one line: what is wrong, and where the options are listed. */
export function usageError(reason: string): string {
  return `plan: ${reason.split("\n")[0]} (npm run plan -- --help lists the options)\n`;
}

interface Writer {
  write(chunk: string): unknown;
}

/** Where the CLI writes and which project it runs; tests swap these in. */
export interface CliIo {
  stdout: Writer;
  stderr: Writer;
  /** Relative `--config` and `--out` resolve against this. @default `INIT_CWD` (set by npm), else process.cwd() */
  cwd?: string;
  /** @default the repository root */
  projectDir?: string;
  /** @default `main:` of Pulumi.yaml */
  programPath?: string;
  /** The policy pack to run; false for none. @default this repository's pack when `projectDir` is the repository, else none */
  policy?: PolicySetup | false;
  /**
   * Ends the process at once with this code (the command line's own run). A policy pack that
   * cannot run is then reported the moment that is known, while the first stack still runs: the
   * plan has written nothing by then. Without it, the plan stops after that stack, as before.
   */
  exit?: (code: number) => void;
}

interface Flags {
  stacks: string[];
  config?: string;
  out?: string;
  json: boolean;
  help: boolean;
  noPolicy: boolean;
  noCache: boolean;
  diagrams?: string;
  diff?: string;
  report?: string;
  cost: boolean;
}

function parse(argv: string[]): Flags | string {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        stack: { type: "string", multiple: true },
        config: { type: "string" },
        out: { type: "string" },
        json: { type: "boolean", default: false },
        "no-policy": { type: "boolean", default: false },
        "no-cache": { type: "boolean", default: false },
        diagrams: { type: "string" },
        diff: { type: "string" },
        report: { type: "string" },
        cost: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    const stacks = values.stack ?? [];
    if (values.config !== undefined && new Set(stacks).size !== 1) return "--config needs exactly one --stack: a config file belongs to one stack";
    return { stacks, config: values.config, out: values.out, json: values.json ?? false, help: values.help ?? false, noPolicy: values["no-policy"] ?? false, noCache: values["no-cache"] ?? false, diagrams: values.diagrams, diff: values.diff, report: values.report, cost: values.cost ?? false };
  } catch (e) {
    return (e as Error).message;
  }
}

interface PolicyHooks {
  analyzers: StackAnalyzer[];
  /** Identifies the policy run per stack, for the cache; undefined: no pack runs. */
  key?: (stack: string) => string | undefined;
  /** Releases what runs the pack (the worker thread). */
  close?: () => Promise<void>;
}

/**
 * Where digests of the program's and the pack's sources are kept across plans, by the files'
 * stats (offline/cacheKey.ts, DigestMemo); `--no-cache` hashes the files again.
 */
const DIGEST_MEMO = path.join(DEFAULT_PROJECT_DIR, "node_modules", ".cache", "tila-digest", "sources.json");

/** A pack run in this thread (the caller's, or the repository's for one stack); why it cannot run, or its hooks. */
function inProcessPolicy(setup: PolicySetup, stacks: readonly string[], digestMemo: DigestMemoAt): PolicyHooks | string {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { loadPolicyConfigs, policyAnalyzer, policyCacheKey } = require("./policyPlan") as typeof import("./policyPlan");
  const { DigestMemo } = require("./cacheKey") as typeof import("./cacheKey");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const { configs, errors } = loadPolicyConfigs(setup, stacks);
  if (errors.length > 0) return policyConfigErrors(errors);
  return { analyzers: [policyAnalyzer(setup, configs)], key: policyCacheKey(setup, configs, undefined, new DigestMemo(digestMemo.file, { read: digestMemo.read })) };
}

/** The digest memo's file, and whether this plan reads it. */
interface DigestMemoAt {
  file: string;
  read: boolean;
}

function policyConfigErrors(errors: readonly string[]): string {
  return `policy config errors (the plan stopped; nothing was reported or written):\n${errors.map((e) => `  ${e}`).join("\n")}`;
}

/**
 * The policy hooks for these stacks, or why the pack cannot run (known before any stack is
 * reported): the caller's pack in this thread, or this repository's pack in a worker thread started
 * now, whose answer `settle` awaits; undefined when no pack runs.
 */
function startPolicy(io: CliIo, projectDir: string, stacks: readonly string[], digestMemo: DigestMemoAt): { settle: () => Promise<PolicyHooks | string> } | undefined {
  if (io.policy === false || (io.policy === undefined && projectDir !== DEFAULT_PROJECT_DIR)) return undefined;
  if (io.policy !== undefined) {
    const setup = io.policy;
    return { settle: async () => inProcessPolicy(setup, stacks, digestMemo) };
  }
  // One stack leaves nothing to overlap the pack with: a worker would only add its own start
  // (a second SDK, a cold JIT) to the critical path, about 0.3 s of a hot-fix re-plan.
  if (stacks.length === 1) {
    return {
      settle: async () => {
        try {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          const { repositoryPolicySetup } = require("./policyPlan") as typeof import("./policyPlan");
          return inProcessPolicy(repositoryPolicySetup(), stacks, digestMemo);
        } catch (e) {
          return `policy pack: ${e instanceof Error ? e.message : String(e)}`;
        }
      },
    };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startPolicyWorker } = require("./policyHost") as typeof import("./policyHost");
  const host = startPolicyWorker(stacks, digestMemo);
  return {
    settle: async () => {
      try {
        const { errors, keys } = await host.ready;
        if (errors.length > 0) {
          await host.close();
          return policyConfigErrors(errors);
        }
        return { analyzers: [host.analyzer], key: (stack) => keys[stack], close: host.close };
      } catch (e) {
        await host.close();
        return `policy pack: ${e instanceof Error ? e.message : String(e)}`;
      }
    },
  };
}

/** Why the policy pack cannot run; the plan stops with it before reporting anything. */
class PolicyUnavailable extends Error {}

/**
 * Hooks usable before the pack is ready: the worker loads the pack and checks its config while the
 * first stack runs (the main thread used to wait for it, idle, about a quarter of a second).
 * Analyses wait for the pack; `ready` rejects with PolicyUnavailable when it cannot run.
 */
function deferredPolicy(settled: Promise<PolicyHooks | string>): { hooks: PolicyHooks; ready: Promise<PolicyHooks> } {
  let resolved: PolicyHooks | undefined;
  const ready = settled.then((p) => {
    if (typeof p === "string") throw new PolicyUnavailable(p);
    resolved = p;
    return p;
  });
  // A plan that fails first never awaits `ready`: not an unhandled rejection meanwhile.
  ready.catch(() => undefined);
  const hooks: PolicyHooks = {
    // The memo goes to the pack's analyzer when it is the only one (runPlan's rule for outcomes).
    analyzers: [
      async (run, memo) => {
        const { analyzers } = await ready;
        return (await Promise.all(analyzers.map(async (a) => a(run, analyzers.length === 1 ? memo : undefined)))).flat();
      },
    ],
    key: (stack) => resolved?.key?.(stack),
    close: async () => (await ready.catch(() => undefined))?.close?.(),
  };
  return { hooks, ready };
}

/** Why `file` cannot be read as a config file, if it cannot. */
function configFileProblem(file: string): string | undefined {
  try {
    if (fs.statSync(file).isDirectory()) return "is a folder, not a file";
    fs.accessSync(file, fs.constants.R_OK);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ENOTDIR" ? "no such file" : `cannot be read: ${(e as Error).message}`;
  }
}

/** Runs the plan; resolves to the exit code. */
export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const flags = parse(argv);
  if (typeof flags === "string") {
    io.stderr.write(usageError(flags));
    return 2;
  }
  if (flags.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  // Parsed stack files are kept by content hash beside the loader's cache (config/yamlCache.ts).
  persistParsedYaml(path.join(DEFAULT_PROJECT_DIR, "node_modules", ".cache", "tila-yaml"));
  // npm runs scripts from the package root; INIT_CWD is where the user typed the command.
  const cwd = io.cwd ?? process.env.INIT_CWD ?? process.cwd();
  const projectDir = path.resolve(io.projectDir ?? DEFAULT_PROJECT_DIR);
  const outDir = flags.out !== undefined ? path.resolve(cwd, flags.out) : path.join(projectDir, "out", "plan");
  // The default folder belongs to the tool; one filled by a plan from before the marker is adopted.
  const adoptPlanShaped = flags.out === undefined;
  const usage = (line: string): number => {
    io.stderr.write(usageError(line));
    return 2;
  };

  let stacks: string[];
  try {
    stacks = listStacks(projectDir);
  } catch (e) {
    io.stderr.write(`plan: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  if (stacks.length === 0) {
    io.stderr.write(`plan: no Pulumi.<stack>.yaml in ${projectDir}\n`);
    return 1;
  }
  const unknown = flags.stacks.find((s) => !stacks.includes(s));
  if (unknown !== undefined) return usage(`unknown stack "${unknown}"; stacks: ${stacks.join(", ")}`);
  const configFile = flags.config !== undefined ? path.resolve(cwd, flags.config) : undefined;
  const configProblem = configFile !== undefined ? configFileProblem(configFile) : undefined;
  if (configProblem !== undefined) return usage(`--config ${configFile}: ${configProblem}`);
  const outProblem = checkOutDir(outDir, { adoptPlanShaped });
  if (outProblem !== undefined) return usage(outProblem);
  const diagramsProblem = flags.diagrams !== undefined ? diagramsDirProblem(path.resolve(cwd, flags.diagrams)) : undefined;
  if (diagramsProblem !== undefined) return usage(diagramsProblem);
  const compare = flags.diff !== undefined ? readOldPlan(path.resolve(cwd, flags.diff)) : undefined;
  if (typeof compare === "string") return usage(compare);
  const reportFile = flags.report !== undefined ? path.resolve(cwd, flags.report) : undefined;
  const reportProblem = reportFile !== undefined ? reportFileProblem(reportFile) : undefined;
  if (reportProblem !== undefined) return usage(`--report ${reportFile}: ${reportProblem}`);
  const selected = flags.stacks.length > 0 ? flags.stacks : undefined;
  const digestMemo: DigestMemoAt = { file: DIGEST_MEMO, read: !flags.noCache };
  const pending = flags.noPolicy ? undefined : startPolicy(io, projectDir, selected ?? stacks, digestMemo);
  const modules = loadPlanModules();
  const deferred = pending ? deferredPolicy(pending.settle()) : undefined;
  const policy = deferred?.hooks ?? { analyzers: [] };
  let planning = true;
  let reported = false;
  const unavailable = (e: PolicyUnavailable): void => {
    if (reported) return;
    reported = true;
    io.stderr.write(`plan: ${e.message}\n`);
  };
  if (io.exit !== undefined) {
    const exit = io.exit;
    deferred?.ready.catch((e: unknown) => {
      if (!planning || !(e instanceof PolicyUnavailable)) return;
      unavailable(e);
      exit(1);
    });
  }
  try {
    return await planAndReport({ io, flags, cwd, projectDir, outDir, stacks, selected, configFile, adoptPlanShaped, policy, policyReady: deferred?.ready, modules, compare, reportFile });
  } catch (e) {
    if (!(e instanceof PolicyUnavailable)) throw e;
    unavailable(e);
    return 1;
  } finally {
    planning = false;
    await policy.close?.();
  }
}

interface PlanRun {
  io: CliIo;
  flags: Flags;
  cwd: string;
  projectDir: string;
  outDir: string;
  stacks: string[];
  selected: string[] | undefined;
  configFile: string | undefined;
  adoptPlanShaped: boolean;
  policy: PolicyHooks;
  /** Settles when the pack is ready; rejects with PolicyUnavailable when it cannot run. */
  policyReady?: Promise<unknown>;
  modules: PlanModules;
  /** `--diff`: the old plan, read before anything ran (it may be the `--out` folder this run rewrites). */
  compare?: OldPlan;
  /** `--report`: the Markdown file to write. */
  reportFile?: string;
}

/** The plan `--diff` names, as read before any stack runs. */
interface OldPlan {
  dir: string;
  snapshot: import("./planDir").PlanSnapshot;
}

/** The plan in `dir`, or why it cannot be compared with (a usage error). planDir.ts is light: the engine still loads after the policy worker starts. */
function readOldPlan(dir: string): OldPlan | string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { planDirProblem, readPlanDir } = require("./planDir") as typeof import("./planDir");
  const problem = planDirProblem(dir);
  if (problem !== undefined) return `--diff ${dir}: ${problem}`;
  try {
    return { dir, snapshot: readPlanDir(dir) };
  } catch (e) {
    return `--diff ${dir}: cannot be read: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Why the report cannot be written to `file`, if it cannot: its folder must exist and be writable, and `file` not be a folder. */
function reportFileProblem(file: string): string | undefined {
  const parent = path.dirname(file);
  try {
    if (fs.statSync(file).isDirectory()) return "is a folder, not a file";
  } catch {
    // Absent: it is created.
  }
  try {
    if (!fs.statSync(parent).isDirectory()) return `cannot be created: ${parent} is a file`;
    fs.accessSync(parent, fs.constants.W_OK);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ENOTDIR" ? `cannot be created: ${parent} does not exist` : `cannot be created: ${parent} is not writable`;
  }
}

/** Runs the plan with checked arguments, prints the report and writes the files; the exit code. */
async function planAndReport(r: PlanRun): Promise<number> {
  const { io, flags, cwd, projectDir, outDir, stacks, selected, configFile, adoptPlanShaped, policy } = r;
  const { planFails, runPlan, PlanCache, DigestMemo, resourcesFile, writePlanFiles, formatPlan, planJson } = r.modules;
  // Progress waits for the pack: a plan it stops prints only why.
  const held: string[] = [];
  let holding = r.policyReady !== undefined;
  r.policyReady?.then(
    () => {
      holding = false;
      for (const line of held.splice(0)) io.stderr.write(line + "\n");
    },
    () => undefined,
  );
  const progress = (line: string): void => void (holding ? held.push(line) : io.stderr.write(line + "\n"));
  const cache = new PlanCache({ outDir, read: !flags.noCache, repoRoot: DEFAULT_PROJECT_DIR, sourcesMemo: new DigestMemo(DIGEST_MEMO, { read: !flags.noCache }), policyKey: policy.key, onNote: progress });
  // Programs log through pulumi.log, which prints to stdout without an engine: keep stdout for the report.
  const consoleLog = console.log;
  console.log = (...args: unknown[]): void => {
    io.stderr.write(args.map(String).join(" ") + "\n");
  };
  try {
    const result = await runPlan({
      analyzers: policy.analyzers,
      analyzersReady: r.policyReady,
      // The resources.json files are made while the pack checks the last stack.
      whileChecking: (runs) => {
        for (const run of Object.values(runs)) resourcesFile(run);
      },
      cache,
      projectDir,
      programPath: io.programPath,
      ...(configFile !== undefined ? { stack: flags.stacks[0], configFile } : { stacks: selected }),
      onProgress: progress,
    });
    // Prices are read only when asked for: a plain plan never loads offline/cost.
    const costs = flags.cost ? estimateCosts(result) : undefined;
    // --diff and --report: loaded only when asked for, so a plain plan does no more than before.
    const extras = reportExtras(r, result, costs);
    // The report first: whatever happens to the files, the run's findings are on screen.
    io.stdout.write(flags.json ? JSON.stringify({ ...planJson(result, { costs }), ...extras.json }, null, 2) + "\n" : formatPlan(result, { cwd, costs }) + extras.text);
    const relative = path.relative(cwd, outDir);
    const shown = relative === "" ? "." : relative.startsWith("..") ? outDir : relative;
    const written = writePlanFiles(result, outDir, { knownStacks: stacks, adoptPlanShaped });
    for (const e of written.errors) io.stderr.write(`plan: could not write ${e.file} in ${shown}: ${e.message}\n`);
    if (written.errors.length === 0) io.stderr.write(`plan files: ${shown}\n`);
    if (flags.diagrams !== undefined && !(await drawPlan(result, path.resolve(cwd, flags.diagrams), cwd, io))) return 1;
    const costFailed = costs !== undefined && Object.values(costs).some((c) => !c.ok);
    return planFails(result) || written.errors.length > 0 || costFailed || extras.failed ? 1 : 0;
  } finally {
    console.log = consoleLog;
  }
}

/** Each stack's estimate (offline/cost/planCost.ts), loaded on first use. */
function estimateCosts(result: import("./plan").PlanResult): Record<string, import("./cost/planCost").StackCostResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { estimateRuns } = require("./cost/planCost") as typeof import("./cost/planCost");
  return estimateRuns(result.runs, result.stacks.map((s) => s.stack));
}

interface ReportExtras {
  /** The diff section, after the plan's own report. */
  text: string;
  json: { diff?: import("./diff").PlanDiff; mergeRequestReport?: Omit<import("./mrReport").MergeRequestReport, "markdown"> & { file: string; chars: number } };
  /** The --report file could not be written. */
  failed: boolean;
}

/** How the report names a path: relative to where the command was typed when below it. */
function shownPath(cwd: string, p: string): string {
  const relative = path.relative(cwd, p);
  return relative === "" ? "." : relative.startsWith("..") ? p : relative;
}

/**
 * What --diff and --report add: the diff section and its JSON, and the merge-request report written
 * to its file (with the cost estimate and the diagrams, computed here when --cost did not). The
 * modules load only when asked for, so a plain plan does no more than before.
 */
function reportExtras(r: PlanRun, result: import("./plan").PlanResult, costs: Record<string, import("./cost/planCost").StackCostResult> | undefined): ReportExtras {
  const out: ReportExtras = { text: "", json: {}, failed: false };
  let diff: import("./diff").PlanDiff | undefined;
  if (r.compare !== undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { costOfRuns, diffAgainst, formatDiff } = require("./diff") as typeof import("./diff");
    diff = diffAgainst(result, r.compare.snapshot, shownPath(r.cwd, r.compare.dir), costOfRuns(result));
    out.text = `\n${formatDiff(diff)}\n`;
    out.json.diff = diff;
  }
  if (r.reportFile !== undefined) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { mergeRequestReport } = require("./mrReport") as typeof import("./mrReport");
    const { diagramsOf } = require("./diagrams") as typeof import("./diagrams");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const report = mergeRequestReport({ result, costs: costs ?? estimateCosts(result), diff, diagrams: diagramsOf(result) });
    const shown = shownPath(r.cwd, r.reportFile);
    const { markdown, ...data } = report;
    out.json.mergeRequestReport = { file: shown, chars: markdown.length, ...data };
    try {
      fs.writeFileSync(r.reportFile, markdown);
      r.io.stderr.write(`report: ${shown} (${Math.ceil(markdown.length / 1000)} KB${report.cut.length > 0 ? ", cut to fit" : ""})\n`);
    } catch (e) {
      r.io.stderr.write(`plan: could not write the report ${shown}: ${e instanceof Error ? e.message : String(e)}\n`);
      out.failed = true;
    }
  }
  return out;
}

/** Why `--diagrams <dir>` cannot be used; the pictures' modules load only when the flag is given. */
function diagramsDirProblem(dir: string): string | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { checkDiagramsDir } = require("./diagrams/write") as typeof import("./diagrams/write");
  return checkDiagramsDir(dir);
}

/** `--diagrams`: draws the plan's pictures into `dir` (Graphviz's WebAssembly loads here, never in a plain plan); false when a file could not be written. */
async function drawPlan(result: import("./plan").PlanResult, dir: string, cwd: string, io: CliIo): Promise<boolean> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { diagramsOf } = require("./diagrams") as typeof import("./diagrams");
  const { writeDiagrams } = require("./diagrams/write") as typeof import("./diagrams/write");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const relative = path.relative(cwd, dir);
  const shown = relative === "" ? "." : relative.startsWith("..") ? dir : relative;
  const drawn = await writeDiagrams(diagramsOf(result), dir);
  for (const e of drawn.errors) io.stderr.write(`plan: could not write ${e.file} in ${shown}: ${e.message}\n`);
  if (drawn.errors.length === 0) io.stderr.write(`diagrams: ${shown} (${drawn.written.filter((f) => f.endsWith(".svg")).length} pictures, .mmd and .svg)\n`);
  return drawn.errors.length === 0;
}

if (require.main === module) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, exit: (code) => process.exit(code) }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`plan: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
