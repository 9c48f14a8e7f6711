import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const LOADER = path.join(ROOT, "scripts/register-ts.cjs");

/** Runs `code` in a fresh Node with the project's loader; returns what it printed. */
function probe(code: string): string {
  const r = spawnSync(process.execPath, ["-r", LOADER, "-e", code], { cwd: ROOT, encoding: "utf8" });
  expect(r.status, r.stderr).to.equal(0);
  return r.stdout.trim();
}

describe("the SDK's heavy modules, loaded lazily (scripts/lazy-sdk-modules.cjs)", () => {
  it("keeps the compiler, npm's arborist and the Automation API out of a process that imports @pulumi/pulumi and never uses them", () => {
    const out = probe(`
      const before = new Set(Object.keys(require.cache));
      require("@pulumi/pulumi");
      const files = Object.keys(require.cache).filter((f) => !before.has(f));
      console.log(JSON.stringify({
        typescript: Boolean(require.cache[require.resolve("typescript")]),
        arborist: files.some((f) => f.includes("/@npmcli/arborist/lib/arborist/")),
        automation: files.some((f) => /@pulumi\\/pulumi\\/automation\\/(localWorkspace|stack)\\.js$/.test(f)),
      }));`);
    expect(JSON.parse(out)).to.deep.equal({ typescript: false, arborist: false, automation: false });
  });

  it("gives a caller that does use the shim the real compiler", () => {
    const out = probe(`const shim = require("@pulumi/pulumi/typescript-shim"); console.log(shim.version === require("typescript").version, typeof shim.createSourceFile, "SyntaxKind" in shim)`);
    expect(out).to.equal("true function true");
  });

  it("gives the Automation API to a caller that uses it, through the package and through pulumi.automation", () => {
    const out = probe(`
      const direct = require("@pulumi/pulumi/automation");
      const pulumi = require("@pulumi/pulumi");
      console.log(typeof direct.LocalWorkspace.create, pulumi.automation.LocalWorkspace === direct.LocalWorkspace, Object.keys(direct).includes("Stack"))`);
    expect(out).to.equal("function true true");
  });

  it("gives the SDK's code-path computation the real arborist", () => {
    const out = probe(`
      const base = require("path").dirname(require.resolve("@pulumi/pulumi/runtime/closure/codePaths"));
      const arborist = require(require.resolve("@npmcli/arborist", { paths: [base] }));
      require("@pulumi/pulumi").runtime.computeCodePaths({ extraIncludePackages: ["yaml"] }).then((paths) => {
        console.log(typeof arborist.Arborist, [...paths.keys()].some((p) => p.endsWith("node_modules/yaml")));
      });`);
    expect(out).to.equal("function true");
  });
});
