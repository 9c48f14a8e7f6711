import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ResourceRule } from "../../policy/rules/types";
import { PlanCliRun, runPlanCli } from "../support/planCli";
import { DEFAULT_PROJECT_DIR, ReuseContext, StackRun } from "../../offline/engine";
import { PLAN_INDEX } from "../../offline/outDir";
import { runPlan } from "../../offline/plan";
import { PlanCache, storedKey } from "../../offline/planCache";
import { writePlanFiles } from "../../offline/planFiles";
import type { PolicySetup } from "../../offline/policyPlan";

const FIXTURE = path.resolve(__dirname, "../fixtures/program");
const STACKS = ["management", "dev", "stage", "preprod", "prod"];
const VPC = "aws:ec2/vpc:Vpc";

type Run = PlanCliRun;

/** Progress lines by stack: "reused" or "ran". */
function how(r: Run): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of r.stderr.matchAll(/^\[\d+\/\d+\] (\S+) \.\.\. (.*)$/gm)) out[m[1]] = m[2].startsWith("reused (unchanged)") ? "reused" : "ran";
  return out;
}

function ranOnly(...stacks: string[]): Record<string, string> {
  return Object.fromEntries(STACKS.map((s) => [s, stacks.includes(s) ? "ran" : "reused"]));
}

/** Every plan file (not the cache, not the index's timestamp) as text. */
function planFiles(out: string): Record<string, string> {
  const index = JSON.parse(fs.readFileSync(path.join(out, PLAN_INDEX), "utf8")) as { files: string[] };
  return Object.fromEntries(index.files.map((f) => [f, fs.readFileSync(path.join(out, f), "utf8")]));
}

const withoutTimes = (text: string): string => text.replace(/\d+\.\d s/g, "T");

