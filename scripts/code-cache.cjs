// Keeps V8's compiled code of every CommonJS module a process loads (the dependencies' `.js` and
// the project's transpiled TypeScript) on disk, so the next process skips parsing and compiling
// them: a plan loads about 1,000 modules, and compiling them was a fifth of a hot-fix re-plan.
// The cache of a module is written when the process exits, after the run, so it holds the
// functions the run compiled lazily as well, not only the module's top level. Each entry is keyed
// by the sha1 of the module's path and source, the Node version, the architecture and V8's flags;
// V8 rejects an entry that does not fit anyway (then the module compiles as usual and its entry is
// rewritten). Entries nobody has read for two weeks are pruned (scripts/cache-prune.cjs). Loaded by
// scripts/register-ts.cjs; TILA_CODE_CACHE=0 turns it off.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");
const vm = require("vm");
const { writeWhole } = require("./write-whole.cjs");

/** V8 flags this process set after it started (setV8Flags): part of the key, like those on its command line. */
const runtimeFlags = [];

/**
 * Sets V8 flags from inside the process and records them for the cache's key: V8 rejects cached
 * code made under other flags, so processes that set different ones keep apart entries instead of
 * rejecting and rewriting each other's.
 */
function setV8Flags(flags) {
  for (const flag of flags) {
    require("v8").setFlagsFromString(flag);
    if (!runtimeFlags.includes(flag)) runtimeFlags.push(flag);
  }
}

/** What a cached entry must have been made by, besides the module's own path and source. */
function runtimeKey() {
  const flags = [...process.execArgv.filter((a) => a.startsWith("--") && !a.startsWith("--require")), ...runtimeFlags];
  return [process.version, process.arch, flags.join(" ")].join("\0");
}

/** Where the entry of a module with this path and source lives in `dir`. */
function cacheEntryFile(dir, filename, content, runtime = runtimeKey()) {
  const key = crypto.createHash("sha1").update(runtime).update("\0").update(filename).update("\0").update(content).digest("hex");
  return path.join(dir, key.slice(0, 2), `${key}.bin`);
}

/**
 * Replaces Module.prototype._compile with one that compiles through a vm.Script with the cached
 * data of `dir`, and writes the cache of what the process compiled at exit. Returns the undo.
 */
function installCodeCache(dir) {
  const runtime = runtimeKey();
  const original = Module.prototype._compile;
  /** Scripts whose entry was missing or rejected: their cache is written at exit. */
  const fresh = new Map();
  let exitHooked = false;

  const entryFile = (filename, content) => cacheEntryFile(dir, filename, content, runtime);

  const writeAll = () => {
    let wrote = false;
    for (const [file, { script, rejected }] of fresh) {
      try {
        // Another process may have written a missing entry meanwhile (test runs start many at
        // once): keep its entry rather than compute and write the same one again.
        if (!rejected && fs.existsSync(file)) continue;
        writeWhole(file, script.createCachedData());
        wrote = true;
      } catch {
        // A read-only node_modules only costs a compile next time.
      }
    }
    fresh.clear();
    // Old entries go at most once a day, by a process that added one (scripts/cache-prune.cjs).
    if (wrote) require("./cache-prune.cjs").pruneCache(dir);
  };

  Module.prototype._compile = function compileWithCache(content, filename, format) {
    // A module Node already knows to be something else than CommonJS (an ES module required from
    // CommonJS) is Node's. One it knows to be CommonJS (a `.cjs` file, or a package that says
    // `"type": "commonjs"`: yaml's 72 modules and zod's, about 110 per plan) is cached like any other.
    if (format !== undefined && format !== "commonjs") return original.call(this, content, filename, format);
    // The project's TypeScript too: Node records no source map for a module compiled here, so
    // scripts/register-ts.cjs maps the stack frames of its transpiled modules itself.
    // Shebang lines and anything unusual go through Node's own path, and so does a module with a
    // dynamic import(): in Node 20, a function of a module compiled from cached data, in a package
    // without a "type" (this repository, most dependencies), has lost the import callback, and its
    // import() throws "A dynamic import callback was not specified".
    const eligible = filename.endsWith(".js") || filename.endsWith(".cjs") || filename.endsWith(".ts");
    if (typeof content !== "string" || !eligible || content.startsWith("#!") || content.includes("import(")) return original.call(this, content, filename);
    const file = entryFile(filename, content);
    let cachedData;
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    let script;
    try {
      script = new vm.Script(Module.wrap(content), {
        filename,
        cachedData,
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
    } catch {
      // Not CommonJS (ES module syntax, say): Node's path detects it, or throws its own error.
      return original.call(this, content, filename);
    }
    if (cachedData === undefined || script.cachedDataRejected) {
      fresh.set(file, { script, rejected: cachedData !== undefined });
      if (!exitHooked) {
        exitHooked = true;
        process.once("exit", writeAll);
      }
    }
    const fn = script.runInThisContext({ displayErrors: true });
    const mod = this;
    const require = (id) => mod.require(id);
    require.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
    require.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
    require.main = process.mainModule;
    require.extensions = Module._extensions;
    require.cache = Module._cache;
    return fn.call(mod.exports, mod.exports, require, mod, filename, path.dirname(filename));
  };
  return () => {
    Module.prototype._compile = original;
  };
}

module.exports = { installCodeCache, runtimeKey, cacheEntryFile, setV8Flags };
