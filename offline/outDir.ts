/**
 * The rules of the plan's output folder (`npm run plan -- --out <dir>`): checked before any stack
 * runs, marked as a plan output, and only ever cleared of files the plan itself writes. People
 * point `--out` at arbitrary paths; nothing they keep there may be lost, and nothing stale may
 * read as the current run.
 */
import * as fs from "fs";
import * as path from "path";

/** Present in every folder the plan writes; without it a non-empty folder is never touched. */
export const PLAN_MARKER = ".tila-plan";
/** What the latest run wrote, so a later run knows what it may remove. */
export const PLAN_INDEX = "index.json";

const MARKER_TEXT =
  "This folder is an output of `npm run plan` (tila-platform).\n" +
  `The plan removes only files it writes here (listed in ${PLAN_INDEX}); anything else is left alone.\n`;

/** Kernel filesystems: writes there hang or mean something else entirely. */
const FORBIDDEN_ROOTS = ["/proc", "/sys"];

/** The only shapes of file the plan writes, besides the marker, the index and the cache. */
const PLAN_FILE = /^(reachability\.json|[A-Za-z0-9][A-Za-z0-9_.-]*\/(resources|outputs|policy)\.json)$/;
/** The plan's cache (planCache.ts): not an artefact of the run, so never listed in the index. */
export const CACHE_DIR = ".cache";
const CACHE_FILE = /^\.cache\/[A-Za-z0-9][A-Za-z0-9_.-]*\.json$/;

export interface PlanFile {
  /** Path inside the folder, `/`-separated: `reachability.json` or `<stack>/<name>.json`. */
  rel: string;
  content: string;
  /** Whether `content` is all ASCII, when that is already known (isAscii). */
  ascii?: boolean;
}

export interface WriteReport {
  written: string[];
  removed: string[];
  errors: { file: string; message: string }[];
}

export function isPlanFile(rel: string): boolean {
  return PLAN_FILE.test(rel) && !rel.split("/").includes("..");
}

