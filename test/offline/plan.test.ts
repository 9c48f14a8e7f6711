import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { USAGE } from "../../offline/cli";
import { PlanCliRun, runPlanCli } from "../support/planCli";
import { OfflineEngine } from "../../offline/engine";
import { planFails, runPlan } from "../../offline/plan";
import { formatPlan, planJson } from "../../offline/report";
import { tempDirEach } from "../support/tempDir";

const PROJECT = path.resolve(__dirname, "../fixtures/program");
const ALL = ["management", "dev", "stage", "preprod", "prod"];
const RESOURCE_KEYS = ["urn", "type", "name", "parent", "custom", "id", "inputs", "outputs", "options", "secretInputs", "secretOutputs"];

type Captured = PlanCliRun;

const plan = (argv: string[]): Promise<Captured> => runPlanCli(argv, { cwd: PROJECT, projectDir: PROJECT });

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, "utf8"));

describe("npm run plan", () => {
  const out = tempDirEach("tila-plan-");

  describe("all stacks", () => {
    let text: Captured;
    before(async function () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tila-plan-text-"));
      text = await plan(["--out", dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("exits 0 and reports every stack, management first", () => {
      expect(text.code, text.stderr).to.equal(0);
      const order = [...text.stdout.matchAll(/^== (\w+): ok, (\d+) resources/gm)].map((m) => m[1]);
      expect(order).to.deep.equal(ALL);
    });

    it("lists resources by type, sorted and counted in aligned columns", () => {
      const section = text.stdout.split("== dev:")[1].split("outputs:")[0];
      const rows = section.split("\n").filter((l) => /^ {4}\S/.test(l));
      expect(rows.map((r) => r.trim().split(/\s+/)[0])).to.deep.equal([...rows.map((r) => r.trim().split(/\s+/)[0])].sort());
      expect(rows).to.include("    aws:ec2/subnet:Subnet                                2");
      expect(new Set(rows.map((r) => r.length)).size, "counts end in one column").to.equal(1);
    });

    it("shows short outputs and masks secret ones", () => {
      expect(text.stdout).to.match(/^ {4}vpcCidr +10\.10\.0\.0\/16$/m);
      expect(text.stdout).to.match(/^ {4}apiToken +\[secret\]$/m);
      expect(text.stdout).to.not.contain("offline-placeholder");
    });

    it("prints the reachability matrix and a one-line total", () => {
      expect(text.stdout).to.match(/== reachability\nfrom \\ to +management +dev +stage +preprod +prod/);
      expect(text.stdout.trimEnd().split("\n").pop()).to.match(/^Total: 5 stacks \(5 ok, 0 failed\), 51 resources, \d+\.\d s wall$/);
    });

    it("writes progress lines to stderr, not stdout", () => {
      expect(text.stderr).to.match(/^\[1\/5\] management \.\.\. 11 resources in \d+\.\d s$/m);
      expect(text.stderr).to.match(/^\[2\/5\] dev \.\.\. 10 resources in \d+\.\d s$/m);
      expect(text.stdout).to.not.match(/^\[\d\/5\]/m);
    });
  });

  it("writes resources.json, outputs.json per stack and reachability.json", async () => {
    const r = await plan(["--out", out()]);
    expect(r.code).to.equal(0);
    for (const stack of ALL) {
      const resources = readJson(path.join(out(), stack, "resources.json")) as Record<string, unknown>[];
      expect(resources.length, stack).to.equal(stack === "management" ? 11 : 10);
      for (const res of resources) expect(Object.keys(res)).to.deep.equal(RESOURCE_KEYS);
      expect(resources.every((res) => String(res.urn).startsWith(`urn:pulumi:${stack}::`))).to.equal(true);
    }
    const dev = readJson(path.join(out(), "dev", "outputs.json")) as Record<string, unknown>;
    const management = readJson(path.join(out(), "management", "outputs.json")) as Record<string, unknown>;
    expect(dev.transitGatewayId).to.equal(management.transitGatewayId);
    expect(dev.apiToken).to.equal("[secret]");
    const reach = readJson(path.join(out(), "reachability.json")) as { networks: { name: string }[]; flows: unknown[] };
    expect(reach.networks.map((n) => n.name)).to.deep.equal(ALL);
    expect(reach.flows).to.have.length(20);
  });

  it("prints one JSON document with --json", async () => {
    const r = await plan(["--json", "--out", out()]);
    expect(r.code).to.equal(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).to.deep.equal(["stacks", "reachability", "totals"]);
    const stacks = doc.stacks as Record<string, unknown>[];
    expect(stacks.map((s) => s.stack)).to.deep.equal(ALL);
    for (const s of stacks) {
      expect(Object.keys(s)).to.deep.equal(["stack", "ok", "resourceCount", "byType", "dataTier", "services", "credentials", "security", "outputs", "durationMs"]);
      expect(Object.values(s.byType as Record<string, number>).reduce((a, b) => a + b, 0)).to.equal(s.resourceCount);
    }
    expect(stacks[1].outputs).to.include({ vpcCidr: "10.10.0.0/16", apiToken: "[secret]" });
    expect(doc.totals).to.include({ stacks: 5, ok: 5, failed: 0, resources: 51 });
    expect(r.stderr).to.contain("[5/5] prod ...");
  });

  it("runs one environment with management first but reports only that stack", async () => {
    const r = await plan(["--stack", "prod", "--json", "--out", out()]);
    expect(r.code).to.equal(0);
    const doc = JSON.parse(r.stdout) as { stacks: { stack: string; outputs: Record<string, unknown> }[]; reachability?: unknown };
    expect(doc.stacks.map((s) => s.stack)).to.deep.equal(["prod"]);
    expect(doc.stacks[0].outputs.transitGatewayId).to.match(/^tgw-/);
    expect(doc.reachability, "reachability needs every stack").to.equal(undefined);
    expect(r.stderr.trim().split("\n")[0]).to.match(/^\[1\/1\] prod \.\.\./);
    expect(fs.readdirSync(out()).sort()).to.deep.equal([".cache", ".tila-plan", "index.json", "prod"]);
  });

  describe("a stack with invalid config", () => {
    it("exits 1, prints every error as `path: message`, and leaves no plan files of earlier runs", async () => {
      expect((await plan(["--out", out()])).code).to.equal(0);
      expect(fs.existsSync(path.join(out(), "dev", "resources.json")), "a previous run's files").to.equal(true);

      const r = await plan(["--stack", "dev", "--config", "invalid/dev.yaml", "--out", out()]);
      expect(r.code).to.equal(1);
      expect(r.stdout).to.contain("== dev: FAILED (config errors)");
      expect(r.stdout).to.contain('tila-platform:vpcCidr: must be a 10.x.0.0/16-28 CIDR, got "10.10.0.0/33"');
      expect(r.stdout).to.contain("tila-platform:azCount: must be 1, 2 or 3, got 7");
      expect(r.stdout).to.contain("tila-platform:managementStack: required in environment stacks");
      expect(r.stdout).to.match(/Total: 1 stack \(0 ok, 1 failed\)/);
      expect(fs.existsSync(path.join(out(), "dev")), "stale dev files removed").to.equal(false);
      expect(fs.existsSync(path.join(out(), "reachability.json")), "stale matrix removed").to.equal(false);
      expect(fs.existsSync(path.join(out(), "stage", "resources.json")), "other stacks' files are not from this run").to.equal(false);
      expect(readJson(path.join(out(), "index.json"))).to.deep.include({ stacks: { dev: "failed (config)" }, files: [] });
    });

    it("reports the errors in the JSON document too", async () => {
      const r = await plan(["--stack", "dev", "--config", "invalid/dev.yaml", "--json", "--out", out()]);
      expect(r.code).to.equal(1);
      const [dev] = (JSON.parse(r.stdout) as { stacks: Record<string, unknown>[] }).stacks;
      expect(dev).to.include({ stack: "dev", ok: false, resourceCount: 0, failure: "config" });
      expect((dev.errors as { path: string }[]).map((e) => e.path)).to.deep.equal([
        "tila-platform:vpcCidr", "tila-platform:azCount", "tila-platform:managementStack",
      ]);
    });
  });

  describe("usage", () => {
    for (const argv of [["--bogus"], ["--config", "x.yaml"], ["dev"], ["--stack"]]) {
      it(`exits 2 with one line pointing at --help for ${argv.join(" ")}`, async () => {
        const r = await plan([...argv, "--out", out()]);
        expect(r.code).to.equal(2);
        expect(r.stderr.trimEnd().split("\n"), r.stderr).to.have.length(1);
        expect(r.stderr).to.match(/^plan: .+ \(npm run plan -- --help lists the options\)\n$/);
        expect(r.stdout).to.equal("");
      });
    }

    it("exits 2 for a stack the project does not have", async () => {
      const r = await plan(["--stack", "qa", "--out", out()]);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain('unknown stack "qa"; stacks: management, dev, stage, preprod, prod');
    });

    it("prints the usage on --help and exits 0", async () => {
      const r = await plan(["--help"]);
      expect(r.code).to.equal(0);
      expect(r.stdout).to.equal(USAGE);
    });
  });

  describe("policy extension point", () => {
    it("records analyzer findings and fails the run on a mandatory one", async () => {
      const result = await runPlan({
        projectDir: PROJECT,
        stack: "management",
        analyzers: [(run) => [{ policy: "fixture-rule", enforcementLevel: "mandatory", message: `checked ${run.resources.length}` }]],
      });
      expect(result.stacks[0].ok).to.equal(true);
      expect(result.stacks[0].violations).to.deep.equal([{ policy: "fixture-rule", enforcementLevel: "mandatory", message: "checked 11" }]);
      expect(planFails(result)).to.equal(true);
      expect(formatPlan(result)).to.contain("[mandatory] fixture-rule: checked 11");
      expect(planJson(result).totals).to.include({ ok: 0, failed: 1 });
    });

    it("hands each stack to the analyzers as soon as it ran, and keeps the findings in stack order", async () => {
      const events: string[] = [];
      let allRan!: () => void;
      const ran = new Promise<void>((resolve) => (allRan = resolve));
      const result = await runPlan({
        projectDir: PROJECT,
        stacks: ["management", "dev"],
        onProgress: (line) => {
          events.push(`ran ${line.split(" ")[1]}`);
          if (line.includes(" dev ")) allRan();
        },
        // An analyzer working elsewhere (a worker thread): it answers only once every stack ran.
        analyzers: [
          async (run) => {
            events.push(`analyze ${run.stack}`);
            await ran;
            return [{ policy: "fixture-rule", enforcementLevel: "advisory", message: run.stack }];
          },
        ],
      });
      expect(events).to.deep.equal(["analyze management", "ran management", "analyze dev", "ran dev"]);
      expect(result.stacks.map((s) => s.violations?.map((v) => v.message))).to.deep.equal([["management"], ["dev"]]);
    });

    it("runs stacks while the analyzers get ready, and starts none after they cannot", async () => {
      const started: string[] = [];
      let whileRunning: (stack: string) => void = () => undefined;
      const plan = (ready: Promise<unknown>) =>
        runPlan({
          engine: new OfflineEngine({ projectDir: PROJECT, beforeProgram: (stack) => whileRunning(stack) }),
          stacks: ["management", "dev", "prod"],
          analyzers: [() => []],
          analyzersReady: ready,
          onProgress: (line) => started.push(line.split(" ")[1]!),
        });
      // An answer given before the plan (a pack in this thread): no stack runs.
      await plan(Promise.reject(new Error("pack config broken"))).then(
        () => expect.fail("the plan went on"),
        (e: Error) => expect(e.message).to.equal("pack config broken"),
      );
      expect(started).to.deep.equal([]);
      // An answer that comes while the first stack runs (a worker's): the stacks after it do not run.
      let refuse!: (e: Error) => void;
      const late = new Promise((_, reject) => (refuse = reject));
      whileRunning = (stack) => stack === "management" && refuse(new Error("pack config broken"));
      await plan(late).then(
        () => expect.fail("the plan went on"),
        (e: Error) => expect(e.message).to.equal("pack config broken"),
      );
      expect(started).to.deep.equal(["management"]);
      // Ready later: every stack runs and is checked.
      started.length = 0;
      whileRunning = () => undefined;
      const ok = await plan(new Promise((resolve) => setTimeout(resolve, 50)));
      expect(started).to.deep.equal(["management", "dev", "prod"]);
      expect(ok.stacks.every((s) => s.violations !== undefined)).to.equal(true);
    });
  });
});
