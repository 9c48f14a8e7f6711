/**
 * diff.ts on small handmade plans: created, deleted and updated resources (nested paths, arrays by
 * index, JSON strings compared as structures), secrets never shown, new and resolved policy
 * findings, reachability changes, the cost delta, and a fixed order whatever order the inputs are in.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PlanSnapshot, ResourceRecord, StackSnapshot, changedPaths, diffPlans, formatDiff, planDirProblem, readPlanDir } from "../../offline/diff";
import type { PolicyRecord } from "../../offline/planFiles";
import type { Flow, ReachabilityReport } from "../../offline/reachability";
import { tempDirEach } from "../support/tempDir";

const urn = (stack: string, type: string, name: string): string => `urn:pulumi:${stack}::tila-platform::${type}::${name}`;

function res(stack: string, type: string, name: string, inputs: Record<string, unknown>, extra: Partial<ResourceRecord> = {}): ResourceRecord {
  return {
    urn: urn(stack, type, name),
    type,
    name,
    parent: null,
    custom: true,
    id: `${name}-id`,
    inputs,
    outputs: {},
    options: { protect: false, retainOnDelete: false, dependsOn: [], ignoreChanges: [], deleteBeforeReplace: false, additionalSecretOutputs: [] },
    secretInputs: [],
    secretOutputs: [],
    ...extra,
  };
}

const VPC = "aws:ec2/vpc:Vpc";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const DB = "aws:rds/instance:Instance";

const vpc = res("prod", VPC, "prod-vpc", { cidrBlock: "10.40.0.0/16", tags: { Name: "prod" } });
const sg = res("prod", SG, "prod-app-sg", { ingress: [{ fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"] }, { fromPort: 8080, toPort: 8080, cidrBlocks: ["10.0.0.0/16"] }] });
const containers = (image: string): string => JSON.stringify([{ name: "cart", image, essential: true, secrets: [{ name: "DB", valueFrom: "arn:x" }] }]);
const task = res("prod", TASK, "prod-cart-task", { family: "prod-cart", containerDefinitions: containers("ecr/tila/cart:1.19.2") });
const db = res("prod", DB, "prod-db", { instanceClass: "db.r6g.large", password: "[secret]" }, { secretInputs: ["password"] });

const finding = (policy: string, target: ResourceRecord, message: string): PolicyRecord => ({ policy, level: "advisory", urn: target.urn, name: target.name, type: target.type, message });

function plan(resources: ResourceRecord[], violations?: PolicyRecord[], reachability?: ReachabilityReport): PlanSnapshot {
  const stack: StackSnapshot = { resources, ...(violations ? { violations } : {}) };
  return { stacks: { prod: stack }, ...(reachability ? { reachability } : {}) };
}

describe("plan diff (offline/diff.ts)", () => {
  it("reports an unchanged plan as unchanged, with nothing created, deleted or updated", () => {
    const d = diffPlans(plan([vpc, sg, task, db], []), plan([vpc, sg, task, db], []), "old");
    expect(d.stacks).to.have.length(1);
    expect(d.stacks[0]).to.deep.include({ stack: "prod", status: "unchanged", created: [], deleted: [], updated: [], policy: { new: [], resolved: [] } });
  });

  it("finds a created and a deleted resource by URN", () => {
    const d = diffPlans(plan([vpc, sg]), plan([vpc, db]), "old").stacks[0];
    expect(d.status).to.equal("changed");
    expect(d.created).to.deep.equal([{ urn: db.urn, type: DB, name: "prod-db" }]);
    expect(d.deleted).to.deep.equal([{ urn: sg.urn, type: SG, name: "prod-app-sg" }]);
    expect(d.updated).to.deep.equal([]);
  });

  it("gives an update's changed input paths deep, arrays by index, old -> new", () => {
    const changed = res("prod", SG, "prod-app-sg", { ingress: [{ fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16", "10.10.0.0/16"] }, { fromPort: 8443, toPort: 8080, cidrBlocks: ["10.0.0.0/16"] }] });
    const d = diffPlans(plan([vpc, sg]), plan([changed, vpc]), "old").stacks[0];
    expect(d.updated).to.have.length(1);
    expect(d.updated[0].urn).to.equal(sg.urn);
    expect(d.updated[0].changes).to.deep.equal([
      { path: "ingress[0].cidrBlocks[1]", new: '"10.10.0.0/16"' },
      { path: "ingress[1].fromPort", old: "8080", new: "8443" },
    ]);
  });

  it("compares a JSON string input (container definitions) as its structure: a new image is one path", () => {
    const hotfix = res("prod", TASK, "prod-cart-task", { family: "prod-cart", containerDefinitions: containers("ecr/tila/cart:1.19.2-hotfix.1") });
    const d = diffPlans(plan([task, vpc]), plan([vpc, hotfix]), "old").stacks[0];
    expect(d.updated.map((u) => u.changes)).to.deep.equal([[{ path: "containerDefinitions[0].image", old: '"ecr/tila/cart:1.19.2"', new: '"ecr/tila/cart:1.19.2-hotfix.1"' }]]);
  });

  it("shows two long values from just before where they first differ, so the change is in view", () => {
    const a = "x".repeat(1000) + "old-tail";
    const b = "x".repeat(1000) + "new-tail";
    const [c] = changedPaths({ script: a }, { script: b });
    expect(c.old).to.match(/^…x+old-tail"$/);
    expect(c.new).to.match(/^…x+new-tail"$/);
    expect(c.old!.length).to.be.at.most(300);
    const [d] = changedPaths({ script: "y" + a }, { script: "z" + a });
    expect(d.old).to.match(/^"yx+…$/);
    expect(d.old!.length).to.be.at.most(300);
  });

  it("names keys that are not identifiers in brackets", () => {
    expect(changedPaths({ tags: { "aws:cdk": "a" } }, { tags: { "aws:cdk": "b" } })).to.deep.equal([{ path: 'tags["aws:cdk"]', old: '"a"', new: '"b"' }]);
  });

  it("never shows a secret: a value masked or secret on either side shows [secret] on both, and a secret path shows [secret] whatever the file holds", () => {
    // A changed secret cannot be seen from masked files: both sides are "[secret]".
    const same = res("prod", DB, "prod-db", { instanceClass: "db.r6g.large", password: "[secret]" }, { secretInputs: ["password"] });
    expect(diffPlans(plan([db]), plan([same]), "old").stacks[0].status).to.equal("unchanged");
    // Became secret: a path secret on either side is masked on both (the old value may be the secret itself).
    const wasPlain = res("prod", DB, "prod-db", { instanceClass: "db.r6g.large", password: "hunter2-old" });
    expect(diffPlans(plan([wasPlain]), plan([db]), "old").stacks[0].updated[0].changes).to.deep.equal([{ path: "password", old: "[secret]", new: "[secret]" }]);
    // A value under a listed secret path is never printed, even if a file held it in the clear.
    const leaky = res("prod", DB, "prod-db", { instanceClass: "db.r6g.large", password: { value: "s3cr3t-new" } }, { secretInputs: ["password"] });
    const leakyOld = res("prod", DB, "prod-db", { instanceClass: "db.r6g.large", password: { value: "s3cr3t-old" } }, { secretInputs: ["password"] });
    const d = diffPlans(plan([leakyOld]), plan([leaky]), "old");
    expect(d.stacks[0].updated[0].changes).to.deep.equal([{ path: "password.value", old: "[secret]", new: "[secret]" }]);
    const text = formatDiff(d) + JSON.stringify(d);
    expect(text).not.to.contain("s3cr3t");
  });

  it("reports a changed protect option as an update, and ignores dependsOn order", () => {
    const protectedVpc = res("prod", VPC, "prod-vpc", vpc.inputs, { options: { ...vpc.options, protect: true, dependsOn: ["b", "a"] } });
    const d = diffPlans(plan([vpc]), plan([protectedVpc]), "old").stacks[0];
    expect(d.updated[0].changes).to.deep.equal([{ path: "options.protect", old: "false", new: "true" }]);
  });

  it("tells new policy findings from resolved ones", () => {
    const open = finding("ec2-sg-no-public", sg, "open to the world");
    const tags = finding("tagging-required", vpc, "no CostCenter");
    const dbFinding = finding("rds-multi-az", db, "single AZ");
    const d = diffPlans(plan([vpc, sg, db], [open, tags]), plan([vpc, sg, db], [tags, dbFinding]), "old").stacks[0];
    expect(d.status, "a finding alone is a change").to.equal("changed");
    expect(d.policy).to.deep.equal({ new: [dbFinding], resolved: [open] });
  });

  it("does not compare findings when either plan has none recorded, and says why", () => {
    const d = diffPlans(plan([vpc]), plan([vpc], []), "old").stacks[0];
    expect(d.policy).to.equal(undefined);
    expect(d.policyNote).to.contain("no policy.json");
  });

  it("lists reachability flows whose verdict or admitted ports changed", () => {
    const flow = (from: string, to: string, allowed: boolean, ports?: Flow["ports"]): Flow => ({ from, to, allowed, path: [], ...(ports ? { ports } : {}) });
    const https = { protocol: "tcp" as const, ports: "443", from: ["10.0.0.0/16"], partial: false };
    const pg = { protocol: "tcp" as const, ports: "5432", from: ["10.0.0.0/16"], partial: false };
    const nodes: ReachabilityReport["networks"] = [];
    const before: ReachabilityReport = { networks: nodes, flows: [flow("management", "prod", true, [https]), flow("prod", "management", false), flow("dev", "prod", false)] };
    const after: ReachabilityReport = { networks: nodes, flows: [flow("management", "prod", true, [https, pg]), flow("prod", "management", true, []), flow("dev", "prod", false)] };
    const d = diffPlans(plan([vpc], [], before), plan([vpc], [], after), "old");
    expect(d.reachability).to.deep.equal([
      { from: "management", to: "prod", old: "tcp 443", new: "tcp 443, tcp 5432" },
      { from: "prod", to: "management", old: "blocked", new: "none" },
    ]);
    expect(formatDiff(d)).to.contain("management -> prod: tcp 443 -> tcp 443, tcp 5432");
  });

  it("gives the cost delta from the estimator over both plans, and none without one", () => {
    const costOf = (_: string, resources: readonly ResourceRecord[]): number => resources.filter((r) => r.type === DB).length * 250.5;
    expect(diffPlans(plan([vpc]), plan([vpc, db]), "old", { costOf }).stacks[0].cost).to.deep.equal({ old: 0, new: 250.5, delta: 250.5 });
    expect(diffPlans(plan([vpc]), plan([vpc, db]), "old").stacks[0].cost).to.equal(undefined);
  });

  it("orders stacks in platform order and resources by URN, whatever order they came in", () => {
    const dev = (name: string): ResourceRecord => res("dev", VPC, name, {});
    const old: PlanSnapshot = { stacks: { prod: { resources: [] }, dev: { resources: [] }, management: { resources: [] } } };
    const now: PlanSnapshot = { stacks: { prod: { resources: [db, vpc, sg] }, dev: { resources: [dev("b"), dev("a")] }, management: { resources: [] } } };
    const d = diffPlans(old, now, "old");
    expect(d.stacks.map((s) => s.stack)).to.deep.equal(["management", "dev", "prod"]);
    expect(d.stacks[2].created.map((r) => r.name)).to.deep.equal([db, sg, vpc].sort((a, b) => (a.urn < b.urn ? -1 : 1)).map((r) => r.name));
    expect(d.stacks[1].created.map((r) => r.name)).to.deep.equal(["a", "b"]);
    expect(JSON.stringify(diffPlans(old, now, "old"))).to.equal(JSON.stringify(d));
  });

  it("marks a stack the new plan could not plan as not compared, naming why", () => {
    const d = diffPlans(plan([vpc]), { stacks: {} }, "old", { stacks: ["prod"], failed: { prod: "failed in this plan (config)" } });
    expect(d.stacks[0]).to.include({ status: "not compared", note: "failed in this plan (config)" });
  });

  it("reads an old plan folder without loading the engine or the Pulumi SDK (the CLI checks --diff before the policy worker starts)", function () {
    this.timeout(30_000);
    const root = path.resolve(__dirname, "../..");
    const probe = "require('./offline/planDir'); const heavy = Object.keys(require.cache).filter((k) => /offline[\\/](engine|plan)\\.ts$|@pulumi[\\/]pulumi[\\/]index\\.js$/.test(k)); console.log(JSON.stringify(heavy));";
    const r = spawnSync(process.execPath, ["-r", "./scripts/register-ts.cjs", "-e", probe], { cwd: root, encoding: "utf8" });
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout.trim().split("\n").pop() ?? "null")).to.deep.equal([]);
  });

  describe("reading an old plan folder", () => {
    const tmp = tempDirEach("tila-diff-");
    it("reads the stacks its index lists as ok, with their findings, and refuses a folder that is not a plan", () => {
      const dir = tmp();
      fs.writeFileSync(path.join(dir, ".tila-plan"), "x");
      fs.mkdirSync(path.join(dir, "prod"));
      fs.mkdirSync(path.join(dir, "dev"));
      fs.writeFileSync(path.join(dir, "prod", "resources.json"), JSON.stringify([vpc]));
      fs.writeFileSync(path.join(dir, "prod", "policy.json"), JSON.stringify({ stack: "prod", violations: [finding("r", vpc, "m")] }));
      fs.writeFileSync(path.join(dir, "dev", "resources.json"), JSON.stringify([]));
      fs.writeFileSync(path.join(dir, "index.json"), JSON.stringify({ stacks: { prod: "ok", dev: "failed (config)" }, files: ["prod/resources.json", "prod/policy.json", "dev/resources.json"] }));
      const snap = readPlanDir(dir);
      expect(Object.keys(snap.stacks)).to.deep.equal(["prod"]);
      expect(snap.stacks.prod.violations).to.have.length(1);
      expect(planDirProblem(dir)).to.equal(undefined);
      const other = path.join(dir, "notes");
      fs.mkdirSync(other);
      fs.writeFileSync(path.join(other, "a.txt"), "x");
      expect(planDirProblem(other)).to.contain("is not a plan folder");
      expect(planDirProblem(path.join(dir, "nope"))).to.equal("no such folder");
      expect(planDirProblem(path.join(other, "a.txt"))).to.contain("is a file");
    });
  });
});
