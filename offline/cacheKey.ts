/**
 * What a stack's cached plan depends on, as content hashes: the program sources, the stack's own
 * effective config, the parts of the other stack files that config validation reads, and the
 * policy pack. planCache.ts compares these before it lets a stored run stand in for a fresh one.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parseYamlCached as parse } from "../config/yamlCache";
import { PROJECT, STACKS } from "../config/schema";
import { StackConfig, stackConfigFile } from "./stackConfig";
import type { CapturedResource } from "./types";
import { writeWhole } from "./writeWhole";

/** Bumped whenever what a key covers or what an entry holds changes: older entries are ignored. */
export const CACHE_FORMAT = 1;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** JSON with object keys sorted, so equal values hash equally whatever order they were built in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (isRecord(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v)) ?? "null";
}

export function digest(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

/**
 * What the program, the engine and the AWS checks load from a project root: the program itself,
 * its config validation and components (with their JSON data such as the region catalogue), the
 * engine, and what pins node_modules. The stack files are config, keyed per stack instead. The
 * policy pack is keyed separately (policySourcesDigest): no program or engine module loads it.
 */
export const PROGRAM_SOURCES = ["index.ts", "config", "components", "stacks", "offline", "functions", "Pulumi.yaml", "package.json", "package-lock.json", "tsconfig.json"];
/** The policy pack: rules, their helpers, its own lockfile; the per-stack config files are keyed per stack. */
export const POLICY_SOURCES = ["policy"];

/** Folders that are never sources: installed packages, outputs (a plan's cache among them), VCS. */
const NOT_SOURCES = new Set(["node_modules", "out", "bin"]);
/** A stack file (`Pulumi.<stack>.yaml`), not the project file. */
const STACK_FILE = /^Pulumi\..+\.ya?ml$/;

/** Called for each file a walk finds: its label path, absolute path and stat. */
type Visit = (rel: string, abs: string, st: fs.Stats) => void;

function walk(abs: string, rel: string, visit: Visit, skip: (rel: string) => boolean): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    return;
  }
  if (st.isDirectory()) {
    for (const name of fs.readdirSync(abs).sort()) {
      if (name.startsWith(".") || NOT_SOURCES.has(name)) continue;
      const childRel = `${rel}/${name}`;
      if (!skip(childRel)) walk(path.join(abs, name), childRel, visit, skip);
    }
  } else if (st.isFile()) {
    visit(rel, abs, st);
  }
}

const hashFile = (abs: string): string => createHash("sha256").update(fs.readFileSync(abs)).digest("hex");

const hashing =
  (out: Map<string, string>): Visit =>
  (rel, abs) =>
    out.set(rel, hashFile(abs));

function hashEntries(root: string, entries: readonly string[], label: string, visit: Visit, skip: (rel: string) => boolean = () => false): void {
  for (const entry of entries) walk(path.join(root, entry), `${label}:${entry}`, visit, skip);
}

/** Visits every program source of a run (see programSourcesDigest) in a fixed order. */
function walkProgramSources(repoRoot: string, programPath: string, visit: Visit): void {
  const programDir = path.dirname(path.resolve(programPath));
  hashEntries(repoRoot, PROGRAM_SOURCES, "repo", visit);
  if (path.resolve(programDir) !== path.resolve(repoRoot)) {
    hashEntries(programDir, PROGRAM_SOURCES, "program", visit);
    walk(programDir, "programDir", visit, (rel) => STACK_FILE.test(path.basename(rel)));
  }
  walk(path.resolve(programPath), "programFile", visit, () => false);
}

function sourcesDigest(files: Map<string, string>): string {
  return digest({ node: process.version, files: [...files].sort(([a], [b]) => a.localeCompare(b)) });
}

/** What a file's stat says of its content without reading it: size, modification and change times, inode. */
function statLine(rel: string, st: fs.Stats): string {
  return `${rel}\0${st.size}\0${st.mtimeMs}\0${st.ctimeMs}\0${st.ino}`;
}

/**
 * The program sources of a run: PROGRAM_SOURCES under the repository (the engine's own) and under
 * the program's folder, and, when the program lives outside those (a fixture program), every file
 * of its folder but the stack files. The Node version is included: it runs all of it.
 */
export function programSourcesDigest(repoRoot: string, programPath: string): string {
  const files = new Map<string, string>();
  walkProgramSources(repoRoot, programPath, hashing(files));
  return sourcesDigest(files);
}

/** What one walk saw: every file's label path and absolute path, and the stamp of their stats. */
interface Seen {
  files: [rel: string, abs: string][];
  stamp: string;
  /** The latest modification or change time of any file, in ms since the epoch. */
  newest: number;
}

function see(walkWith: (visit: Visit) => void): Seen {
  const seen: Seen = { files: [], stamp: "", newest: 0 };
  const stats: string[] = [];
  walkWith((rel, abs, st) => {
    seen.files.push([rel, abs]);
    stats.push(statLine(rel, st));
    seen.newest = Math.max(seen.newest, st.mtimeMs, st.ctimeMs);
  });
  seen.stamp = stats.join("\n");
  return seen;
}

