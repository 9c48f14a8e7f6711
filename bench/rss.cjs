// Preloaded into every benchmark child (node -r): on exit, writes the process's peak resident set
// size in bytes to the file named by BENCH_RSS_FILE, so the parent measures memory without /usr/bin/time.
"use strict";
const fs = require("fs");
const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on("exit", () => {
    fs.writeFileSync(file, String(process.resourceUsage().maxRSS * 1024));
  });
}
