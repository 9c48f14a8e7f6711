/**
 * `npm run deploy`: the Automation API driver for CI. Exit 0 when every step succeeded, 1 when a
 * stack failed or was refused (no approval, hot-fix scope, destroy guard), 2 on a usage error.
 * Progress and engine output go to stderr so `--json` output stays parseable.
 */
import * as path from "path";
import { parseArgs } from "util";
import { Approver, CiApprover } from "./approver";
import { hotfixTargetsFromGraph } from "./hotfix";
import { LocalWorkspaceRunner } from "./localWorkspace";
import { Pipeline, PipelineResult, UsageError, promotionRange, stackArg } from "./pipeline";
import { PulumiLookup, findPulumiOnPath, missingPulumiMessage } from "./pulumiCli";
import { StackName, StackRunner, formatChanges, isStackName } from "./runner";

/**
 * The stacks' organization when --org is not given: PULUMI_ORG; else `organization` on a DIY backend
 * (PULUMI_BACKEND_URL s3://, gs://, azblob:// or file://, which accept no other: pulumi/pulumi
 * pkg/backend/diy/store.go); else `tila`, the organization on Pulumi Cloud.
 */
export function defaultOrg(env: Readonly<Record<string, string | undefined>>): string {
  if (env.PULUMI_ORG) return env.PULUMI_ORG;
  return /^(s3|gs|azblob|file):\/\//.test(env.PULUMI_BACKEND_URL ?? "") ? "organization" : "tila";
}

/** A usage error is one line: what is wrong, and where the options are listed. */
export function usageError(reason: string): string {
  return `deploy: ${reason.split("\n")[0]} (npm run deploy -- --help lists the commands)\n`;
}

export const USAGE = `Usage: npm run deploy -- <command> [options]

Drives the real stacks through the Pulumi Automation API (needs the pulumi CLI, a logged-in
backend and AWS credentials). Every preview and up runs the policy pack with
policy/config/<stack>.json; stacks run one at a time, management → dev → stage → preprod → prod.

Commands:
  preview   [--stack <s>]...                   preview every stack (or the named ones): the MR job
  promote   --from <s> --to <s>                per stack: preview saving an update plan, approval,
                                               up with exactly that plan; stops at the first failure
  hotfix    --stack <s> --service <name> [--urn <urn>]...
                                               preview and apply only the service's task definition
                                               and ECS service (targets resolved offline unless
                                               --urn is given); refused if anything else changes
  converged --stack <s>                        preview with --refresh --expect-no-changes (after a
                                               hot fix or a service pipeline's deploy is merged back)
  destroy   --stack <s>... --confirm <s>... [--allow-prod]
                                               destroy in reverse order; each stack confirmed by name

Options:
  --org <org>             Pulumi organisation (default: PULUMI_ORG; else "organization" when
                          PULUMI_BACKEND_URL is a DIY backend (s3:// ...); else tila)
  --auto-approve <s>      approve this non-prod stack automatically (repeatable; prod is refused)
  --plan-dir <dir>        where update plans are written (default: out/deploy)
  --message <text>        appended to update messages (default: CI_PIPELINE_URL when set)
  --json                  print one JSON document to stdout
  --verbose               also print the raw error behind a missing pulumi CLI
  -h, --help              show this help

Approvals (promote, hotfix): TILA_APPROVAL_FILE names a JSON file
{ "approvals": [{ "stack": "prod", "by": "alice", "changes": { "update": 2 } }] }, or
TILA_APPROVE=<stack>[,<stack>] with TILA_APPROVED_BY / GITLAB_USER_LOGIN naming the approver.
prod is never approved automatically.

Exit status: 0 ok, 1 a stack failed or was refused, 2 usage error or no pulumi CLI (nothing ran).
`;

interface Writer {
  write(chunk: string): unknown;
}