/** `.cache/<stack>.json`: a cache entry, the only kind of file the plan writes or removes under `.cache`. */
export function isCacheFile(rel: string): boolean {
  return CACHE_FILE.test(rel) && !rel.split("/").includes("..");
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** What is at `p` itself (a link is not followed), or undefined when nothing is. */
export function lstat(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `dir` with symbolic links of its existing part resolved, and that existing part. */
function realTarget(dir: string): { real: string; existing: string } {
  let existing = dir;
  const rest: string[] = [];
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) {
    rest.unshift(path.basename(existing));
    existing = path.dirname(existing);
  }
  return { real: path.join(fs.realpathSync(existing), ...rest), existing };
}

/** A folder whose every entry the plan could have written (an output of a version before the marker). */
function onlyPlanFiles(dir: string): boolean {
  return fs.readdirSync(dir, { withFileTypes: true }).every((e) => {
    if (e.isFile()) return isPlanFile(e.name);
    if (!e.isDirectory()) return false;
    return fs.readdirSync(path.join(dir, e.name), { withFileTypes: true }).every((f) => f.isFile() && isPlanFile(`${e.name}/${f.name}`));
  });
}

/** Why the contents of an existing folder forbid writing there, if they do. */
function contentProblem(dir: string, adoptPlanShaped: boolean): string | undefined {
  const entries = fs.readdirSync(dir);
  if (entries.length === 0 || entries.includes(PLAN_MARKER)) return undefined;
  if (adoptPlanShaped && onlyPlanFiles(dir)) return undefined;
  return `is not empty and was not written by npm run plan (no ${PLAN_MARKER} marker); name an empty or new folder`;
}

export interface CheckOptions {
  /**
   * Accept an unmarked folder that holds nothing but plan files. Only for the default `out/plan`,
   * which plans before the marker existed filled; a folder a person names must be marked.
   */
  adoptPlanShaped?: boolean;
}

/** Why `dir` cannot take the plan's files, or undefined when it can. Creates nothing. */
export function checkOutDir(dir: string, opts: CheckOptions = {}): string | undefined {
  const problem = (text: string): string => `--out ${dir}: ${text}`;
  const abs = path.resolve(dir);
  let target: { real: string; existing: string };
  try {
    target = realTarget(abs);
  } catch (e) {
    return problem(`cannot be resolved: ${message(e)}`);
  }
  const root = FORBIDDEN_ROOTS.find((r) => target.real === r || target.real.startsWith(r + path.sep));
  if (root) return problem(`is under ${root}, a kernel filesystem; name a folder on disk`);
  const stat = fs.statSync(target.existing);
  if (target.existing === abs) {
    if (!stat.isDirectory()) return problem("is a file, not a folder");
    if (!writable(abs)) return problem("is not writable");
    try {
      const why = contentProblem(abs, opts.adoptPlanShaped ?? false);
      return why && problem(why);
    } catch (e) {
      return problem(`cannot be read: ${message(e)}`);
    }
  }
  if (!stat.isDirectory()) return problem(`cannot be created: ${target.existing} is a file`);
  if (!writable(target.existing)) return problem(`cannot be created: ${target.existing} is not writable`);
  return undefined;
}

/** Plan files the previous run's index lists; entries of any other shape are ignored. */
function previousFiles(dir: string): string[] {
  try {
    const index = JSON.parse(fs.readFileSync(path.join(dir, PLAN_INDEX), "utf8")) as { files?: unknown };
    return Array.isArray(index.files) ? index.files.filter((f): f is string => typeof f === "string" && isPlanFile(f)) : [];
  } catch {
    return [];
  }
}

function writeOne(dir: string, file: PlanFile): void {
  const parts = file.rel.split("/");
  if (parts.length === 2) {
    const sub = path.join(dir, parts[0]);
    if (lstat(sub)?.isSymbolicLink()) throw new Error(`${parts[0]} is a symbolic link; the plan does not write through links`);
    fs.mkdirSync(sub, { recursive: true });
  }
  const target = path.join(dir, ...parts);
  // A link here would make the write land elsewhere: replace the link, never its target.
  if (lstat(target)?.isSymbolicLink()) fs.unlinkSync(target);
  // Text that is all ASCII (the usual plan file) is written as latin1: the same bytes as UTF-8,
  // which Node copies instead of encoding each character, and written from the string without a
  // Buffer in between (31 MB of Buffers made V8 collect garbage): writing a five-stack plan's files
  // went from 290-370 ms to about 260 ms.
  if (!(file.ascii ?? isAscii(file.content))) {
    fs.writeFileSync(target, file.content);
    return;
  }
  const fd = fs.openSync(target, "w");
  try {
    // write(2) may take less than asked: latin1 is one byte per character, so the rest is a slice.
    for (let at = 0; at < file.content.length; ) at += fs.writeSync(fd, at === 0 ? file.content : file.content.slice(at), null, "latin1");
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * True when every character is ASCII: then UTF-8 takes one byte per character. V8 counts the UTF-8
 * length of a flat string in a few milliseconds; what JSON.stringify returns is a tree of pieces,
 * which this (like any scan) first copies into one string: about 250 ms for a five-stack plan's
 * 31 MB, most of it the kernel handing out fresh pages. A regular expression costs the same.
 */
export function isAscii(text: string): boolean {
  return Buffer.byteLength(text, "utf8") === text.length;
}

export interface WriteOptions extends CheckOptions {
  /** Stacks of the project: their plan files from any earlier run are not current. */
  knownStacks: readonly string[];
  /** Per stack, how this run ended (`ok`, `failed`, ...), recorded in the index. */
  stacks: Record<string, string>;
  /**
   * Cache entries to remove (`.cache/<stack>.json`, e.g. one that could not be read). Cache
   * entries are otherwise never removed: each is checked against its key before it is used.
   */
  dropCache?: readonly string[];
}

/**
 * Writes `files` into `dir` (created if needed) and removes the plan files of earlier runs that
 * this run did not write, so the folder describes exactly this run. Removes only files of the
 * plan's own shapes, never a folder with anything else in it. Errors are collected, not thrown.
 */
export function writeOutDir(dir: string, files: readonly PlanFile[], opts: WriteOptions): WriteReport {
  const report: WriteReport = { written: [], removed: [], errors: [] };
  try {
    fs.mkdirSync(dir, { recursive: true });
    // The plan took a while: the folder may have changed since checkOutDir.
    const why = contentProblem(dir, opts.adoptPlanShaped ?? false);
    if (why) throw new Error(why);
    if (!fs.existsSync(path.join(dir, PLAN_MARKER))) fs.writeFileSync(path.join(dir, PLAN_MARKER), MARKER_TEXT);
  } catch (e) {
    report.errors.push({ file: dir, message: message(e) });
    return report;
  }

  const current = new Set(files.map((f) => f.rel));
  const stale = new Set([
    ...previousFiles(dir),
    "reachability.json",
    ...opts.knownStacks.flatMap((s) => [`${s}/resources.json`, `${s}/outputs.json`, `${s}/policy.json`]),
  ]);
  const drop = (opts.dropCache ?? []).filter((f) => !current.has(f) && isCacheFile(f));
  for (const rel of [...[...stale].filter((f) => !current.has(f) && isPlanFile(f)), ...drop]) {
    const target = path.join(dir, ...rel.split("/"));
    const st = lstat(target);
    if (!st || st.isDirectory()) continue;
    try {
      fs.unlinkSync(target);
      report.removed.push(rel);
      const sub = path.dirname(target);
      if (sub !== dir && fs.readdirSync(sub).length === 0) fs.rmdirSync(sub);
    } catch (e) {
      report.errors.push({ file: rel, message: message(e) });
    }
  }

  for (const file of files) {
    if (!isPlanFile(file.rel) && !isCacheFile(file.rel)) {
      report.errors.push({ file: file.rel, message: "not a file the plan writes" });
      continue;
    }
    try {
      writeOne(dir, file);
      report.written.push(file.rel);
    } catch (e) {
      report.errors.push({ file: file.rel, message: message(e) });
    }
  }
  const index = { writtenBy: "npm run plan", generatedAt: new Date().toISOString(), stacks: opts.stacks, files: report.written.filter(isPlanFile) };
  try {
    fs.writeFileSync(path.join(dir, PLAN_INDEX), JSON.stringify(index, null, 2) + "\n");
  } catch (e) {
    report.errors.push({ file: PLAN_INDEX, message: message(e) });
  }
  return report;
}
