import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { rdsIamAuthenticationEnabled as rule } from "../../../../policy/rules/data/rds-iam-authentication-enabled";
import { RDS, rdsInstance } from "./rds-fixtures";

describe("rds-iam-authentication-enabled", () => {
  it("accepts IAM database authentication", () => {
    expect(checkResource(rule, RDS, rdsInstance("dev"))).to.deep.equal([]);
  });

  it("rejects a MySQL or PostgreSQL instance without it", () => {
    expect(checkResource(rule, RDS, rdsInstance("dev", { iamDatabaseAuthenticationEnabled: false }), { name: "db" })).to.deep.equal([
      "RDS instance db (mysql): set iamDatabaseAuthenticationEnabled: true",
    ]);
    expect(checkResource(rule, RDS, rdsInstance("dev", { engine: "postgres", iamDatabaseAuthenticationEnabled: undefined }))).to.have.length(1);
  });

  it("does not judge engines without IAM authentication", () => {
    expect(checkResource(rule, RDS, rdsInstance("dev", { engine: "sqlserver-se", iamDatabaseAuthenticationEnabled: false }))).to.deep.equal([]);
  });

  it("does not report a flag unknown during preview", () => {
    expect(checkResourceDetailed(rule, RDS, rdsInstance("dev", { iamDatabaseAuthenticationEnabled: UNKNOWN })).violations).to.deep.equal([]);
  });
});
