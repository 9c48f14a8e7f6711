/**
 * `npm run plan` without the printing: run the stacks, summarise each run, analyse reachability
 * over the captured graphs. planFiles.ts writes a PlanResult to disk, report.ts renders it; cli.ts
 * parses flags and wires them together.
 */
import { isConfigValidationError } from "../config/errors";
import { isAwsRulesError } from "./aws";
import { OfflineEngine, ReuseContext, StackReferenceError, StackRun, runStacks } from "./engine";
import type { PlanFile } from "./outDir";
import type { OutcomeTable } from "./policyRunner";
import { sortStacks, stackConfigFile } from "./stackConfig";
import { ReachabilityReport, analyzeReachability } from "./reachability";
import type { CapturedResource } from "./types";

/** One problem that stopped a stack: a config key path (or what failed) and its message. */
export interface PlanError {
  path: string;
  message: string;
}

/**
 * A policy finding on one stack. Extension point: the policy runner (a later issue) supplies a
 * StackAnalyzer; the plan records what it returns and a mandatory finding fails the run.
 */
export interface PolicyViolation {
  policy: string;
  enforcementLevel: "advisory" | "mandatory";
  message: string;
  urn?: string;
  /** Logical name and type token of the resource at `urn`. */
  name?: string;
  type?: string;
  /** `note`: a rule could not run on an unknown value (advisory); `error`: a rule threw (mandatory). @default violation */
  kind?: "violation" | "note" | "error";
}

/**
 * A stack's resource-rule outcomes kept from one plan to the next (planCache.ts): `previous()`
 * answers the last plan's when the same pack, pack config and sources produced them, asked when
 * the analysis starts (the pack's key is known by then); the analyzer hands this run's to `keep`
 * (undefined when a rule threw).
 */
export interface OutcomeMemo {
  previous(): OutcomeTable | undefined;
  keep(outcomes: OutcomeTable | undefined): void;
}

/** Checks one stack run; with a memo, reuses the resource rules' outcomes of resources that did not change. */
export type StackAnalyzer = (run: StackRun, memo?: OutcomeMemo) => PolicyViolation[] | Promise<PolicyViolation[]>;

import { DataTierLine, summarizeDataTier } from "./dataSummary";
import { CredentialReaders, credentialReaders } from "./secretAccess";
import { SecurityLine, summarizeSecurity } from "./securitySummary";
import { AnalyticsSummary, summarizeAnalytics } from "./analyticsSummary";
import { DeliverySummary, summarizeDelivery } from "./deliverySummary";
import { MonitoringSummary, summarizeMonitoring } from "./monitoringSummary";
import { ImageLine, ServiceLine, summarizeImages, summarizeServices } from "./serviceSummary";

export interface StackPlan {
  stack: string;
  /** The program ran to completion. */
  ok: boolean;
  resourceCount: number;
  /** Resource count per type token, keys sorted. */
  byType: Record<string, number>;
  /** Stack outputs with secret values masked as `[secret]`. */
  outputs: Record<string, unknown>;
  durationMs: number;
  /**
   * Why the stack failed: `config` (every issue listed), `aws` (what AWS would refuse: names over a
   * limit, types the region does not offer, settings the provider reads back differently; every
   * finding listed), `stackReference` or `program`.
   */
  failure?: "config" | "aws" | "stackReference" | "program";
  errors?: PlanError[];
  /** With config errors: the stack file that holds them (absolute path). */
  configFile?: string;
  /** The data tier as captured (empty for management). */
  dataTier?: DataTierLine[];
  /** The services as captured (empty for management). */
  services?: ServiceLine[];
  /** The platform's image repositories and the tag each environment runs (management only). */
  images?: ImageLine[];
  /** Who may read each secret (GetSecretValue) or connect as each IAM database user, from the captured policies. */
  credentials?: CredentialReaders[];
  /** The account's security baseline as captured (offline/securitySummary.ts). */
  security?: SecurityLine[];
  /** What the stack alarms on and where alerts go (offline/monitoringSummary.ts). */
  monitoring?: MonitoringSummary;
  /** Management: each service's pipeline and its approval gates; an environment: its deploy roles (offline/deliverySummary.ts). */
  delivery?: DeliverySummary;
  /** An environment with the lake: its topics, buckets and lifecycle, workgroup and scan limit, workers, curation (offline/analyticsSummary.ts). */
  analytics?: AnalyticsSummary;
  /** Present only when analyzers ran. */
  violations?: PolicyViolation[];
  /** Taken from the plan's cache: nothing this stack depends on changed since it was stored. */
  cached?: boolean;
  warnings?: string[];
}

