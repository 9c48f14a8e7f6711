/**
 * The plan folder keeps each stack's policy findings (`<stack>/policy.json`), so that a later plan's
 * diff can tell new findings from resolved ones: what is written, in what order, and that the
 * folder rules (index, stale files removed) hold for it as for the other plan files.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import type { ResourceRule } from "../../policy/rules/types";
import { PLAN_INDEX, isPlanFile } from "../../offline/outDir";
import type { PolicyViolation } from "../../offline/plan";
import { PolicyFile, policyRecords } from "../../offline/planFiles";
import type { PolicySetup } from "../../offline/policyPlan";
import { runPlanCli } from "../support/planCli";
import { tempDirEach } from "../support/tempDir";

const FIXTURE = path.resolve(__dirname, "../fixtures/program");
const STACKS = ["management", "dev", "stage", "preprod", "prod"];
const VPC = "aws:ec2/vpc:Vpc";

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, "utf8")) as T;

describe("policy findings in the plan folder (<stack>/policy.json)", () => {
  const tmp = tempDirEach("tila-plan-policy-");

  /** A one-rule pack: every VPC without a CostCenter tag, at `level`. */
  function pack(level: "advisory" | "mandatory"): PolicySetup {
    const configDir = path.join(tmp(), "policy");
    fs.mkdirSync(configDir, { recursive: true });
    for (const s of STACKS) fs.writeFileSync(path.join(configDir, `${s}.json`), JSON.stringify({ "fixture-vpc-cost-center": level }));
    const rule: ResourceRule = {
      name: "fixture-vpc-cost-center",
      description: "Fixture: VPCs carry a CostCenter tag.",
      meta: { category: "security", domain: "tagging", appliesTo: [VPC] },
      validateResource: (a, report) => {
        if (a.type === VPC && !(a.props.tags ?? {}).CostCenter) report(`VPC ${a.name} has no CostCenter tag`);
      },
    };
    return { rules: [rule], configDir, packEnforcementLevel: "mandatory" };
  }

  it("writes each stack's findings with rule, resource URN, name, type, level and message, listed in the index", async () => {
    const out = path.join(tmp(), "plan");
    const r = await runPlanCli(["--out", out, "--no-cache"], { cwd: tmp(), projectDir: FIXTURE, policy: pack("advisory") });
    expect(r.code, r.stderr).to.equal(0);
    const dev = readJson<PolicyFile>(path.join(out, "dev", "policy.json"));
    expect(dev.stack).to.equal("dev");
    expect(dev.violations).to.have.length.greaterThan(0);
    for (const v of dev.violations) {
      expect(v).to.have.keys(["policy", "level", "urn", "name", "type", "message"]);
      expect(v).to.include({ policy: "fixture-vpc-cost-center", level: "advisory", type: VPC });
      expect(v.urn).to.match(/^urn:pulumi:dev::.*aws:ec2\/vpc:Vpc::/);
      expect(v.message).to.contain("has no CostCenter tag");
    }
    const index = readJson<{ files: string[] }>(path.join(out, PLAN_INDEX));
    for (const s of STACKS) expect(index.files).to.include(`${s}/policy.json`);
  });

  it("removes an earlier run's policy.json when the pack did not run (--no-policy): no stale findings", async () => {
    const out = path.join(tmp(), "plan");
    expect((await runPlanCli(["--out", out, "--no-cache"], { cwd: tmp(), projectDir: FIXTURE, policy: pack("advisory") })).code).to.equal(0);
    expect(fs.existsSync(path.join(out, "prod", "policy.json"))).to.equal(true);
    const again = await runPlanCli(["--out", out, "--no-policy"], { cwd: tmp(), projectDir: FIXTURE });
    expect(again.code, again.stderr).to.equal(0);
    for (const s of STACKS) expect(fs.existsSync(path.join(out, s, "policy.json")), s).to.equal(false);
    expect(fs.existsSync(path.join(out, "prod", "resources.json"))).to.equal(true);
    expect(readJson<{ files: string[] }>(path.join(out, PLAN_INDEX)).files.filter((f) => f.endsWith("policy.json"))).to.deep.equal([]);
  });

  it("is a plan file of the folder rules, and only as <stack>/policy.json", () => {
    expect(isPlanFile("prod/policy.json")).to.equal(true);
    expect(isPlanFile("policy.json")).to.equal(false);
    expect(isPlanFile("../policy.json")).to.equal(false);
    expect(isPlanFile("prod/policies.json")).to.equal(false);
  });

  it("orders findings by rule, URN and message whatever order the pack reported them in, and maps kinds to levels", () => {
    const a: PolicyViolation = { policy: "b-rule", enforcementLevel: "advisory", message: "m", urn: "urn:2" };
    const b: PolicyViolation = { policy: "a-rule", enforcementLevel: "mandatory", message: "z", urn: "urn:9", name: "n", type: "t" };
    const c: PolicyViolation = { policy: "a-rule", enforcementLevel: "mandatory", message: "y", urn: "urn:1" };
    const d: PolicyViolation = { policy: "c-rule", enforcementLevel: "advisory", message: "unknown", kind: "note" };
    const e: PolicyViolation = { policy: "c-rule", enforcementLevel: "mandatory", message: "threw", kind: "error", urn: "urn:3" };
    const records = policyRecords([a, b, c, d, e]);
    expect(records.map((r) => `${r.policy} ${r.urn ?? "-"} ${r.level}`)).to.deep.equal([
      "a-rule urn:1 mandatory",
      "a-rule urn:9 mandatory",
      "b-rule urn:2 advisory",
      "c-rule - note",
      "c-rule urn:3 error",
    ]);
    expect(policyRecords([e, d, c, b, a])).to.deep.equal(records);
    expect(records[1]).to.deep.equal({ policy: "a-rule", level: "mandatory", urn: "urn:9", name: "n", type: "t", message: "z" });
  });
});
