import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { writeAged } from "../support/agedFile";

const CODE_CACHE = path.resolve(__dirname, "../../scripts/code-cache.cjs");

/**
 * scripts/code-cache.cjs, run in fresh Node processes over small module trees: what a module does
 * must not change with the cache on, only where its compiled code comes from.
 */
describe("the compiled-code cache (scripts/code-cache.cjs)", () => {
  let dir: string;
  let cache: string;

  /** Runs `main.js` of the tree with the cache installed first (or not), answering its stdout, stderr and status. */
  const run = (opts: { cache?: boolean } = {}) => {
    const preload = path.join(dir, "preload.js");
    fs.writeFileSync(preload, `require(${JSON.stringify(CODE_CACHE)}).installCodeCache(${JSON.stringify(cache)});\n`);
    const args = opts.cache === false ? [path.join(dir, "main.js")] : ["-r", preload, path.join(dir, "main.js")];
    return spawnSync(process.execPath, args, { encoding: "utf8", cwd: dir });
  };
  /** Cache entries and their modification times. */
  const entries = (): Map<string, number> =>
    new Map(
      fs.existsSync(cache)
        ? fs
            .readdirSync(cache, { recursive: true })
            .map(String)
            .filter((f) => f.endsWith(".bin"))
            .map((f) => [f, fs.statSync(path.join(cache, f)).mtimeMs])
        : [],
    );
  const write = (files: Record<string, string>) => {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tila-code-cache-"));
    cache = path.join(dir, "v8");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("loads modules exactly as Node does (exports, this, require and its helpers, __filename), then from the cache", () => {
    write({
      "lib/index.js": "exports.seen = { self: this === module.exports, file: __filename, dir: __dirname };\nexports.later = () => 'lazy ' + [1, 2].map((x) => x * 2).join();\n",
      "lib/other.js": "module.exports = function other() { return require.resolve('./index'); };\n",
      "main.js": [
        "const lib = require('./lib');",
        "const other = require('./lib/other');",
        "console.log(JSON.stringify({ seen: lib.seen, later: lib.later(), resolved: other(), cached: Object.keys(require.cache).filter((f) => f.includes('lib')).length, main: require.main === module, paths: Array.isArray(require.resolve.paths('x')), ext: typeof require.extensions['.js'] }));",
      ].join("\n"),
    });
    const plain = run({ cache: false });
    expect(plain.stderr).to.equal("");
    const first = run();
    expect(first.stderr).to.equal("");
    expect(first.stdout).to.equal(plain.stdout);
    const written = entries();
    // main.js, lib/index.js and lib/other.js (the preload installs the cache: Node compiled it).
    expect(written.size).to.equal(3);
    const second = run();
    expect(second.stdout).to.equal(plain.stdout);
    // Every entry was accepted: nothing rewritten.
    expect(entries()).to.deep.equal(written);
    expect(JSON.parse(plain.stdout)).to.deep.include({ later: "lazy 2,4", resolved: path.join(dir, "lib", "index.js"), cached: 2, main: true, paths: true, ext: "function" });
  });

  it("never serves a changed module's old code: its text is part of the key", () => {
    write({ "main.js": "console.log('one');\n" });
    expect(run().stdout).to.equal("one\n");
    const before = entries().size;
    write({ "main.js": "console.log('two');\n" });
    expect(run().stdout).to.equal("two\n");
    expect(entries().size).to.equal(before + 1);
  });

  it("compiles afresh and rewrites an entry V8 rejects (a damaged file)", () => {
    write({ "main.js": "console.log(6 * 7);\n" });
    run();
    const [name] = [...entries().keys()].filter((f) => fs.readFileSync(path.join(cache, f)).length > 0);
    for (const f of entries().keys()) fs.writeFileSync(path.join(cache, f), "not V8's data");
    const r = run();
    expect(r.stdout).to.equal("42\n");
    expect(fs.readFileSync(path.join(cache, name), "utf8")).to.not.equal("not V8's data");
  });

  it("keeps an entry another process wrote while this one ran, instead of writing it again", () => {
    const source = [
      "const fs = require('fs'), path = require('path');",
      `const { cacheEntryFile } = require(${JSON.stringify(CODE_CACHE)});`,
      "const file = cacheEntryFile(process.argv[2], __filename, fs.readFileSync(__filename, 'utf8'));",
      "fs.mkdirSync(path.dirname(file), { recursive: true });",
      "fs.writeFileSync(file, 'written by another process');",
      "console.log('ran');",
    ].join("\n");
    write({ "main.js": source });
    const preload = path.join(dir, "preload.js");
    fs.writeFileSync(preload, `require(${JSON.stringify(CODE_CACHE)}).installCodeCache(${JSON.stringify(cache)});\n`);
    const r = spawnSync(process.execPath, ["-r", preload, path.join(dir, "main.js"), cache], { encoding: "utf8", cwd: dir });
    expect(r.stdout).to.equal("ran\n");
    const texts = [...entries().keys()].map((f) => fs.readFileSync(path.join(cache, f), "utf8"));
    expect(texts).to.include("written by another process");
  });

  it("keys entries by the V8 flags a process set itself (setV8Flags), so processes with other flags never reject each other's", () => {
    write({ "main.js": "console.log(require('v8').getHeapStatistics().total_heap_size > 0);\n" });
    const flagged = path.join(dir, "flagged.js");
    fs.writeFileSync(flagged, `const c = require(${JSON.stringify(CODE_CACHE)});\nc.setV8Flags(["--lazy-new-space-shrinking"]);\nc.installCodeCache(${JSON.stringify(cache)});\n`);
    const withFlags = () => spawnSync(process.execPath, ["-r", flagged, path.join(dir, "main.js")], { encoding: "utf8", cwd: dir });
    expect(withFlags().stdout).to.equal("true\n");
    expect(run().stdout).to.equal("true\n");
    const made = entries();
    expect(made.size, "one entry per set of flags").to.equal(2);
    // Each process finds its own entry and accepts it: neither is rewritten.
    expect(withFlags().stdout).to.equal("true\n");
    expect(run().stdout).to.equal("true\n");
    expect(entries()).to.deep.equal(made);
  });

  it("prunes the entries nobody read for two weeks when it adds one, at most once a day (scripts/cache-prune.cjs)", () => {
    const old = writeAged(path.join(cache, "zz", "old.bin"), 30);
    write({ "main.js": "console.log('first');\n" });
    expect(run().stdout).to.equal("first\n");
    expect(fs.existsSync(old)).to.equal(false);
    expect(entries().size).to.equal(1);
    writeAged(old, 30);
    write({ "main.js": "console.log('second');\n" });
    expect(run().stdout).to.equal("second\n");
    expect(fs.existsSync(old), "pruned today already").to.equal(true);
  });

  it("leaves ES modules, shebang scripts and dynamic import() working as Node has them", () => {
    write({
      "package.json": '{ "type": "commonjs" }',
      "esm/package.json": '{ "type": "module" }',
      "esm/m.js": "export const n = 5;\n",
      "tool.js": "#!/usr/bin/env node\nmodule.exports = 'tool';\n",
      // A package without a "type" (as this repository and most dependencies are).
      "untyped/package.json": "{}",
      "untyped/lib.js": "exports.later = () => async () => (await import('../esm/m.js')).n;\n",
      "main.js": "const tool = require('./tool');\nconst { later } = require('./untyped/lib');\nimport('./esm/m.js').then((m) => console.log(tool, m.n)).then(later()).then((n) => console.log('later', n));\n",
    });
    const plain = run({ cache: false });
    expect(plain.stdout).to.equal("tool 5\nlater 5\n");
    // Cold, then from the cache: an import() in a function of a required module whose package has
    // no "type" still has its callback (from cached data it had none: such modules keep Node's path).
    expect(run().stdout).to.equal(plain.stdout);
    expect(run().stdout).to.equal(plain.stdout);
  });

  it("caches what Node knows to be CommonJS (a .cjs file, a package with \"type\": \"commonjs\", as yaml and zod are), and works the same", () => {
    write({
      "typed/package.json": '{ "type": "commonjs" }',
      "typed/lib.js": "exports.self = this === module.exports;\nexports.twice = (n) => [n, n].map((x) => x * 2);\n",
      "typed/dyn.js": "exports.later = async () => (await import('../esm/m.mjs')).n;\n",
      "esm/m.mjs": "export const n = 7;\n",
      "helper.cjs": "module.exports = { file: __filename.endsWith('helper.cjs'), req: typeof require.resolve };\n",
      "main.js": "const lib = require('./typed/lib');\nconst helper = require('./helper.cjs');\nrequire('./typed/dyn').later().then((n) => console.log(JSON.stringify({ self: lib.self, twice: lib.twice(3), helper, n })));\n",
    });
    const plain = run({ cache: false });
    expect(plain.stderr).to.equal("");
    expect(JSON.parse(plain.stdout)).to.deep.equal({ self: true, twice: [6, 6], helper: { file: true, req: "function" }, n: 7 });
    expect(run().stdout).to.equal(plain.stdout);
    // main.js, typed/lib.js and helper.cjs have entries; typed/dyn.js holds an import( and keeps Node's path.
    expect(entries().size).to.equal(3);
    expect(run().stdout).to.equal(plain.stdout);
  });

  it("reports a module's syntax error as Node does", () => {
    write({ "main.js": "const x = ;\n" });
    const plain = run({ cache: false });
    const cached = run();
    expect(cached.status).to.equal(plain.status).and.to.not.equal(0);
    expect(cached.stderr).to.contain("SyntaxError: Unexpected token ';'");
  });

  it("is off under TILA_CODE_CACHE=0 in the project's loader", () => {
    write({ "main.js": "console.log('x');\n" });
    const loader = path.resolve(__dirname, "../../scripts/register-ts.cjs");
    const r = spawnSync(process.execPath, ["-r", loader, path.join(dir, "main.js")], { encoding: "utf8", env: { ...process.env, TILA_CODE_CACHE: "0", TILA_CODE_CACHE_DIR: cache } });
    expect(r.stdout).to.equal("x\n");
    expect(entries().size).to.equal(0);
    const on = spawnSync(process.execPath, ["-r", loader, path.join(dir, "main.js")], { encoding: "utf8", env: { ...process.env, TILA_CODE_CACHE: "1", TILA_CODE_CACHE_DIR: cache } });
    expect(on.stdout).to.equal("x\n");
    expect(entries().size).to.be.greaterThan(0);
  });
});