/** Where the CLI writes and what it drives; tests swap in a fake runner and approver. */
export interface CliIo {
  stdout: Writer;
  stderr: Writer;
  /** @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** @default the repository root */
  projectDir?: string;
  /** @default a LocalWorkspaceRunner for `<org>/tila-platform/<stack>` in `projectDir` */
  runner?: StackRunner;
  /** @default a CiApprover reading the job's environment */
  approver?: Approver;
  /** @default the offline engine's graph of the stack (no CLI, no AWS) */
  resolveHotfixTargets?: (stack: StackName, service: string) => Promise<string[]>;
  /** Checked once, after the arguments and before any stack. @default `pulumi version` on PATH */
  findPulumi?: PulumiLookup;
}

const COMMANDS = ["preview", "promote", "hotfix", "converged", "destroy"] as const;
type Command = (typeof COMMANDS)[number];

/** Options each command accepts besides the common ones. */
const COMMAND_OPTIONS: Record<Command, readonly string[]> = {
  preview: ["stack"],
  promote: ["from", "to"],
  hotfix: ["stack", "service", "urn"],
  converged: ["stack"],
  destroy: ["stack", "confirm", "allow-prod"],
};
const COMMON = ["org", "auto-approve", "plan-dir", "message", "json", "verbose", "help"];

