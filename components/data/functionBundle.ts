/**
 * The deployment package of a Lambda handler in `functions/<name>/`: the TypeScript handler and
 * everything it imports (its npm dependencies included) bundled by esbuild into one `index.js`,
 * handed to Pulumi as an archive. Bundled when the program runs, so `pulumi up` needs no build step
 * and the offline plan packages exactly what a deployment would (a handler that does not bundle
 * fails the plan).
 *
 * Bundles are cached on disk by a hash of every file under `functions/` (a handler may import the
 * shared code in `functions/shared/`), the lockfile and the esbuild version (taken once per
 * process), and in memory per process, so planning five stacks bundles each handler at most once; a handler's bundles unused
 * for two weeks are removed when it is next built. A handler that imports a file outside
 * `functions/` and `node_modules/` is refused: the key would not see it change.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const FUNCTIONS_DIR = path.join(REPO_ROOT, "functions");
const CACHE_DIR = path.join(REPO_ROOT, "node_modules", ".cache", "tila-functions");
/** Part of every cache key: bump it whenever the build options below change. */
const FORMAT_VERSION = "2";
/** The Lambda runtime the bundles are built for; `functionRuntime` is what the functions declare. */
export const FUNCTION_RUNTIME = "nodejs22.x";
const TARGET = "node22";

const built = new Map<string, string>();
const DAY_MS = 24 * 60 * 60 * 1000;
/** A bundle nobody used for this long goes when its handler is next built. */
const UNUSED_MS = 14 * DAY_MS;

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  }).sort();
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Marks a bundle as used today (its modification time), for pruneBundles: a plan never reads the file. */
function markUsed(file: string): void {
  try {
    if (Date.now() - fs.statSync(file).mtimeMs > DAY_MS) fs.utimesSync(file, new Date(), new Date());
  } catch {
    // A read-only cache only loses its pruning.
  }
}

/**
 * Removes from `cacheDir` the bundles of handler `name` other than `keep` that nobody used for two
 * weeks, once a new one is built: every change under functions/ or to the
 * lockfile makes a new key, and the old bundles would otherwise stay forever. Best effort: a cache
 * that cannot be pruned only stays larger.
 */
export function pruneBundles(cacheDir: string, name: string, keep: string, now = Date.now()): void {
  const ours = /^(.+)-[0-9a-f]{32}$/;
  try {
    for (const d of fs.readdirSync(cacheDir)) {
      const dir = path.join(cacheDir, d);
      if (dir === keep || ours.exec(d)?.[1] !== name) continue;
      // A folder without a bundle may be one another process is building right now: its own age counts.
      const st = fs.statSync(path.join(dir, "index.js"), { throwIfNoEntry: false }) ?? fs.statSync(dir);
      if (now - Math.max(st.mtimeMs, st.atimeMs) > UNUSED_MS) fs.rmSync(dir, { recursive: true, force: true });
    }
  } catch {
    // Unreadable or read-only.
  }
}

let sourcesKeyMemo: string | undefined;

/**
 * The part of every bundle's key that is the same for all handlers: the build options, the
 * esbuild version, every file under `functions/` and the lockfile. Computed once per process, as
 * `built` keeps each handler's bundle for the process: a prod plan bundles about ten handlers,
 * and each used to read and hash the same 400 KB.
 */
function sourcesKey(esbuildVersion: string): string {
  if (sourcesKeyMemo === undefined) {
    const hash = createHash("sha256").update(`${FORMAT_VERSION}\0${esbuildVersion}\0${TARGET}\0`);
    for (const f of filesUnder(FUNCTIONS_DIR)) hash.update(path.relative(FUNCTIONS_DIR, f)).update("\0").update(fs.readFileSync(f)).update("\0");
    hash.update(fs.readFileSync(path.join(REPO_ROOT, "package-lock.json")));
    sourcesKeyMemo = hash.digest("hex").slice(0, 32);
  }
  return sourcesKeyMemo;
}

/** Where `functions/<name>/handler.ts` bundles to; builds it if this exact source was never built. */
export function bundleFunction(name: string): string {
  const cached = built.get(name);
  if (cached !== undefined) return cached;
  const dir = path.join(FUNCTIONS_DIR, name);
  const entry = path.join(dir, "handler.ts");
  if (!fs.existsSync(entry)) throw new Error(`functions/${name}/handler.ts does not exist`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require("esbuild") as typeof import("esbuild");
  const out = path.join(CACHE_DIR, `${name}-${sourcesKey(esbuild.version)}`, "index.js");
  if (isFile(out)) {
    markUsed(out);
  } else {
    const tmp = `${out}.${process.pid}.tmp`;
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const result = esbuild.buildSync({
      metafile: true,
      entryPoints: [entry],
      outfile: tmp,
      bundle: true,
      platform: "node",
      format: "cjs",
      target: TARGET,
      minify: true,
      sourcemap: false,
      legalComments: "none",
      logLevel: "silent",
    });
    const outside = Object.keys(result.metafile?.inputs ?? {})
      .map((input) => path.resolve(input))
      .filter((input) => !input.startsWith(FUNCTIONS_DIR + path.sep) && !input.split(path.sep).includes("node_modules"));
    if (outside.length > 0) {
      fs.rmSync(tmp, { force: true });
      throw new Error(`functions/${name}: imports ${path.relative(REPO_ROOT, outside[0])}, outside functions/ and node_modules/ (its bundle's cache key would not see it change)`);
    }
    // Rename, so a process reading the cache never sees half a bundle.
    fs.renameSync(tmp, out);
    pruneBundles(CACHE_DIR, name, path.dirname(out));
  }
  built.set(name, out);
  return out;
}

const facts = new Map<string, BundleFacts>();

/** A bundle's file, the base64 SHA-256 Lambda records as `sourceCodeHash`, and its size in bytes. */
export interface BundleFacts {
  readonly path: string;
  readonly hash: string;
  readonly bytes: number;
}

/**
 * `functions/<name>/`'s bundle with its hash and size, read and hashed once per process per
 * bundle: a bundle's path holds the hash of everything it is built from, so its bytes never
 * change under the same path (prod's program asks for about ten handlers' hashes, some of them
 * several times).
 */
export function bundleFacts(name: string): BundleFacts {
  const file = bundleFunction(name);
  let f = facts.get(file);
  if (f === undefined) {
    const body = fs.readFileSync(file);
    f = { path: file, hash: createHash("sha256").update(body).digest("base64"), bytes: body.length };
    facts.set(file, f);
  }
  return f;
}

/** The archive Lambda deploys: `index.js` at its root, so the handler is `index.handler`. */
export function functionArchive(name: string): pulumi.asset.AssetArchive {
  return new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.FileAsset(bundleFunction(name)) });
}
