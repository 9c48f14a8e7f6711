import { expect } from "chai";
import { NoSqlClusterPlanError, NoSqlClusterPlanInput, planNoSqlCluster, portRanges } from "../../components/data/clusterPlan";
import { ENGINE_NAMES, ENGINE_PROFILES } from "../../components/data/engines";
import { AMI_PARAMETERS } from "../../components/data/instanceTypes";
import { NoSqlCluster } from "../../components/data/NoSqlCluster";
import { captureError } from "../support/graph";
import { AZS, baseArgs, subnets } from "./noSqlClusterHarness";

/** A valid prod-like input; tests break one field at a time. */
function input(overrides: Partial<NoSqlClusterPlanInput> = {}): NoSqlClusterPlanInput {
  return { ...baseArgs("prod", "zookeeper"), clients: {}, ...overrides };
}

function issues(name: string, overrides: Partial<NoSqlClusterPlanInput>): string[] {
  try {
    planNoSqlCluster(name, input(overrides));
  } catch (e) {
    expect(e).to.be.instanceOf(NoSqlClusterPlanError);
    return [...(e as NoSqlClusterPlanError).issues];
  }
  throw new Error("expected the plan to be rejected");
}

describe("NoSqlCluster arguments", () => {
  it("accepts the prod defaults for every engine", () => {
    for (const engine of ENGINE_NAMES) {
      const zookeeper = ENGINE_PROFILES[engine].needsZookeeper ? {} : undefined;
      expect(planNoSqlCluster(engine, input({ engine, zookeeper })).nodeCount).to.equal(ENGINE_PROFILES[engine].defaultNodes);
    }
  });

  it("rejects an unknown engine", () => {
    expect(issues("db", { engine: "scylla" })).to.deep.equal(['engine: "scylla" is not one of arangodb, mongodb, aerospike, couchbase, solr, kafka, zookeeper, cassandra']);
  });

  it("rejects a node count below the engine's minimum, above its maximum, or even for ZooKeeper", () => {
    expect(issues("graph", { engine: "arangodb", nodeCount: 2, protect: false })).to.deep.equal(["nodeCount: 2 is below the 3 node(s) ArangoDB needs"]);
    expect(issues("mongo", { engine: "mongodb", nodeCount: 9 })).to.deep.equal(["nodeCount: 9 is above the 7 nodes this MongoDB (replica set) profile supports"]);
    expect(issues("zk", { nodeCount: 6 })).to.deep.equal(["nodeCount: 6 is even; Apache ZooKeeper needs an odd count (an even one tolerates no more failures)"]);
  });

  it("rejects a placement that loses its quorum with an AZ when protected, and says what would survive", () => {
    expect(issues("mongo", { engine: "mongodb", nodeCount: 4 })).to.deep.equal([
      "nodeCount: 4 MongoDB (replica set) node(s) over 3 AZ(s) do not survive an AZ loss (losing me-south-1a (2 of 4 nodes) leaves 2, not a strict majority of 4); use at least 3 nodes",
    ]);
    expect(issues("zk", { subnets: subnets(AZS.slice(0, 2)) })[0]).to.include("no node count survives on 2 AZ(s); add AZs");
    expect(planNoSqlCluster("mongo", input({ engine: "mongodb", nodeCount: 4, protect: false })).azLoss.ok).to.equal(false);
  });

  it("rejects Solr and Kafka without ZooKeeper, and ZooKeeper wiring for anything else", () => {
    expect(issues("solr", { engine: "solr" })[0]).to.match(/^zookeeper: Apache Solr \(SolrCloud\) keeps its cluster state in ZooKeeper/);
    expect(issues("kafka", { engine: "kafka" })[0]).to.match(/^zookeeper: /);
    expect(issues("mongo", { engine: "mongodb", zookeeper: {} })[0]).to.equal("zookeeper: MongoDB (replica set) does not use ZooKeeper; only solr and kafka do");
  });

  it("rejects an empty subnet list, and repeated or malformed AZs", () => {
    expect(issues("zk", { subnets: [] })).to.deep.equal(["subnets: at least one data subnet is needed (one per AZ)"]);
    expect(issues("zk", { subnets: [{ az: "me-south-1a" }, { az: "me-south-1a" }, { az: "south" }] })).to.include.members([
      'subnets[1].az: "me-south-1a" appears twice; give one data subnet per AZ',
      'subnets[2].az: "south" is not an AZ name such as "me-south-1a"',
    ]);
  });

  it("rejects types of unknown architecture and instance-store types, open or malformed client CIDRs, and volumes gp3 cannot provision", () => {
    expect(issues("zk", { instanceType: "g5g.xlarge" })[0]).to.match(/^instanceType: "g5g.xlarge" is not a type whose CPU architecture is known here/);
    expect(issues("zk", { instanceType: "m7g" })).to.deep.equal(['instanceType: "m7g" is not an EC2 instance type such as "r7g.xlarge"']);
    expect(issues("zk", { instanceType: "r7gd.xlarge" })[0]).to.match(/instance store/);
    expect(issues("zk", { clients: { cidrs: ["0.0.0.0/0", "10.40.32.1/21"] } }).map((i) => i.split(":")[0])).to.deep.equal(["clients.cidrs[0]", "clients.cidrs[1]"]);
    expect(issues("zk", { dataVolumeSizeGiB: 5 })[0]).to.match(/^dataVolumeSizeGiB: 5 must be a whole number from 6/);
  });

  it("follows the instance type's architecture to the AL2023 AMI parameter of that architecture", () => {
    const arm = planNoSqlCluster("zk", input());
    expect([arm.instanceType, arm.architecture, arm.amiParameter]).to.deep.equal(["m7g.large", "arm64", "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"]);
    const intel = planNoSqlCluster("zk", input({ instanceType: "m7i.large" }));
    expect([intel.architecture, intel.amiParameter]).to.deep.equal(["x86_64", "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"]);
    expect(planNoSqlCluster("zk", input({ instanceType: "m7a.large" })).architecture).to.equal("x86_64");
    expect(planNoSqlCluster("zk", input({ instanceType: "c7gn.large" })).architecture).to.equal("arm64");
  });

  it("refuses ArangoDB on Graviton, citing the bootstrap's missing aarch64 RPM, and defaults it to r6i.xlarge", () => {
    expect(issues("graph", { engine: "arangodb", instanceType: "r7g.xlarge" })).to.deep.equal([
      'instanceType: "r7g.xlarge" is a Graviton (arm64) type, but ArangoDB runs on Intel/AMD (x86_64) only: ' +
        "download.arangodb.com's RPM repository has no confirmed aarch64 build of ArangoDB 3.12 and the bootstrap stops when it finds none " +
        '(bootstrap/arangodb.ts; docs/data-tier.md, "arm64"); use e.g. "r6i.xlarge"',
    ]);
    expect(issues("graph", { engine: "arangodb", instanceType: "t4g.large" })[0]).to.match(/^instanceType: "t4g.large" is a Graviton \(arm64\) type, but ArangoDB/);
    const plan = planNoSqlCluster("graph", input({ engine: "arangodb" }));
    expect([plan.instanceType, plan.architecture, plan.amiParameter]).to.deep.equal(["r6i.xlarge", "x86_64", AMI_PARAMETERS.x86_64]);
    expect(planNoSqlCluster("graph", input({ engine: "arangodb", instanceType: "r7a.xlarge" })).architecture).to.equal("x86_64");
  });

  it("collects every problem at once, each naming its field", () => {
    const all = issues("Bad_Name", {
      environment: "Prod", engine: "kafka", nodeCount: 0, snapshotRetentionDays: 0, dns: { zoneName: "Internal." }, adminSecretArn: "arn", tags: { Owner: "x" },
    });
    expect(all.map((i) => i.split(":")[0])).to.have.members([
      "name", "environment", "dns.zoneName", "snapshotRetentionDays", "tags.Environment", "tags.CostCenter", "tags.ManagedBy",
      "nodeCount", "nodeCount", "zookeeper", "adminSecretArn",
    ]);
  });

  it("collapses ports into one rule per contiguous range", () => {
    expect(portRanges([8093, 8091, 8092, 11210, 8091, 9999])).to.deep.equal([{ from: 8091, to: 8093 }, { from: 9999, to: 9999 }, { from: 11210, to: 11210 }]);
  });

  it("throws a ResourceError from the component, naming it and the field, before creating anything", async function () {
    this.timeout(10_000);
    const err = await captureError(() => new NoSqlCluster("bad", { ...baseArgs("prod", "kafka"), subnets: [] }));
    expect(err?.constructor.name).to.equal("ResourceError");
    expect(err?.message).to.include('NoSqlCluster "bad" has invalid arguments').and.include("subnets:").and.include("zookeeper:");
  });

  it("refuses an ArangoDB cluster on a Graviton type at construction, naming the component and the field", async function () {
    this.timeout(10_000);
    const err = await captureError(() => new NoSqlCluster("graph", { ...baseArgs("prod", "arangodb"), instanceType: "r7g.xlarge" }));
    expect(err?.constructor.name).to.equal("ResourceError");
    expect(err?.message).to.include('NoSqlCluster "graph" has invalid arguments: instanceType: "r7g.xlarge" is a Graviton (arm64) type, but ArangoDB runs on Intel/AMD (x86_64) only');
  });
});
