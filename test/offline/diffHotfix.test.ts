/**
 * Issue 14's done-when for the diff: the five real stacks planned into a folder (with the policy
 * pack), then prod re-planned with a hot fix (checkout's image moved to a new tag, as the bench's
 * replan scenario does), and diffed against the folder: exactly checkout's task definition is
 * updated, at its image path, nothing created or deleted, no finding new or resolved, no flow
 * changed, and a cost delta of 0, read back from the plan folder as `--diff` reads it; and the
 * merge-request report says the same.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { diffAgainst, costOfRuns, readPlanDir } from "../../offline/diff";
import { DEFAULT_PROJECT_DIR, StackRun } from "../../offline/engine";
import { mergeRequestReport } from "../../offline/mrReport";
import { PlanResult, summarizeRun } from "../../offline/plan";
import { writePlanFiles } from "../../offline/planFiles";
import { loadPolicyConfigs, policyAnalyzer, repositoryPolicySetup } from "../../offline/policyPlan";
import { analyzeReachability } from "../../offline/reachability";
import { STACK_ORDER } from "../../offline/stackConfig";
import { engineWithRealManagement, realStacks } from "../support/realStacks";
import { tempDirOnce } from "../support/tempDir";

const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";

/**
 * A PlanResult of these runs, as runPlan would make it: summaries, the pack's findings, reachability.
 * A stack whose run is the very one `earlier` analysed keeps its findings, as the plan cache would.
 */
async function planOf(runs: Record<string, StackRun>, earlier?: PlanResult): Promise<PlanResult> {
  const setup = repositoryPolicySetup();
  const { configs, errors } = loadPolicyConfigs(setup, STACK_ORDER);
  expect(errors).to.deep.equal([]);
  const analyze = policyAnalyzer(setup, configs);
  const stacks = [];
  for (const s of STACK_ORDER) {
    const reused = earlier && earlier.runs[s] === runs[s] ? earlier.stacks.find((x) => x.stack === s)?.violations : undefined;
    stacks.push({ ...summarizeRun(runs[s]), violations: reused ?? (await analyze(runs[s])) });
  }
  const graphs = Object.fromEntries(STACK_ORDER.map((s) => [s, runs[s].resources]));
  return { stacks, runs, reachability: analyzeReachability(graphs), totals: { stacks: 5, ok: 5, failed: 0, resources: 0, wallMs: 0 } };
}

describe("the diff of a hot-fix re-plan (issue 14, done when)", function () {
  this.timeout(300_000);
  const tmp = tempDirOnce("tila-diff-hotfix-");
  let planned: PlanResult;
  let after: PlanResult;
  let oldTag: string;

  before(async () => {
    const runs = await realStacks();
    planned = await planOf(runs);
    const written = writePlanFiles(planned, path.join(tmp(), "plan"), { knownStacks: STACK_ORDER });
    expect(written.errors).to.deep.equal([]);

    const prodYaml = fs.readFileSync(path.join(DEFAULT_PROJECT_DIR, "Pulumi.prod.yaml"), "utf8");
    const m = /tila\/checkout:([\w.-]+)/.exec(prodYaml);
    if (!m) throw new Error("Pulumi.prod.yaml has no checkout image to hot-fix");
    oldTag = m[1];
    const hotfix = path.join(tmp(), "Pulumi.prod.yaml");
    fs.writeFileSync(hotfix, prodYaml.replace(/(tila\/checkout:)([\w.-]+)/, "$1$2-hotfix.1"));
    const engine = await engineWithRealManagement({ configFiles: { prod: hotfix } }, ["prod"]);
    after = await planOf({ ...runs, prod: await engine.run("prod") }, planned);
  });

  it("shows exactly checkout's task definition updated at its image, nothing else, cost delta 0", () => {
    const old = readPlanDir(path.join(tmp(), "plan"));
    expect(Object.keys(old.stacks)).to.deep.equal(STACK_ORDER);
    const diff = diffAgainst(after, old, "plan", costOfRuns(after));
    expect(diff.stacks.map((s) => `${s.stack} ${s.status}`)).to.deep.equal(["management unchanged", "dev unchanged", "stage unchanged", "preprod unchanged", "prod changed"]);
    const prod = diff.stacks[4];
    expect(prod.created).to.deep.equal([]);
    expect(prod.deleted).to.deep.equal([]);
    expect(prod.updated.map((u) => `${u.type} ${u.name}`)).to.deep.equal([`${TASK_DEFINITION} prod-checkout-task`]);
    const changes = prod.updated[0].changes ?? [];
    expect(changes).to.have.length(1);
    expect(changes[0].path).to.match(/^containerDefinitions\[\d+\]\.image$/);
    expect(changes[0].old).to.match(new RegExp(`/tila/checkout:${oldTag.replace(/\./g, "\\.")}"$`));
    expect(changes[0].new).to.match(new RegExp(`/tila/checkout:${oldTag.replace(/\./g, "\\.")}-hotfix\\.1"$`));
    for (const s of diff.stacks) {
      expect(s.policy, s.stack).to.deep.equal({ new: [], resolved: [] });
      expect(s.cost, `${s.stack} is priced`).not.to.equal(undefined);
      expect(s.cost?.delta, s.stack).to.equal(0);
      expect(s.cost?.new, s.stack).to.be.greaterThan(0);
    }
    expect(diff.reachability).to.deep.equal([]);

    const report = mergeRequestReport({ result: after, diff, diagrams: [] });
    expect(report.summary.find((r) => r.stack === "prod")).to.include({ created: 0, updated: 1, deleted: 0, deltaUsd: 0 });
    expect(report.markdown).to.contain("- `~` `prod-checkout-task` (`aws:ecs/taskDefinition:TaskDefinition`)\n  - `containerDefinitions[");
    expect(report.cut).to.deep.equal([]);
  });
});
