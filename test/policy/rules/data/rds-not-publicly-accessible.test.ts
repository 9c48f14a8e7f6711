import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { rdsNotPubliclyAccessible as rule } from "../../../../policy/rules/data/rds-not-publicly-accessible";
import { RDS, rdsInstance } from "./rds-fixtures";

describe("rds-not-publicly-accessible", () => {
  it("accepts a private instance, and the private default", () => {
    expect(checkResource(rule, RDS, rdsInstance("dev"))).to.deep.equal([]);
    expect(checkResource(rule, RDS, rdsInstance("dev", { publiclyAccessible: undefined }))).to.deep.equal([]);
  });

  it("rejects a publicly accessible instance", () => {
    expect(checkResource(rule, RDS, rdsInstance("dev", { publiclyAccessible: true }), { name: "db" })).to.deep.equal([
      "RDS instance db is publicly accessible: set publiclyAccessible: false",
    ]);
  });

  it("does not report a flag unknown during preview", () => {
    expect(checkResourceDetailed(rule, RDS, rdsInstance("dev", { publiclyAccessible: UNKNOWN })).violations).to.deep.equal([]);
  });
});