describe("incremental plans (the plan's cache)", function () {
  this.timeout(120_000);
  let tmp: string;
  let project: string;
  let out: string;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tila-plancache-"));
    project = path.join(tmp, "project");
    out = path.join(tmp, "out");
    fs.mkdirSync(project);
    for (const f of fs.readdirSync(FIXTURE).filter((n) => /^Pulumi\..*yaml$/.test(n))) fs.copyFileSync(path.join(FIXTURE, f), path.join(project, f));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  async function plan(argv: string[] = [], policy?: PolicySetup): Promise<Run> {
    return runPlanCli(["--out", out, ...argv], { cwd: tmp, projectDir: project, programPath: path.join(FIXTURE, "index.ts"), ...(policy ? { policy } : {}) });
  }

  function edit(stack: string, from: string | RegExp, to: string): void {
    const file = path.join(project, `Pulumi.${stack}.yaml`);
    const text = fs.readFileSync(file, "utf8");
    const next = text.replace(from, to);
    expect(next, `edit of ${file}`).to.not.equal(text);
    fs.writeFileSync(file, next);
  }

  it("an unchanged re-plan reuses every stack: byte-identical plan files, the same report, cached: true in --json", async () => {
    const first = await plan();
    expect(first.code, first.stderr).to.equal(0);
    expect(how(first)).to.deep.equal(ranOnly(...STACKS));
    const files = planFiles(out);
    const second = await plan();
    expect(second.code, second.stderr).to.equal(0);
    expect(how(second)).to.deep.equal(ranOnly());
    expect(planFiles(out)).to.deep.equal(files);
    expect(withoutTimes(second.stdout)).to.equal(withoutTimes(first.stdout));
    const json = JSON.parse((await plan(["--json"])).stdout) as { stacks: { stack: string; cached?: boolean }[] };
    expect(json.stacks.map((s) => s.cached)).to.deep.equal(STACKS.map(() => true));
  });

  it("keeps the cache out of the index and leaves other files in .cache alone", async () => {
    await plan();
    const index = JSON.parse(fs.readFileSync(path.join(out, PLAN_INDEX), "utf8")) as { files: string[] };
    expect(index.files.filter((f) => f.includes(".cache"))).to.deep.equal([]);
    expect(fs.readdirSync(path.join(out, ".cache")).sort()).to.deep.equal(STACKS.map((s) => `${s}.json`).sort());
    fs.writeFileSync(path.join(out, ".cache", "notes.txt"), "mine");
    await plan(["--stack", "dev"]);
    expect(fs.readFileSync(path.join(out, ".cache", "notes.txt"), "utf8")).to.equal("mine");
    expect(fs.existsSync(path.join(out, ".cache", "prod.json")), "other stacks' entries stay usable").to.equal(true);
  });

  it("reuses an entry holding text that is not ASCII exactly as it was stored (entries are read as Latin-1 only when ASCII)", async () => {
    const owner = "فريق المنصة — équipe";
    edit("dev", "azCount: 2", `azCount: 2\n  tila-platform:owner: "${owner}"`);
    const first = await plan(["--stack", "dev"]);
    expect(first.code, first.stderr).to.equal(0);
    const files = planFiles(out);
    expect(files["dev/resources.json"]).to.contain(owner);
    const second = await plan(["--stack", "dev"]);
    expect(how(second)).to.deep.equal({ dev: "reused" });
    expect(planFiles(out)).to.deep.equal(files);
  });

  it("re-runs a stack whose own config changed, and only that stack", async () => {
    await plan();
    edit("dev", "azCount: 2", "azCount: 3");
    const r = await plan();
    expect(how(r)).to.deep.equal(ranOnly("dev"));
    expect(JSON.parse(fs.readFileSync(path.join(out, "dev", "resources.json"), "utf8")).filter((x: { type: string }) => x.type === "aws:ec2/subnet:Subnet")).to.have.length(3);
  });

  it("re-runs every other stack when a sibling's key that config validation reads changes (its network CIDR)", async () => {
    edit("dev", "tila-platform:azCount: 2", "tila-platform:azCount: 2\n  tila-platform:network:\n    cidr: 10.10.0.0/16\n    azCount: 2");
    await plan();
    edit("dev", "    azCount: 2", "    azCount: 3");
    expect(how(await plan()), "a key validation does not read of an environment").to.deep.equal(ranOnly("dev"));
    edit("dev", "cidr: 10.10.0.0/16", "cidr: 10.11.0.0/16");
    expect(how(await plan())).to.deep.equal(ranOnly(...STACKS));
  });

  it("re-runs the environments when management's config changes (validation parses all of it)", async () => {
    await plan();
    edit("management", "azCount: 3", "azCount: 2");
    expect(how(await plan())).to.deep.equal(ranOnly(...STACKS));
  });

  it("--no-cache runs every stack and rewrites the cache", async () => {
    await plan();
    const entry = path.join(out, ".cache", "prod.json");
    fs.utimesSync(entry, new Date(0), new Date(0));
    const r = await plan(["--no-cache"]);
    expect(how(r)).to.deep.equal(ranOnly(...STACKS));
    expect(fs.statSync(entry).mtimeMs).to.be.greaterThan(0);
    expect(how(await plan())).to.deep.equal(ranOnly());
  });

  it("ignores a corrupt or foreign-format entry with one line, runs that stack and replaces the entry", async () => {
    await plan();
    fs.writeFileSync(path.join(out, ".cache", "dev.json"), "{ not json");
    const prod = JSON.parse(fs.readFileSync(path.join(out, ".cache", "prod.json"), "utf8")) as Record<string, unknown>;
    fs.writeFileSync(path.join(out, ".cache", "prod.json"), JSON.stringify({ ...prod, version: 999 }));
    const r = await plan();
    expect(r.code, r.stderr).to.equal(0);
    expect(how(r)).to.deep.equal(ranOnly("dev", "prod"));
    const notes = r.stderr.split("\n").filter((l) => l.startsWith("cache:"));
    expect(notes).to.have.length(2);
    expect(notes[0]).to.match(/^cache: ignoring \.cache\/dev\.json: not valid JSON .*; dev runs in full$/);
    expect(notes[1]).to.equal("cache: ignoring .cache/prod.json: format 999, this plan reads 1; prod runs in full");
    expect(how(await plan())).to.deep.equal(ranOnly());
  });

  it("reads an entry's key from its first bytes, and skips a stale entry without parsing the rest", async () => {
    await plan();
    const file = path.join(out, ".cache", "prod.json");
    const entry = JSON.parse(fs.readFileSync(file, "utf8")) as { key: string };
    expect(storedKey(file, "prod")).to.equal(entry.key).and.match(/^[0-9a-f]{64}$/);
    expect(storedKey(file, "dev"), "an entry of another stack").to.equal(undefined);
    const text = fs.readFileSync(file, "utf8");
    for (const head of [text.replace('"version":1', '"version":2'), text.replace('"writtenBy"', '"by"'), " " + text, ""]) {
      fs.writeFileSync(file, head);
      expect(storedKey(file, "prod"), head.slice(0, 40)).to.equal(undefined);
    }
    expect(storedKey(path.join(out, ".cache", "missing.json"), "prod")).to.equal(undefined);
    // Stale (its config changed) with a damaged tail: not parsed, so not reported, and replaced.
    fs.writeFileSync(file, text.slice(0, 2000));
    edit("prod", "azCount: 2", "azCount: 3");
    const stale = await plan();
    expect(stale.stderr).not.to.contain("cache: ignoring");
    expect(how(stale)).to.deep.equal(ranOnly("prod"));
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).to.have.property("key").that.not.equals(entry.key);
    // Under the key this plan computes, with a damaged tail: read in full, said, and run.
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").slice(0, 2000));
    const damaged = await plan();
    expect(damaged.stderr).to.match(/^cache: ignoring \.cache\/prod\.json: not valid JSON/m);
    expect(how(damaged)).to.deep.equal(ranOnly("prod"));
  });

  it("stores nothing a source edited while the plan ran could affect, and reads only stats when none was", async () => {
    // The fixture program copied beside the project, so that a test may edit one of its sources.
    const program = path.join(tmp, "program");
    fs.mkdirSync(program);
    for (const f of ["index.ts", "network.ts"]) {
      const text = fs.readFileSync(path.join(FIXTURE, f), "utf8").replace(/"(\.\.\/)+config\/errors"/g, JSON.stringify(path.join(DEFAULT_PROJECT_DIR, "config/errors")));
      fs.writeFileSync(path.join(program, f), text);
    }
    fs.copyFileSync(path.join(FIXTURE, "Pulumi.yaml"), path.join(program, "Pulumi.yaml"));
    fs.symlinkSync(path.join(DEFAULT_PROJECT_DIR, "node_modules"), path.join(program, "node_modules"));
    const planWith = async (during: () => void): Promise<{ files: string[]; notes: string[] }> => {
      const notes: string[] = [];
      const cache = new PlanCache({ outDir: out, repoRoot: DEFAULT_PROJECT_DIR, read: false, onNote: (l) => notes.push(l) });
      let first = true;
      const result = await runPlan({
        projectDir: project,
        programPath: path.join(program, "index.ts"),
        stacks: ["management", "dev"],
        cache,
        onProgress: () => {
          if (first) during();
          first = false;
        },
      });
      expect(result.stacks.map((p) => [p.stack, p.ok, p.errors])).to.deep.equal([["management", true, undefined], ["dev", true, undefined]]);
      return { files: (result.cache?.files ?? []).map((f) => f.rel), notes };
    };
    expect(await planWith(() => undefined)).to.deep.equal({ files: [".cache/management.json", ".cache/dev.json"], notes: [] });
    const edited = await planWith(() => fs.appendFileSync(path.join(program, "network.ts"), "// edited while the plan ran\n"));
    expect(edited.files).to.deep.equal([]);
    expect(edited.notes).to.deep.equal(["cache: management not stored: its sources or config changed while the plan ran", "cache: dev not stored: its sources or config changed while the plan ran"]);
  });

  it("removes an unreadable entry of a stack that then fails, and never stores a failed stack", async () => {
    await plan();
    fs.writeFileSync(path.join(out, ".cache", "dev.json"), "garbage");
    edit("dev", "vpcCidr: 10.10.0.0/16", "vpcCidr: nonsense");
    const r = await plan();
    expect(r.code).to.equal(1);
    expect(fs.existsSync(path.join(out, ".cache", "dev.json"))).to.equal(false);
    expect(fs.existsSync(path.join(out, ".cache", "prod.json"))).to.equal(true);
  });

  it("reuses a graph under a changed policy config but runs the policy again", async () => {
    const configDir = path.join(tmp, "policy");
    fs.mkdirSync(configDir);
    for (const s of STACKS) fs.writeFileSync(path.join(configDir, `${s}.json`), JSON.stringify({ "fixture-vpc-cost-center": "advisory" }));
    const rule: ResourceRule = {
      name: "fixture-vpc-cost-center",
      description: "Fixture: VPCs carry a CostCenter tag.",
      meta: { category: "security", domain: "tagging", appliesTo: [VPC] },
      validateResource: (a, report) => {
        if (a.type === VPC && !(a.props.tags ?? {}).CostCenter) report(`VPC ${a.name} has no CostCenter tag`);
      },
    };
    const setup: PolicySetup = { rules: [rule], configDir, packEnforcementLevel: "mandatory" };
    expect((await plan([], setup)).code).to.equal(0);
    const again = await plan([], setup);
    expect(again.stdout).to.contain("[advisory] fixture-vpc-cost-center");
    fs.writeFileSync(path.join(configDir, "prod.json"), JSON.stringify({ "fixture-vpc-cost-center": "mandatory" }));
    const r = await plan([], setup);
    expect(r.code, "the stored advisory finding is not reused").to.equal(1);
    expect(r.stdout.split("== prod")[1]).to.contain("[mandatory] fixture-vpc-cost-center");
    expect(how(r), "the graphs themselves are unchanged").to.deep.equal(ranOnly());
    expect(how(await plan())).to.deep.equal(ranOnly(), "no policy at all: the graphs are still the same");
  });

  it("checks again only the resources of a re-run stack whose input changed, with a full check's findings", async () => {
    const configDir = path.join(tmp, "policy");
    fs.mkdirSync(configDir);
    for (const s of STACKS) fs.writeFileSync(path.join(configDir, `${s}.json`), "{}");
    const SUBNET = "aws:ec2/subnet:Subnet";
    let validated: string[] = [];
    const rule: ResourceRule = {
      name: "fixture-subnet-cost-center",
      description: "Fixture: subnets carry a CostCenter tag.",
      meta: { category: "security", domain: "tagging", appliesTo: [SUBNET] },
      validateResource: (a, report) => {
        validated.push(a.name);
        if (a.type === VPC) a.notApplicable("a VPC");
        if (a.type === SUBNET && !(a.props.tags ?? {}).CostCenter) report(`subnet ${a.name} has no CostCenter tag`);
      },
    };
    const setup: PolicySetup = { rules: [rule], configDir, packEnforcementLevel: "advisory" };
    const first = await plan(["--stack", "dev"], setup);
    expect(first.code, first.stderr).to.equal(0);
    const everything = validated.length;
    expect(fs.existsSync(path.join(out, ".cache", "dev.outcomes.json"))).to.equal(true);

    edit("dev", "azCount: 2", "azCount: 3");
    validated = [];
    const again = await plan(["--stack", "dev"], setup);
    expect(how(again)).to.deep.equal({ dev: "ran" });
    const rechecked = [...validated];
    expect(rechecked, "only what changed is checked again: the third subnet, its route table association, the attachment").to.deep.equal(["dev-app-2", "dev-app-rta-2", "dev-tgw-attachment"]);
    const fresh = path.join(tmp, "fresh");
    const full = await runPlanCli(["--out", fresh, "--stack", "dev", "--no-cache"], { cwd: tmp, projectDir: project, programPath: path.join(FIXTURE, "index.ts"), policy: setup });
    expect(fs.readFileSync(path.join(out, "dev", "policy.json"), "utf8")).to.equal(fs.readFileSync(path.join(fresh, "dev", "policy.json"), "utf8"));
    expect(withoutTimes(again.stdout)).to.equal(withoutTimes(full.stdout).replaceAll(fresh, out));
    expect(again.stdout).to.contain("subnet").and.contain("has no CostCenter tag");

    // Another pack config: every resource is checked again.
    fs.writeFileSync(path.join(configDir, "dev.json"), JSON.stringify({ "fixture-subnet-cost-center": "mandatory" }));
    edit("dev", "azCount: 3", "azCount: 2");
    validated = [];
    await plan(["--stack", "dev"], setup);
    expect(validated).to.have.length(everything);

    // A damaged file is said once and not used.
    fs.writeFileSync(path.join(out, ".cache", "dev.outcomes.json"), '{"writtenBy":"npm run plan (policy outcomes)","version":1');
    edit("dev", "azCount: 2", "azCount: 3");
    validated = [];
    const damaged = await plan(["--stack", "dev"], setup);
    expect(damaged.stderr).to.match(/^cache: ignoring \.cache\/dev\.outcomes\.json: not valid JSON .*; every resource of dev is checked$/m);
    expect(validated.length).to.be.greaterThan(everything);
  });

  it("re-runs every stack when a program source changes (injected source digest)", async () => {
    let sources = "a";
    const once = async (): Promise<string[]> => {
      const lines: string[] = [];
      const cache = new PlanCache({ outDir: out, repoRoot: DEFAULT_PROJECT_DIR, sources: () => sources });
      const result = await runPlan({ projectDir: project, programPath: path.join(FIXTURE, "index.ts"), cache, onProgress: (l) => lines.push(l) });
      expect(writePlanFiles(result, out, { knownStacks: STACKS }).errors).to.deep.equal([]);
      return lines.map((l) => (l.includes("reused (unchanged)") ? "reused" : "ran"));
    };
    expect(await once()).to.deep.equal(STACKS.map(() => "ran"));
    expect(await once()).to.deep.equal(STACKS.map(() => "reused"));
    sources = "b";
    expect(await once()).to.deep.equal(STACKS.map(() => "ran"));
  });
});