function hashFiles(files: Seen["files"]): Map<string, string> {
  return new Map(files.map(([rel, abs]) => [rel, hashFile(abs)]));
}

/** One stored digest: what it is of, the Node version and (hashed) the stats it was taken under. */
interface MemoEntry {
  label: string;
  node: string;
  stats: string;
  digest: string;
}

/** The stamp of a walk's stats, as the memo keeps it: a few hundred stat lines hash to one line. */
const statsDigest = (stamp: string): string => createHash("sha256").update(stamp).digest("hex");

const MEMO_WRITTEN_BY = "npm run plan (source digests)";

/**
 * Digests of source trees kept across processes (`npm run plan` keeps them in
 * `node_modules/.cache/tila-digest/`), each stored with the stats of the files it was taken from:
 * path, size, modification and change times, inode. A later walk that finds the same stats takes
 * the stored digest without reading a file (about 45 ms of a hot-fix re-plan). Any write to a file
 * moves its change time, which nothing can set back, and adding, removing or renaming one changes
 * the list. A digest is stored only when every file's times are at least `racyMs` old and the
 * walk after hashing still sees the same stats: a file written within the same tick of the clock
 * could otherwise keep its stats with other content (git's "racy" files). At most `entries`
 * digests are kept, the most recent first; a damaged or foreign file is read as empty.
 */
export class DigestMemo {
  constructor(
    readonly file: string,
    private readonly opts: { read?: boolean; racyMs?: number; entries?: number; now?: () => number } = {},
  ) {}

  private stored(): MemoEntry[] {
    try {
      const doc: unknown = JSON.parse(fs.readFileSync(this.file, "utf8"));
      if (!isRecord(doc) || doc.writtenBy !== MEMO_WRITTEN_BY || !Array.isArray(doc.entries)) return [];
      return doc.entries.filter(
        (e): e is MemoEntry => isRecord(e) && typeof e.label === "string" && typeof e.node === "string" && typeof e.stats === "string" && typeof e.digest === "string",
      );
    } catch {
      return [];
    }
  }

  /** The digest of what `seen` lists: stored, or computed and stored when its stats allow. */
  take(label: string, seen: Seen, compute: () => string, restamp: () => string): string {
    const stats = statsDigest(seen.stamp);
    if (this.opts.read !== false) {
      const hit = this.stored().find((e) => e.label === label && e.node === process.version && e.stats === stats);
      if (hit) return hit.digest;
    }
    const value = compute();
    const now = (this.opts.now ?? Date.now)();
    if (now - seen.newest >= (this.opts.racyMs ?? 2000) && restamp() === seen.stamp) this.store({ label, node: process.version, stats, digest: value });
    return value;
  }

  private store(entry: MemoEntry): void {
    const entries = [entry, ...this.stored().filter((e) => e.label !== entry.label || e.node !== entry.node)].slice(0, this.opts.entries ?? 16);
    try {
      // Whole or not at all: a concurrent reader sees the old file or the new one.
      writeWhole(this.file, JSON.stringify({ writtenBy: MEMO_WRITTEN_BY, entries }));
    } catch {
      // Not kept (a read-only node_modules): the next plan hashes the files again.
    }
  }
}

/**
 * The digest of programSourcesDigest and a stamp of the same files' stats (programSourcesStamp),
 * taken in one walk: a later stamp equal to this one means no source was written, added or removed
 * since, and the digest still holds without reading the files again. With a memo, the digest of
 * the same stats taken by an earlier process is used (DigestMemo).
 */
export function programSourcesState(repoRoot: string, programPath: string, memo?: DigestMemo): { digest: string; stamp: string } {
  const seen = see((visit) => walkProgramSources(repoRoot, programPath, visit));
  const compute = (): string => sourcesDigest(hashFiles(seen.files));
  const value = memo ? memo.take(`program ${path.resolve(repoRoot)} ${path.resolve(programPath)}`, seen, compute, () => programSourcesStamp(repoRoot, programPath)) : compute();
  return { digest: value, stamp: seen.stamp };
}

/** The stats of every program source (what programSourcesState stamps), without reading any file. */
export function programSourcesStamp(repoRoot: string, programPath: string): string {
  return see((visit) => walkProgramSources(repoRoot, programPath, visit)).stamp;
}

/** The policy pack's sources (rules, helpers, lockfile), without its per-stack config files. */
export function policySourcesDigest(repoRoot: string, memo?: DigestMemo): string {
  const walkPolicy = (visit: Visit): void => hashEntries(repoRoot, POLICY_SOURCES, "repo", visit, (rel) => rel === "repo:policy/config");
  const seen = see(walkPolicy);
  const compute = (): string => digest([...hashFiles(seen.files)].sort(([a], [b]) => a.localeCompare(b)));
  return memo ? memo.take(`policy ${path.resolve(repoRoot)}`, seen, compute, () => see(walkPolicy).stamp) : compute();
}

