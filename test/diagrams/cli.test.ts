import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { DIAGRAMS_INDEX } from "../../offline/diagrams/write";
import { PLAN_MARKER } from "../../offline/outDir";
import { runPlanCli } from "../support/planCli";
import { tempDirEach } from "../support/tempDir";

const PROJECT = path.resolve(__dirname, "../fixtures/program");

describe("npm run plan -- --diagrams", function () {
  this.timeout(120000);
  const tmp = tempDirEach("tila-diagrams-cli-");
  const plan = (argv: string[]) => runPlanCli(argv, { cwd: tmp(), projectDir: PROJECT, policy: false });

  it("refuses a folder it may not use before any stack runs: exit 2, one line naming --diagrams", async () => {
    fs.writeFileSync(path.join(tmp(), "file"), "x");
    fs.mkdirSync(path.join(tmp(), "full"));
    fs.writeFileSync(path.join(tmp(), "full", "keep.txt"), "x");
    for (const [arg, why] of [["file", "is a file, not a folder"], ["full", `is not empty and was not written by npm run plan (no ${PLAN_MARKER} marker); name an empty or new folder`]]) {
      const r = await plan(["--out", "out", "--diagrams", arg]);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.equal(`plan: --diagrams ${path.join(tmp(), arg)}: ${why} (npm run plan -- --help lists the options)\n`);
      expect(fs.existsSync(path.join(tmp(), "out")), "nothing ran").to.equal(false);
    }
  });

  it("writes the pictures of the planned stacks next to the plan files, resolved against where the command was typed", async () => {
    const r = await plan(["--out", "out", "--diagrams", "pictures"]);
    expect(r.code, r.stderr).to.equal(0);
    const dir = path.join(tmp(), "pictures");
    const files = fs.readdirSync(dir).sort();
    expect(files).to.include.members([PLAN_MARKER, DIAGRAMS_INDEX, "network.mmd", "network.svg"]);
    expect(r.stderr).to.match(/^diagrams: pictures \(\d+ pictures, \.mmd and \.svg\)$/m);
    expect(fs.readFileSync(path.join(dir, "network.mmd"), "utf8")).to.match(/^flowchart LR\n/);
  });
});
