import { expect } from "chai";
import { instanceTypeProblem } from "../../components/data/clusterPlan";
import { instanceArchitecture } from "../../components/data/instanceTypes";
import { ENGINE_NAMES, ENGINE_PROFILES, EngineName, isEngineName } from "../../components/data/engines";
import { placeNodes, survivesAzLoss } from "../../components/data/placement";

const AZS3 = ["me-south-1a", "me-south-1b", "me-south-1c"];

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** The engines' documented default ports: what each profile must admit, from whom. */
const DOCUMENTED: Record<EngineName, { client: number[]; peer: number[] }> = {
  zookeeper: { client: [2181], peer: [2888, 3888] },
  kafka: { client: [9092], peer: [9092] },
  solr: { client: [8983], peer: [8983] },
  mongodb: { client: [27017], peer: [27017] },
  arangodb: { client: [8529], peer: [8528, 8529, 8530, 8531] },
  aerospike: { client: [3000], peer: [3000, 3001, 3002, 3003] },
  couchbase: { client: [...range(8091, 8096), 11210], peer: [4369, ...range(8091, 8096), ...range(9100, 9105), 9999, 11209, 11210, 21100] },
  // native_transport_port and storage_port (cassandra.yaml defaults); JMX 7199 stays on localhost.
  cassandra: { client: [9042], peer: [7000] },
};

