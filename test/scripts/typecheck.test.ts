/**
 * `npm run typecheck` (scripts/typecheck.ts): tsc is skipped only when nothing it read changed
 * since its last clean run. A temporary project stands in for the repository and a fake tsc for
 * TypeScript: it writes a build info listing what it "read" and returns an exit status.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TypecheckProject, buildInfoFiles, fingerprint, includedRoots, projectTree, typecheck } from "../../scripts/typecheck";

describe("npm run typecheck (tsc skipped when nothing it read changed)", () => {
  let root: string;
  let project: TypecheckProject;
  let runs: number;
  let status: number;
  /** What the fake tsc does while it runs (a test's edit during the check). */
  let during: () => void;

  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  /** Files get a later modification time than the run before them, as an edit would. */
  let clock = Date.now() - 100_000;
  const edit = (rel: string, text: string): void => {
    write(rel, text);
    clock += 1000;
    fs.utimesSync(path.join(root, rel), new Date(clock), new Date(clock));
  };

  const fakeTsc = (): number => {
    runs++;
    during();
    const dir = path.dirname(project.buildInfo);
    fs.mkdirSync(dir, { recursive: true });
    const rel = (p: string): string => path.relative(dir, path.join(root, p));
    fs.writeFileSync(
      project.buildInfo,
      JSON.stringify({
        fileNames: ["lib.es5.d.ts", rel("index.ts"), rel("src/a.ts"), rel("node_modules/dep/index.d.ts")],
        packageJsons: [rel("node_modules/dep/package.json")],
        missingPackageJsons: [rel("node_modules/dep/sub/package.json")],
      }),
    );
    return status;
  };
  const check = (opts: { force?: boolean } = {}) => typecheck(project, fakeTsc, { force: opts.force, now: () => clock + 500 });

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "tila-typecheck-"));
    project = { root, buildInfo: path.join(root, "node_modules/.cache/tsc/build.tsbuildinfo"), stamp: path.join(root, "node_modules/.cache/tsc/clean-run.json"), args: ["--noEmit"] };
    runs = 0;
    status = 0;
    during = () => undefined;
    write("tsconfig.json", JSON.stringify({ compilerOptions: { strict: true }, include: ["index.ts", "src/**/*.ts"], exclude: ["node_modules", "src/generated"] }));
    write("package.json", "{}");
    write("package-lock.json", "{}");
    write("index.ts", "export {};\n");
    write("src/a.ts", "export const a = 1;\n");
    write("src/generated/x.ts", "export {};\n");
    write("node_modules/dep/index.d.ts", "export {};\n");
    write("node_modules/dep/package.json", "{}");
    for (const f of ["tsconfig.json", "package.json", "package-lock.json", "index.ts", "src/a.ts", "node_modules/dep/index.d.ts", "node_modules/dep/package.json"]) {
      fs.utimesSync(path.join(root, f), new Date(clock), new Date(clock));
    }
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("runs tsc the first time, stamps the clean run, and skips the next one", () => {
    expect(check()).to.include({ status: 0, skipped: false, stamped: true, files: 4 });
    expect(check()).to.include({ status: 0, skipped: true, files: 4 });
    expect(runs).to.equal(1);
    expect(check({ force: true })).to.include({ skipped: false, stamped: true });
    expect(runs).to.equal(2);
  });

  for (const [what, change] of [
    ["a source file it read is edited", () => edit("src/a.ts", "export const a = 2;\n")],
    ["a file is added under an included folder", () => edit("src/b.ts", "export {};\n")],
    ["an included file is removed", () => fs.rmSync(path.join(root, "src/a.ts"))],
    ["a typing in node_modules is edited", () => edit("node_modules/dep/index.d.ts", "export declare const x: 1;\n")],
    ["a package.json it resolved is edited", () => edit("node_modules/dep/package.json", '{"types":"x.d.ts"}')],
    ["a package.json it looked for appears", () => edit("node_modules/dep/sub/package.json", "{}")],
    ["tsconfig.json changes", () => edit("tsconfig.json", JSON.stringify({ compilerOptions: { strict: false }, include: ["index.ts", "src/**/*.ts"], exclude: ["node_modules", "src/generated"] }))],
    ["the lockfile changes", () => edit("package-lock.json", '{"lockfileVersion":3}')],
    ["the stamp is damaged", () => fs.writeFileSync(project.stamp, "{")],
    ["tsc's build info is gone", () => fs.rmSync(project.buildInfo)],
  ] as const) {
    it(`runs tsc again when ${what}`, () => {
      check();
      change();
      expect(check().skipped).to.equal(false);
      expect(runs).to.equal(2);
    });
  }

  it("still skips when a file tsc never read changes (an excluded folder, a file outside include)", () => {
    check();
    edit("src/generated/x.ts", "export const changed = 1;\n");
    edit("README.md", "# x\n");
    expect(check().skipped).to.equal(true);
  });

  it("never stamps a failed check, nor one during which a file it read changed", () => {
    status = 2;
    expect(check()).to.include({ status: 2, stamped: false });
    expect(fs.existsSync(project.stamp)).to.equal(false);
    expect(check().skipped, "a failed check is run again").to.equal(false);
    status = 0;
    during = () => edit("src/a.ts", "export const a = 3;\n");
    expect(check()).to.include({ status: 0, stamped: false });
    during = () => undefined;
    expect(check()).to.include({ skipped: false, stamped: true });
    expect(runs).to.equal(4);
  });

  it("reads the build info's files (tsc's bundled libs left out), and only plain include forms", () => {
    check();
    expect(buildInfoFiles(project.buildInfo)).to.deep.equal({
      files: ["index.ts", "src/a.ts", "node_modules/dep/index.d.ts", "node_modules/dep/package.json"].map((f) => path.join(root, f)),
      missing: [path.join(root, "node_modules/dep/sub/package.json")],
    });
    expect(buildInfoFiles(path.join(root, "nope"))).to.equal(undefined);
    expect(includedRoots(["index.ts", "config/**/*.ts"])).to.deep.equal({ dirs: ["config"], files: ["index.ts"] });
    for (const odd of [["src/*.ts"], ["**/*.ts"], ["../x/**/*.ts"], ["/abs/**/*.ts"], "src", [1]]) expect(includedRoots(odd), JSON.stringify(odd)).to.equal(undefined);
    expect(projectTree(root, { dirs: ["src"], files: ["index.ts", "missing.ts"] }, ["src/generated"])).to.deep.equal(["index.ts", "src/a.ts"]);
  });

  it("never skips a tsconfig it does not fully understand (extends, files, references, other include forms)", () => {
    check();
    for (const extra of [{ extends: "./base.json" }, { files: ["index.ts"] }, { references: [] }, { include: ["src/*.ts"] }]) {
      write("tsconfig.json", JSON.stringify({ include: ["index.ts", "src/**/*.ts"], exclude: ["node_modules"], ...extra }));
      expect(fingerprint(project), JSON.stringify(extra)).to.equal(undefined);
    }
  });
});