describe("PlanCache.reuse: what other stacks served", () => {
  let tmp: string;
  let run: StackRun;
  let management: StackRun;
  const project = { projectDir: FIXTURE, programPath: path.join(FIXTURE, "index.ts"), stacks: STACKS };

  before(async function () {
    this.timeout(60_000);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tila-plancache-unit-"));
    const cache = new PlanCache({ outDir: tmp, repoRoot: DEFAULT_PROJECT_DIR, sources: () => "s" });
    const result = await runPlan({ projectDir: FIXTURE, stack: "dev", cache });
    writePlanFiles(result, tmp, { knownStacks: STACKS });
    run = result.runs.dev;
    management = { ...(result.runs.management ?? (await runPlan({ projectDir: FIXTURE, stack: "management" })).runs.management) };
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** Answers lookups from management's graph, as the engine would after running it. */
  const fromManagement: ReuseContext["lookup"] = (id) => {
    const resource = management.resources.find((r) => r.custom && r.id === id);
    return resource ? { stack: "management", resource, accountId: management.config.accountId } : undefined;
  };

  function ctx(served: StackRun, lookup: ReuseContext["lookup"] = fromManagement): ReuseContext {
    return { config: run.config, run: async () => served, lookup };
  }

  it("recorded that dev read management's outputs", () => {
    expect(run.references).to.deep.equal(["management"]);
  });

  it("takes the stored run while management serves the same outputs", async () => {
    const cache = new PlanCache({ outDir: tmp, repoRoot: DEFAULT_PROJECT_DIR, sources: () => "s" });
    const reused = await cache.reuse("dev", ctx(management), project);
    expect(reused?.cached).to.equal(true);
    expect(reused?.resources).to.deep.equal(JSON.parse(JSON.stringify(run.resources)));
  });

  it("runs again when management's outputs differ", async () => {
    const cache = new PlanCache({ outDir: tmp, repoRoot: DEFAULT_PROJECT_DIR, sources: () => "s" });
    expect(await cache.reuse("dev", ctx({ ...management, outputs: { ...management.outputs, vpcId: "vpc-other" } }), project)).to.equal(undefined);
  });

  it("runs again when management marks another output secret", async () => {
    const cache = new PlanCache({ outDir: tmp, repoRoot: DEFAULT_PROJECT_DIR, sources: () => "s" });
    expect(await cache.reuse("dev", ctx({ ...management, secretOutputs: [...management.secretOutputs, "vpcId"] }), project)).to.equal(undefined);
  });

  it("runs again when an AWS check's cross-stack lookup would answer differently", async () => {
    const cache = new PlanCache({ outDir: tmp, repoRoot: DEFAULT_PROJECT_DIR, sources: () => "s" });
    const looked = run.lookups ?? [];
    expect(looked.length, "dev's attachment names management's gateway").to.be.greaterThan(0);
    const tgw = management.resources.find((r) => r.id === looked[0].id);
    expect(tgw).to.not.equal(undefined);
    if (!tgw) return;
    const answer = (resource: typeof tgw): ReuseContext["lookup"] => (id) => (id === tgw.id ? { stack: "management", resource, accountId: management.config.accountId } : undefined);
    expect((await cache.reuse("dev", ctx(management, answer(tgw)), project))?.cached).to.equal(true);
    const changed = { ...tgw, inputs: { ...tgw.inputs, defaultRouteTableAssociation: "enable" } };
    expect(await new PlanCache({ outDir: tmp, repoRoot: DEFAULT_PROJECT_DIR, sources: () => "s" }).reuse("dev", ctx(management, answer(changed)), project)).to.equal(undefined);
  });
});
