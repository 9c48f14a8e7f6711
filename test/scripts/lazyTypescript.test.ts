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

describe("the SDK's TypeScript shim, loaded lazily (scripts/lazy-typescript.cjs)", () => {
  it("keeps the compiler out of a process that imports @pulumi/pulumi and never uses it", () => {
    expect(probe(`require("@pulumi/pulumi"); console.log(Boolean(require.cache[require.resolve("typescript")]))`)).to.equal("false");
  });

  it("gives a caller that does use the shim the real compiler", () => {
    const out = probe(`const shim = require("@pulumi/pulumi/typescript-shim"); console.log(shim.version === require("typescript").version, typeof shim.createSourceFile, "SyntaxKind" in shim)`);
    expect(out).to.equal("true function true");
  });
});
