/**
 * `npm run plan`: every stack offline against the mocked engine, a summary per stack, the
 * reachability matrix, and the captured graphs on disk. Exit 0 when every stack ran, 1 when one
 * failed or the files could not be written, 2 on a usage error (arguments, `--config`, `--out`),
 * found before any stack runs. Progress goes to stderr so `--json` output stays parseable.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { DEFAULT_PROJECT_DIR } from "./engine";
import { checkOutDir } from "./outDir";
import { StackAnalyzer, planFails, runPlan } from "./plan";
import { writePlanFiles } from "./planFiles";
import { PlanCache } from "./planCache";
import { PolicySetup, loadPolicyConfigs, policyAnalyzer, policyCacheKey, repositoryPolicySetup } from "./policyPlan";
import { listStacks } from "./stackConfig";
import { formatPlan, planJson } from "./report";

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
}

interface Flags {
  stacks: string[];
  config?: string;
  out?: string;
  json: boolean;
  help: boolean;
  noPolicy: boolean;
  noCache: boolean;
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
        help: { type: "boolean", short: "h", default: false },
      },
    });
    const stacks = values.stack ?? [];
    if (values.config !== undefined && new Set(stacks).size !== 1) return "--config needs exactly one --stack: a config file belongs to one stack";
    return { stacks, config: values.config, out: values.out, json: values.json ?? false, help: values.help ?? false, noPolicy: values["no-policy"] ?? false, noCache: values["no-cache"] ?? false };
  } catch (e) {
    return (e as Error).message;
  }
}

interface PolicyHooks {
  analyzers: StackAnalyzer[];
  /** Identifies the policy run per stack, for the cache; undefined: no pack runs. */
  key?: (stack: string) => string | undefined;
}

/** The policy hook for these stacks, or why the pack cannot run (checked before any stack runs). */
function policyAnalyzers(io: CliIo, projectDir: string, stacks: readonly string[]): PolicyHooks | string {
  let setup: PolicySetup | false;
  try {
    setup = io.policy ?? (projectDir === DEFAULT_PROJECT_DIR ? repositoryPolicySetup() : false);
  } catch (e) {
    return `policy pack: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (!setup) return { analyzers: [] };
  const { configs, errors } = loadPolicyConfigs(setup, stacks);
  if (errors.length > 0) return `policy config errors (nothing was run):\n${errors.map((e) => `  ${e}`).join("\n")}`;
  return { analyzers: [policyAnalyzer(setup, configs)], key: policyCacheKey(setup, configs) };
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
  const selected = flags.stacks.length > 0 ? flags.stacks : undefined;
  const policy = flags.noPolicy ? { analyzers: [] } : policyAnalyzers(io, projectDir, selected ?? stacks);
  if (typeof policy === "string") {
    io.stderr.write(`plan: ${policy}\n`);
    return 1;
  }
  const progress = (line: string): void => void io.stderr.write(line + "\n");
  const cache = new PlanCache({ outDir, read: !flags.noCache, repoRoot: DEFAULT_PROJECT_DIR, policyKey: policy.key, onNote: progress });
  // Programs log through pulumi.log, which prints to stdout without an engine: keep stdout for the report.
  const consoleLog = console.log;
  console.log = (...args: unknown[]): void => {
    io.stderr.write(args.map(String).join(" ") + "\n");
  };
  try {
    const result = await runPlan({
      analyzers: policy.analyzers,
      cache,
      projectDir,
      programPath: io.programPath,
      ...(configFile !== undefined ? { stack: flags.stacks[0], configFile } : { stacks: selected }),
      onProgress: progress,
    });
    // The report first: whatever happens to the files, the run's findings are on screen.
    io.stdout.write(flags.json ? JSON.stringify(planJson(result), null, 2) + "\n" : formatPlan(result, { cwd }));
    const relative = path.relative(cwd, outDir);
    const shown = relative === "" ? "." : relative.startsWith("..") ? outDir : relative;
    const written = writePlanFiles(result, outDir, { knownStacks: stacks, adoptPlanShaped });
    for (const e of written.errors) io.stderr.write(`plan: could not write ${e.file} in ${shown}: ${e.message}\n`);
    if (written.errors.length === 0) io.stderr.write(`plan files: ${shown}\n`);
    return planFails(result) || written.errors.length > 0 ? 1 : 0;
  } finally {
    console.log = consoleLog;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`plan: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
