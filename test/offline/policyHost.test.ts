import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";
import type { StackRun } from "../../offline/engine";
import { PolicyWorkerHost, startPolicyWorker } from "../../offline/policyHost";
import { analyzeStack, loadPolicyConfigs, policyCacheKey, policyInput, repositoryPolicySetup } from "../../offline/policyPlan";
import type { OutcomeTable } from "../../offline/policyRunner";
import { realStack } from "../support/realStacks";

const ROOT = path.resolve(__dirname, "../..");

/** What `p` rejected with, as text; fails the test when it resolved. */
async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return String(e);
  }
  throw new Error("expected a rejection");
}

/** prod with every RDS instance made public and unencrypted: the pack must find both. */
function weakenedProd(prod: StackRun): StackRun {
  const resources = prod.resources.map((r) =>
    r.type === "aws:rds/instance:Instance" ? { ...r, inputs: { ...r.inputs, publiclyAccessible: true, storageEncrypted: false } } : r,
  );
  return { ...prod, resources };
}

describe("the policy pack in a worker thread (offline/policyHost.ts)", function () {
  this.timeout(120_000);

  // One worker (a worker loads its own SDK and pack, about half a second) serves the first test
  // and is then closed by the third: what the third proves (checks pending at close and every
  // check after it are rejected) holds of any worker that has answered ready, whatever its stacks.
  const stacks = ["management", "prod"];
  let shared: PolicyWorkerHost;
  before(() => {
    shared = startPolicyWorker(stacks);
  });
  after(() => shared.close());

  it("answers with the same config errors, cache keys, violations and resource outcomes as the pack in this thread", async () => {
    const prod = weakenedProd(await realStack("prod"));
    const setup = repositoryPolicySetup();
    const { configs } = loadPolicyConfigs(setup, stacks);
    const key = policyCacheKey(setup, configs);
    let here: OutcomeTable | undefined;
    const expected = analyzeStack(setup, configs, policyInput(prod), { keep: (o) => void (here = o) });
    expect(expected.map((v) => v.policy)).to.include.members(["rds-not-publicly-accessible", "rds-storage-encrypted"]);

    const ready = await shared.ready;
    expect(ready).to.deep.equal({ errors: [], keys: { management: key("management"), prod: key("prod") } });
    // The outcomes go both ways across the thread: kept as the pack here keeps them, then taken
    // back in place of the resource rules.
    let kept: OutcomeTable | undefined;
    expect(await shared.analyzer(prod, { previous: () => undefined, keep: (o) => void (kept = o) })).to.deep.equal(expected);
    expect(kept).to.deep.equal(here);
    const forged = Object.fromEntries(Object.keys(kept!).map((d) => [d, { "rds-storage-encrypted": { reports: [{ message: "taken from the memo" }] } }]));
    const reused = await shared.analyzer(prod, { previous: () => forged, keep: () => undefined });
    expect(reused.filter((v) => v.message === "taken from the memo").length, "every resource's outcome came from the memo").to.equal(Object.keys(forged).length);
  });

  it("reports a stack without a policy config as the pack in this thread does", async () => {
    const setup = repositoryPolicySetup();
    const host = startPolicyWorker(["prod", "nosuch"]);
    try {
      const ready = await host.ready;
      expect(ready.errors).to.deep.equal(loadPolicyConfigs(setup, ["prod", "nosuch"]).errors);
      expect(ready.errors.join("\n")).to.match(/nosuch\.json: missing/);
    } finally {
      await host.close();
    }
  });

  it("rejects the checks still pending when it is closed, and every check after", async () => {
    const host = shared;
    expect((await host.ready).errors).to.deep.equal([]);
    const prod = await realStack("prod");
    const pending = rejection(Promise.resolve(host.analyzer(prod)));
    await host.close();
    expect(await pending).to.match(/policy pack worker: closed/);
    expect(await rejection(Promise.resolve(host.analyzer(prod)))).to.match(/closed/);
  });

  it("never keeps the process alive once nothing is awaited (a forgotten close() still exits)", () => {
    const code = `
      const { startPolicyWorker } = require(${JSON.stringify(path.join(ROOT, "offline/policyHost.ts"))});
      const host = startPolicyWorker(["prod"]);
      host.ready.then((r) => console.log("ready", r.errors.length));`;
    const r = spawnSync(process.execPath, ["-r", path.join(ROOT, "scripts/register-ts.cjs"), "-e", code], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    expect(r.error, "the process did not exit by itself").to.equal(undefined);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.equal("ready 0");
  });
});
