// Runs the project's TypeScript in Node without a type-checking step: `node -r ./scripts/register-ts.cjs
// file.ts` (npm run plan, the benchmark and mocha use it). Only the project's own `.ts` files are
// transpiled (esbuild, CommonJS, Node 20); everything under node_modules loads as Node loads it.
// That is the difference from tsx, whose hooks inspect every `.js` file of every dependency (about
// 0.8 s of the Pulumi SDK's import) and wrap every function in a naming helper. Transpiled code is
// cached on disk by a hash of the source, the file path and the esbuild version, so esbuild (and
// its service process) is started only when a file changed; entries unread for two weeks are
// pruned (scripts/cache-prune.cjs). V8's compiled code of the modules is kept on disk as well
// (scripts/code-cache.cjs; TILA_CODE_CACHE=0 turns that off). Type errors are `npm run typecheck`'s job.
"use strict";
// V8 otherwise gives back young-generation pages whenever a collection finds it underused and
// takes fresh ones as it grows again; a fresh page costs a fault, about 10 µs on the 2-core
// machines this runs on. Lazy shrinking keeps them: a hot-fix re-plan 2.08 to 1.94 s (medians of
// six), the full plan about 1 % faster. A garbage-collection policy only: what runs is unchanged.
// Set before any module is compiled, and part of the compiled-code cache's key (V8 rejects cached
// code made under other flags).
require("./code-cache.cjs").setV8Flags(["--lazy-new-space-shrinking"]);
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { writeWhole } = require("./write-whole.cjs");

// TILA_TS_CACHE_DIR moves the cache (the loader's own tests use a temporary one).
const CACHE_DIR = process.env.TILA_TS_CACHE_DIR || path.join(__dirname, "..", "node_modules", ".cache", "tila-ts");
// Part of every cache key: bump it whenever the transform options or the entry's layout change.
const FORMAT_VERSION = "3";
let esbuild;
let esbuildVersion;

function version() {
  esbuildVersion ??= require("esbuild/package.json").version;
  return esbuildVersion;
}

/** The module's CommonJS code, and its source map (JSON) apart: V8 never holds the map. */
function transpile(source, filename) {
  esbuild ??= require("esbuild");
  const { code, map } = esbuild.transformSync(source, {
    loader: "ts",
    format: "cjs",
    target: "node20",
    sourcefile: filename,
    sourcemap: "external",
    tsconfigRaw: { compilerOptions: { esModuleInterop: true } },
  });
  return { code: importStarAsTypeScript(code), map };
}

/** esbuild's helper for `import * as ns` (and default imports), first line, as esbuild 0.28 writes it. */
const ESBUILD_TO_ESM = "var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(";

/**
 * `import * as ns from "m"` as TypeScript compiles it for Pulumi's own runtime (`__importStar`): a
 * module marked `__esModule` (the Pulumi SDKs, every compiled TypeScript module) is its own
 * namespace. esbuild instead copies every export onto a new object behind a getter, at each
 * import site: `@pulumi/aws`'s ~250 and the SDK's ~100 exports for each of the program's modules,
 * about 60 ms of a hot-fix re-plan. Anything else (a plain CommonJS module, Node's built-ins) keeps
 * esbuild's copy with `default` set, as `__importStar` sets it. The line count is unchanged, so the
 * source map still holds; a helper of another shape (another esbuild) is left as it is.
 */
function importStarAsTypeScript(code) {
  return code.replace(ESBUILD_TO_ESM, "var __toESM = (mod, isNodeMode, target) => mod != null && mod.__esModule && !isNodeMode ? mod : (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(");
}

let pruneHooked = false;

/** Prunes the cache when this process exits, at most once a day (scripts/cache-prune.cjs): only a process that added an entry. */
function pruneAtExit() {
  if (pruneHooked) return;
  pruneHooked = true;
  process.once("exit", () => require("./cache-prune.cjs").pruneCache(CACHE_DIR));
}

/**
 * A cache entry is one file: a first line `//tila-ts <bytes of code>`, the code, then the source
 * map. The code alone is read for a module's load; the map only when a stack frame needs it. (The
 * map is two thirds of an inline-mapped module, which V8 would keep as part of the module's source
 * for as long as the process runs, and which the compiled-code cache would hash on every load.)
 */
const ENTRY_HEAD = /^\/\/tila-ts (\d+)$/;

/** Where the code lies in an entry whose first `length` bytes are in `buf`: [start, end), or undefined without a head line. */
function codeSpan(buf, length) {
  const nl = buf.subarray(0, length).indexOf(10);
  const m = nl > 0 ? ENTRY_HEAD.exec(buf.toString("latin1", 0, nl)) : null;
  return m ? [nl + 1, nl + 1 + Number(m[1])] : undefined;
}

/** The source map held in an entry's bytes; undefined when damaged. */
function entryMap(buf) {
  const span = codeSpan(buf, buf.length);
  return span && span[1] <= buf.length ? buf.toString("utf8", span[1]) : undefined;
}

/** One buffer for the first bytes of every entry read: most entries' code fits in it. */
const HEAD = Buffer.allocUnsafe(64 * 1024);

