/**
 * `npm run plan -- --diff <old plan dir>` end to end on the fixture program: the checks made before
 * any stack runs (exit 2, one line, nothing written), and a re-plan with one stack's config changed
 * showing exactly what that change does, in the text report and in `--json`.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import type { PlanDiff } from "../../offline/diff";
import { PlanCliRun, runPlanCli } from "../support/planCli";
import { tempDirEach } from "../support/tempDir";

const FIXTURE = path.resolve(__dirname, "../fixtures/program");

describe("npm run plan -- --diff", function () {
  this.timeout(120_000);
  const tmp = tempDirEach("tila-diff-cli-");
  let project: string;

  beforeEach(() => {
    project = path.join(tmp(), "project");
    fs.mkdirSync(project);
    for (const f of fs.readdirSync(FIXTURE).filter((n) => /^Pulumi\..*yaml$/.test(n))) fs.copyFileSync(path.join(FIXTURE, f), path.join(project, f));
  });

  const plan = (argv: string[]): Promise<PlanCliRun> => runPlanCli(argv, { cwd: tmp(), projectDir: project, programPath: path.join(FIXTURE, "index.ts") });

  it("refuses, before anything runs, a --diff folder that is not a plan and a --report whose folder does not exist", async () => {
    const notPlan = path.join(tmp(), "notes");
    fs.mkdirSync(notPlan);
    fs.writeFileSync(path.join(notPlan, "todo.txt"), "x");
    const out = path.join(tmp(), "out");
    for (const [argv, message] of [
      [["--diff", notPlan], `plan: --diff ${notPlan}: is not a plan folder (no .tila-plan marker`],
      [["--diff", path.join(tmp(), "absent")], `plan: --diff ${path.join(tmp(), "absent")}: no such folder`],
      [["--diff", path.join(notPlan, "todo.txt")], "is a file, not a plan folder"],
      [["--report", path.join(tmp(), "absent", "r.md")], `plan: --report ${path.join(tmp(), "absent", "r.md")}: cannot be created: ${path.join(tmp(), "absent")} does not exist`],
      [["--report", notPlan], "is a folder, not a file"],
    ] as const) {
      const r = await plan(["--out", out, ...argv]);
      expect(r.code, argv.join(" ")).to.equal(2);
      expect(r.stderr.trimEnd().split("\n"), "one line").to.have.length(1);
      expect(r.stderr).to.contain(message);
      expect(fs.existsSync(out), "nothing ran").to.equal(false);
    }
  });

  it("shows exactly what one stack's config change does: dev with a third AZ", async () => {
    const before = path.join(tmp(), "before");
    expect((await plan(["--out", before, "--no-policy"])).code).to.equal(0);
    const file = path.join(project, "Pulumi.dev.yaml");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("azCount: 2", "azCount: 3"));
    const r = await plan(["--out", path.join(tmp(), "after"), "--no-policy", "--diff", before, "--json"]);
    expect(r.code, r.stderr).to.equal(0);
    const diff = (JSON.parse(r.stdout) as { diff: PlanDiff }).diff;
    expect(diff.against).to.equal("before");
    expect(diff.stacks.map((s) => `${s.stack} ${s.status}`)).to.deep.equal(["management unchanged", "dev changed", "stage unchanged", "preprod unchanged", "prod unchanged"]);
    const dev = diff.stacks[1];
    expect(dev.deleted).to.deep.equal([]);
    expect(dev.created.length).to.be.greaterThan(0);
    expect(dev.created.map((c) => c.type)).to.include("aws:ec2/subnet:Subnet");
    const attachment = dev.updated.find((u) => u.type === "aws:ec2transitgateway/vpcAttachment:VpcAttachment");
    expect(attachment?.changes?.map((c) => c.path)).to.deep.equal(["subnetIds[2]"]);
    expect(dev.policyNote).to.equal("the policy pack did not run in this plan");

    const text = await plan(["--out", path.join(tmp(), "again"), "--no-policy", "--diff", before]);
    expect(text.stdout).to.match(/\n== diff against before\n {2}management: unchanged(, cost \$0\.00\/month)?\n {2}dev: \d+ created, 1 updated, 0 deleted/);
    expect(text.stdout).to.match(/ {4}~ dev-tgw-attachment \(aws:ec2transitgateway\/vpcAttachment:VpcAttachment\)\n {8}subnetIds\[2\]: \(absent\) -> "/);
  });
});
