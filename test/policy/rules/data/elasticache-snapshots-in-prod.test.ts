import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { elasticacheSnapshotsInProd as rule } from "../../../../policy/rules/data/elasticache-snapshots-in-prod";
import { REPLICATION_GROUP, replicationGroup } from "./elasticache-fixtures";

describe("elasticache-snapshots-in-prod", () => {
  it("accepts a day or more of snapshots in prod and preprod", () => {
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("prod"))).to.deep.equal([]);
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("preprod", { snapshotRetentionLimit: 1 }))).to.deep.equal([]);
  });

  it("rejects no snapshots in prod", () => {
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("prod", { snapshotRetentionLimit: 0 }), { name: "redis" })).to.deep.equal([
      "replication group redis (prod): snapshotRetentionLimit is 0; keep at least 1 day of snapshots",
    ]);
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("prod", { snapshotRetentionLimit: undefined }))).to.have.length(1);
  });

  it("leaves dev and stage alone", () => {
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("dev", { snapshotRetentionLimit: 0 }))).to.deep.equal([]);
  });

  it("does not report a retention unknown during preview", () => {
    expect(checkResourceDetailed(rule, REPLICATION_GROUP, replicationGroup("prod", { snapshotRetentionLimit: UNKNOWN })).violations).to.deep.equal([]);
  });
});
