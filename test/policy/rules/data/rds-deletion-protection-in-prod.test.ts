import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { rdsDeletionProtectionInProd as rule } from "../../../../policy/rules/data/rds-deletion-protection-in-prod";
import { RDS, rdsInstance } from "./rds-fixtures";

describe("rds-deletion-protection-in-prod", () => {
  it("accepts deletion protection in prod and preprod", () => {
    expect(checkResource(rule, RDS, rdsInstance("prod"))).to.deep.equal([]);
    expect(checkResource(rule, RDS, rdsInstance("preprod"))).to.deep.equal([]);
  });

  it("rejects prod and preprod instances without it", () => {
    expect(checkResource(rule, RDS, rdsInstance("prod", { deletionProtection: false }), { name: "db" })).to.deep.equal(["RDS instance db (prod): set deletionProtection: true"]);
    expect(checkResource(rule, RDS, rdsInstance("preprod", { deletionProtection: undefined }))).to.have.length(1);
  });

  it("leaves dev and stage alone", () => {
    expect(checkResource(rule, RDS, rdsInstance("stage", { deletionProtection: false }))).to.deep.equal([]);
  });

  it("does not report a flag unknown during preview", () => {
    expect(checkResourceDetailed(rule, RDS, rdsInstance("prod", { deletionProtection: UNKNOWN })).violations).to.deep.equal([]);
  });
});
