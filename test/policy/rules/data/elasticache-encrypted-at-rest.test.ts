import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { elasticacheEncryptedAtRest as rule } from "../../../../policy/rules/data/elasticache-encrypted-at-rest";
import { REPLICATION_GROUP, replicationGroup } from "./elasticache-fixtures";

describe("elasticache-encrypted-at-rest", () => {
  it("accepts encryption at rest", () => {
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("dev"))).to.deep.equal([]);
  });

  it("rejects a group without it", () => {
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("dev", { atRestEncryptionEnabled: false }), { name: "redis" })).to.deep.equal([
      "replication group redis: set atRestEncryptionEnabled: true (with kmsKeyId for a customer key)",
    ]);
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("dev", { atRestEncryptionEnabled: undefined }))).to.have.length(1);
  });

  it("does not report a flag unknown during preview", () => {
    expect(checkResourceDetailed(rule, REPLICATION_GROUP, replicationGroup("dev", { atRestEncryptionEnabled: UNKNOWN })).violations).to.deep.equal([]);
  });
});