/**
 * The code of the entry at `file`, read without its map (two thirds of the file); undefined when
 * the entry is damaged. Throws when it cannot be read.
 */
function entryCode(file) {
  const fd = fs.openSync(file, "r");
  try {
    const got = fs.readSync(fd, HEAD, 0, HEAD.length, 0);
    const span = codeSpan(HEAD, got);
    if (span === undefined) return undefined;
    const [start, end] = span;
    if (end <= got) return HEAD.toString("utf8", start, end);
    const code = Buffer.allocUnsafe(end - start);
    HEAD.copy(code, 0, start, got);
    for (let at = got - start; at < code.length; ) {
      const n = fs.readSync(fd, code, at, code.length - at, start + at);
      if (n === 0) return undefined;
      at += n;
    }
    return code.toString("utf8");
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The transpiled code of `source`, from the cache or made now, and the cache entry that holds it,
 * or the map itself when the entry could not be written.
 */
function compiled(source, filename) {
  const key = crypto.createHash("sha256").update(`${FORMAT_VERSION}\0${version()}\0${filename}\0`).update(source).digest("hex");
  const file = path.join(CACHE_DIR, key.slice(0, 2), `${key}.js`);
  let code;
  try {
    code = entryCode(file);
  } catch {
    code = undefined;
  }
  if (code !== undefined) return { code, entry: file };
  // Missing, or damaged: made again and rewritten.
  const made = transpile(source, filename);
  try {
    // Whole or not at all: two processes may transpile the same module at once.
    writeWhole(file, `//tila-ts ${Buffer.byteLength(made.code)}\n${made.code}${made.map}`);
    pruneAtExit();
    return { code: made.code, entry: file };
  } catch {
    // A read-only node_modules only costs a transpile next time.
    return { code: made.code, map: made.map };
  }
}

// What `require` resolved, kept across processes (scripts/resolve-cache.cjs).
if (process.env.TILA_RESOLVE_CACHE !== "0") {
  require("./resolve-cache.cjs").installResolveCache(process.env.TILA_RESOLVE_CACHE_FILE || path.join(__dirname, "..", "node_modules", ".cache", "tila-resolve", "resolutions.json"), path.join(__dirname, ".."));
}
// Modules a process never uses, loaded on first use; which they are is kept by npm's install state.
require("./lazy-sdk-modules.cjs").installLazySdkModules(path.join(__dirname, ".."), path.join(__dirname, "..", "node_modules", ".cache", "tila-lazy", "modules.json"));
// V8's compiled code of the modules a process loads, kept across processes (scripts/code-cache.cjs).
if (process.env.TILA_CODE_CACHE !== "0") {
  require("./code-cache.cjs").installCodeCache(process.env.TILA_CODE_CACHE_DIR || path.join(__dirname, "..", "node_modules", ".cache", "tila-v8"));
}

/**
 * Where the source map of each `.ts` module loaded is: its cache entry's path (read again only to
 * map a frame), or the map itself when it has no entry. A test process loads about 900 modules; it
 * need not hold all their maps.
 */
const transpiled = new Map();
/** Each module's parsed source map, made on the first frame that needs it (null: none readable). */
const sourceMaps = new Map();

function sourceMapOf(file) {
  let map = sourceMaps.get(file);
  if (map === undefined) {
    map = null;
    try {
      const where = transpiled.get(file);
      const json = where.entry !== undefined ? entryMap(fs.readFileSync(where.entry)) : where.map;
      if (json) {
        const { SourceMap } = require("module");
        map = new SourceMap(JSON.parse(json));
      }
    } catch {
      map = null;
    }
    sourceMaps.set(file, map);
  }
  return map;
}

/** One stack frame as V8 writes it, at the TypeScript line and column when its module is ours. */
function frame(site) {
  const text = String(site);
  try {
    const file = site.getFileName();
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    if (!process.sourceMapsEnabled || !file || !transpiled.has(file) || !line || !column) return text;
    const entry = sourceMapOf(file)?.findEntry(line - 1, column - 1);
    if (!entry || typeof entry.originalLine !== "number") return text;
    return text.replace(`${file}:${line}:${column}`, `${file}:${entry.originalLine + 1}:${entry.originalColumn + 1}`);
  } catch {
    return text;
  }
}

if (!require.extensions[".ts"]) {
  require.extensions[".ts"] = (module, filename) => {
    const { code, entry, map } = compiled(fs.readFileSync(filename, "utf8"), filename);
    transpiled.set(filename, entry !== undefined ? { entry } : { map });
    module._compile(code, filename);
  };
  // Stack traces point at the TypeScript lines. The modules are compiled with V8's cached code
  // (scripts/code-cache.cjs), for which Node records no source map, so frames are mapped here,
  // with Node's format (`String(error)`, then one `at` line per frame), and only while source
  // maps are on (the engine turns them off while it captures: mapping every trace the SDK takes
  // was most of a run).
  process.setSourceMapsEnabled(true);
  Error.prepareStackTrace = (error, trace) => {
    let header;
    try {
      header = Error.prototype.toString.call(error);
    } catch {
      header = "Error";
    }
    return trace.length === 0 ? header : `${header}\n    at ${trace.map(frame).join("\n    at ")}`;
  };
}
