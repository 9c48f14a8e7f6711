/**
 * `npm run typecheck`: TypeScript 7's check of the whole project (`tsc --noEmit`, incremental),
 * skipped when nothing it read has changed since its last clean run. With every file unchanged,
 * tsc still parses all 6,800 of them (the AWS typings are most) to find that out: about 4 s of
 * every `npm test`. Here the last clean run's inputs are kept in a stamp beside tsc's build info:
 * the files tsc lists in that build info (each by size, modification and change time), the
 * package.json files it resolved and the ones it looked for and did not find, every file under the
 * folders `tsconfig.json` includes (so a new file is seen), and the contents of `tsconfig.json`,
 * `package.json` and the lockfile. Any difference, a failed check, or a file touched while tsc ran
 * means tsc runs. `--force` or TILA_TYPECHECK_CACHE=0 runs it whatever the stamp says.
 */
import { createHash } from "crypto";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fileState } = require("./file-state.cjs") as { fileState(file: string): string | undefined };

const ROOT = path.resolve(__dirname, "..");
const STAMP_VERSION = 1;

/** What tsc read, as its build info lists it (absolute paths; its bundled lib files left out). */
export interface BuildInfoFiles {
  files: string[];
  missing: string[];
}

/** The state of everything the check depends on; two equal fingerprints mean tsc would see the same inputs. */
export interface Fingerprint {
  /** sha256 of tsconfig.json, package.json and package-lock.json and of tsc's arguments. */
  config: string;
  /** Every file under the included folders and the included files, relative to the root, sorted. */
  tree: string[];
  /** Each file tsc read: `size:mtimeMs:ctimeMs`, or `absent`. */
  files: Record<string, string>;
  /** Package.json files tsc looked for and did not find, that exist now. */
  appeared: string[];
}

export interface TypecheckProject {
  root: string;
  /** tsc's build info file (its `--tsBuildInfoFile`). */
  buildInfo: string;
  /** Where the stamp of the last clean run is kept. */
  stamp: string;
  /** tsc's arguments, part of what a stamp was made under. */
  args: readonly string[];
}

/** The folders and files `include` names, when every entry is `<file>.ts` or `<folder>/**\/*.ts`; else undefined. */
export function includedRoots(include: unknown): { dirs: string[]; files: string[] } | undefined {
  if (!Array.isArray(include)) return undefined;
  const dirs: string[] = [];
  const files: string[] = [];
  for (const entry of include) {
    if (typeof entry !== "string" || entry.startsWith("/") || entry.split("/").includes("..")) return undefined;
    const folder = /^([\w.-]+(?:\/[\w.-]+)*)\/\*\*\/\*\.ts$/.exec(entry);
    if (folder) dirs.push(folder[1]);
    else if (/^[\w.-]+(?:\/[\w.-]+)*\.ts$/.test(entry)) files.push(entry);
    else return undefined;
  }
  return { dirs, files };
}

/** Every file (any kind) under `dirs` of `root`, and `files` that exist; `exclude` paths skipped. Relative, sorted. */
export function projectTree(root: string, roots: { dirs: string[]; files: string[] }, exclude: readonly string[]): string[] {
  const out: string[] = [];
  const skipped = new Set(exclude.map((e) => path.join(root, e)));
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (skipped.has(p)) continue;
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(root, p));
    }
  };
  for (const d of roots.dirs) walk(path.join(root, d));
  for (const f of roots.files) if (fs.existsSync(path.join(root, f))) out.push(f);
  return out.sort();
}

/** The files a build info says tsc read, or undefined when it cannot be read. */
export function buildInfoFiles(file: string): BuildInfoFiles | undefined {
  let info: { fileNames?: unknown; packageJsons?: unknown; missingPackageJsons?: unknown };
  try {
    info = JSON.parse(fs.readFileSync(file, "utf8")) as typeof info;
  } catch {
    return undefined;
  }
  const list = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : undefined);
  const names = list(info.fileNames);
  const packages = list(info.packageJsons ?? []);
  const missing = list(info.missingPackageJsons ?? []);
  if (!names || !packages || !missing) return undefined;
  const dir = path.dirname(file);
  // A name without a folder is one of tsc's own lib files, bundled with the compiler (the lockfile pins it).
  const resolve = (names: string[]): string[] => names.filter((n) => n.includes("/")).map((n) => path.join(dir, n));
  return { files: [...resolve(names), ...resolve(packages)], missing: resolve(missing) };
}

function stateOf(file: string): string {
  return fileState(file) ?? "absent";
}