/**
 * What config validation reads of another stack's file. config/load.ts keeps the
 * `tila-platform:` keys of every `Pulumi.<stack>.yaml` next to the program; validate.ts then
 * parses management's whole config (its validity, offices, endpoint services and account), but of
 * an environment only `network.cidr`, `accountId` (siblingEntry) and `accountMode` (config/accounts.ts),
 * and, when `reader` is the management stack, the name and image of each service (config/images.ts:
 * its repositories keep the deployed tags) and what scopes its hub role (`dns.domain`, `edge.apiHost`,
 * `edge.webHost`, `network.endpoints`). Tests in test/offline/cacheKey.test.ts and
 * test/offline/cacheKeyAccounts.test.ts pin these against validate.ts.
 */
export function validationView(file: string, sibling: string, projects: readonly string[], reader?: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    return { absent: (e as NodeJS.ErrnoException).code ?? "unreadable" };
  }
  let doc: unknown;
  try {
    doc = parse(text) ?? {};
  } catch (e) {
    return { unparsable: (e as Error).message };
  }
  const block = isRecord(doc) ? doc.config : doc;
  if (!isRecord(block)) return { config: block ?? null };
  const ours = Object.fromEntries(Object.entries(block).filter(([k]) => projects.some((p) => k.startsWith(`${p}:`))));
  if (sibling === "management") return ours;
  return projects.map((p) => {
    const network = ours[`${p}:network`];
    // accountMode: every stack checks that its siblings chose the same one (config/accounts.ts).
    const view: Record<string, unknown> = { cidr: isRecord(network) ? (network.cidr ?? null) : null, accountId: ours[`${p}:accountId`] ?? null, accountMode: ours[`${p}:accountMode`] ?? null };
    if (reader === "management") {
      // What management scopes each environment's hub role by (config/accounts.ts hubAccessEnvironments).
      const dns = ours[`${p}:dns`];
      const edge = ours[`${p}:edge`];
      view.hubAccess = {
        domain: isRecord(dns) ? (dns.domain ?? null) : null,
        apiHost: isRecord(edge) ? (edge.apiHost ?? null) : null,
        webHost: isRecord(edge) ? (edge.webHost ?? null) : null,
        endpoints: isRecord(network) ? (network.endpoints ?? null) : null,
      };
      const services = ours[`${p}:services`];
      const catalog = isRecord(services) && Array.isArray(services.catalog) ? services.catalog : [];
      view.images = catalog.map((s: unknown) => (isRecord(s) ? [s.name ?? null, s.image ?? null] : null));
    }
    return view;
  });
}

export interface SiblingFiles {
  /** Folders whose `Pulumi.<stack>.yaml` a program may read (the program's, the repository's). */
  dirs: readonly string[];
  projectDir: string;
  /** Stacks of the run, besides the ones config validation knows. */
  stacks: readonly string[];
}

/**
 * For every other stack, what validation reads of each file that could stand for it: the stack
 * file next to the program and the repository (what config/load.ts opens) and the engine's stack
 * file. Reading more files than the program does only costs reuse. A `--config` override is not
 * among them: the engine hands it to its own stack only (whose key holds it whole), and
 * config/load.ts never opens it for the others, so a hot-fix of prod leaves their keys alone.
 */
export function siblingViews(stack: string, project: string, where: SiblingFiles): unknown {
  const projects = [...new Set([PROJECT, project])];
  const names = [...new Set<string>([...STACKS, ...where.stacks])].filter((s) => s !== stack).sort();
  return names.map((sibling) => {
    const files = new Set<string>();
    for (const dir of where.dirs) for (const ext of ["yaml", "yml"]) files.add(path.join(path.resolve(dir), `Pulumi.${sibling}.${ext}`));
    try {
      files.add(stackConfigFile(where.projectDir, sibling));
    } catch {
      // An unreadable project file fails the run anyway: nothing to key.
    }
    return { sibling, files: [...files].sort().map((file) => ({ file, view: validationView(file, sibling, projects, stack) })) };
  });
}

/** The whole effective config of the stack as the engine hands it to the program. */
export function configView(cfg: StackConfig): unknown {
  return {
    project: cfg.project,
    stack: cfg.stack,
    config: cfg.config,
    secretKeys: cfg.secretKeys,
    region: cfg.region,
    accountId: cfg.accountId,
    organization: cfg.organization,
    configFile: cfg.configFile,
    warnings: cfg.warnings,
  };
}

/** What a StackReference to this run serves: its outputs and which of them are secret. */
export function outputsDigest(run: { outputs: Record<string, unknown>; secretOutputs: readonly string[] }): string {
  return digest({ outputs: run.outputs, secretOutputs: [...run.secretOutputs].sort() });
}

/** What an AWS check learns from another stack's resource: the resource and the account it is in. */
export function lookupDigest(found: { stack: string; resource: CapturedResource; accountId: string }): string {
  return digest(found);
}
