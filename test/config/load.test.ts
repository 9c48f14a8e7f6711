import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPlan } from "../../offline/plan";

const ROOT = path.resolve(__dirname, "../..");

describe("config errors of the real program, through the plan", () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tila-load-"));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("names a key in a misspelt namespace and the required key it was meant to be", async () => {
    const file = path.join(tmp, "dev-typo.yaml");
    fs.writeFileSync(file, fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8").replace(/^ {2}tila-platform:dns:/m, "  tila-platfrom:dns:"));
    const result = await runPlan({ stack: "dev", configFile: file });
    const [dev] = result.stacks;
    expect(dev.failure).to.equal("config");
    expect(dev.configFile).to.equal(file);
    expect(dev.errors).to.deep.equal([
      { path: "tila-platfrom:dns", message: 'unknown namespace "tila-platfrom"; did you mean tila-platform:dns?' },
      { path: "tila-platform:dns", message: "is required (found tila-platfrom:dns, a misspelling?)" },
    ]);
  });
});