/** The fingerprint of the project as tsc would read it now, or undefined when it cannot be told (then tsc runs). */
export function fingerprint(project: TypecheckProject): Fingerprint | undefined {
  const listed = buildInfoFiles(project.buildInfo);
  if (!listed) return undefined;
  let tsconfig: { include?: unknown; exclude?: unknown; extends?: unknown; files?: unknown; references?: unknown };
  const hash = createHash("sha256").update(JSON.stringify(project.args));
  try {
    for (const f of ["tsconfig.json", "package.json", "package-lock.json"]) hash.update("\0").update(fs.readFileSync(path.join(project.root, f)));
    tsconfig = JSON.parse(fs.readFileSync(path.join(project.root, "tsconfig.json"), "utf8")) as typeof tsconfig;
  } catch {
    return undefined;
  }
  // Only the plain shape this project uses is understood; anything else always runs tsc.
  if (tsconfig.extends !== undefined || tsconfig.files !== undefined || tsconfig.references !== undefined) return undefined;
  const roots = includedRoots(tsconfig.include);
  const exclude = tsconfig.exclude ?? [];
  if (!roots || !Array.isArray(exclude) || !exclude.every((e): e is string => typeof e === "string")) return undefined;
  const files: Record<string, string> = {};
  for (const f of listed.files) files[f] = stateOf(f);
  return { config: hash.digest("hex"), tree: projectTree(project.root, roots, exclude), files, appeared: listed.missing.filter((f) => fs.existsSync(f)) };
}

interface Stamp {
  version: number;
  fingerprint: Fingerprint;
}

function readStamp(file: string): Stamp | undefined {
  try {
    const s = JSON.parse(fs.readFileSync(file, "utf8")) as Stamp;
    return s.version === STAMP_VERSION ? s : undefined;
  } catch {
    return undefined;
  }
}

export function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A file tsc read changed at or after `since` (ms): it may have changed while tsc read it. */
function touchedSince(fp: Fingerprint, since: number): boolean {
  return Object.values(fp.files).some((s) => s !== "absent" && Number(s.split(":")[1]) >= since);
}

export interface TypecheckOutcome {
  status: number;
  /** The stamp matched: tsc did not run. */
  skipped: boolean;
  /** A stamp was written after a clean run. */
  stamped: boolean;
  /** How many files the stamp covers. */
  files: number;
}

/** Runs tsc (`runTsc`, which returns its exit status) unless the stamp says nothing changed; stamps a clean run. */
export function typecheck(project: TypecheckProject, runTsc: () => number, opts: { force?: boolean; now?: () => number } = {}): TypecheckOutcome {
  const now = opts.now ?? Date.now;
  if (!opts.force) {
    const stamp = readStamp(project.stamp);
    const current = stamp ? fingerprint(project) : undefined;
    if (stamp && current && sameFingerprint(stamp.fingerprint, current)) return { status: 0, skipped: true, stamped: false, files: Object.keys(current.files).length };
  }
  fs.rmSync(project.stamp, { force: true });
  // Whole milliseconds: a file written in the same millisecond as tsc starts counts as touched.
  const started = Math.floor(now());
  const status = runTsc();
  if (status !== 0) return { status, skipped: false, stamped: false, files: 0 };
  const after = fingerprint(project);
  if (!after || touchedSince(after, started)) return { status, skipped: false, stamped: false, files: after ? Object.keys(after.files).length : 0 };
  fs.mkdirSync(path.dirname(project.stamp), { recursive: true });
  fs.writeFileSync(project.stamp, JSON.stringify({ version: STAMP_VERSION, fingerprint: after } satisfies Stamp));
  return { status, skipped: false, stamped: true, files: Object.keys(after.files).length };
}

function main(argv: string[]): number {
  const unknown = argv.filter((a) => a !== "--force");
  if (unknown.length > 0) {
    process.stderr.write(`typecheck: unknown argument ${unknown[0]}; usage: npm run typecheck [-- --force]\n`);
    return 2;
  }
  const cache = path.join(ROOT, "node_modules", ".cache", "tila-tsc7");
  const buildInfo = path.join(cache, "tsconfig.tsbuildinfo");
  const args = ["--noEmit", "--incremental", "--tsBuildInfoFile", buildInfo, "-p", "."];
  const project: TypecheckProject = { root: ROOT, buildInfo, stamp: path.join(cache, "clean-run.json"), args };
  const tsc = path.join(ROOT, "node_modules", "typescript-native", "bin", "tsc");
  const force = argv.includes("--force") || process.env.TILA_TYPECHECK_CACHE === "0";
  const outcome = typecheck(project, () => spawnSync(process.execPath, [tsc, ...args], { cwd: ROOT, stdio: "inherit" }).status ?? 1, { force });
  if (outcome.skipped) {
    process.stdout.write(`typecheck: skipped, none of the ${outcome.files} files tsc read changed since its last clean run (--force to run it anyway)\n`);
  }
  return outcome.status;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