export interface PlanTotals {
  stacks: number;
  ok: number;
  failed: number;
  resources: number;
  wallMs: number;
}

export interface PlanResult {
  stacks: StackPlan[];
  /** Successful runs by stack, with the full captured graphs. */
  runs: Record<string, StackRun>;
  /** Only when every stack of the project ran and succeeded. */
  reachability?: ReachabilityReport;
  reachabilityError?: string;
  totals: PlanTotals;
  /** Cache entries to write with the plan files, and unreadable ones to remove (planCache.ts). */
  cache?: { files: PlanFile[]; drop: string[] };
}

export interface PlanOptions {
  /** @default the repository root */
  projectDir?: string;
  /** @default `main:` of Pulumi.yaml in `projectDir` */
  programPath?: string;
  /** Run only this stack (stacks it references still run first, unreported). @default every stack */
  stack?: string;
  /** Run only these stacks, in platform order (as `stack`, for several). */
  stacks?: readonly string[];
  /** Config file for `stack` instead of `Pulumi.<stack>.yaml`. */
  configFile?: string;
  /** Progress lines, one per stack as it finishes. */
  onProgress?: (line: string) => void;
  /** Policy hooks run over each successful stack. @default none */
  analyzers?: StackAnalyzer[];
  /**
   * Settles when the analyzers (and the cache's policy key) can be used: the pack may get ready
   * while the first stacks run. Awaited before any finding is read; a rejection fails the plan
   * with its error, before anything is reported, and no stack starts after it.
   */
  analyzersReady?: Promise<unknown>;
  /**
   * Work for the time the analyzers take to finish, called once every stack has run and before
   * their findings are awaited (the CLI makes the plan files then, while the policy worker checks
   * the last stack).
   */
  whileChecking?: (runs: Readonly<Record<string, StackRun>>) => void;
  /** Reuse an engine (tests); its project options win, and `cache` is not consulted. */
  engine?: OfflineEngine;
  /** Stacks whose inputs are unchanged are taken from here instead of running (planCache.ts). */
  cache?: StackCache;
}

/**
 * What a plan takes from a cache of earlier runs; planCache.ts's PlanCache is the one the CLI uses.
 * Declared here, where it is used, so that the cache (which builds on this module's summaries)
 * and the plan do not import each other.
 */
export interface StackCache {
  /** The stored run of `stack` when nothing it depends on changed (EngineOptions.reuse). */
  reuse(stack: string, ctx: ReuseContext, project: { projectDir: string; programPath: string; stacks: readonly string[] }): Promise<StackRun | undefined>;
  /** The stored report entry of a reused stack. */
  summary(stack: string): StackPlan | undefined;
  /** The stored policy findings of a reused stack. */
  violations(stack: string): PolicyViolation[] | undefined;
  /** Where a stack that runs takes its resources' earlier policy outcomes from, and keeps this run's. */
  outcomes?(stack: string): OutcomeMemo | undefined;
  /** The entries to write with the plan files, and unreadable ones to remove. */
  files(result: PlanResult, runOf: (stack: string) => StackRun | undefined): { files: PlanFile[]; drop: string[] };
}

export const SECRET_MASK = "[secret]";

export function countByType(resources: readonly CapturedResource[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

export function maskSecrets(outputs: Record<string, unknown>, secretNames: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, secretNames.includes(k) ? SECRET_MASK : v]));
}

