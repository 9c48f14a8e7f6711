/**
 * `npm run plan -- --report <file.md>` end to end on the fixture program: the Markdown file is
 * written after the run, `--json` carries the same data, and with `--diff` the report shows the change.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import type { MergeRequestReport } from "../../offline/mrReport";
import { PlanCliRun, runPlanCli } from "../support/planCli";
import { tempDirEach } from "../support/tempDir";

const FIXTURE = path.resolve(__dirname, "../fixtures/program");

describe("npm run plan -- --report", function () {
  this.timeout(120_000);
  const tmp = tempDirEach("tila-report-cli-");

  const plan = (argv: string[], project = FIXTURE): Promise<PlanCliRun> => runPlanCli(argv, { cwd: tmp(), projectDir: project, programPath: path.join(FIXTURE, "index.ts") });

  it("writes the Markdown report and carries its data in --json, with the diff when --diff is given", async () => {
    const project = path.join(tmp(), "project");
    fs.mkdirSync(project);
    for (const f of fs.readdirSync(FIXTURE).filter((n) => /^Pulumi\..*yaml$/.test(n))) fs.copyFileSync(path.join(FIXTURE, f), path.join(project, f));
    const before = path.join(tmp(), "before");
    expect((await plan(["--out", before, "--no-policy"], project)).code).to.equal(0);
    const file = path.join(project, "Pulumi.prod.yaml");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/azCount: \d/, "azCount: 1"));

    const r = await plan(["--out", path.join(tmp(), "after"), "--no-policy", "--diff", before, "--report", "mr.md", "--json"], project);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/^report: mr\.md \(\d+ KB\)$/m);
    const md = fs.readFileSync(path.join(tmp(), "mr.md"), "utf8");
    const doc = JSON.parse(r.stdout) as { mergeRequestReport: Omit<MergeRequestReport, "markdown"> & { file: string; chars: number }; diff: { stacks: { stack: string; status: string }[] } };
    expect(doc.mergeRequestReport.file).to.equal("mr.md");
    expect(doc.mergeRequestReport.chars).to.equal(md.length);
    expect(doc.mergeRequestReport.summary.map((s) => s.stack)).to.deep.equal(["management", "dev", "stage", "preprod", "prod"]);
    const prod = doc.mergeRequestReport.summary[4];
    expect(prod.deleted, "one AZ fewer: its subnet and more go").to.be.greaterThan(0);
    expect(md).to.match(/^# Plan report\n/);
    expect(md).to.contain(`| prod | ok | ${prod.resources} | ${prod.created} | ${prod.updated} | ${prod.deleted} |`);
    expect(md).to.contain("### prod: ");
    expect(md).to.contain("`-` `prod-app-");
    expect(doc.diff.stacks.filter((s) => s.status === "changed").map((s) => s.stack)).to.deep.equal(["prod"]);
  });
});