const OPTIONS = {
  stack: { type: "string", multiple: true },
  from: { type: "string" },
  to: { type: "string" },
  service: { type: "string" },
  urn: { type: "string", multiple: true },
  confirm: { type: "string", multiple: true },
  "allow-prod": { type: "boolean" },
  org: { type: "string" },
  "auto-approve": { type: "string", multiple: true },
  "plan-dir": { type: "string" },
  message: { type: "string" },
  json: { type: "boolean" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

function parse(argv: string[]): { command?: Command; values: Values } | string {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  } catch (e) {
    return (e as Error).message;
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { values };
  if (positionals.length !== 1) return positionals.length === 0 ? "name a command" : `one command at a time (got ${positionals.join(" ")})`;
  const command = positionals[0]!;
  if (!(COMMANDS as readonly string[]).includes(command)) return `unknown command "${command}"; commands: ${COMMANDS.join(", ")}`;
  const allowed = [...COMMON, ...COMMAND_OPTIONS[command as Command]];
  const stray = Object.keys(values).filter((k) => !allowed.includes(k));
  if (stray.length > 0) return `${command} does not take ${stray.map((k) => `--${k}`).join(", ")}`;
  return { command: command as Command, values };
}

function required(values: Values, name: "from" | "to" | "service"): string {
  const v = values[name];
  if (v === undefined || v === "") throw new UsageError(`--${name} is required`);
  return v;
}

function oneStack(values: Values): string {
  const stacks = values.stack ?? [];
  if (stacks.length !== 1) throw new UsageError(`name exactly one --stack (got ${stacks.length})`);
  return stacks[0]!;
}

/** The argument checks of each command that need no stack, so they come before the pulumi check. */
function checkRequest(command: Command, values: Values): void {
  for (const s of values.stack ?? []) stackArg(s);
  switch (command) {
    case "promote":
      promotionRange(required(values, "from"), required(values, "to"));
      return;
    case "hotfix":
      oneStack(values);
      required(values, "service");
      return;
    case "converged":
      oneStack(values);
      return;
    case "destroy":
      if ((values.stack ?? []).length === 0) throw new UsageError("destroy: name at least one --stack");
      return;
    case "preview":
      return;
  }
}

/** Runs the offline engine for `stack` and reads the service's targets from its graph. */
async function offlineTargets(stack: StackName, service: string, stderr: Writer): Promise<string[]> {
  const { runStack } = await import("../offline/engine");
  // Programs log through pulumi.log, which prints to stdout without an engine: keep stdout clean.
  const consoleLog = console.log;
  console.log = (...args: unknown[]): void => {
    stderr.write(args.map(String).join(" ") + "\n");
  };
  try {
    return hotfixTargetsFromGraph((await runStack(stack)).resources, stack, service);
  } finally {
    console.log = consoleLog;
  }
}

function formatResult(r: PipelineResult): string {
  const width = Math.max(...r.steps.map((s) => s.stack.length), 4);
  const lines = r.steps.map((s) => {
    const what = [s.changes !== undefined ? formatChanges(s.changes) : undefined, s.approvedBy !== undefined ? `approved by ${s.approvedBy}` : undefined, s.detail]
      .filter((x) => x !== undefined && x !== "")
      .join("; ");
    return `  ${s.stack.padEnd(width)}  ${s.status.padEnd(9)}  ${what}`;
  });
  if (r.notRun.length > 0) lines.push(`  not run: ${r.notRun.join(", ")}`);
  return `${r.action}: ${r.ok ? "ok" : "FAILED"}\n${lines.join("\n")}\n`;
}

async function run(command: Command, values: Values, io: CliIo): Promise<PipelineResult> {
  const env = io.env ?? process.env;
  const projectDir = path.resolve(io.projectDir ?? path.join(__dirname, ".."));
  const autoApprove = values["auto-approve"] ?? [];
  const unknown = autoApprove.filter((s) => !isStackName(s));
  if (unknown.length > 0) throw new UsageError(`--auto-approve: unknown stack ${unknown.join(", ")}`);
  let approver = io.approver;
  if (approver === undefined) {
    try {
      approver = new CiApprover({ env, autoApprove: autoApprove as StackName[] });
    } catch (e) {
      throw new UsageError(`--auto-approve: ${(e as Error).message}`);
    }
  } else if (autoApprove.length > 0) {
    throw new UsageError("--auto-approve applies to the CI approver only");
  }
  const pipeline = new Pipeline({
    runner: io.runner ?? new LocalWorkspaceRunner({ org: values.org ?? defaultOrg(env), workDir: projectDir }),
    approver,
    projectDir,
    planDir: values["plan-dir"] !== undefined ? path.resolve(env.INIT_CWD ?? process.cwd(), values["plan-dir"]) : undefined,
    message: values.message ?? env.CI_PIPELINE_URL,
    resolveHotfixTargets: io.resolveHotfixTargets ?? ((stack, service) => offlineTargets(stack, service, io.stderr)),
    log: (line) => io.stderr.write(`deploy: ${line}\n`),
    onOutput: (text) => io.stderr.write(text),
  });
  switch (command) {
    case "preview":
      return pipeline.previewAll(values.stack);
    case "promote":
      return pipeline.promote({ from: required(values, "from"), to: required(values, "to") });
    case "hotfix":
      return pipeline.hotfix({ stack: oneStack(values), service: required(values, "service"), urns: values.urn });
    case "converged":
      return pipeline.checkConverged(oneStack(values));
    case "destroy":
      return pipeline.destroy({ stacks: values.stack ?? [], confirm: values.confirm ?? [], allowProd: values["allow-prod"] });
  }
}

/** Runs one command; resolves to the exit code. */
export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const parsed = parse(argv);
  if (typeof parsed === "string") {
    io.stderr.write(usageError(parsed));
    return 2;
  }
  if (parsed.command === undefined) {
    io.stdout.write(USAGE);
    return 0;
  }
  try {
    checkRequest(parsed.command, parsed.values);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(usageError(e.message));
    return 2;
  }
  const pulumi = (io.findPulumi ?? findPulumiOnPath)();
  if (!pulumi.found) {
    const [first, ...rest] = missingPulumiMessage();
    io.stderr.write([`deploy: ${first}`, ...rest, ...(parsed.values.verbose === true ? [`deploy: pulumi lookup: ${pulumi.detail}`] : [])].join("\n") + "\n");
    return 2;
  }
  let result: PipelineResult;
  try {
    result = await run(parsed.command, parsed.values, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(usageError(e.message));
      return 2;
    }
    throw e;
  }
  io.stdout.write(parsed.values.json === true ? JSON.stringify(result, null, 2) + "\n" : formatResult(result));
  return result.ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`deploy: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