/** Splits a failure into the errors the report lists. */
export function describeFailure(error: unknown): { failure: NonNullable<StackPlan["failure"]>; errors: PlanError[] } {
  if (isConfigValidationError(error)) {
    return { failure: "config", errors: error.issues.map((i) => ({ path: i.path, message: i.message })) };
  }
  if (isAwsRulesError(error)) {
    return { failure: "aws", errors: error.findings.map((f) => ({ path: `${f.name} (${f.type})`, message: `[${f.check}] ${f.message}` })) };
  }
  if (error instanceof StackReferenceError) return { failure: "stackReference", errors: [{ path: "StackReference", message: error.message }] };
  const message = error instanceof Error ? error.message : String(error);
  return { failure: "program", errors: [{ path: "program", message }] };
}

/** A stack fails the run when it did not run or a mandatory policy finding was recorded. */
export function stackFails(s: StackPlan): boolean {
  return !s.ok || (s.violations ?? []).some((v) => v.enforcementLevel === "mandatory");
}

export function planFails(result: PlanResult): boolean {
  return result.stacks.some(stackFails) || result.reachabilityError !== undefined;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The management stack's image repositories, when the stack has any (the key is left out elsewhere). */
function imagesOf(resources: StackRun["resources"]): { images?: ImageLine[] } {
  const images = summarizeImages(resources);
  return images.length > 0 ? { images } : {};
}

function monitoringOf(run: StackRun): { monitoring?: MonitoringSummary } {
  const monitoring = summarizeMonitoring(run.stack, run.resources);
  return monitoring ? { monitoring } : {};
}

function deliveryOf(resources: StackRun["resources"]): { delivery?: DeliverySummary } {
  const delivery = summarizeDelivery(resources);
  return delivery ? { delivery } : {};
}

function analyticsOf(resources: StackRun["resources"]): { analytics?: AnalyticsSummary } {
  const analytics = summarizeAnalytics(resources);
  return analytics ? { analytics } : {};
}

/** What the report and outputs.json say about a stack that ran. */
export function summarizeRun(run: StackRun): StackPlan {
  return {
    stack: run.stack,
    ok: true,
    resourceCount: run.resources.length,
    byType: countByType(run.resources),
    dataTier: summarizeDataTier(run.resources),
    services: summarizeServices(run.resources),
    ...imagesOf(run.resources),
    credentials: credentialReaders(run.resources).lines,
    security: summarizeSecurity(run.resources),
    ...monitoringOf(run),
    ...deliveryOf(run.resources),
    ...analyticsOf(run.resources),
    outputs: maskSecrets(run.outputs, run.secretOutputs),
    durationMs: run.durationMs,
    ...(run.config.warnings.length > 0 ? { warnings: run.config.warnings } : {}),
  };
}

/** The stack file a failed stack read, if it can still be named (the project file may be what failed). */
function configFileOf(projectDir: string, stack: string, opts: PlanOptions): string | undefined {
  try {
    return stackConfigFile(projectDir, stack, opts.stack === stack ? opts.configFile : undefined);
  } catch {
    return undefined;
  }
}

export async function runPlan(opts: PlanOptions = {}): Promise<PlanResult> {
  const started = Date.now();
  const configFiles = opts.stack && opts.configFile ? { [opts.stack]: opts.configFile } : undefined;
  const cache = opts.engine ? undefined : opts.cache;
  const engine: OfflineEngine =
    opts.engine ??
    new OfflineEngine({
      projectDir: opts.projectDir,
      programPath: opts.programPath,
      configFiles,
      ...(cache ? { reuse: (stack, ctx) => cache.reuse(stack, ctx, { projectDir: engine.projectDir, programPath: engine.programPath, stacks: engine.stacks }) } : {}),
    });
  const requested = opts.stacks ?? (opts.stack !== undefined ? [opts.stack] : undefined);
  const unknown = (requested ?? []).filter((s) => !engine.stacks.includes(s));
  if (unknown.length > 0) throw new Error(`unknown stack "${unknown[0]}"; stacks: ${engine.stacks.join(", ")}`);
  const names = requested !== undefined ? sortStacks([...new Set(requested)]) : [...engine.stacks];
  const stacks: StackPlan[] = [];
  const runs: Record<string, StackRun> = {};
  let stackStarted = Date.now();
  // Each fresh run is handed to the analyzers as soon as it finishes: an analyzer that works
  // elsewhere (policyHost.ts's worker thread) checks it while the next program runs.
  const analyses = new Map<string, Promise<PolicyViolation[][]>>();
  // Outcomes are kept for one pack: with several analyzers, each runs in full.
  const single = (opts.analyzers ?? []).length === 1;
  const analyze = (run: StackRun): Promise<PolicyViolation[][]> => Promise.all((opts.analyzers ?? []).map(async (a) => a(run, single ? cache?.outcomes?.(run.stack) : undefined)));

  // A pack that cannot run stops the plan: no stack starts after its answer. An answer already on
  // its way (a pack in this thread) arrives before the first stack; a worker's comes later.
  let unavailable = false;
  const answered = opts.analyzersReady?.then(
    () => undefined,
    () => void (unavailable = true),
  );
  if (answered) await Promise.race([answered, new Promise<void>((resolve) => setImmediate(resolve))]);
  await runStacks(names, {
    engine,
    stopBefore: () => unavailable,
    onStackDone: (outcome, i, total) => {
      const elapsed = Date.now() - stackStarted;
      const prefix = `[${i + 1}/${total}] ${outcome.stack} ...`;
      const stored = outcome.ok && outcome.run.cached ? cache?.summary(outcome.stack) : undefined;
      if (outcome.ok && stored) {
        runs[outcome.stack] = outcome.run;
        stacks.push({ ...stored, durationMs: elapsed, cached: true });
        opts.onProgress?.(`${prefix} reused (unchanged), ${outcome.run.resources.length} resources`);
      } else if (outcome.ok) {
        const run = outcome.run;
        runs[run.stack] = run;
        stacks.push(summarizeRun(run));
        if (opts.analyzers && opts.analyzers.length > 0) {
          const started = analyze(run);
          // Awaited below, after the other stacks ran; a rejection is not unhandled meanwhile.
          started.catch(() => undefined);
          analyses.set(run.stack, started);
        }
        opts.onProgress?.(`${prefix} ${run.resources.length} resources in ${seconds(run.durationMs)}`);
      } else {
        const { failure, errors } = describeFailure(outcome.error);
        const configFile = failure === "config" ? configFileOf(engine.projectDir, outcome.stack, opts) : undefined;
        stacks.push({ stack: outcome.stack, ok: false, resourceCount: 0, byType: {}, outputs: {}, durationMs: elapsed, failure, errors, ...(configFile ? { configFile } : {}) });
        const n = errors.length;
        const what = failure === "config" ? `${n} config error${n === 1 ? "" : "s"}` : failure === "aws" ? `${n} AWS finding${n === 1 ? "" : "s"}` : `${failure} error`;
        opts.onProgress?.(`${prefix} FAILED (${what}) in ${seconds(elapsed)}`);
      }
      stackStarted = Date.now();
    },
  });

  opts.whileChecking?.(runs);
  await opts.analyzersReady;
  if (opts.analyzers && opts.analyzers.length > 0) {
    for (const s of stacks.filter((p) => p.ok)) {
      const stored = s.cached ? cache?.violations(s.stack) : undefined;
      if (stored) {
        s.violations = stored;
        continue;
      }
      s.violations = (await (analyses.get(s.stack) ?? analyze(runs[s.stack]))).flat();
    }
  }

  const result: PlanResult = { stacks, runs, totals: { stacks: 0, ok: 0, failed: 0, resources: 0, wallMs: 0 } };
  if (requested === undefined && stacks.length > 0 && stacks.every((s) => s.ok)) {
    try {
      result.reachability = analyzeReachability(Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, r.resources])));
    } catch (e) {
      result.reachabilityError = e instanceof Error ? e.message : String(e);
    }
  }
  if (cache) result.cache = cache.files(result, (stack) => engine.result(stack));
  result.totals = {
    stacks: stacks.length,
    ok: stacks.filter((s) => !stackFails(s)).length,
    failed: stacks.filter(stackFails).length,
    resources: stacks.reduce((n, s) => n + s.resourceCount, 0),
    wallMs: Date.now() - started,
  };
  return result;
}
