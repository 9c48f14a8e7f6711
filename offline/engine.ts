/**
 * Runs stacks of the project offline: each stack's real config, the program loaded fresh, every
 * registration captured. StackReferences between stacks resolve to the referenced stack's own
 * offline outputs, so a consumer can never drift from what its producer actually exports.
 */
import * as path from "path";
import { AWS_CHECKS, AwsCheck, AwsRulesError, runAwsChecks } from "./aws";
import { DEFAULT_PROJECT_DIR } from "./projectDir";
import { ReferencedStack, capture } from "./capture";
import type { CaptureResult, CapturedResource } from "./types";
import { StackConfig, listStacks, loadProject, loadStackConfig, parseStackName, referencedStacks } from "./stackConfig";

export interface EngineOptions {
  /** Directory holding `Pulumi.yaml` and the stack files. @default the repository root */
  projectDir?: string;
  /** The program to run. @default `main:` of Pulumi.yaml (else `index.ts`) in `projectDir` */
  programPath?: string;
  /** Config file per stack, replacing `Pulumi.<stack>.yaml` for that stack. */
  configFiles?: Record<string, string>;
  /** Stacks a StackReference may name. @default every `Pulumi.<stack>.yaml` in the project */
  stacks?: string[];
  /** `Error.stackTraceLimit` while a program runs. @default 1 (see capture.ts) */
  stackTraceLimit?: number;
  /** Switch off the SDK's stack capture while a program runs (see sdkPatches.ts). @default true */
  leanSdk?: boolean;
  /**
   * Folders of the project (relative) whose modules only define classes, functions and constants:
   * no resources and no config reads at module load. They stay loaded from one stack to the next,
   * so their code stays compiled and optimised (about 0.4 s of a five-stack plan); every other
   * module of the project is loaded afresh for each stack. A test plans every stack both ways and
   * compares the graphs. @default `components` and `config` for this repository, none elsewhere
   */
  libraryDirs?: readonly string[];
  /**
   * Runs inside the root stack just before the program, e.g. to register a stack transformation
   * that weakens resources for a negative policy test. Never used by the plan.
   */
  beforeProgram?: (stack: string) => void;
  /**
   * What AWS would refuse, checked on each captured stack; a finding fails that stack with an
   * AwsRulesError. @default every check in offline/aws (name limits, region offerings, read-backs)
   */
  awsChecks?: readonly AwsCheck[];
  /**
   * A finished run to take instead of running `stack` (the plan's cache, planCache.ts), asked once
   * the stacks its config references have run; undefined runs the stack.
   */
  reuse?: (stack: string, ctx: ReuseContext) => Promise<StackRun | undefined>;
}

/** What `EngineOptions.reuse` may consult to decide whether a stored run is still current. */
export interface ReuseContext {
  config: StackConfig;
  /** Runs (or reuses) another stack, exactly as a StackReference to it would. */
  run(stack: string): Promise<StackRun>;
  /** What the AWS checks' cross-stack lookup answers for this provider id now. */
  lookup(id: string): { stack: string; resource: CapturedResource; accountId: string } | undefined;
}

/** One stack run: what capture() returns plus the config it ran with. */
export interface StackRun extends CaptureResult {
  config: StackConfig;
  /** Stacks whose outputs the program read through a StackReference. */
  references?: string[];
  /** Provider ids the AWS checks looked up in other stacks, with the stack that had it (none: not found). */
  lookups?: { id: string; stack?: string }[];
  /** Taken from the plan's cache instead of running. */
  cached?: boolean;
}

export type StackOutcome = { stack: string; ok: true; run: StackRun } | { stack: string; ok: false; error: unknown };

/** A StackReference (or a config value naming one) that this project cannot satisfy offline. */
export class StackReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackReferenceError";
  }
}

export { DEFAULT_PROJECT_DIR };
/** This repository's library folders (see EngineOptions.libraryDirs). */
export const REPOSITORY_LIBRARY_DIRS: readonly string[] = ["components", "config"];
const ENGINE_DIR = __dirname + path.sep;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Forgets every module of the project except node_modules and this engine, so the next
 * `require` builds the program (and any module-level resources) afresh for the new stack.
 */
function clearProgramModules(projectDir: string, programPath: string, libraryDirs: readonly string[]): void {
  const root = path.resolve(projectDir) + path.sep;
  // The policy pack and the test code are never part of a program: keep them (and their object
  // identity). Fixture programs under test/fixtures are programs, so they are cleared. Library
  // folders define only classes, functions and constants, so they stay loaded (and optimised).
  const tooling = [ENGINE_DIR, path.join(root, "policy") + path.sep, path.join(root, "test") + path.sep, ...libraryDirs.map((d) => path.join(root, d) + path.sep)];
  const fixtures = path.join(root, "test", "fixtures") + path.sep;
  const nodeModules = `${path.sep}node_modules${path.sep}`;
  for (const file of Object.keys(require.cache)) {
    const fixture = file.startsWith(fixtures);
    const ours = file.startsWith(root) && !file.includes(nodeModules) && (fixture || !tooling.some((dir) => file.startsWith(dir)));
    if (ours || file === programPath) delete require.cache[file];
  }
}

