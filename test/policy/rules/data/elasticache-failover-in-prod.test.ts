import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { elasticacheFailoverInProd as rule } from "../../../../policy/rules/data/elasticache-failover-in-prod";
import { REPLICATION_GROUP, replicationGroup } from "./elasticache-fixtures";

describe("elasticache-failover-in-prod", () => {
  it("accepts 2+ nodes with automatic failover and Multi-AZ in prod and preprod", () => {
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("prod"))).to.deep.equal([]);
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("preprod", { numCacheClusters: 2 }))).to.deep.equal([]);
  });

  it("counts a primary plus replicas per shard in cluster mode", () => {
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("prod", { numCacheClusters: undefined, numNodeGroups: 2, replicasPerNodeGroup: 1 }))).to.deep.equal([]);
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("prod", { numCacheClusters: undefined, numNodeGroups: 2, replicasPerNodeGroup: 0 }))).to.have.length(1);
  });

  it("rejects a single node, and failover or Multi-AZ turned off, naming each", () => {
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("prod", { numCacheClusters: 1, automaticFailoverEnabled: false, multiAzEnabled: false }), { name: "redis" })).to.deep.equal([
      "replication group redis (prod) has 1 node(s) per shard: a failover needs at least 2",
      "replication group redis (prod): set automaticFailoverEnabled: true",
      "replication group redis (prod): set multiAzEnabled: true",
    ]);
  });

  it("leaves dev and stage alone", () => {
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("dev", { numCacheClusters: 1, automaticFailoverEnabled: false, multiAzEnabled: false }))).to.deep.equal([]);
  });

  it("does not report a node count unknown during preview", () => {
    expect(checkResourceDetailed(rule, REPLICATION_GROUP, replicationGroup("prod", { numCacheClusters: UNKNOWN })).violations).to.deep.equal([]);
  });
});
