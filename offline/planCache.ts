/**
 * The plan's cache: each stack that planned cleanly is kept in `<out>/.cache/<stack>.json` (its
 * full run, the key it ran under, what it read from other stacks, its report entry), and a later
 * plan takes it instead of running the stack when every input still hashes the same.
 */
import { isAscii } from "buffer";
import * as fs from "fs";
import * as path from "path";
import type { ReuseContext, StackRun } from "./engine";
import { CACHE_FORMAT, DigestMemo, configView, digest, lookupDigest, outputsDigest, programSourcesStamp, programSourcesState, siblingViews } from "./cacheKey";
import { CACHE_DIR, PLAN_MARKER, PlanFile, lstat } from "./outDir";
import { OutcomeMemo, PlanResult, PolicyViolation, StackCache, StackPlan, summarizeRun } from "./plan";
import type { OutcomeTable, StoredOutcome } from "./policyRunner";

const WRITTEN_BY = "npm run plan (cache)";

/** One stored stack. */
interface CacheEntry {
  writtenBy: typeof WRITTEN_BY;
  version: number;
  stack: string;
  /** Digest of the program sources, the stack's effective config and what validation reads of the other stack files. */
  key: string;
  /** The policy run the violations came from, or null when the pack did not run. */
  analysis: string | null;
  /** Stacks whose outputs the program read, with the digest of what they served. */
  references: { stack: string; outputs: string }[];
  /** Provider ids the AWS checks looked up elsewhere, with what they found (nothing: not found). */
  lookups: { id: string; stack?: string; resource?: string }[];
  run: StackRun;
  plan: StackPlan;
}

/** Where the engine's program and stack files are; the key covers what they make the program read. */
export interface CacheProject {
  projectDir: string;
  programPath: string;
  stacks: readonly string[];
}

export interface PlanCacheOptions {
  /** The plan's output folder; entries are read from and written to `<outDir>/.cache`. */
  outDir: string;
  /** false ignores every stored entry (`--no-cache`); the run's entries are still written. @default true */
  read?: boolean;
  /** The repository whose sources the program and the engine load. */
  repoRoot: string;
  /** Digest of the program sources; tests inject one. @default programSourcesDigest of the repository and the program */
  sources?: (project: CacheProject) => string;
  /** Digests of the program sources kept across processes by the files' stats (DigestMemo); none: every plan hashes them. */
  sourcesMemo?: DigestMemo;
  /** Identifies the policy run for a stack (rules, pack settings, that stack's config); undefined: no policy. */
  policyKey?: (stack: string) => string | undefined;
  /** One line per entry that could not be used (corrupt, another format). */
  onNote?: (line: string) => void;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Why a parsed file is not an entry of this format for `stack`, or undefined when it is one. */
function entryProblem(v: unknown, stack: string): string | undefined {
  if (!isRecord(v) || v.writtenBy !== WRITTEN_BY) return "not a plan cache file";
  if (v.version !== CACHE_FORMAT) return `format ${String(v.version)}, this plan reads ${CACHE_FORMAT}`;
  const run = v.run;
  const plan = v.plan;
  const shaped =
    v.stack === stack &&
    typeof v.key === "string" &&
    (typeof v.analysis === "string" || v.analysis === null) &&
    Array.isArray(v.references) &&
    v.references.every((r) => isRecord(r) && typeof r.stack === "string" && typeof r.outputs === "string") &&
    Array.isArray(v.lookups) &&
    v.lookups.every((l) => isRecord(l) && typeof l.id === "string") &&
    isRecord(run) &&
    run.stack === stack &&
    Array.isArray(run.resources) &&
    isRecord(run.outputs) &&
    Array.isArray(run.secretOutputs) &&
    isRecord(run.config) &&
    isRecord(plan) &&
    plan.stack === stack &&
    plan.ok === true;
  return shaped ? undefined : "damaged (fields missing or of the wrong kind)";
}

const OUTCOMES_WRITTEN_BY = "npm run plan (policy outcomes)";

/** One stack's resource-rule outcomes (`.cache/<stack>.outcomes.json`), for the next run of the stack. */
interface OutcomesEntry {
  writtenBy: typeof OUTCOMES_WRITTEN_BY;
  version: number;
  stack: string;
  /** Digest of the program sources, the policy run's identity (pack, rules, config) and the project. */
  key: string;
  outcomes: OutcomeTable;
}

const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === "string");

function isStoredOutcome(v: unknown): v is StoredOutcome {
  if (!isRecord(v)) return false;
  const reports = v.reports;
  const reportsOk =
    reports === undefined ||
    (Array.isArray(reports) &&
      reports.every((r) => isRecord(r) && typeof r.message === "string" && (r.urn === undefined || typeof r.urn === "string") && (r.level === undefined || typeof r.level === "string")));
  return reportsOk && (v.previewNotes === undefined || isStrings(v.previewNotes)) && (v.notApplicable === undefined || isStrings(v.notApplicable));
}

