import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { rdsBackupRetention as rule } from "../../../../policy/rules/data/rds-backup-retention";
import { RDS, rdsInstance } from "./rds-fixtures";

describe("rds-backup-retention", () => {
  it("accepts 7 days outside prod and 14 in prod", () => {
    expect(checkResource(rule, RDS, rdsInstance("stage", { backupRetentionPeriod: 7 }))).to.deep.equal([]);
    expect(checkResource(rule, RDS, rdsInstance("prod", { backupRetentionPeriod: 14 }))).to.deep.equal([]);
  });

  it("rejects fewer than 7 days, or no backups at all", () => {
    expect(checkResource(rule, RDS, rdsInstance("dev", { backupRetentionPeriod: 3 }), { name: "db" })).to.deep.equal([
      "RDS instance db (dev): backupRetentionPeriod is 3, needs at least 7 days",
    ]);
    expect(checkResource(rule, RDS, rdsInstance("dev", { backupRetentionPeriod: undefined }))).to.have.length(1);
  });

  it("holds prod to 14 days", () => {
    expect(checkResource(rule, RDS, rdsInstance("prod", { backupRetentionPeriod: 7 }))[0]).to.match(/needs at least 14 days/);
  });

  it("does not report a retention unknown during preview", () => {
    expect(checkResourceDetailed(rule, RDS, rdsInstance("prod", { backupRetentionPeriod: UNKNOWN })).violations).to.deep.equal([]);
  });
});
