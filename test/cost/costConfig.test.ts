/**
 * `tila-platform:cost`: the budget and the usage assumptions, validated with the rest of a stack's config;
 * bad values and unknown assumption names refused naming the key.
 */
import { expect } from "chai";
import { readStackFiles } from "../../config/load";
import { ASSUMPTION_KEYS, costSettingsOf } from "../../config/costSchema";
import { validateStackConfig } from "../../config/validate";
import { ASSUMPTION_NAMES } from "../../offline/cost/estimate";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const real = readStackFiles(ROOT).raw;

function issuesFor(stack: "prod" | "management", cost: unknown): string[] {
  const raw = { ...real[stack]!, cost };
  const r = validateStackConfig(stack, "me-south-1", raw, real);
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
}

describe("tila-platform:cost config", () => {
  it("accepts a budget and assumption overrides on an environment and on management", () => {
    expect(issuesFor("prod", { budgetMonthlyUsd: 9000, assumptions: { natGatewayDataGb: 500, wafRequestsMillions: 20 } })).to.deep.equal([]);
    expect(issuesFor("management", { budgetMonthlyUsd: 4000 })).to.deep.equal([]);
  });

  it("refuses an unknown assumption name, naming it and the names there are", () => {
    const issues = issuesFor("prod", { assumptions: { natGatwayDataGb: 500 } });
    expect(issues).to.have.length(1);
    expect(issues[0]).to.match(/^tila-platform:cost\.assumptions: unknown assumption "natGatwayDataGb"; assumptions: natGatewayDataGb, /);
  });

  it("refuses a negative or non-numeric budget and assumption, naming each key", () => {
    const issues = issuesFor("prod", { budgetMonthlyUsd: -5, assumptions: { vpnDataGb: -1, endpointDataGb: "ten" } });
    expect(issues).to.include("tila-platform:cost.budgetMonthlyUsd: must be a positive number of US dollars per month");
    expect(issues.some((i) => i.startsWith("tila-platform:cost.assumptions.vpnDataGb: must be zero or more"))).to.equal(true);
    expect(issues.some((i) => i.startsWith("tila-platform:cost.assumptions.endpointDataGb: must be a number"))).to.equal(true);
    expect(issuesFor("prod", { budget: 5 })[0]).to.match(/^tila-platform:cost: Unrecognized key.*budget/);
  });

  it("has one config key per usage assumption of the estimate", () => {
    expect([...ASSUMPTION_KEYS].sort()).to.deep.equal([...ASSUMPTION_NAMES].sort());
  });

  it("reads the settings from a flattened stack config", () => {
    expect(costSettingsOf({})).to.deep.equal({});
    expect(costSettingsOf({ "tila-platform:cost": JSON.stringify({ budgetMonthlyUsd: 100, assumptions: { vpnDataGb: 5 } }) })).to.deep.equal({ budgetMonthlyUsd: 100, assumptions: { vpnDataGb: 5 } });
  });
});
