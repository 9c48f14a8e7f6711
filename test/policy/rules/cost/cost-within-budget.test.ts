/**
 * cost-within-budget: a stack's estimate against the budget its config carries into the pack config;
 * hand-built stacks for the arithmetic, the real prod for the adapter (the pack's estimate is the plan's).
 */
import { expect } from "chai";
import { costWithinBudget as rule } from "../../../../policy/rules/cost/cost-within-budget";
import { capturedFromPolicy, knownValue } from "../../../../policy/rules/cost/policyResources";
import { StackResourceSpec, UNKNOWN, checkStack, stackInputs } from "../../../../policy/testing";
import { HOURS_PER_MONTH } from "../../../../offline/cost/types";
import { loadSnapshot } from "../../../../offline/cost/snapshot";
import { DEFAULT_ASSUMPTIONS } from "../../../../offline/cost/estimate";
import { estimateRun } from "../../../../offline/cost/planCost";
import { runPolicies } from "../../../../offline/policyRunner";
import { realStack } from "../../../support/realStacks";
import { packConfig } from "../../../support/realPolicy";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stackRuleConfig } from "../../../../policy/stackRuleConfig";
import { stackConfig } from "../../../../policy/enforcement";
import { RULES } from "../../../../policy/rules";

const NAT = "aws:ec2/natGateway:NatGateway";

function stack(nats: number): StackResourceSpec[] {
  return [
    { type: "pulumi:pulumi:Stack", name: "tila-platform-prod", urn: "urn:pulumi:prod::tila-platform::pulumi:pulumi:Stack::tila-platform-prod", props: {} },
    { type: "tila:network:EnvironmentNetwork", name: "prod", parent: "tila-platform-prod", props: {} },
    ...Array.from({ length: nats }, (_, i): StackResourceSpec => ({ type: NAT, name: `prod-nat-${i}`, parent: "prod", props: { subnetId: UNKNOWN, allocationId: "eipalloc-1" } })),
  ];
}

/** One NAT gateway a month in me-south-1 with the default data assumption, worked by hand from the snapshot. */
function natMonthly(): number {
  const p = loadSnapshot("me-south-1").prices;
  return HOURS_PER_MONTH * p["vpc.nat.hour"].usd + DEFAULT_ASSUMPTIONS.natGatewayDataGb * p["vpc.nat.data"].usd;
}

