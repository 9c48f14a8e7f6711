/**
 * The engine's caches (source digests, the pack's validators) write their files whole or not at
 * all through the loader's own helper, scripts/write-whole.cjs: one write-then-rename for every
 * cache of the project. Typed here once.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { writeWhole } = require("../scripts/write-whole.cjs") as {
  /** Writes `data` to `file` (its folder made as needed) through a temporary file and a rename; throws on failure, leaving nothing behind. */
  writeWhole(file: string, data: string | Buffer): void;
};
