import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { USAGE } from "../../offline/cli";
import { PlanCliRun, runPlanCli } from "../support/planCli";
import { PLAN_INDEX, PLAN_MARKER } from "../../offline/outDir";
import { tempDirEach } from "../support/tempDir";

const PROJECT = path.resolve(__dirname, "../fixtures/program");

type Captured = PlanCliRun;

const plan = (argv: string[], cwd = PROJECT): Promise<Captured> => runPlanCli(argv, { cwd, projectDir: PROJECT });

/** Exit 2, one line (the reason and where the options are), and no stack started. */
function expectUsageError(r: Captured, line: string | RegExp): void {
  expect(r.code, r.stderr).to.equal(2);
  const hint = " (npm run plan -- --help lists the options)";
  const first = r.stderr.split("\n")[0];
  expect(first.endsWith(hint), first).to.equal(true);
  const reason = first.slice(0, -hint.length);
  if (typeof line === "string") expect(reason).to.equal(line);
  else expect(reason).to.match(line);
  expect(r.stderr.trimEnd().split("\n"), r.stderr).to.have.length(1);
  expect(r.stderr).to.not.contain(USAGE);
  expect(r.stderr, "no stack ran").to.not.match(/^\[\d+\/\d+\]/m);
  expect(r.stdout).to.equal("");
}

describe("npm run plan: arguments and the output folder", () => {
  const tmp = tempDirEach("tila-plancli-");

  describe("--out is checked before any stack runs (exit 2)", () => {
    it("refuses a file", async () => {
      const file = path.join(tmp(), "plan.json");
      fs.writeFileSync(file, "{}");
      expectUsageError(await plan(["--out", file]), `plan: --out ${file}: is a file, not a folder`);
      expect(fs.readFileSync(file, "utf8")).to.equal("{}");
    });

    it("refuses /proc instead of hanging after the plan", async () => {
      expectUsageError(await plan(["--out", "/proc/x"]), /^plan: --out \/proc\/x: is under \/proc/);
    });

    it("refuses a folder of someone's files and leaves them alone", async () => {
      fs.mkdirSync(path.join(tmp(), "dev"));
      fs.writeFileSync(path.join(tmp(), "dev", "resources.json"), "my own file");
      fs.writeFileSync(path.join(tmp(), "notes.txt"), "mine");
      expectUsageError(await plan(["--stack", "dev", "--config", "invalid/dev.yaml", "--out", tmp()]), /is not empty and was not written by npm run plan/);
      expect(fs.readFileSync(path.join(tmp(), "dev", "resources.json"), "utf8")).to.equal("my own file");
    });

    it("resolves a relative --out against the directory the command was typed in", async () => {
      fs.writeFileSync(path.join(tmp(), "taken"), "x");
      expectUsageError(await plan(["--out", "taken"], tmp()), `plan: --out ${path.join(tmp(), "taken")}: is a file, not a folder`);
    });
  });

  describe("what a run leaves in the folder", () => {
    it("a single-stack run leaves exactly that stack's files, the marker and an index of the run", async () => {
      expect((await plan(["--out", tmp()])).code).to.equal(0);
      expect(fs.existsSync(path.join(tmp(), "reachability.json"))).to.equal(true);
      fs.writeFileSync(path.join(tmp(), "my-notes.md"), "kept");
      const r = await plan(["--stack", "dev", "--out", tmp()]);
      expect(r.code, r.stderr).to.equal(0);
      expect(fs.readdirSync(tmp()).sort()).to.deep.equal([".cache", PLAN_MARKER, "dev", PLAN_INDEX, "my-notes.md"].sort());
      const index = JSON.parse(fs.readFileSync(path.join(tmp(), PLAN_INDEX), "utf8")) as { stacks: Record<string, string>; files: string[] };
      expect(index.stacks).to.deep.equal({ dev: "ok" });
      expect(index.files).to.deep.equal(["dev/resources.json", "dev/outputs.json"]);
    });

    it("a failure to write still prints the report, then says what was not written (exit 1)", async () => {
      expect((await plan(["--stack", "management", "--out", tmp()])).code).to.equal(0);
      fs.writeFileSync(path.join(tmp(), "dev"), "a file where the dev folder goes");
      const r = await plan(["--stack", "dev", "--out", tmp()]);
      expect(r.code).to.equal(1);
      expect(r.stdout).to.match(/^== dev: ok, 10 resources/m).and.match(/^Total: 1 stack \(1 ok, 0 failed\)/m);
      expect(r.stderr).to.match(/^plan: could not write dev\/resources\.json in .+: /m);
    });
  });

  describe("config files and stacks", () => {
    it("a missing --config file is a usage error", async () => {
      expectUsageError(await plan(["--stack", "dev", "--config", "nope.yaml", "--out", tmp()]), `plan: --config ${path.join(PROJECT, "nope.yaml")}: no such file`);
    });

    it("a --config that is a folder is a usage error", async () => {
      expectUsageError(await plan(["--stack", "dev", "--config", "invalid", "--out", tmp()]), `plan: --config ${path.join(PROJECT, "invalid")}: is a folder, not a file`);
    });

    it("a YAML syntax error is a config error naming the file and the line", async () => {
      const file = path.join(tmp(), "broken.yaml");
      fs.writeFileSync(file, "config:\n  tila-platform:vpcCidr: [10.10.0.0/16\n");
      const r = await plan(["--stack", "dev", "--config", file, "--json", "--out", path.join(tmp(), "o")]);
      expect(r.code).to.equal(1);
      const [dev] = (JSON.parse(r.stdout) as { stacks: { failure: string; configFile: string; errors: { path: string; message: string }[] }[] }).stacks;
      expect(dev.failure).to.equal("config");
      expect(dev.configFile).to.equal(file);
      expect(dev.errors[0].path).to.equal(file);
      expect(dev.errors[0].message).to.match(/^is not valid YAML: .+ at line 3, column 1/);
    });

    it("an empty stack file is called empty", async () => {
      const file = path.join(tmp(), "empty.yaml");
      fs.writeFileSync(file, "# nothing yet\n");
      const r = await plan(["--stack", "dev", "--config", file, "--out", path.join(tmp(), "o")]);
      expect(r.code).to.equal(1);
      expect(r.stdout).to.contain(`configuration errors in ${file} (nothing was created):`);
      expect(r.stdout).to.contain(`${file}: is empty: a stack file needs a config: block`);
    });

    it("names the config file above its errors", async () => {
      const r = await plan(["--stack", "dev", "--config", "invalid/dev.yaml", "--out", tmp()]);
      expect(r.stdout, "relative to where the command was typed").to.contain("configuration errors in invalid/dev.yaml (nothing was created):");
    });

    it("plans every stack named by --stack, in platform order", async () => {
      const r = await plan(["--stack", "prod", "--stack", "dev", "--stack", "prod", "--json", "--out", tmp()]);
      expect(r.code, r.stderr).to.equal(0);
      const doc = JSON.parse(r.stdout) as { stacks: { stack: string }[]; reachability?: unknown };
      expect(doc.stacks.map((s) => s.stack)).to.deep.equal(["dev", "prod"]);
      expect(doc.reachability).to.equal(undefined);
      expect(fs.readdirSync(tmp()).sort()).to.deep.equal([".cache", PLAN_MARKER, "dev", PLAN_INDEX, "prod"].sort());
    });

    it("refuses --config with more than one --stack", async () => {
      expectUsageError(await plan(["--stack", "dev", "--stack", "prod", "--config", "invalid/dev.yaml"]), "plan: --config needs exactly one --stack: a config file belongs to one stack");
    });
  });
});