describe("cost-within-budget", () => {
  it("accepts a stack whose estimate is within its budget", () => {
    expect(checkStack(rule, stack(3), { budgetMonthlyUsd: 3 * natMonthly() + 0.01, region: "me-south-1" })).to.deep.equal([]);
  });

  it("fails a stack whose estimate exceeds its budget, saying by how much", () => {
    const budget = 3 * natMonthly() - 1;
    const out = checkStack(rule, stack(3), { budgetMonthlyUsd: budget, region: "me-south-1" });
    expect(out).to.have.length(1);
    expect(out[0].message).to.contain(`estimated cost is $${(3 * natMonthly()).toFixed(2)} a month (network $${(3 * natMonthly()).toFixed(2)})`);
    expect(out[0].message).to.contain(`over its budget of $${budget.toFixed(2)} by $1.00`);
  });

  it("applies the stack's usage assumptions", () => {
    const p = loadSnapshot("me-south-1").prices;
    const one = HOURS_PER_MONTH * p["vpc.nat.hour"].usd + 10_000 * p["vpc.nat.data"].usd;
    expect(checkStack(rule, stack(1), { budgetMonthlyUsd: natMonthly() + 1, region: "me-south-1", assumptions: { natGatewayDataGb: 10_000 } })[0].message).to.contain(`estimated cost is $${one.toFixed(2)}`);
  });

  it("does not apply without a budget", () => {
    expect(checkStack(rule, stack(3), { region: "me-south-1" })).to.deep.equal([]);
  });

  it("fails closed when the stack's region has no price snapshot", () => {
    const out = checkStack(rule, stack(1), { budgetMonthlyUsd: 100, region: "eu-west-1" });
    expect(out).to.have.length(1);
    expect(out[0].message).to.match(/could not be estimated, so its budget of \$100\.00 a month cannot be checked: .*no price files/);
  });

  it("reads the policy engine's resources as the estimate does: parents, custom types, unknown values left out", () => {
    const captured = capturedFromPolicy(stackInputs(stack(1)).map((r) => ({ ...r, parent: undefined, props: r.props, opts: {}, dependencies: [], propertyDependencies: {} }) as never));
    expect(captured.map((r) => [r.type, r.custom])).to.deep.equal([
      ["pulumi:pulumi:Stack", false],
      ["tila:network:EnvironmentNetwork", false],
      [NAT, true],
    ]);
    expect(knownValue({ a: 1, b: [1, { c: "x" }] })).to.deep.equal({ a: 1, b: [1, { c: "x" }] });
  });

  it("takes each stack's budget, region and assumptions from its stack file into its pack config", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tila-budget-"));
    try {
      fs.copyFileSync(path.resolve(__dirname, "../../../../Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
      fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), "config:\n  aws:region: me-central-1\n  tila-platform:cost:\n    budgetMonthlyUsd: 250\n    assumptions: { vpnDataGb: 7 }\n");
      expect(stackRuleConfig("prod", dir)[rule.name]).to.deep.equal({ region: "me-central-1", budgetMonthlyUsd: 250, assumptions: { vpnDataGb: 7 } });
      const generated = stackConfig(RULES, "prod", undefined, stackRuleConfig("prod", dir));
      expect(generated[rule.name]).to.deep.equal({ enforcementLevel: "mandatory", region: "me-central-1", budgetMonthlyUsd: 250, assumptions: { vpnDataGb: 7 } });
      // A budget changed in the stack file without npm run policy:config no longer matches the committed file.
      expect(generated[rule.name]).to.not.deep.equal((packConfig("prod") as Record<string, unknown>)[rule.name]);
      expect(stackConfig(RULES, "dev")[rule.name]).to.include({ enforcementLevel: "advisory" });
      expect(stackConfig(RULES, "preprod")[rule.name]).to.include({ enforcementLevel: "advisory" });
      expect(stackConfig(RULES, "management")[rule.name]).to.include({ enforcementLevel: "advisory" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("on the real prod", function () {
    this.timeout(300000);
    it("is within its budget in the committed pack config (mandatory in prod)", async () => {
      const config = packConfig("prod") as Record<string, { enforcementLevel: string; budgetMonthlyUsd?: number }>;
      expect(config[rule.name].enforcementLevel).to.equal("mandatory");
      expect(config[rule.name].budgetMonthlyUsd).to.be.a("number");
      const run = await realStack("prod");
      const result = runPolicies(run.resources, [rule], config, { packEnforcementLevel: "mandatory" });
      expect(result.errors).to.deep.equal([]);
      expect(result.violations).to.deep.equal([]);
    });

    it("prices prod as the plan does: a budget a cent under the plan's estimate fails, a cent over passes", async () => {
      const run = await realStack("prod");
      const plan = estimateRun(run);
      if (!plan.ok) expect.fail(plan.error);
      const total = plan.cost.total;
      const at = (budgetMonthlyUsd: number) => runPolicies(run.resources, [rule], { [rule.name]: { enforcementLevel: "mandatory", region: "me-south-1", budgetMonthlyUsd } }, { packEnforcementLevel: "mandatory" });
      const over = at(total - 0.01);
      expect(over.violations.map((v) => v.level)).to.deep.equal(["mandatory"]);
      expect(over.violations[0].message).to.contain(`estimated cost is $${total.toFixed(2)} a month`);
      expect(at(total + 0.01).violations).to.deep.equal([]);
    });
  });
});
