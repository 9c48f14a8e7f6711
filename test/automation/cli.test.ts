import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { Approver } from "../../automation/approver";
import { CliIo, USAGE, defaultOrg, main } from "../../automation/cli";
import { PipelineResult } from "../../automation/pipeline";
import { PulumiLookup } from "../../automation/pulumiCli";
import { DEPLOY_ORDER } from "../../automation/runner";
import { STACK_ORDER } from "../../offline/stackConfig";
import { FakeRunner, ScriptedApprover, approveEverything, yes } from "./fakes";

const ROOT = path.resolve(__dirname, "../..");
const TD = "urn:pulumi:prod::tila-platform::tila:compute:MicroserviceService$aws:ecs/taskDefinition:TaskDefinition::prod-checkout-task";
const SVC = "urn:pulumi:prod::tila-platform::tila:compute:MicroserviceService$aws:ecs/service:Service::prod-checkout-service";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  runner: FakeRunner;
}

async function deploy(argv: string[], opts: { approver?: Approver; env?: Record<string, string>; runner?: FakeRunner; findPulumi?: PulumiLookup } = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const runner = opts.runner ?? new FakeRunner();
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: opts.env ?? {},
    projectDir: ROOT,
    runner,
    approver: opts.approver,
    resolveHotfixTargets: async () => [TD, SVC],
    findPulumi: opts.findPulumi ?? (() => ({ found: true, path: "/usr/local/bin/pulumi" })),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr, runner };
}

