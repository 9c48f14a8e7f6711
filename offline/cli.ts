/**
 * `npm run plan`: every stack offline against the mocked engine, a summary per stack, the
 * reachability matrix, and the captured graphs on disk. Exit 0 when every stack ran, 1 when one
 * failed, 2 on a usage error. Progress goes to stderr so `--json` output stays parseable.
 */
import * as path from "path";
import { parseArgs } from "util";
import { DEFAULT_PROJECT_DIR } from "./engine";
import { StackAnalyzer, planFails, runPlan, writePlanFiles } from "./plan";
import { PolicySetup, loadPolicyConfigs, policyAnalyzer, repositoryPolicySetup } from "./policyPlan";
import { listStacks } from "./stackConfig";
import { formatPlan, planJson } from "./report";

export const USAGE = `Usage: npm run plan [-- [--stack <name>] [--config <file>] [--out <dir>] [--json]]

Runs the project's stacks offline (mocked Pulumi engine, no AWS, no Pulumi CLI) with each stack's
real Pulumi.<stack>.yaml, and reports what every stack would create.

Options:
  --stack <name>   run only this stack; stacks it references (management) still run first
  --config <file>  read this file instead of Pulumi.<stack>.yaml (requires --stack)
  --out <dir>      write <dir>/<stack>/resources.json, outputs.json and <dir>/reachability.json
                   (default: out/plan)
  --json           print one JSON document to stdout instead of the text report
  --no-policy      skip the policy pack (by default every stack is checked with policy/rules and
                   policy/config/<stack>.json; a mandatory violation fails the run)
  -h, --help       show this help

Exit status: 0 all stacks ok, 1 a stack failed (config errors are listed) or has a mandatory
policy violation, 2 usage error.
For machine-readable output run \`npm run -s plan -- --json\`: without -s, npm prints its own
banner on stdout before the document.
`;

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
  stack?: string;
  config?: string;
  out?: string;
  json: boolean;
  help: boolean;
  noPolicy: boolean;
}

function parse(argv: string[]): Flags | string {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        stack: { type: "string" },
        config: { type: "string" },
        out: { type: "string" },
        json: { type: "boolean", default: false },
        "no-policy": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    if (values.config !== undefined && values.stack === undefined) return "--config needs --stack: a config file belongs to one stack";
    return { stack: values.stack, config: values.config, out: values.out, json: values.json ?? false, help: values.help ?? false, noPolicy: values["no-policy"] ?? false };
  } catch (e) {
    return (e as Error).message;
  }
}

/** The policy hook for these stacks, or why the pack cannot run (checked before any stack runs). */
function policyAnalyzers(io: CliIo, projectDir: string, stacks: readonly string[]): StackAnalyzer[] | string {
  let setup: PolicySetup | false;
  try {
    setup = io.policy ?? (projectDir === DEFAULT_PROJECT_DIR ? repositoryPolicySetup() : false);
  } catch (e) {
    return `policy pack: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (!setup) return [];
  const { configs, errors } = loadPolicyConfigs(setup, stacks);
  if (errors.length > 0) return `policy config errors (nothing was run):\n${errors.map((e) => `  ${e}`).join("\n")}`;
  return [policyAnalyzer(setup, configs)];
}

/** Runs the plan; resolves to the exit code. */
export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const flags = parse(argv);
  if (typeof flags === "string") {
    io.stderr.write(`plan: ${flags}\n\n${USAGE}`);
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
  if (flags.stack !== undefined && !stacks.includes(flags.stack)) {
    io.stderr.write(`plan: unknown stack "${flags.stack}"; stacks: ${stacks.join(", ")}\n\n${USAGE}`);
    return 2;
  }
  const analyzers = flags.noPolicy ? [] : policyAnalyzers(io, projectDir, flags.stack !== undefined ? [flags.stack] : stacks);
  if (typeof analyzers === "string") {
    io.stderr.write(`plan: ${analyzers}\n`);
    return 1;
  }
  // Programs log through pulumi.log, which prints to stdout without an engine: keep stdout for the report.
  const consoleLog = console.log;
  console.log = (...args: unknown[]): void => {
    io.stderr.write(args.map(String).join(" ") + "\n");
  };
  try {
    const result = await runPlan({
      analyzers,
      projectDir,
      programPath: io.programPath,
      stack: flags.stack,
      configFile: flags.config !== undefined ? path.resolve(cwd, flags.config) : undefined,
      onProgress: (line) => io.stderr.write(line + "\n"),
    });
    writePlanFiles(result, outDir);
    io.stdout.write(flags.json ? JSON.stringify(planJson(result), null, 2) + "\n" : formatPlan(result));
    const shown = path.relative(cwd, outDir);
    io.stderr.write(`plan files: ${shown === "" ? "." : shown.startsWith("..") ? outDir : shown}\n`);
    return planFails(result) ? 1 : 0;
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
