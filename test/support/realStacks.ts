/**
 * The five real stacks, each captured once and shared by every test that reads it (a stack costs
 * about a second to capture, prod two). A capture is kept on disk under
 * `node_modules/.cache/tila-test-stacks/`, keyed by everything it depends on (the program sources
 * with the engine, the lockfile and the Node version, and every stack file): mocha's other worker
 * process and later test runs take it from there instead of capturing the stack again, and any
 * change to a source or stack file makes a new key. Tests that change a stack still run that stack
 * themselves, but take management from here: it references no other stack, so a second capture
 * of it would be identical. TILA_TEST_STACKS=0 turns the disk copy off.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as v8 from "v8";
import { programSourcesDigest } from "../../offline/cacheKey";
import { EngineOptions, OfflineEngine, StackRun } from "../../offline/engine";
import { STACK_ORDER } from "../../offline/stackConfig";

const ROOT = path.resolve(__dirname, "../..");
const SHARE_DIR = process.env.TILA_TEST_STACKS_DIR ?? path.join(ROOT, "node_modules", ".cache", "tila-test-stacks");
/** Bumped when what an entry holds changes. */
const SHARE_FORMAT = "1";

let runs: Promise<Record<string, StackRun>> | undefined;
let key: string | undefined;

/** What every real stack's capture in `root` depends on: the sources (with the engine and lockfile), every stack file, Node. */
export function stacksKey(root: string): string {
  const h = createHash("sha256").update(`${SHARE_FORMAT}\0${process.version}\0${programSourcesDigest(root, path.join(root, "index.ts"))}\0`);
  for (const f of fs.readdirSync(root).filter((n) => /^Pulumi\..+\.ya?ml$/.test(n)).sort()) h.update(`${f}\0`).update(fs.readFileSync(path.join(root, f))).update("\0");
  return h.digest("hex");
}

/** stacksKey of this repository, computed once per process (the sources do not change during a test run). */
export function realStacksKey(): string {
  return (key ??= stacksKey(ROOT));
}

function shareFile(name: string): string {
  return path.join(SHARE_DIR, `${name}-${realStacksKey()}.bin`);
}

function sharing(): boolean {
  return process.env.TILA_TEST_STACKS !== "0";
}

/**
 * A capture another process stored under `name` and the current key, or undefined. `name` is a
 * real stack's, or a variant's that names everything it changed (configVariants.ts).
 */
export function loadShared(name: string): StackRun | undefined {
  if (!sharing()) return undefined;
  try {
    return v8.deserialize(fs.readFileSync(shareFile(name))) as StackRun;
  } catch {
    return undefined;
  }
}

/** Keeps a fresh capture for the other processes (write then rename: readers see all of it or nothing). */
export function storeShared(name: string, run: StackRun): void {
  if (!sharing()) return;
  try {
    fs.mkdirSync(SHARE_DIR, { recursive: true });
    const file = shareFile(name);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, v8.serialize(run));
    fs.renameSync(tmp, file);
    // Entries of older keys are never read again.
    const key = realStacksKey();
    for (const old of fs.readdirSync(SHARE_DIR)) if (old.startsWith(`${name}-`) && old.endsWith(".bin") && !old.endsWith(`${key}.bin`) && old.slice(name.length + 1, -4).length === key.length) fs.rmSync(path.join(SHARE_DIR, old), { force: true });
  } catch {
    // A read-only node_modules only costs the capture in the next process.
  }
}

/**
 * An engine with `options` whose runs are taken from the disk copy under `<prefix><stack>` when
 * there, and kept there when captured: `run(stack)` runs a stack (and what it references) at most
 * once per key, across processes.
 */
export function sharedEngine(options: EngineOptions, prefix: string): { run(stack: string): Promise<StackRun> } {
  const fromDisk = new Set<string>();
  const shared = new OfflineEngine({
    ...options,
    reuse: async (s) => {
      const run = loadShared(prefix + s);
      if (run !== undefined) fromDisk.add(s);
      return run;
    },
  });
  return {
    run: async (stack) => {
      const run = await shared.run(stack);
      if (!fromDisk.has(stack) && !run.cached) {
        fromDisk.add(stack);
        storeShared(prefix + stack, run);
      }
      return run;
    },
  };
}

let engine: { run(stack: string): Promise<StackRun> } | undefined;

/** One real stack (after the stacks it references), captured at most once per key. */
export function realStack(stack: string): Promise<StackRun> {
  engine ??= sharedEngine({}, "");
  return engine.run(stack);
}

export function realStacks(): Promise<Record<string, StackRun>> {
  runs ??= (async () => {
    const out: Record<string, StackRun> = {};
    for (const stack of STACK_ORDER) out[stack] = await realStack(stack);
    return out;
  })();
  return runs;
}

/**
 * An engine for a run that changes `changed` (their config files or, through `beforeProgram`,
 * their programs) in the real project, which takes the shared real management run instead of
 * capturing management again, unless management is one of the changed stacks.
 */
export async function engineWithRealManagement(options: EngineOptions, changed: readonly string[] = []): Promise<OfflineEngine> {
  const own = (["projectDir", "programPath", "stacks", "awsChecks", "reuse"] as const).filter((k) => options[k] !== undefined);
  if (own.length > 0) throw new Error(`engineWithRealManagement: the real management run cannot stand in for a run with its own ${own.join(", ")}`);
  const touched = [...changed, ...Object.keys(options.configFiles ?? {})];
  if (touched.includes("management")) return new OfflineEngine(options);
  const management = await realStack("management");
  // Only a stack that reads no other stack's outputs is the same in every run.
  if ((management.references ?? []).length > 0) throw new Error(`management now reads ${management.references!.join(", ")}: it can no longer be shared`);
  return new OfflineEngine({ ...options, reuse: async (stack) => (stack === "management" ? management : undefined) });
}
