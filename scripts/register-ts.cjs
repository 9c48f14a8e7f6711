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
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

// TILA_TS_CACHE_DIR moves the cache (the loader's own tests use a temporary one).
const CACHE_DIR = process.env.TILA_TS_CACHE_DIR || path.join(__dirname, "..", "node_modules", ".cache", "tila-ts");
// Part of every cache key: bump it whenever the transform options below change.
const FORMAT_VERSION = "1";
let esbuild;
let esbuildVersion;

function version() {
  esbuildVersion ??= require("esbuild/package.json").version;
  return esbuildVersion;
}

function transpile(source, filename) {
  esbuild ??= require("esbuild");
  return esbuild.transformSync(source, {
    loader: "ts",
    format: "cjs",
    target: "node20",
    sourcefile: filename,
    sourcemap: "inline",
    tsconfigRaw: { compilerOptions: { esModuleInterop: true } },
  }).code;
}

let pruneHooked = false;

/** Prunes the cache when this process exits, at most once a day (scripts/cache-prune.cjs): only a process that added an entry. */
function pruneAtExit() {
  if (pruneHooked) return;
  pruneHooked = true;
  process.once("exit", () => require("./cache-prune.cjs").pruneCache(CACHE_DIR));
}

/**
 * The transpiled code of `source`, from the cache or made now, and the cache entry that holds it
 * (undefined when it could not be written).
 */
function compiled(source, filename) {
  const key = crypto.createHash("sha256").update(`${FORMAT_VERSION}\0${version()}\0${filename}\0`).update(source).digest("hex");
  const file = path.join(CACHE_DIR, key.slice(0, 2), `${key}.js`);
  try {
    return { code: fs.readFileSync(file, "utf8"), entry: file };
  } catch {
    const code = transpile(source, filename);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      // Write then rename, so a reader never sees half a file when two processes transpile at once.
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, code);
      fs.renameSync(tmp, file);
      pruneAtExit();
      return { code, entry: file };
    } catch {
      // A read-only node_modules only costs a transpile next time.
      return { code, entry: undefined };
    }
  }
}

require("./lazy-sdk-modules.cjs").installLazySdkModules(path.join(__dirname, ".."));
// V8's compiled code of the modules a process loads, kept across processes (scripts/code-cache.cjs).
if (process.env.TILA_CODE_CACHE !== "0") {
  require("./code-cache.cjs").installCodeCache(process.env.TILA_CODE_CACHE_DIR || path.join(__dirname, "..", "node_modules", ".cache", "tila-v8"));
}

/**
 * Where the transpiled code of each `.ts` module loaded is, whose inline source map maps its stack
 * frames: the cache entry's path (read again only to map a frame), or the code itself when it has
 * no entry. A test process loads about 900 modules; it need not hold all their code.
 */
const transpiled = new Map();
/** Each module's parsed source map, made on the first frame that needs it (null: none readable). */
const sourceMaps = new Map();
const MAP_COMMENT = "//# sourceMappingURL=data:application/json;base64,";

function sourceMapOf(file) {
  let map = sourceMaps.get(file);
  if (map === undefined) {
    map = null;
    try {
      const where = transpiled.get(file);
      const code = where.entry !== undefined ? fs.readFileSync(where.entry, "utf8") : where.code;
      const at = code.lastIndexOf(MAP_COMMENT);
      if (at >= 0) {
        const { SourceMap } = require("module");
        map = new SourceMap(JSON.parse(Buffer.from(code.slice(at + MAP_COMMENT.length).trim(), "base64").toString("utf8")));
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
    const { code, entry } = compiled(fs.readFileSync(filename, "utf8"), filename);
    transpiled.set(filename, entry !== undefined ? { entry } : { code });
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