/** Lets Node report the rejections of this run before the next one starts. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Runs stacks on demand, dependencies first, each at most once. */
export class OfflineEngine {
  readonly projectDir: string;
  readonly programPath: string;
  readonly stacks: readonly string[];
  readonly libraryDirs: readonly string[];
  private readonly runs = new Map<string, Promise<StackRun>>();
  private readonly done = new Map<string, StackRun>();
  private readonly inProgress: string[] = [];

  constructor(private readonly options: EngineOptions = {}) {
    this.projectDir = path.resolve(options.projectDir ?? DEFAULT_PROJECT_DIR);
    this.programPath = path.resolve(this.projectDir, options.programPath ?? loadProject(this.projectDir).main);
    this.stacks = options.stacks ?? listStacks(this.projectDir);
    this.libraryDirs = options.libraryDirs ?? (this.projectDir === DEFAULT_PROJECT_DIR ? REPOSITORY_LIBRARY_DIRS : []);
  }

  /** Runs `stack` (after the stacks it references) or returns the earlier run. Rejects on failure. */
  run(stack: string): Promise<StackRun> {
    const earlier = this.runs.get(stack);
    if (earlier) return earlier;
    const run = this.execute(stack);
    this.runs.set(stack, run);
    run.catch(() => undefined);
    return run;
  }

  /** The finished run of `stack`, if it ran and succeeded. */
  result(stack: string): StackRun | undefined {
    return this.done.get(stack);
  }

  /** A custom resource of a finished stack by provider id, with the account that stack deploys to. */
  private lookup(id: string): { stack: string; resource: CapturedResource; accountId: string } | undefined {
    for (const run of this.done.values()) {
      const resource = run.resources.find((r) => r.custom && r.id === id);
      if (resource) return { stack: run.stack, resource, accountId: run.config.accountId };
    }
    return undefined;
  }

  private checkTarget(from: string, fullName: string, cfg: StackConfig, where: string): string {
    const ref = parseStackName(fullName);
    const known = `${cfg.project} stacks: ${this.stacks.join(", ") || "(none)"}`;
    if (!ref) throw new StackReferenceError(`stack "${from}": ${where} "${fullName}" is not a stack name (expected org/project/stack)`);
    if (ref.project !== undefined && ref.project !== cfg.project) {
      throw new StackReferenceError(`stack "${from}": ${where} "${fullName}" is in project "${ref.project}", not ${cfg.project}; offline runs only this project's stacks (${known})`);
    }
    if (ref.organization !== undefined && ref.organization !== cfg.organization) {
      throw new StackReferenceError(`stack "${from}": ${where} "${fullName}" is in organization "${ref.organization}", but this run is "${cfg.organization}"`);
    }
    if (!this.stacks.includes(ref.stack)) {
      throw new StackReferenceError(`stack "${from}": ${where} "${fullName}" names stack "${ref.stack}", which is not one of the ${known}`);
    }
    if (ref.stack === from) throw new StackReferenceError(`stack "${from}": ${where} "${fullName}" references itself`);
    return ref.stack;
  }

  private async dependency(from: string, target: string): Promise<void> {
    if (this.inProgress.includes(target)) {
      throw new StackReferenceError(`StackReference cycle: ${[...this.inProgress, target].join(" -> ")}`);
    }
    try {
      await this.run(target);
    } catch (e) {
      if (e instanceof StackReferenceError && e.message.startsWith("StackReference cycle")) throw e;
      throw new StackReferenceError(`stack "${from}" needs the outputs of "${target}", which failed: ${message(e)}`);
    }
  }

  private async execute(stack: string): Promise<StackRun> {
    this.inProgress.push(stack);
    try {
      const cfg = loadStackConfig(stack, { projectDir: this.projectDir, configFile: this.options.configFiles?.[stack] });
      for (const { key, fullName } of referencedStacks(cfg)) {
        await this.dependency(stack, this.checkTarget(stack, fullName, cfg, `config ${key}`));
      }
      const reused = await this.options.reuse?.(stack, {
        config: cfg,
        run: async (target) => {
          await this.dependency(stack, target);
          return this.run(target);
        },
        lookup: (id) => this.lookup(id),
      });
      if (reused) {
        this.done.set(stack, reused);
        return reused;
      }
      let attempt = await this.captureOnce(cfg);
      // A reference the config did not announce (a name built in code): run that stack, then retry once.
      if (!attempt.ok && attempt.missing.length > 0) {
        for (const target of attempt.missing) await this.dependency(stack, target);
        attempt = await this.captureOnce(cfg);
      }
      if (!attempt.ok) throw attempt.error;
      // What other stacks answered is an input of this stack's checks: the cache must see it.
      const lookups = new Map<string, string | undefined>();
      const findings = runAwsChecks(this.options.awsChecks ?? AWS_CHECKS, attempt.result.resources, {
        stack,
        region: cfg.region,
        accountId: cfg.accountId,
        lookup: (id) => {
          const found = this.lookup(id);
          lookups.set(id, found?.stack);
          return found;
        },
      });
      if (findings.length > 0) throw new AwsRulesError(stack, findings);
      const run: StackRun = {
        ...attempt.result,
        config: cfg,
        references: attempt.references,
        lookups: [...lookups].map(([id, from]) => (from === undefined ? { id } : { id, stack: from })),
      };
      this.done.set(stack, run);
      return run;
    } finally {
      this.inProgress.splice(this.inProgress.indexOf(stack), 1);
    }
  }

