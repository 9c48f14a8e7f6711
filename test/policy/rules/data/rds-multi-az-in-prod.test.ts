import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { rdsMultiAzInProd as rule } from "../../../../policy/rules/data/rds-multi-az-in-prod";
import { RDS, rdsInstance } from "./rds-fixtures";

describe("rds-multi-az-in-prod", () => {
  it("accepts Multi-AZ in prod and preprod", () => {
    expect(checkResource(rule, RDS, rdsInstance("prod"))).to.deep.equal([]);
    expect(checkResource(rule, RDS, rdsInstance("preprod"))).to.deep.equal([]);
  });

  it("rejects a single-AZ instance in prod or preprod", () => {
    expect(checkResource(rule, RDS, rdsInstance("preprod", { multiAz: false }), { name: "db" })).to.deep.equal(["RDS instance db (preprod) is single-AZ: set multiAz: true"]);
    expect(checkResource(rule, RDS, rdsInstance("prod", { multiAz: undefined }))).to.have.length(1);
  });

  it("leaves dev, stage and untagged instances alone", () => {
    expect(checkResource(rule, RDS, rdsInstance("dev", { multiAz: false }))).to.deep.equal([]);
    expect(checkResource(rule, RDS, rdsInstance("prod", { multiAz: false, tags: undefined }))).to.deep.equal([]);
  });

  it("does not report values unknown during preview", () => {
    expect(checkResourceDetailed(rule, RDS, rdsInstance("prod", { multiAz: UNKNOWN })).violations).to.deep.equal([]);
    expect(checkResourceDetailed(rule, RDS, rdsInstance("prod", { multiAz: false, tags: UNKNOWN })).violations).to.deep.equal([]);
  });
});
