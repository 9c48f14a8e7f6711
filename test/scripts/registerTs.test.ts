import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { writeAged } from "../support/agedFile";

const LOADER = path.resolve(__dirname, "../../scripts/register-ts.cjs");

describe("the TypeScript loader (scripts/register-ts.cjs)", () => {
  let dir: string;
  let cache: string;
  // Both caches in the test's own directory: modules of a temporary directory are new every run.
  const run = (file: string) => spawnSync(process.execPath, ["-r", LOADER, file], { encoding: "utf8", env: { ...process.env, TILA_TS_CACHE_DIR: cache, TILA_CODE_CACHE_DIR: path.join(dir, "v8") } });
  const cached = (): string[] => (fs.existsSync(cache) ? fs.readdirSync(cache, { recursive: true }).map(String).filter((f) => f.endsWith(".js")) : []);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tila-register-ts-"));
    cache = path.join(dir, "cache");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("runs TypeScript with types, imports of .ts modules without extension and export =; a module marked __esModule is its own namespace, as TypeScript's __importStar makes it", () => {
    fs.writeFileSync(path.join(dir, "lib.ts"), "interface Box { n: number }\nconst box: Box = { n: 41 };\nexport = { next: (b: Box = box): number => b.n + 1 };\n");
    // What `import * as` and default imports give: the module itself when marked __esModule (the
    // Pulumi SDKs, compiled TypeScript), else a copy with `default` set (plain CommonJS, Node's built-ins).
    fs.writeFileSync(path.join(dir, "sdk.js"), 'Object.defineProperty(exports, "__esModule", { value: true });\nexports.answer = 42;\nexports.default = "sdk default";\n');
    fs.writeFileSync(path.join(dir, "plain.js"), "module.exports = { answer: 7 };\n");
    fs.writeFileSync(
      path.join(dir, "main.ts"),
      [
        'import lib = require("./lib");',
        'import * as sdk from "./sdk";',
        'import sdkDefault from "./sdk";',
        'import * as plain from "./plain";',
        'import plainDefault from "./plain";',
        'import * as nodePath from "path";',
        "const out: string = `answer ${lib.next()}`;",
        "console.log(out);",
        'const same = (a: unknown, b: unknown): boolean => a === b;',
        'console.log(JSON.stringify([same(sdk, require("./sdk")), sdk.answer, sdkDefault, same(plain, require("./plain")), plain.answer, same((plain as { default?: unknown }).default, require("./plain")), same(plainDefault, require("./plain")), nodePath.join("a", "b"), same(nodePath, require("path"))]));',
        "",
      ].join("\n"),
    );
    const r = run(path.join(dir, "main.ts"));
    expect(r.stderr).to.equal("");
    const [first, second] = r.stdout.trimEnd().split("\n");
    expect(first).to.equal("answer 42");
    expect(JSON.parse(second!)).to.deep.equal([true, 42, "sdk default", false, 7, true, true, "a/b", false]);
    expect(cached()).to.have.length(2);
  });

  it("prunes the transpiled entries nobody read for two weeks when it adds one (scripts/cache-prune.cjs)", () => {
    const old = writeAged(path.join(cache, "zz", "old.js"), 30);
    const file = path.join(dir, "main.ts");
    fs.writeFileSync(file, 'const v: string = "fresh";\nconsole.log(v);\n');
    expect(run(file).stdout).to.equal("fresh\n");
    expect(fs.existsSync(old)).to.equal(false);
    expect(cached()).to.have.length(1);
  });

  it("serves a changed file anew, never the cached copy of its old text", () => {
    const file = path.join(dir, "main.ts");
    fs.writeFileSync(file, 'const v: string = "one";\nconsole.log(v);\n');
    expect(run(file).stdout).to.equal("one\n");
    expect(run(file).stdout).to.equal("one\n");
    expect(cached()).to.have.length(1);
    fs.writeFileSync(file, 'const v: string = "two";\nconsole.log(v);\n');
    expect(run(file).stdout).to.equal("two\n");
    expect(cached()).to.have.length(2);
  });

  it("keeps each module's source map out of the code V8 compiles, after it in the cache entry; a damaged entry is made again", () => {
    const file = path.join(dir, "main.ts");
    fs.writeFileSync(file, 'const f = (n: number): number => n + 1;\nconsole.log(f(1), f.toString());\n');
    expect(run(file).stdout).to.equal("2 (n) => n + 1\n");
    const [entry] = cached();
    const text = fs.readFileSync(path.join(cache, entry!), "utf8");
    const head = /^\/\/tila-ts (\d+)\n/.exec(text)!;
    const bytes = Buffer.from(text.slice(head[0].length));
    const code = bytes.subarray(0, Number(head[1])).toString("utf8");
    expect(code).to.contain("console.log(f(1), f.toString())").and.not.contain("sourceMappingURL");
    expect((JSON.parse(bytes.subarray(Number(head[1])).toString("utf8")) as { sources: string[] }).sources).to.deep.equal([file]);
    for (const damaged of ["", "//tila-ts 999999\nconsole.log('short')", "console.log('no head');\n"]) {
      fs.writeFileSync(path.join(cache, entry!), damaged);
      expect(run(file).stdout, JSON.stringify(damaged)).to.equal("2 (n) => n + 1\n");
      expect(fs.readFileSync(path.join(cache, entry!), "utf8")).to.equal(text);
    }
  });

  it("reads a module's code from its entry whatever its size (past the first 64 KB read)", () => {
    const file = path.join(dir, "main.ts");
    const big = "é-".repeat(60_000);
    fs.writeFileSync(file, `const text: string = ${JSON.stringify(big)};\nconsole.log(text.length, text.slice(0, 4), text.endsWith("é-"));\n`);
    const expected = `${big.length} é-é- true\n`;
    expect(run(file).stdout).to.equal(expected);
    expect(run(file).stdout, "from the cache entry").to.equal(expected);
  });

  it("points a program error's stack at the TypeScript line", () => {
    const file = path.join(dir, "main.ts");
    fs.writeFileSync(file, "type T = { a: number };\nconst t: T = { a: 1 };\n\nif (t.a === 1) throw new Error(\"boom\");\n");
    const r = run(file);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.contain("Error: boom").and.contain(`${file}:4:`);
    // With no cache to write to (the folder's place is taken by a file), frames are still mapped.
    cache = path.join(dir, "blocked");
    fs.writeFileSync(cache, "not a folder");
    const unwritten = run(file);
    expect(unwritten.status).to.equal(1);
    expect(unwritten.stderr).to.contain("Error: boom").and.contain(`${file}:4:`);
  });
});
