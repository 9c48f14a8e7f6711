/**
 * `npm run plan -- --cost`: each stack's estimate in the text report and in --json, read back from a plan
 * folder (secrets masked) to the same figures, and never loaded by a plan that does not ask for it.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { USAGE } from "../../offline/cli";
import { estimatePlanFolder, estimateRun, type StackCostResult } from "../../offline/cost/planCost";
import { resourceRecord } from "../../offline/planFiles";
import { realStacks } from "../support/realStacks";
import { runPlanCli } from "../support/planCli";
import { tempDirEach } from "../support/tempDir";

const ROOT = path.resolve(__dirname, "../..");
const PROJECT = path.resolve(__dirname, "../fixtures/program");
const plan = (argv: string[]) => runPlanCli(argv, { cwd: PROJECT, projectDir: PROJECT, policy: false });

describe("npm run plan -- --cost", () => {
  const tmp = tempDirEach("tila-plancost-");

  it("is listed in the usage", () => {
    expect(USAGE).to.contain("--cost");
  });

  it("prints each stack's estimate: total, tiers, top items, assumptions and what is missing", async () => {
    const r = await plan(["--cost", "--stack", "dev", "--out", tmp()]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^ {2}cost: \$[\d,]+\.\d\d a month \(me-south-1, prices of \d{4}-\d\d-\d\d\), no budget set/m);
    expect(r.stdout).to.match(/^ {4}top \d+ of \d+ line items:$/m);
    expect(r.stdout).to.match(/dev-tgw-attachment +TGW attachment hours/);
    expect(r.stdout).to.match(/^ {4}assumptions \(per month\): natGatewayDataGb 100, /m);
    expect(r.stdout).to.match(/^ {4}prices missing: 0; unverified: \d+; resources of unpriced types: \d+/m);
  });

  it("carries the whole estimate per stack in --json, and nothing without --cost", async () => {
    const r = await plan(["--cost", "--json", "--stack", "dev", "--out", tmp()]);
    expect(r.code, r.stderr).to.equal(0);
    const doc = JSON.parse(r.stdout) as { stacks: { stack: string; cost?: StackCostResult }[] };
    const dev = doc.stacks.find((s) => s.stack === "dev")!.cost!;
    expect(dev.ok).to.equal(true);
    if (!dev.ok) return;
    expect(dev.cost.items.length).to.be.greaterThan(0);
    expect(dev.cost.total).to.be.closeTo(dev.cost.items.reduce((n, i) => n + i.monthly, 0), 1e-9);
    // The folder written by the same run prices to the same figures (secrets masked, types rebuilt).
    const again = estimatePlanFolder(tmp(), "dev", { projectDir: PROJECT });
    expect(again).to.deep.equal(dev);
    const plain = await plan(["--json", "--stack", "dev", "--out", tmp()]);
    expect(plain.stdout).to.not.contain('"cost"');
    expect((await plan(["--stack", "dev", "--out", tmp()])).stdout).to.not.match(/^ {2}cost:/m);
  });

  it("a plan without --cost never loads the cost modules", () => {
    const script = `
      const { main } = require(${JSON.stringify(path.join(ROOT, "offline/cli.ts"))});
      const sink = { write: () => true };
      main(["--stack", "dev", "--out", ${JSON.stringify(tmp())}], { stdout: sink, stderr: sink, cwd: ${JSON.stringify(PROJECT)}, projectDir: ${JSON.stringify(PROJECT)}, policy: false })
        .then((code) => {
          const cost = Object.keys(require.cache).filter((k) => k.includes(${JSON.stringify(path.sep + path.join("offline", "cost") + path.sep)}));
          process.stdout.write(JSON.stringify({ code, cost }));
        });`;
    const out = JSON.parse(execFileSync(process.execPath, ["-r", path.join(ROOT, "scripts/register-ts.cjs"), "-e", script], { cwd: ROOT, encoding: "utf8" })) as { code: number; cost: string[] };
    expect(out.code).to.equal(0);
    expect(out.cost).to.deep.equal([]);
  });

  it("prices every real stack, with no price missing, and the same from its masked plan files", async function () {
    this.timeout(300000);
    const runs = await realStacks();
    for (const [stack, run] of Object.entries(runs)) {
      const live = estimateRun(run);
      expect(live.ok, stack).to.equal(true);
      if (!live.ok) continue;
      expect(live.cost.missingPrices, stack).to.deep.equal([]);
      expect(live.cost.total, stack).to.be.greaterThan(0);
      const dir = path.join(tmp(), stack);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "resources.json"), JSON.stringify(run.resources.map(resourceRecord)));
      const read = estimatePlanFolder(tmp(), stack, { projectDir: ROOT });
      expect(read.ok, stack).to.equal(true);
      if (read.ok) expect(read.cost.total, stack).to.be.closeTo(live.cost.total, 1e-6);
    }
  });
});
