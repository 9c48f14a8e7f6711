import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const RESOLVE_CACHE = path.resolve(__dirname, "../../scripts/resolve-cache.cjs");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readResolutions, writeResolutions } = require(RESOLVE_CACHE) as {
  readResolutions(file: string): { header: unknown; entries: Map<string, string> };
  writeResolutions(file: string, header: unknown, entries: Map<string, string>): void;
};
const LOADER = path.resolve(__dirname, "../../scripts/register-ts.cjs");

/**
 * scripts/resolve-cache.cjs, run in fresh Node processes over a small repository of its own: a
 * request resolves to what Node's own search finds, whatever was cached before.
 */
describe("the resolution cache (scripts/resolve-cache.cjs)", () => {
  let root: string;
  let outside: string;
  const cacheFile = () => path.join(root, "node_modules", ".cache", "resolutions.json");

  const write = (files: Record<string, string>) => {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      fs.writeFileSync(path.join(root, name), text);
    }
  };

  /**
   * Runs main.js (with the cache, unless `cache` is false): its stdout as JSON, and how many
   * requests from the repository's modules went to Node's own search.
   */
  const run = (cache = true): { out: unknown; searched: number; stderr: string; status: number | null } => {
    const preload = path.join(root, "..", "preload.js");
    fs.writeFileSync(
      preload,
      [
        "const Module = require('module');",
        "const search = Module._resolveFilename;",
        "let searched = 0;",
        `Module._resolveFilename = function (request, parent, ...rest) { if (parent && String(parent.path).startsWith(${JSON.stringify(root)}) && !Module.isBuiltin(request)) searched++; return search.call(this, request, parent, ...rest); };`,
        "process.on('exit', () => process.stderr.write(`searched ${searched}\\n`));",
        cache ? `require(${JSON.stringify(RESOLVE_CACHE)}).installResolveCache(${JSON.stringify(cacheFile())}, ${JSON.stringify(root)});` : "",
      ].join("\n"),
    );
    const r = spawnSync(process.execPath, ["-r", preload, path.join(root, "main.js")], { encoding: "utf8", cwd: root });
    const searched = Number(/searched (\d+)/.exec(r.stderr)?.[1] ?? -1);
    let out: unknown;
    try {
      out = JSON.parse(r.stdout);
    } catch {
      out = r.stdout;
    }
    return { out, searched, stderr: r.stderr, status: r.status };
  };

  beforeEach(() => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), "tila-resolve-"));
    root = path.join(base, "repo");
    outside = path.join(base, "elsewhere");
    write({
      "lib/index.js": "module.exports = 'lib/index';\n",
      "lib/part.js": "module.exports = require('./sibling') + '+part';\n",
      "lib/sibling.js": "module.exports = 'sibling';\n",
      "node_modules/pkg/package.json": JSON.stringify({ name: "pkg", main: "main.js" }),
      "node_modules/pkg/main.js": "module.exports = 'pkg/main ' + require('./util');\n",
      "node_modules/pkg/util.js": "module.exports = 'util';\n",
      "node_modules/pkg/other.js": "module.exports = 'pkg/other';\n",
      "node_modules/.package-lock.json": JSON.stringify({ name: "repo", lockfileVersion: 3 }),
      "main.js": [
        "const out = { lib: require('./lib'), part: require('./lib/part'), pkg: require('pkg'), resolved: require.resolve('./lib') };",
        "try { out.extra = require('./lib/extra'); } catch (e) { out.extra = e.code; }",
        `try { out.outside = require(${JSON.stringify(path.join(outside, "mod.js"))}); } catch (e) { out.outside = e.code; }`,
        "console.log(JSON.stringify(out));",
      ].join("\n"),
    });
    fs.mkdirSync(outside, { recursive: true });
    fs.writeFileSync(path.join(outside, "mod.js"), "module.exports = require('./dep');\n");
    fs.writeFileSync(path.join(outside, "dep.js"), "module.exports = 'outside';\n");
  });
  afterEach(() => fs.rmSync(path.dirname(root), { recursive: true, force: true }));

  it("answers what Node's search answers, and the next process without searching", () => {
    const plain = run(false);
    expect(plain.status, plain.stderr).to.equal(0);
    expect(plain.out).to.deep.equal({ lib: "lib/index", part: "sibling+part", pkg: "pkg/main util", resolved: path.join(root, "lib", "index.js"), extra: "MODULE_NOT_FOUND", outside: "outside" });
    const first = run();
    expect(first.out).to.deep.equal(plain.out);
    // require.resolve('./lib') after require('./lib') is answered from what this process kept.
    expect(first.searched).to.equal(plain.searched - 1);
    const second = run();
    expect(second.out).to.deep.equal(plain.out);
    // Only the request that failed is searched again (a failure is never kept).
    expect(second.searched).to.equal(1);
  });

  it("keeps only what the writing process used once the file holds too many answers", () => {
    run();
    const doc = readResolutions(cacheFile());
    const real = [...doc.entries.keys()].sort();
    for (let i = 0; i < 20; i++) doc.entries.set(`${path.join(root, "gone", String(i))}\0./x`, path.join(root, "gone", String(i), "x.js"));
    writeResolutions(cacheFile(), doc.header, doc.entries);
    // A process that adds an answer (a new module beside main.js) writes the file again, bounded.
    write({ "extra.js": "module.exports = 1;\n", "main.js": fs.readFileSync(path.join(root, "main.js"), "utf8") + "\nrequire('./extra');\n" });
    const preload = path.join(root, "..", "preload-bounded.js");
    fs.writeFileSync(preload, `require(${JSON.stringify(RESOLVE_CACHE)}).installResolveCache(${JSON.stringify(cacheFile())}, ${JSON.stringify(root)}, { maxEntries: 10 });`);
    const r = spawnSync(process.execPath, ["-r", preload, path.join(root, "main.js")], { encoding: "utf8", cwd: root });
    expect(r.status, r.stderr).to.equal(0);
    const after = [...readResolutions(cacheFile()).entries.keys()].sort();
    expect(after.filter((k) => k.includes(`${path.sep}gone${path.sep}`))).to.deep.equal([]);
    expect(after).to.include.members(real);
    expect(after.some((k) => k.endsWith("\0./extra"))).to.equal(true);
  });

  it("keeps nothing for modules outside the repository", () => {
    run();
    const { entries } = readResolutions(cacheFile());
    expect(entries.size).to.be.greaterThan(3);
    expect([...entries.keys()].filter((k) => k.startsWith(outside))).to.deep.equal([]);
  });

  it("finds a file added where a request looks first (lib.js before lib/index.js), and one added beside a module", () => {
    run();
    write({ "lib.js": "module.exports = 'lib.js';\n", "lib/extra.js": "module.exports = 'extra';\n" });
    const r = run();
    expect(r.out).to.deep.include({ lib: "lib.js", resolved: path.join(root, "lib.js"), extra: "extra" });
  });

  it("fails as Node does for a module removed since, and finds one renamed", () => {
    run();
    fs.renameSync(path.join(root, "lib", "sibling.js"), path.join(root, "lib", "sibling.cjs"));
    write({ "lib/sibling.js": "module.exports = 'new sibling';\n" });
    expect(run().out).to.deep.include({ part: "new sibling+part" });
    fs.rmSync(path.join(root, "lib", "index.js"));
    const r = run();
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.contain("Cannot find module './lib'");
  });

  it("resolves node_modules afresh after a new install (npm's record of it changed)", () => {
    run();
    write({ "node_modules/pkg/package.json": JSON.stringify({ name: "pkg", main: "other.js" }), "node_modules/.package-lock.json": JSON.stringify({ name: "repo", lockfileVersion: 3, packages: {} }) });
    expect(run().out).to.deep.include({ pkg: "pkg/other" });
  });

  it("resolves afresh under other export conditions", () => {
    write({
      "node_modules/cond/package.json": JSON.stringify({ name: "cond", exports: { custom: "./custom.js", default: "./default.js" } }),
      "node_modules/cond/custom.js": "module.exports = 'custom';\n",
      "node_modules/cond/default.js": "module.exports = 'default';\n",
      "main.js": "console.log(JSON.stringify({ cond: require('cond') }));\n",
    });
    expect(run().out).to.deep.equal({ cond: "default" });
    const preload = path.join(root, "..", "preload.js");
    const r = spawnSync(process.execPath, ["--conditions=custom", "-r", preload, path.join(root, "main.js")], { encoding: "utf8", cwd: root });
    expect(r.stdout.trim()).to.equal(JSON.stringify({ cond: "custom" }));
  });

  it("keeps nothing of node_modules when npm left no record of the install", () => {
    fs.rmSync(path.join(root, "node_modules", ".package-lock.json"));
    run();
    const { entries } = readResolutions(cacheFile());
    // An entry's first part is the file it resolved to.
    expect([...entries.values()].filter((e) => e.split("\x02")[0]!.includes(`${path.sep}node_modules${path.sep}`))).to.deep.equal([]);
    expect(entries.size).to.be.greaterThan(0);
  });

  it("is on in the project's loader, and off under TILA_RESOLVE_CACHE=0", () => {
    const file = path.join(root, "elsewhere.json");
    // A module of this repository with relative imports, loaded through the project's loader.
    const probe = `require(${JSON.stringify(path.resolve(__dirname, "../../offline/stackConfig.ts"))})`;
    const env = { ...process.env, TILA_RESOLVE_CACHE_FILE: file, TILA_CODE_CACHE: "0" };
    const off = spawnSync(process.execPath, ["-r", LOADER, "-e", probe], { cwd: root, env: { ...env, TILA_RESOLVE_CACHE: "0" }, encoding: "utf8" });
    expect(off.status, off.stderr).to.equal(0);
    expect(fs.existsSync(file)).to.equal(false);
    const on = spawnSync(process.execPath, ["-r", LOADER, "-e", probe], { cwd: root, env, encoding: "utf8" });
    expect(on.status, on.stderr).to.equal(0);
    const { entries } = readResolutions(file);
    expect([...entries.keys()].some((k) => k.endsWith("\0../config/yamlCache"))).to.equal(true);
  });
});