describe("engine profiles", () => {
  it("covers exactly the eight engines of the data tier, each under its own key", () => {
    expect([...ENGINE_NAMES].sort()).to.deep.equal(["aerospike", "arangodb", "cassandra", "couchbase", "kafka", "mongodb", "solr", "zookeeper"]);
    expect(Object.keys(ENGINE_PROFILES).sort()).to.deep.equal([...ENGINE_NAMES].sort());
    for (const e of ENGINE_NAMES) expect(ENGINE_PROFILES[e].engine).to.equal(e);
    expect(isEngineName("mongodb")).to.equal(true);
    expect(isEngineName("cassandra")).to.equal(true);
    expect(isEngineName("scylla")).to.equal(false);
  });

  for (const engine of Object.keys(DOCUMENTED) as EngineName[]) {
    it(`${engine}: admits its documented client ports from clients and peer ports from peers`, () => {
      const p = ENGINE_PROFILES[engine];
      // Couchbase has dozens of service ports; for the rest the lists are exactly the documented ones.
      const compare = (actual: readonly number[], expected: number[]) => (engine === "couchbase"
        ? expect(actual).to.include.members(expected)
        : expect([...actual].sort()).to.deep.equal([...expected].sort()));
      compare(p.clientPorts, DOCUMENTED[engine].client);
      compare(p.peerPorts, DOCUMENTED[engine].peer);
      expect(p.clientPorts[0], "the connect-string port").to.equal(DOCUMENTED[engine].client[0]);
    });
  }

  it("keeps inter-node ports away from clients: ZooKeeper quorum/election, ArangoDB agents and DB-Servers, Aerospike fabric/heartbeat, Couchbase cluster manager", () => {
    expect(ENGINE_PROFILES.zookeeper.clientPorts).to.not.include(2888).and.not.include(3888);
    expect(ENGINE_PROFILES.arangodb.clientPorts).to.not.include(8530).and.not.include(8531);
    expect(ENGINE_PROFILES.aerospike.clientPorts).to.not.include(3001).and.not.include(3002);
    expect(ENGINE_PROFILES.couchbase.clientPorts).to.not.include(4369).and.not.include(21100);
  });

  it("uses valid, distinct TCP ports", () => {
    for (const p of Object.values(ENGINE_PROFILES)) {
      for (const list of [p.clientPorts, p.peerPorts]) {
        expect(list, p.engine).to.not.be.empty;
        expect(new Set(list).size, `${p.engine} duplicates`).to.equal(list.length);
        for (const port of list) expect(Number.isInteger(port) && port >= 1 && port <= 65535, `${p.engine} ${port}`).to.equal(true);
      }
    }
  });

  it("gives each engine the quorum rule its replication model implies, with a reason", () => {
    const kinds = Object.fromEntries(ENGINE_NAMES.map((e) => [e, ENGINE_PROFILES[e].quorum]));
    expect(kinds).to.deep.equal({
      zookeeper: { kind: "majority" },
      mongodb: { kind: "majority" },
      arangodb: { kind: "majority" },
      kafka: { kind: "replicas", replicationFactor: 3, minSurvivors: 2 },
      solr: { kind: "replicas", replicationFactor: 2, minSurvivors: 1 },
      aerospike: { kind: "rack", minRacks: 1 },
      couchbase: { kind: "rack", minRacks: 2 },
      cassandra: { kind: "replicas", replicationFactor: 3, minSurvivors: 2 },
    });
    for (const p of Object.values(ENGINE_PROFILES)) {
      expect(p.quorumReason, p.engine).to.match(/^\S.{20,}[^.]$/);
      if (p.quorum.kind === "replicas") expect(p.quorum.minSurvivors).to.be.within(1, p.quorum.replicationFactor - 1);
    }
  });

  it("defaults to a node count that survives an AZ loss on 3 AZs, within the engine's limits", () => {
    for (const p of Object.values(ENGINE_PROFILES)) {
      expect(p.defaultNodes, p.engine).to.be.at.least(p.minNodes).and.at.most(p.maxNodes ?? Infinity);
      expect(survivesAzLoss(p, placeNodes(p.defaultNodes, AZS3)), p.engine).to.deep.equal({ ok: true });
    }
  });

  it("caps MongoDB at 7 members, the most that can all vote, and keeps ZooKeeper ensembles odd", () => {
    expect(ENGINE_NAMES.filter((e) => ENGINE_PROFILES[e].maxNodes !== undefined)).to.deep.equal(["mongodb"]);
    expect(ENGINE_PROFILES.mongodb.maxNodes).to.equal(7);
    expect(ENGINE_NAMES.filter((e) => ENGINE_PROFILES[e].oddNodeCount)).to.deep.equal(["zookeeper"]);
  });

  it("defaults to EBS-only instance types: r7g for the databases, r6i for ArangoDB, m7g for Kafka, Solr and ZooKeeper", () => {
    for (const p of Object.values(ENGINE_PROFILES)) {
      expect(instanceTypeProblem(p.defaultInstanceType), p.engine).to.equal(undefined);
      expect(instanceTypeProblem(p.defaultInstanceType, p), p.engine).to.equal(undefined);
      const family = ["kafka", "solr", "zookeeper"].includes(p.engine) ? "m7g" : p.engine === "arangodb" ? "r6i" : "r7g";
      expect(p.defaultInstanceType.split(".")[0], p.engine).to.equal(family);
    }
  });

  it("limits only ArangoDB to x86_64, until an aarch64 RPM of 3.12 is confirmed, and defaults it to that architecture", () => {
    expect(ENGINE_NAMES.filter((e) => ENGINE_PROFILES[e].architectures !== undefined)).to.deep.equal(["arangodb"]);
    const arangodb = ENGINE_PROFILES.arangodb;
    expect(arangodb.architectures!.supported).to.deep.equal(["x86_64"]);
    expect(arangodb.architectures!.reason).to.include("aarch64").and.include("bootstrap/arangodb.ts");
    expect(instanceArchitecture(arangodb.defaultInstanceType)).to.equal("x86_64");
    for (const e of ENGINE_NAMES.filter((n) => n !== "arangodb")) expect(instanceArchitecture(ENGINE_PROFILES[e].defaultInstanceType), e).to.equal("arm64");
  });

  it("sizes data volumes within gp3's limits, each engine on its own data directory", () => {
    for (const { engine, dataVolume: v } of Object.values(ENGINE_PROFILES)) {
      expect(v.iops, engine).to.be.within(3000, 16000);
      expect(v.throughput, engine).to.be.within(125, Math.min(1000, v.iops / 4));
      expect(v.iops, engine).to.be.at.most(500 * v.defaultSizeGiB);
      expect(v.mountPoint, engine).to.match(/^\/[a-z0-9/_-]+$/);
    }
    const mounts = Object.values(ENGINE_PROFILES).map((p) => p.dataVolume.mountPoint);
    expect(new Set(mounts).size).to.equal(mounts.length);
  });

  it("wires exactly Solr and Kafka to ZooKeeper", () => {
    expect(ENGINE_NAMES.filter((e) => ENGINE_PROFILES[e].needsZookeeper)).to.deep.equal(["solr", "kafka"]);
  });

  it("names the admin user exactly for engines that keep an admin secret", () => {
    expect(ENGINE_NAMES.filter((e) => ENGINE_PROFILES[e].needsAdminSecret)).to.deep.equal(["arangodb", "mongodb", "couchbase", "cassandra"]);
    for (const p of Object.values(ENGINE_PROFILES)) expect(p.adminUsername !== undefined, p.engine).to.equal(p.needsAdminSecret);
    expect(ENGINE_PROFILES.arangodb.adminUsername).to.equal("root");
    expect(ENGINE_PROFILES.couchbase.adminUsername).to.equal("Administrator");
    // Not "cassandra": the bootstrap retires Cassandra's default superuser of that name.
    expect(ENGINE_PROFILES.cassandra.adminUsername).to.equal("tila_admin");
  });
});
