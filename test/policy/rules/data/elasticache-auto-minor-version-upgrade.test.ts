import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { elasticacheAutoMinorVersionUpgrade as rule } from "../../../../policy/rules/data/elasticache-auto-minor-version-upgrade";
import { REPLICATION_GROUP, replicationGroup } from "./elasticache-fixtures";

describe("elasticache-auto-minor-version-upgrade", () => {
  it("accepts automatic minor upgrades, explicit or by AWS's default", () => {
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("prod", { autoMinorVersionUpgrade: true }))).to.deep.equal([]);
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("prod"))).to.deep.equal([]);
  });

  it("rejects opting out", () => {
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("dev", { autoMinorVersionUpgrade: false }), { name: "redis" })).to.deep.equal([
      "replication group redis: autoMinorVersionUpgrade is false; remove it or set true",
    ]);
  });

  it("does not report a flag unknown during preview", () => {
    expect(checkResourceDetailed(rule, REPLICATION_GROUP, replicationGroup("prod", { autoMinorVersionUpgrade: UNKNOWN })).violations).to.deep.equal([]);
  });
});
