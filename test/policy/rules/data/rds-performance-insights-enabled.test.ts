import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { rdsPerformanceInsightsEnabled as rule } from "../../../../policy/rules/data/rds-performance-insights-enabled";
import { RDS, rdsInstance } from "./rds-fixtures";

describe("rds-performance-insights-enabled", () => {
  it("accepts Performance Insights", () => {
    expect(checkResource(rule, RDS, rdsInstance("dev"))).to.deep.equal([]);
  });

  it("reports an instance without it, in every environment (enforcement decides the level)", () => {
    expect(checkResource(rule, RDS, rdsInstance("dev", { performanceInsightsEnabled: false }), { name: "db" })).to.deep.equal(["RDS instance db: set performanceInsightsEnabled: true"]);
    expect(checkResource(rule, RDS, rdsInstance("prod", { performanceInsightsEnabled: undefined }))).to.have.length(1);
  });

  it("is an availability rule: advisory in dev and stage, mandatory in prod", () => {
    expect(rule.meta.category).to.equal("availability");
  });

  it("does not report a flag unknown during preview", () => {
    expect(checkResourceDetailed(rule, RDS, rdsInstance("dev", { performanceInsightsEnabled: UNKNOWN })).violations).to.deep.equal([]);
  });
});