describe("npm run deploy", () => {
  it("takes the stacks' organization from PULUMI_ORG, else the one a DIY backend accepts, else tila", () => {
    expect(defaultOrg({ PULUMI_ORG: "acme", PULUMI_BACKEND_URL: "s3://state" })).to.equal("acme");
    for (const url of ["s3://tila-state/pulumi", "gs://b", "azblob://c", "file:///var/state"]) expect(defaultOrg({ PULUMI_BACKEND_URL: url }), url).to.equal("organization");
    expect(defaultOrg({ PULUMI_BACKEND_URL: "https://api.pulumi.com" })).to.equal("tila");
    expect(defaultOrg({})).to.equal("tila");
  });


  it("deploys the same stacks, in the same order, as the project and the offline engine", () => {
    const files = fs.readdirSync(ROOT).filter((f) => /^Pulumi\.[a-z]+\.yaml$/.test(f)).map((f) => f.split(".")[1]);
    expect([...DEPLOY_ORDER]).to.deep.equal(STACK_ORDER);
    expect([...files].sort()).to.deep.equal([...DEPLOY_ORDER].sort());
  });

  describe("usage (exit 2, nothing runs)", () => {
    const cases: [string, string[], RegExp][] = [
      ["no command", [], /name a command/],
      ["an unknown command", ["apply"], /unknown command "apply"/],
      ["an unknown option", ["preview", "--force"], /Unknown option '--force'/],
      ["an option of another command", ["preview", "--from", "dev"], /preview does not take --from/],
      ["a reversed promotion", ["promote", "--from", "prod", "--to", "dev"], /cannot promote from prod to dev/],
      ["a promotion without --to", ["promote", "--from", "dev"], /--to is required/],
      ["an unknown stack", ["converged", "--stack", "qa"], /unknown stack "qa"/],
      ["converged without a stack", ["converged"], /exactly one --stack/],
      ["a hot fix without a service", ["hotfix", "--stack", "prod"], /--service is required/],
      ["auto-approving prod", ["promote", "--from", "dev", "--to", "prod", "--auto-approve", "prod"], /prod always needs an explicit approval/],
    ];
    for (const [what, argv, message] of cases) {
      it(`rejects ${what}`, async () => {
        const r = await deploy(argv, { approver: argv.includes("--auto-approve") ? undefined : approveEverything() });
        expect(r.code).to.equal(2);
        expect(r.stderr).to.match(message).and.match(/\(npm run deploy -- --help lists the commands\)\n$/);
        expect(r.stderr.trimEnd().split("\n"), r.stderr).to.have.length(1);
        expect(r.runner.calls).to.deep.equal([]);
      });
    }

    it("prints the usage on --help and exits 0", async () => {
      const r = await deploy(["--help"]);
      expect(r.code).to.equal(0);
      expect(r.stdout).to.equal(USAGE);
    });
  });

  describe("without the pulumi CLI (exit 2, nothing runs)", () => {
    const missing: PulumiLookup = () => ({ found: false, detail: "spawnSync pulumi ENOENT" });

    it("says once, before any stack, what is missing and how to install the pinned version", async () => {
      const r = await deploy(["preview"], { findPulumi: missing });
      expect(r.code).to.equal(2);
      expect(r.runner.calls).to.deep.equal([]);
      expect(r.stdout).to.equal("");
      const lines = r.stderr.trimEnd().split("\n");
      expect(lines[0]).to.equal("deploy: the pulumi CLI is not on PATH; npm run deploy drives it through the Automation API, so nothing was run.");
      expect(lines[1]).to.equal("Install Pulumi CLI 3.248.0 (the version of @pulumi/pulumi here): curl -fsSL https://get.pulumi.com | sh -s -- --version 3.248.0");
      expect(lines[2]).to.equal("Other ways to install: https://www.pulumi.com/docs/install/");
      expect(lines).to.have.length(3);
      expect(r.stderr).to.not.include("ENOENT");
    });

    it("shows the lookup's raw error only under --verbose", async () => {
      const r = await deploy(["promote", "--from", "dev", "--to", "stage", "--verbose"], { findPulumi: missing });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include("deploy: pulumi lookup: spawnSync pulumi ENOENT");
      expect(r.runner.calls).to.deep.equal([]);
    });

    it("checks arguments first: a usage error wins over the missing CLI", async () => {
      let looked = false;
      const r = await deploy(["preview", "--from", "dev"], { findPulumi: () => ((looked = true), missing()) });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/preview does not take --from/);
      expect(looked).to.equal(false);
    });
  });

  it("previews every stack and prints one JSON document on stdout, progress on stderr", async () => {
    const r = await deploy(["preview", "--json"]);
    expect(r.code).to.equal(0);
    const doc = JSON.parse(r.stdout) as PipelineResult;
    expect(doc.action).to.equal("preview");
    expect(doc.steps.map((s) => s.stack)).to.deep.equal([...DEPLOY_ORDER]);
    expect(r.stderr).to.include("deploy: preview management");
  });

  it("exits 1 when a preview fails", async () => {
    const runner = new FakeRunner();
    runner.failing.add("preview:stage");
    const r = await deploy(["preview", "--stack", "stage", "--stack", "dev"], { runner });
    expect(r.code).to.equal(1);
    expect(r.stdout).to.match(/preview: FAILED/).and.match(/stage\s+failed/);
  });

  it("promotes with auto-approved non-prod stacks and the job's explicit prod approval", async () => {
    const r = await deploy(["promote", "--from", "dev", "--to", "prod", "--auto-approve", "dev", "--auto-approve", "stage", "--auto-approve", "preprod", "--json"], {
      env: { TILA_APPROVE: "prod", GITLAB_USER_LOGIN: "bob" },
    });
    expect(r.code).to.equal(0);
    const doc = JSON.parse(r.stdout) as PipelineResult;
    expect(doc.steps.map((s) => [s.stack, s.status, s.approvedBy])).to.deep.equal([
      ["dev", "deployed", "auto"],
      ["stage", "deployed", "auto"],
      ["preprod", "deployed", "auto"],
      ["prod", "deployed", "bob"],
    ]);
  });

  it("exits 1 and says which stacks were done when prod has no approval", async () => {
    const r = await deploy(["promote", "--from", "preprod", "--to", "prod", "--auto-approve", "preprod"]);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.match(/preprod\s+deployed/).and.match(/prod\s+refused\s+.*no approval for prod/);
    expect(r.runner.sequence).to.deep.equal(["preview preprod", "up preprod", "preview prod"]);
  });

  it("writes plans under --plan-dir and tags update messages with the CI pipeline", async () => {
    const r = await deploy(["promote", "--from", "dev", "--to", "dev", "--plan-dir", "/tmp/plans"], { approver: approveEverything(), env: { CI_PIPELINE_URL: "https://ci/p/1" } });
    const up = r.runner.calls.find((c) => c.op === "up")!;
    expect(up.opts.plan).to.equal("/tmp/plans/dev.promote.plan.json");
    expect(up.opts.message).to.include("https://ci/p/1");
  });

  it("runs a hot fix on the given URNs", async () => {
    const runner = new FakeRunner();
    runner.previews.prod = { changes: { update: 1 }, steps: [{ urn: SVC, type: "aws:ecs/service:Service", op: "update" }] };
    const r = await deploy(["hotfix", "--stack", "prod", "--service", "checkout", "--urn", SVC], { runner, approver: new ScriptedApprover({ prod: yes("carol") }) });
    expect(r.code).to.equal(0);
    expect(runner.calls.map((c) => c.opts.target)).to.deep.equal([[SVC], [SVC]]);
    expect(r.stdout).to.match(/converged --stack prod/);
  });

  it("checks convergence and exits 1 when the stack would change", async () => {
    const clean = new FakeRunner();
    clean.previews.prod = { changes: { same: 10 } };
    expect((await deploy(["converged", "--stack", "prod"], { runner: clean })).code).to.equal(0);
    expect((await deploy(["converged", "--stack", "prod"])).code).to.equal(1);
  });

  it("destroys only confirmed stacks, and prod only with --allow-prod", async () => {
    expect((await deploy(["destroy", "--stack", "dev", "--confirm", "dev"])).code).to.equal(0);
    const unconfirmed = await deploy(["destroy", "--stack", "dev"]);
    expect(unconfirmed.code).to.equal(1);
    expect(unconfirmed.runner.calls).to.deep.equal([]);
    expect((await deploy(["destroy", "--stack", "prod", "--confirm", "prod"])).code).to.equal(1);
    const allowed = await deploy(["destroy", "--stack", "prod", "--confirm", "prod", "--allow-prod"]);
    expect(allowed.code).to.equal(0);
    expect(allowed.runner.sequence).to.deep.equal(["destroy prod"]);
  });
});
