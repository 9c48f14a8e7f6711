/**
 * shellcheck for the bootstrap tests: every script checked in one pass, in parallel, and each
 * verdict cached by what determines it (the script, the arguments and the shellcheck version),
 * so an unchanged script is never linted twice and a changed one always is.
 */
import { spawn, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * Strictest level that the scripts pass: every default check at severity "style" (the lowest, so
 * info and style findings fail too) plus all of shellcheck's optional checks, except SC2310. That
 * one flags every function called in `if` or before `||`, which is exactly how these scripts
 * handle errors on purpose (`retry ... || die "..."`), so it can only be silenced, not fixed.
 */
export const SHELLCHECK_ARGS = ["--shell=bash", "--severity=style", "--enable=all", "--exclude=SC2310", "-"];

/** Verdicts live with the other tool caches: a fresh clone has none and lints everything. */
export const SHELLCHECK_CACHE_DIR = path.resolve(__dirname, "../../node_modules/.cache/tila-shellcheck");

export interface ShellcheckResult {
  status: number;
  output: string;
}

const MISSING = "shellcheck is not on PATH: install it with `apt-get install -y shellcheck` (npm test's pretest step does this when run as root)";

let version: string | undefined;

/** `shellcheck --version`, part of every cache key: a new shellcheck re-lints everything. */
export function shellcheckVersion(): string {
  if (version !== undefined) return version;
  const r = spawnSync("shellcheck", ["--version"], { encoding: "utf8" });
  if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(MISSING);
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`shellcheck --version exited ${r.status}: ${r.stderr}`);
  version = r.stdout;
  return version;
}

export function cacheKey(script: string, toolVersion: string, args: readonly string[] = SHELLCHECK_ARGS): string {
  return createHash("sha256").update(toolVersion).update("\0").update(args.join("\0")).update("\0").update(script).digest("hex");
}

function run(script: string): Promise<ShellcheckResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("shellcheck", SHELLCHECK_ARGS, { stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.on("error", (e: NodeJS.ErrnoException) => reject(e.code === "ENOENT" ? new Error(MISSING) : e));
    child.on("close", (code) => resolve({ status: code ?? -1, output }));
    child.stdin.end(script);
  });
}

function readCached(file: string): ShellcheckResult | undefined {
  try {
    const r = JSON.parse(fs.readFileSync(file, "utf8")) as ShellcheckResult;
    return typeof r.status === "number" && typeof r.output === "string" ? r : undefined;
  } catch {
    return undefined;
  }
}

function writeCached(file: string, result: ShellcheckResult): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(result));
  fs.renameSync(tmp, file);
}

/**
 * shellcheck's verdict on each script, in order: cached ones read back, the rest linted one
 * process per script, as many at a time as there are cores (linting, not start-up, is the cost).
 */
export async function shellcheckAll(scripts: readonly string[], cacheDir: string = SHELLCHECK_CACHE_DIR): Promise<ShellcheckResult[]> {
  const toolVersion = shellcheckVersion();
  const files = scripts.map((s) => path.join(cacheDir, `${cacheKey(s, toolVersion)}.json`));
  const results = files.map(readCached);
  const todo = results.flatMap((r, i) => (r ? [] : [i]));
  const worker = async (): Promise<void> => {
    for (let i = todo.shift(); i !== undefined; i = todo.shift()) {
      results[i] = await run(scripts[i]!);
      writeCached(files[i]!, results[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(os.availableParallelism(), todo.length) }, worker));
  return results as ShellcheckResult[];
}
