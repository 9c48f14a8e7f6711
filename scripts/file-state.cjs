// A file's state as the tooling's caches compare it (scripts/typecheck.ts's stamp, the resolution
// cache's record of npm's install): size, modification time and change time. An edit changes the
// change time even when it keeps the size and puts the modification time back.
"use strict";
const fs = require("fs");

/** `size:mtimeMs:ctimeMs` of `file`, or undefined when it cannot be read. */
function fileState(file) {
  try {
    const st = fs.statSync(file);
    return `${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  } catch {
    return undefined;
  }
}

module.exports = { fileState };
