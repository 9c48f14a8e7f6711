import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { rdsFinalSnapshotInProd as rule } from "../../../../policy/rules/data/rds-final-snapshot-in-prod";
import { RDS, rdsInstance } from "./rds-fixtures";

describe("rds-final-snapshot-in-prod", () => {
  it("accepts a named final snapshot in prod and preprod", () => {
    expect(checkResource(rule, RDS, rdsInstance("prod"))).to.deep.equal([]);
    expect(checkResource(rule, RDS, rdsInstance("preprod", { skipFinalSnapshot: undefined }))).to.deep.equal([]);
  });

  it("rejects skipping the final snapshot", () => {
    expect(checkResource(rule, RDS, rdsInstance("prod", { skipFinalSnapshot: true }), { name: "db" })).to.deep.equal([
      "RDS instance db (prod) skips its final snapshot: set skipFinalSnapshot: false",
    ]);
  });

  it("rejects a final snapshot without an identifier", () => {
    expect(checkResource(rule, RDS, rdsInstance("preprod", { finalSnapshotIdentifier: undefined }))[0]).to.match(/has no finalSnapshotIdentifier/);
  });

  it("leaves dev and stage alone", () => {
    expect(checkResource(rule, RDS, rdsInstance("dev", { skipFinalSnapshot: true, finalSnapshotIdentifier: undefined }))).to.deep.equal([]);
  });

  it("does not report an identifier unknown during preview", () => {
    expect(checkResourceDetailed(rule, RDS, rdsInstance("prod", { finalSnapshotIdentifier: UNKNOWN })).violations).to.deep.equal([]);
  });
});
