import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { rdsEnhancedMonitoringEnabled as rule } from "../../../../policy/rules/data/rds-enhanced-monitoring-enabled";
import { RDS, rdsInstance } from "./rds-fixtures";

describe("rds-enhanced-monitoring-enabled", () => {
  it("accepts a monitoring interval with a role", () => {
    expect(checkResource(rule, RDS, rdsInstance("dev"))).to.deep.equal([]);
  });

  it("rejects a zero or unset interval", () => {
    expect(checkResource(rule, RDS, rdsInstance("dev", { monitoringInterval: 0 }), { name: "db" })[0]).to.match(/^RDS instance db: monitoringInterval is 0/);
    expect(checkResource(rule, RDS, rdsInstance("dev", { monitoringInterval: undefined }))).to.have.length(1);
  });

  it("rejects an interval without a monitoring role", () => {
    expect(checkResource(rule, RDS, rdsInstance("dev", { monitoringRoleArn: undefined }))[0]).to.match(/monitoringRoleArn is not/);
  });

  it("counts a role created in the same update (unknown at preview) as set", () => {
    expect(checkResourceDetailed(rule, RDS, rdsInstance("prod", { monitoringRoleArn: UNKNOWN })).violations).to.deep.equal([]);
    expect(checkResourceDetailed(rule, RDS, rdsInstance("prod", { monitoringInterval: UNKNOWN })).violations).to.deep.equal([]);
  });
});