  private async captureOnce(cfg: StackConfig): Promise<{ ok: true; result: CaptureResult; references: string[] } | { ok: false; error: unknown; missing: string[] }> {
    let refError: unknown;
    const missing: string[] = [];
    const references: string[] = [];
    const resolveStackReference = (fullName: string): ReferencedStack | undefined => {
      try {
        const target = this.checkTarget(cfg.stack, fullName, cfg, "StackReference");
        const run = this.done.get(target);
        if (!run && !missing.includes(target)) missing.push(target);
        if (run && !references.includes(target)) references.push(target);
        return run ? { outputs: run.outputs, secretOutputNames: run.secretOutputs } : undefined;
      } catch (e) {
        refError ??= e;
        throw e;
      }
    };
    clearProgramModules(this.projectDir, this.programPath, this.libraryDirs);
    // A failed registration rejects every Output derived from it, and nothing awaits most of
    // them: without a listener Node would kill the process. Like the Pulumi language host, an
    // unhandled rejection fails the run; when the run failed anyway they are only its echoes.
    const stray: unknown[] = [];
    const onRejection = (reason: unknown): void => {
      stray.push(reason);
    };
    process.on("unhandledRejection", onRejection);
    // The loader turns source maps on for readable traces; mapping every stack trace taken during a
    // run (the SDK's per-resource and per-promise traces when leanSdk is off) was ~40% of a run.
    // Error stacks stay unmapped meanwhile.
    const sourceMaps = process.sourceMapsEnabled;
    process.setSourceMapsEnabled(false);
    try {
      const result = await capture(
        () => {
          this.options.beforeProgram?.(cfg.stack);
          const mod = require(this.programPath) as unknown;
          return typeof mod === "function" ? (mod as () => unknown)() : mod;
        },
        {
          project: cfg.project,
          stack: cfg.stack,
          organization: cfg.organization,
          region: cfg.region,
          accountId: cfg.accountId,
          config: cfg.config,
          secretKeys: cfg.secretKeys,
          resolveStackReference,
          stackTraceLimit: this.options.stackTraceLimit,
          leanSdk: this.options.leanSdk,
        },
      );
      await settle();
      if (refError) return { ok: false, error: refError, missing: [] };
      if (stray.length > 0) {
        return { ok: false, error: new Error(`the program left a promise rejection unhandled: ${message(stray[0])}`), missing };
      }
      return { ok: true, result, references };
    } catch (e) {
      await settle();
      return { ok: false, error: refError ?? e, missing: refError ? [] : missing };
    } finally {
      process.setSourceMapsEnabled(sourceMaps);
      process.off("unhandledRejection", onRejection);
    }
  }
}

/** Runs one stack (and, first, the stacks it references) with a fresh engine. */
export function runStack(stack: string, options: EngineOptions = {}): Promise<StackRun> {
  return new OfflineEngine(options).run(stack);
}

export interface RunStacksOptions extends EngineOptions {
  /** Reuse an engine (and its cached runs) instead of creating one. */
  engine?: OfflineEngine;
  /** Called as each requested stack finishes, in order. */
  onStackDone?: (outcome: StackOutcome, index: number, total: number) => void;
  /** Asked before each requested stack: true ends the run there (the stacks left are not run). */
  stopBefore?: () => boolean;
}

/**
 * Runs the named stacks, each after the stacks it references; a failure is reported in that
 * stack's outcome and does not stop the others (a stack whose dependency failed fails too).
 */
export async function runStacks(names: string[], options: RunStacksOptions = {}): Promise<StackOutcome[]> {
  const engine = options.engine ?? new OfflineEngine(options);
  const outcomes: StackOutcome[] = [];
  for (const [i, stack] of names.entries()) {
    if (options.stopBefore?.()) break;
    let outcome: StackOutcome;
    try {
      outcome = { stack, ok: true, run: await engine.run(stack) };
    } catch (error) {
      outcome = { stack, ok: false, error };
    }
    outcomes.push(outcome);
    options.onStackDone?.(outcome, i, names.length);
  }
  return outcomes;
}
