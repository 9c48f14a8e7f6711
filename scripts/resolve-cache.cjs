// Keeps what `require` resolved across processes, so the next process skips Node's file-system
// search (the stat of every candidate extension and folder, each package.json on the way): about
// 60 ms of a hot-fix re-plan, which resolves some 2,000 requests. Only requests made from modules
// of this repository (its node_modules included) are kept, each with what would make it wrong:
// - a request relative to one of the project's own modules holds the modification time of the
//   folder it names a file in and of the folder of the file it found; a file added, removed or
//   renamed there (an editor's save by rename too) changes that time, and the request is resolved
//   again;
// - anything resolved in or from node_modules holds for as long as npm's record of the install,
//   node_modules/.package-lock.json, has the state it had (scripts/file-state.cjs): npm rewrites
//   it on every install and removal. (A file added to a package by hand is not seen;
//   TILA_RESOLVE_CACHE=0 turns the cache off, and deleting node_modules/.cache/tila-resolve
//   starts afresh.)
// Node's flags that change resolution (`--conditions`, `--preserve-symlinks`) are part of the
// record too: a process with others starts afresh.
// Written when a process that resolved something new exits. Loaded by scripts/register-ts.cjs.
"use strict";
const fs = require("fs");
const Module = require("module");
const path = require("path");
const { fileState } = require("./file-state.cjs");
const { writeWhole } = require("./write-whole.cjs");

/** Bumped when the file's layout or an entry's shape changes. */
const FORMAT = 2;
/** Between the fields of the file (key, entry, key, entry, ...) and within an entry. */
const FIELD = "\x01";
const PART = "\x02";

/**
 * The file: a JSON line saying what the answers hold for (format, root, install, flags), then every
 * `key FIELD entry` joined by FIELD, an entry being its parts joined by PART. Splitting that text
 * takes a quarter of what JSON.parse took over the same 4,000 answers (about 20 ms of every
 * process); an entry is split into its parts only when a lookup finds it.
 */
function readResolutions(file) {
  const text = fs.readFileSync(file, "utf8");
  const nl = text.indexOf("\n");
  const header = JSON.parse(nl < 0 ? text : text.slice(0, nl));
  const entries = new Map();
  if (nl >= 0 && nl + 1 < text.length) {
    const fields = text.slice(nl + 1).split(FIELD);
    for (let i = 0; i + 1 < fields.length; i += 2) entries.set(fields[i], fields[i + 1]);
  }
  return { header, entries };
}

/** Writes `entries` (key -> encoded entry) under `header`, whole or not at all (write then rename). */
function writeResolutions(file, header, entries) {
  const fields = [];
  for (const [key, entry] of entries) fields.push(key, entry);
  writeWhole(file, `${JSON.stringify(header)}\n${fields.join(FIELD)}`);
}

/** An entry's parts ([resolved] or [resolved, folder, mtime, ...]) as kept, and back. */
const encode = (parts) => parts.join(PART);
const decode = (entry) => entry.split(PART);
/** Past this many entries the file keeps only what the writing process used, dropping what moved long ago. */
const MAX_ENTRIES = 50000;


/** Node's flags that change what a request resolves to (export conditions, symbolic links). */
function resolutionFlags() {
  const options = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)];
  return options.filter((o) => /^(--conditions|-C|--preserve-symlinks)/.test(o)).join(" ");
}

function isRelative(request) {
  return request === "." || request === ".." || request.startsWith("./") || request.startsWith("../") || path.isAbsolute(request);
}

/**
 * Wraps Module._resolveFilename with the cache kept in `file` for the modules under `root`
 * (`maxEntries`: see MAX_ENTRIES). Returns the undo (which does not write the cache).
 */
function installResolveCache(file, root, { maxEntries = MAX_ENTRIES } = {}) {
  const rootDir = path.resolve(root) + path.sep;
  const nodeModules = path.join(rootDir, "node_modules") + path.sep;
  const install = fileState(path.join(nodeModules, ".package-lock.json"));
  const flags = resolutionFlags();
  /** `${parent folder}\0${request}` -> the encoded [resolved] (node_modules) or [resolved, folder, mtime, ...] (project). */
  let entries = new Map();
  try {
    const { header, entries: kept } = readResolutions(file);
    // Another install: every entry that leans on node_modules may be wrong, and most do.
    if (header.format === FORMAT && header.install === install && header.root === rootDir && header.flags === flags) entries = kept;
  } catch {
    // None yet, or unreadable: resolved afresh and rewritten.
  }
  // Not remembered within the process: a test may add a file to a folder while it runs.
  const mtimeOf = (dir) => {
    try {
      return fs.statSync(dir).mtimeMs;
    } catch {
      return -1;
    }
  };
  const holds = (parts) => {
    for (let i = 1; i < parts.length; i += 2) if (mtimeOf(parts[i]) !== Number(parts[i + 1])) return false;
    return true;
  };

  let added = 0;
  /** The keys this process answered from the file or added. */
  const used = new Set();
  const write = () => {
    try {
      if (entries.size > maxEntries) entries = new Map([...used].map((key) => [key, entries.get(key)]));
      // Written whole or not at all: a process starting meanwhile reads the old file or the new one.
      writeResolutions(file, { format: FORMAT, root: rootDir, install, flags }, entries);
    } catch {
      // A read-only node_modules only costs the search next time.
    }
  };

  const original = Module._resolveFilename;
  Module._resolveFilename = function resolveWithCache(request, parent, isMain, options) {
    const from = parent?.path;
    if (options !== undefined || isMain || typeof request !== "string" || typeof from !== "string" || !(from + path.sep).startsWith(rootDir) || Module.isBuiltin(request)) {
      return original.call(this, request, parent, isMain, options);
    }
    const key = `${from}\0${request}`;
    const hit = entries.get(key);
    const parts = hit !== undefined ? decode(hit) : undefined;
    if (parts !== undefined && holds(parts)) {
      used.add(key);
      return parts[0];
    }
    const resolved = original.call(this, request, parent, isMain, options);
    if (typeof resolved !== "string" || !path.isAbsolute(resolved)) return resolved;
    let entry;
    if (isRelative(request) && !(from + path.sep).startsWith(nodeModules) && !resolved.startsWith(nodeModules)) {
      const named = path.dirname(path.resolve(from, request));
      const found = path.dirname(resolved);
      entry = named === found ? [resolved, named, mtimeOf(named)] : [resolved, named, mtimeOf(named), found, mtimeOf(found)];
    } else if (install !== undefined) {
      entry = [resolved];
    }
    // A path holding the file's separators is resolved every time rather than kept.
    if (entry !== undefined && !`${key}${entry.join("")}`.includes(FIELD) && !`${key}${entry.join("")}`.includes(PART)) {
      entries.set(key, encode(entry));
      used.add(key);
      if (added++ === 0) process.once("exit", write);
    }
    return resolved;
  };
  return () => {
    Module._resolveFilename = original;
    entries = new Map();
  };
}

module.exports = { installResolveCache, readResolutions, writeResolutions };
