import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { DAY_MS, writeAged } from "../support/agedFile";
import { tempDirEach } from "../support/tempDir";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pruneCache, UNUSED_MS, EVERY_MS, MARKER } = require("../../scripts/cache-prune.cjs") as {
  pruneCache(dir: string, opts?: { now?: number; unusedMs?: number; everyMs?: number }): { removed: number; kept: number } | undefined;
  UNUSED_MS: number;
  EVERY_MS: number;
  MARKER: string;
};

const DAY = DAY_MS;

describe("the loader caches' pruning (scripts/cache-prune.cjs)", () => {
  const dir = tempDirEach("tila-prune-");
  const now = Date.UTC(2026, 11, 5, 12);

  /** Writes `rel` under the cache, last read `readDaysAgo` and written `writtenDaysAgo` before `now`. */
  const entry = (rel: string, readDaysAgo: number, writtenDaysAgo = readDaysAgo): string => writeAged(path.join(dir(), rel), readDaysAgo, writtenDaysAgo, now);
  const left = (): string[] =>
    fs
      .readdirSync(dir(), { recursive: true })
      .map(String)
      .filter((f) => f !== MARKER)
      .sort();

  it("removes the entries nobody read or wrote for two weeks, in shards or at the top, and the shards it empties", () => {
    entry("ab/old.bin", 15);
    entry("ab/read-lately.bin", 1, 40);
    entry("ab/written-lately.bin", 30, 2);
    entry("cd/old.js", 20);
    entry("top-old.bin", 15);
    entry("top-new.bin", 0);
    expect(pruneCache(dir(), { now })).to.deep.equal({ removed: 3, kept: 3 });
    expect(left()).to.deep.equal(["ab", "ab/read-lately.bin", "ab/written-lately.bin", "top-new.bin"]);
    expect(UNUSED_MS).to.equal(14 * DAY);
  });

  it("keeps an entry read just within the two weeks", () => {
    entry("ab/edge.bin", 13.9);
    expect(pruneCache(dir(), { now })).to.deep.equal({ removed: 0, kept: 1 });
  });

  it("removes a write-then-rename leftover after an hour, not one being written", () => {
    entry("ab/x.bin.123.tmp", 2 / 24);
    entry("ab/y.bin.456.tmp", 0.5 / 24);
    pruneCache(dir(), { now });
    expect(left()).to.deep.equal(["ab", "ab/y.bin.456.tmp"]);
  });

  it("prunes at most once a day: the marker says when it last did", () => {
    entry("ab/old.bin", 30);
    expect(pruneCache(dir(), { now })).to.deep.equal({ removed: 1, kept: 0 });
    entry("ab/older.bin", 30);
    expect(pruneCache(dir(), { now: now + EVERY_MS - 1000 }), "the same day").to.equal(undefined);
    expect(left()).to.deep.equal(["ab", "ab/older.bin"]);
    expect(pruneCache(dir(), { now: now + EVERY_MS + 1000 }), "a day later").to.deep.equal({ removed: 1, kept: 0 });
  });

  it("never throws: a missing cache, or one it cannot read, is left as it is", () => {
    expect(() => pruneCache(path.join(dir(), "missing"), { now })).to.not.throw();
    expect(fs.existsSync(path.join(dir(), "missing"))).to.equal(false);
  });
});
