import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { elasticacheEncryptedInTransit as rule } from "../../../../policy/rules/data/elasticache-encrypted-in-transit";
import { REPLICATION_GROUP, replicationGroup } from "./elasticache-fixtures";

describe("elasticache-encrypted-in-transit", () => {
  it("accepts TLS with mode required", () => {
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("dev"))).to.deep.equal([]);
  });

  it("rejects a group without in-transit encryption", () => {
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("dev", { transitEncryptionEnabled: false }), { name: "redis" })).to.deep.equal([
      "replication group redis: set transitEncryptionEnabled: true",
    ]);
  });

  it("rejects mode preferred and an unset mode, which could accept plaintext", () => {
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("dev", { transitEncryptionMode: "preferred" }))[0]).to.match(/transitEncryptionMode is "preferred"/);
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("dev", { transitEncryptionMode: undefined }))).to.have.length(1);
  });

  it("does not report a mode unknown during preview", () => {
    expect(checkResourceDetailed(rule, REPLICATION_GROUP, replicationGroup("dev", { transitEncryptionMode: UNKNOWN })).violations).to.deep.equal([]);
  });
});