/** Why a parsed file is not an outcomes entry of `stack` under `key`, or undefined when it is one. */
function outcomesProblem(v: unknown, stack: string, key: string): string | undefined {
  if (!isRecord(v) || v.writtenBy !== OUTCOMES_WRITTEN_BY) return "not a plan cache file";
  if (v.version !== CACHE_FORMAT || v.stack !== stack || v.key !== key) return "stale";
  const outcomes = v.outcomes;
  const shaped = isRecord(outcomes) && Object.values(outcomes).every((row) => isRecord(row) && Object.values(row).every(isStoredOutcome));
  return shaped ? undefined : "damaged (fields missing or of the wrong kind)";
}

/** How every entry begins: `files` writes these fields first, in this order. */
const ENTRY_HEAD = new RegExp(
  `^\\{"writtenBy":${JSON.stringify(WRITTEN_BY).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")},"version":(\\d+),"stack":("(?:[^"\\\\]|\\\\.)*"),"key":"([0-9a-f]+)"`,
);

/**
 * The key an entry of this format for `stack` was stored under, read from the file's first bytes
 * (a hot-fix re-plan would otherwise parse prod's 3.5 MB entry only to find its key changed);
 * undefined when the head is not one `files` wrote, and the whole file is read to say why.
 */
export function storedKey(file: string, stack: string): string | undefined {
  const head = Buffer.alloc(512);
  let n: number;
  try {
    const fd = fs.openSync(file, "r");
    try {
      n = fs.readSync(fd, head, 0, head.length, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const m = ENTRY_HEAD.exec(head.toString("utf8", 0, n));
  if (!m || Number(m[1]) !== CACHE_FORMAT) return undefined;
  let named: unknown;
  try {
    named = JSON.parse(m[2]);
  } catch {
    return undefined;
  }
  return named === stack ? m[3] : undefined;
}

/**
 * An entry's text. Entries are JSON of ASCII bytes unless a value holds other characters: those
 * are copied as they are, 2-3x faster than V8's UTF-8 decoder for a 2-3.5 MB entry (every stack's
 * entry is read when all are reused, management's for every re-plan of an environment).
 */
function entryText(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
}

/** The key one stack ran under, and what it was computed from (to compute it again before writing). */
interface Keyed {
  key: string;
  ctx: ReuseContext;
  project: CacheProject;
}

export class PlanCache implements StackCache {
  private readonly keys = new Map<string, Keyed>();
  private readonly reused = new Map<string, CacheEntry>();
  /** Each analysed stack's outcomes key and this run's outcomes, for `.cache/<stack>.outcomes.json`. */
  private readonly outcomeRuns = new Map<string, { key?: string; next?: OutcomeTable }>();
  /** Entries that could not be read: removed unless this run writes the stack again. */
  private readonly unusable = new Set<string>();
  private readonly read: boolean;
  /**
   * The sources' digest, and the stamp of their stats when this cache computed it (not an injected
   * one). Kept by program path, what it depends on: each stack's call passes its own project object,
   * and keeping it by object hashed every source once per stack (nine times in a five-stack plan).
   */
  private sourceDigest?: { programPath: string; value: string; stamp?: string };

  constructor(private readonly opts: PlanCacheOptions) {
    this.read = opts.read ?? true;
  }

  static fileOf(stack: string): string {
    return `${CACHE_DIR}/${stack}.json`;
  }

  static outcomesFileOf(stack: string): string {
    return `${CACHE_DIR}/${stack}.outcomes.json`;
  }

  private computeSources(project: CacheProject): { value: string; stamp?: string } {
    if (this.opts.sources) return { value: this.opts.sources(project) };
    const { digest, stamp } = programSourcesState(this.opts.repoRoot, project.programPath, this.opts.sourcesMemo);
    return { value: digest, stamp };
  }

  private sources(project: CacheProject): string {
    if (this.sourceDigest?.programPath !== project.programPath) this.sourceDigest = { programPath: project.programPath, ...this.computeSources(project) };
    return this.sourceDigest.value;
  }

  /**
   * The sources' digest as they are now. When every source's stat is what it was at the start, no
   * file was written, added or removed, and the digest computed then still holds: only stats are
   * read (a plan used to hash every source twice).
   */
  private sourcesNow(project: CacheProject): string {
    const then = this.sourceDigest;
    if (then?.programPath === project.programPath && then.stamp !== undefined && programSourcesStamp(this.opts.repoRoot, project.programPath) === then.stamp) return then.value;
    return this.computeSources(project).value;
  }

  private computeKey(stack: string, ctx: ReuseContext, project: CacheProject, sources: string): string {
    const siblings = siblingViews(stack, ctx.config.project, {
      dirs: [path.dirname(project.programPath), this.opts.repoRoot],
      projectDir: project.projectDir,
      stacks: project.stacks,
    });
    return digest({
      format: CACHE_FORMAT,
      sources,
      config: configView(ctx.config),
      siblings,
      stacks: project.stacks,
      programPath: path.resolve(project.programPath),
    });
  }

  /**
   * `rel` (a file under `.cache`) when there is one to read: only in a folder an earlier plan
   * marked, never through a link; with why it cannot be read when it is not a regular file.
   */
  private cacheFile(rel: string): { file: string; problem?: string } | undefined {
    const dir = path.join(this.opts.outDir, CACHE_DIR);
    const file = path.join(this.opts.outDir, rel);
    if (!fs.existsSync(path.join(this.opts.outDir, PLAN_MARKER))) return undefined;
    const st = [dir, file].map(lstat);
    if (!st[0]?.isDirectory() || !st[1]) return undefined;
    return st[1].isFile() ? { file } : { file, problem: "not a regular file" };
  }

  /**
   * A readable entry for `stack` stored under `key`, or undefined (missing, stored under another
   * key, or unusable: said once through onNote).
   */
  private load(stack: string, key: string): CacheEntry | undefined {
    const found = this.cacheFile(PlanCache.fileOf(stack));
    if (found === undefined) return undefined;
    const { file } = found;
    let problem = found.problem;
    let parsed: unknown;
    if (problem === undefined) {
      // Stored under another key: stale, whatever the rest of the file holds.
      const stored = storedKey(file, stack);
      if (stored !== undefined && stored !== key) return undefined;
      try {
        parsed = JSON.parse(entryText(fs.readFileSync(file)));
        problem = entryProblem(parsed, stack);
      } catch (e) {
        problem = `not valid JSON (${e instanceof Error ? e.message : String(e)})`;
      }
    }
    if (problem === undefined) return parsed as CacheEntry;
    this.unusable.add(stack);
    this.opts.onNote?.(`cache: ignoring ${PlanCache.fileOf(stack)}: ${problem}; ${stack} runs in full`);
    return undefined;
  }

  /**
   * EngineOptions.reuse: the stored run when its key, the outputs of every stack it read and the
   * answers of every cross-stack lookup of its AWS checks are what they were; else undefined.
   */
  async reuse(stack: string, ctx: ReuseContext, project: CacheProject): Promise<StackRun | undefined> {
    const sources = this.sources(project);
    const key = this.computeKey(stack, ctx, project, sources);
    this.keys.set(stack, { key, ctx, project });
    if (!this.read) return undefined;
    const entry = this.load(stack, key);
    if (!entry || entry.key !== key) return undefined;
    for (const ref of entry.references) {
      let run: StackRun;
      try {
        run = await ctx.run(ref.stack);
      } catch {
        return undefined; // the fresh run reports why that stack failed
      }
      if (outputsDigest(run) !== ref.outputs) return undefined;
    }
    for (const l of entry.lookups) {
      const found = ctx.lookup(l.id);
      if (found?.stack !== l.stack || (found ? lookupDigest(found) : undefined) !== l.resource) return undefined;
    }
    this.reused.set(stack, entry);
    return { ...entry.run, cached: true };
  }

  /**
   * StackCache.outcomes: the resource rules' outcomes of the stack's last plan, when the same
   * program sources, pack, rules, pack config and project produced them (the resources' own inputs
   * are matched one by one by the runner), and where this run's go.
   */
  outcomes(stack: string): OutcomeMemo | undefined {
    const keyed = this.keys.get(stack);
    if (!keyed || !this.opts.policyKey) return undefined;
    const run: { key?: string; next?: OutcomeTable } = {};
    this.outcomeRuns.set(stack, run);
    return {
      previous: () => {
        const policy = this.opts.policyKey?.(stack);
        if (policy === undefined) return undefined;
        run.key = digest({ format: CACHE_FORMAT, sources: this.sources(keyed.project), policy, project: keyed.ctx.config.project });
        return this.read ? this.loadOutcomes(stack, run.key) : undefined;
      },
      keep: (table) => {
        run.next = table;
      },
    };
  }

  /** The stored outcomes of `stack` under `key`, or undefined (missing, stale, or unusable: said once through onNote). */
  private loadOutcomes(stack: string, key: string): OutcomeTable | undefined {
    const found = this.cacheFile(PlanCache.outcomesFileOf(stack));
    if (found === undefined) return undefined;
    let problem = found.problem;
    if (problem === undefined) {
      try {
        const parsed: unknown = JSON.parse(entryText(fs.readFileSync(found.file)));
        const why = outcomesProblem(parsed, stack, key);
        if (why === undefined) return (parsed as OutcomesEntry).outcomes;
        if (why === "stale") return undefined;
        problem = why;
      } catch (e) {
        problem = `not valid JSON (${e instanceof Error ? e.message : String(e)})`;
      }
    }
    this.opts.onNote?.(`cache: ignoring ${PlanCache.outcomesFileOf(stack)}: ${problem}; every resource of ${stack} is checked`);
    return undefined;
  }

  /** The stored report entry of a reused stack (violations left to `violations`). */
  summary(stack: string): StackPlan | undefined {
    const entry = this.reused.get(stack);
    if (!entry) return undefined;
    const { violations: _violations, ...plan } = entry.plan;
    return plan;
  }

  private analysisKey(stack: string): string | null {
    const policy = this.opts.policyKey?.(stack);
    const keyed = this.keys.get(stack);
    return policy === undefined || !keyed ? null : digest({ key: keyed.key, policy });
  }

  /** The stored policy findings of a reused stack, when the same pack with the same config produced them. */
  violations(stack: string): PolicyViolation[] | undefined {
    const entry = this.reused.get(stack);
    const analysis = this.analysisKey(stack);
    if (!entry || analysis === null || entry.analysis !== analysis) return undefined;
    return entry.plan.violations;
  }

  /**
   * The entries this run leaves: one per stack that ran (a dependency that was not reported too,
   * without policy findings) or whose policy findings changed; none for a stack whose inputs
   * changed while it ran. `runOf` gives the engine's successful runs.
   */
  files(result: PlanResult, runOf: (stack: string) => StackRun | undefined): { files: PlanFile[]; drop: string[] } {
    const files: PlanFile[] = [];
    const digestNow = new Map<string, string>();
    // A file edited while the plan ran may or may not be in what ran: store nothing it could affect.
    const unchanged = ({ key, ctx, project }: Keyed, stack: string): boolean => {
      if (!digestNow.has(project.programPath)) digestNow.set(project.programPath, this.sourcesNow(project));
      return this.computeKey(stack, ctx, project, digestNow.get(project.programPath) ?? "") === key;
    };
    for (const [stack, keyed] of this.keys) {
      const run = runOf(stack);
      const reported = result.stacks.find((p) => p.stack === stack);
      if (!run || (reported && !reported.ok)) continue;
      const s = reported ?? summarizeRun(run);
      const analysis = s.violations === undefined ? null : this.analysisKey(stack);
      const earlier = this.reused.get(stack);
      // An unreported dependency that was reused keeps its entry (and the findings stored in it).
      if (earlier && (earlier.analysis === analysis || !reported)) continue;
      if (!unchanged(keyed, stack)) {
        this.opts.onNote?.(`cache: ${stack} not stored: its sources or config changed while the plan ran`);
        continue;
      }
      const { cached: _cached, ...stored } = run;
      const references = (run.references ?? []).map((ref) => {
        const other = runOf(ref);
        return { stack: ref, outputs: other ? outputsDigest(other) : "missing" };
      });
      const lookups = (run.lookups ?? []).map(({ id, stack: from }) => {
        if (from === undefined) return { id };
        const other = runOf(from);
        const resource = other?.resources.find((r) => r.custom && r.id === id);
        // A hit that cannot be described again is stored as "unknown", which no later answer matches: the stack reruns.
        return { id, stack: from, resource: other && resource ? lookupDigest({ stack: from, resource, accountId: other.config.accountId }) : "unknown" };
      });
      const { cached: _c, ...plan } = s;
      // The first four fields, in this order, are what storedKey reads back.
      const entry: CacheEntry = { writtenBy: WRITTEN_BY, version: CACHE_FORMAT, stack: s.stack, key: keyed.key, analysis, references, lookups, run: stored, plan };
      files.push({ rel: PlanCache.fileOf(s.stack), content: JSON.stringify(entry) });
      const outcomes = this.outcomeRuns.get(stack);
      if (outcomes?.key !== undefined && outcomes.next !== undefined) {
        const kept: OutcomesEntry = { writtenBy: OUTCOMES_WRITTEN_BY, version: CACHE_FORMAT, stack: s.stack, key: outcomes.key, outcomes: outcomes.next };
        files.push({ rel: PlanCache.outcomesFileOf(s.stack), content: JSON.stringify(kept) });
      }
    }
    const written = new Set(files.map((f) => f.rel));
    const drop = [...this.unusable].map((stack) => PlanCache.fileOf(stack)).filter((rel) => !written.has(rel));
    return { files, drop };
  }
}
