// Writes a cache file whole or not at all, for the loader's caches (transpiled modules, compiled
// code, resolutions, lazy modules) and the engine's (source digests, the pack's validators, through
// offline/writeWhole.ts): into `<file>.<pid>.tmp` beside it, then renamed over it, so a
// process reading at the same time sees the old file or the new one, never half of one. A `.tmp`
// left by a process that died between the two is removed by scripts/cache-prune.cjs.
"use strict";
const fs = require("fs");
const path = require("path");

/** Writes `data` to `file` (its folder made as needed); on failure removes the temporary file and throws. */
function writeWhole(file, data) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

module.exports = { writeWhole };
