// Keeps the loader's disk caches (transpiled TypeScript in node_modules/.cache/tila-ts, V8's
// compiled code in tila-v8) from growing without bound: their entries are keyed by content, so
// every edit of a source leaves its old entries behind (a working copy reached half a gigabyte in
// a few weeks). At most once a day, a process that wrote a new entry removes the entries nobody
// has read for two weeks, and write-then-rename leftovers of a crashed process. "Read" is the
// file's access time, which Linux's default `relatime` refreshes once a day on a read; on a
// `noatime` mount an entry counts as used when written, so a busy entry is at worst compiled again
// once every two weeks. Loaded by scripts/register-ts.cjs and scripts/code-cache.cjs.
"use strict";
const fs = require("fs");
const path = require("path");

const DAY_MS = 24 * 60 * 60 * 1000;
/** An entry not read for this long is removed. */
const UNUSED_MS = 14 * DAY_MS;
/** A directory is pruned at most this often. */
const EVERY_MS = DAY_MS;
/** A `.tmp` file this old belongs to a process that died between its write and its rename. */
const STALE_TMP_MS = 60 * 60 * 1000;
/** The file whose modification time says when `dir` was last pruned. */
const MARKER = ".last-prune";

/**
 * Removes from `dir` (files, or files one directory down, as the caches shard them by the key's
 * first two characters) those last read or written more than `unusedMs` ago, if `dir` was not
 * pruned in the last `everyMs`. Returns how many files it removed and kept, or undefined when the
 * prune was not due. Never throws: a cache it cannot prune only stays larger.
 */
function pruneCache(dir, { now = Date.now(), unusedMs = UNUSED_MS, everyMs = EVERY_MS } = {}) {
  const marker = path.join(dir, MARKER);
  try {
    if (now - fs.statSync(marker).mtimeMs < everyMs) return undefined;
  } catch {
    // Never pruned (or no cache at all, which the readdir below finds).
  }
  const counts = { removed: 0, kept: 0 };
  try {
    // Claim the day first, so that processes exiting together do not all walk the cache.
    fs.writeFileSync(marker, "");
    fs.utimesSync(marker, new Date(now), new Date(now));
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === MARKER) continue;
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        for (const name of fs.readdirSync(p)) pruneFile(path.join(p, name), now, unusedMs, counts);
        // An emptied shard goes too; one another process has just written to stays.
        try {
          fs.rmdirSync(p);
        } catch {
          // Not empty.
        }
      } else {
        pruneFile(p, now, unusedMs, counts);
      }
    }
  } catch {
    // Unreadable or read-only: nothing to do.
  }
  return counts;
}

function pruneFile(file, now, unusedMs, counts) {
  try {
    const st = fs.statSync(file);
    const lastUse = Math.max(st.atimeMs, st.mtimeMs);
    const limit = file.endsWith(".tmp") ? STALE_TMP_MS : unusedMs;
    if (!st.isFile() || now - lastUse <= limit) {
      counts.kept++;
      return;
    }
    fs.unlinkSync(file);
    counts.removed++;
  } catch {
    // Gone already (another process pruned it), or not ours to remove.
  }
}

module.exports = { pruneCache, UNUSED_MS, EVERY_MS, MARKER };
