import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { rdsStorageEncrypted as rule } from "../../../../policy/rules/data/rds-storage-encrypted";
import { RDS, rdsInstance } from "./rds-fixtures";

describe("rds-storage-encrypted", () => {
  it("accepts encrypted storage", () => {
    expect(checkResource(rule, RDS, rdsInstance("dev"))).to.deep.equal([]);
  });

  it("rejects unencrypted or unset storage encryption in every environment", () => {
    expect(checkResource(rule, RDS, rdsInstance("dev", { storageEncrypted: false }), { name: "db" })).to.deep.equal([
      "RDS instance db: storageEncrypted is not true (set it, with kmsKeyId for a customer key)",
    ]);
    expect(checkResource(rule, RDS, rdsInstance("prod", { storageEncrypted: undefined }))).to.have.length(1);
  });

  it("does not report a flag unknown during preview", () => {
    expect(checkResourceDetailed(rule, RDS, rdsInstance("prod", { storageEncrypted: UNKNOWN })).violations).to.deep.equal([]);
  });
});
