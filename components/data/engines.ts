/**
 * Engine profiles for NoSqlCluster (docs/data-tier.md): what each engine listens on, what has to
 * survive an AZ loss for it to keep serving, and how big a node is by default. Pure data plus the
 * types that describe it, so placement and validation can be reasoned about without Pulumi.
 *
 * Ports are the engines' documented defaults (ZooKeeper admin guide, Kafka broker configs, Solr
 * reference guide, ArangoDB Starter, MongoDB, Aerospike network configuration, Couchbase Server
 * ports). `peerPorts` are what cluster members use among themselves and may repeat client ports:
 * a MongoDB secondary replicates from the primary's 27017, a Solr node forwards to another's 8983.
 * They match what the bootstrap module (`bootstrap/`) configures the engines to listen on.
 */
import type { Architecture } from "./instanceTypes";

export type EngineName = "arangodb" | "mongodb" | "aerospike" | "couchbase" | "solr" | "kafka" | "zookeeper" | "cassandra";

export const ENGINE_NAMES: readonly EngineName[] = Object.freeze(["arangodb", "mongodb", "aerospike", "couchbase", "solr", "kafka", "zookeeper", "cassandra"]);

/** What must still be true after losing every node of one AZ. */
export type QuorumRule =
  /** A strict majority of all nodes must survive: every node votes in the engine's consensus group. */
  | { readonly kind: "majority" }
  /**
   * Every partition has `replicationFactor` replicas spread over the AZs by rack awareness (so at
   * most ceil(RF / AZs used) replicas of a partition share an AZ); `minSurvivors` must survive.
   */
  | { readonly kind: "replicas"; readonly replicationFactor: number; readonly minSurvivors: number }
  /** At least `minRacks` racks (AZs that hold nodes) must remain; the engine keeps a copy per rack. */
  | { readonly kind: "rack"; readonly minRacks: number };

export interface DataVolumeProfile {
  /** gp3 size; gp3 allows at most 500 IOPS per GiB, so the size also bounds `iops`. */
  readonly defaultSizeGiB: number;
  /** gp3 provisioned IOPS; 3000 is the free baseline. */
  readonly iops: number;
  /** gp3 throughput in MiB/s; 125 is the free baseline, at most iops / 4. */
  readonly throughput: number;
  /** Where the bootstrap mounts the data volume: the engine's data directory. */
  readonly mountPoint: string;
}

export interface EngineProfile {
  readonly engine: EngineName;
  readonly displayName: string;
  /** Ports clients connect to; the first is the one in `connectString`. */
  readonly clientPorts: readonly number[];
  /** Ports cluster members use among themselves (admitted only from the cluster itself). */
  readonly peerPorts: readonly number[];
  readonly quorum: QuorumRule;
  /** Why `quorum` is what it is, in one line. */
  readonly quorumReason: string;
  /** Smallest node count the engine runs with (not necessarily AZ-safe). */
  readonly minNodes: number;
  /** Largest node count the profile models, when the engine has one. */
  readonly maxNodes?: number;
  /** Only odd node counts: an even one tolerates no more failures than one node fewer. */
  readonly oddNodeCount?: boolean;
  /** Node count when config gives none: the smallest that survives an AZ loss on 3 AZs. */
  readonly defaultNodes: number;
  /**
   * r7g for memory-bound stores, m7g otherwise: Graviton costs less per vCPU-hour. An engine limited
   * to x86_64 by `architectures` takes an Intel type offered in every catalogued region: r6i (the
   * Gulf regions offer no 7th-generation Intel r type; components/aws/regions, config/offerings.ts).
   */
  readonly defaultInstanceType: string;
  /**
   * Set when the bootstrap cannot install the engine on every architecture: NoSqlCluster refuses
   * instance types of the others, quoting `reason`.
   * @default undefined (arm64 and x86_64 both)
   */
  readonly architectures?: { readonly supported: readonly Architecture[]; readonly reason: string };
  readonly dataVolume: DataVolumeProfile;
  /** Solr and Kafka keep their cluster state in the environment's ZooKeeper ensemble. */
  readonly needsZookeeper: boolean;
  /** The engine has an administrative user whose password lives in Secrets Manager. */
  readonly needsAdminSecret: boolean;
  /** That user's name, stored in the secret next to the password. Set exactly when `needsAdminSecret`. */
  readonly adminUsername?: string;
}

/** `from`..`to` inclusive. */
function ports(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

export const ENGINE_PROFILES: Readonly<Record<EngineName, EngineProfile>> = Object.freeze({
  arangodb: {
    engine: "arangodb",
    displayName: "ArangoDB",
    clientPorts: [8529],
    // Starter 8528, coordinator 8529, DB-Server 8530, agent 8531 (Starter defaults: base port + 0..3).
    peerPorts: ports(8528, 8531),
    quorum: { kind: "majority" },
    quorumReason: "the agency is a Raft group (agents on the first three nodes) that needs a strict majority; a majority of all nodes is the conservative bound that also covers DB-Servers",
    minNodes: 3,
    defaultNodes: 3,
    defaultInstanceType: "r6i.xlarge",
    // Lift to both once `dnf list --available arangodb3-<version>` succeeds on a Graviton node.
    architectures: {
      supported: ["x86_64"],
      reason: "download.arangodb.com's RPM repository has no confirmed aarch64 build of ArangoDB 3.12 and the bootstrap stops when it finds none (bootstrap/arangodb.ts; docs/data-tier.md, \"arm64\")",
    },
    dataVolume: { defaultSizeGiB: 200, iops: 3000, throughput: 125, mountPoint: "/var/lib/arangodb3" },
    needsZookeeper: false,
    needsAdminSecret: true,
    adminUsername: "root",
  },
  mongodb: {
    engine: "mongodb",
    displayName: "MongoDB (replica set)",
    clientPorts: [27017],
    peerPorts: [27017],
    quorum: { kind: "majority" },
    quorumReason: "a replica set elects and keeps a primary only with votes from a strict majority of its voting members",
    minNodes: 1,
    // MongoDB allows 7 voting members; this profile makes every member vote, so it stops there.
    maxNodes: 7,
    defaultNodes: 3,
    defaultInstanceType: "r7g.xlarge",
    dataVolume: { defaultSizeGiB: 200, iops: 3000, throughput: 125, mountPoint: "/var/lib/mongo" },
    needsZookeeper: false,
    needsAdminSecret: true,
    adminUsername: "admin",
  },
  aerospike: {
    engine: "aerospike",
    displayName: "Aerospike",
    clientPorts: [3000],
    // Service (tools on one node query every node), fabric, mesh heartbeat, admin/info.
    peerPorts: ports(3000, 3003),
    quorum: { kind: "rack", minRacks: 1 },
    quorumReason: "namespaces use replication-factor 2 with rack-id = AZ, so every partition has copies in two racks and one surviving rack still holds it",
    minNodes: 1,
    defaultNodes: 3,
    defaultInstanceType: "r7g.xlarge",
    dataVolume: { defaultSizeGiB: 200, iops: 6000, throughput: 250, mountPoint: "/opt/aerospike/data" },
    needsZookeeper: false,
    // Community Edition has no access control; an admin user needs Enterprise security.
    needsAdminSecret: false,
  },
  couchbase: {
    engine: "couchbase",
    displayName: "Couchbase Server",
    // REST/views/query/search/analytics/eventing, data (KV), and their TLS twins.
    clientPorts: [...ports(8091, 8096), 11207, 11210, ...ports(18091, 18096)],
    // Couchbase Server 7.x node-to-node: epmd, service HTTP ports, index, analytics, Prometheus,
    // backup and search gRPC, eventing debug, indexer maintenance, memcached, cluster manager.
    peerPorts: [
      4369, ...ports(8091, 8097), ...ports(9100, 9105), ...ports(9110, 9124), 9130, 9140, 9999,
      11207, 11209, 11210, 11280, ...ports(18091, 18097), 21100, 21150, 21200, 21300,
    ],
    quorum: { kind: "rack", minRacks: 2 },
    quorumReason: "buckets keep replicas in another server group (= AZ) and server-group auto-failover needs 3+ groups, so 2 must remain",
    minNodes: 1,
    defaultNodes: 3,
    defaultInstanceType: "r7g.xlarge",
    dataVolume: { defaultSizeGiB: 200, iops: 3000, throughput: 125, mountPoint: "/opt/couchbase/var" },
    needsZookeeper: false,
    needsAdminSecret: true,
    adminUsername: "Administrator",
  },
  solr: {
    engine: "solr",
    displayName: "Apache Solr (SolrCloud)",
    clientPorts: [8983],
    peerPorts: [8983],
    quorum: { kind: "replicas", replicationFactor: 2, minSurvivors: 1 },
    quorumReason: "collections use replicationFactor 2 spread over AZs (affinity placement on availability_zone); one live replica per shard serves and becomes leader",
    minNodes: 1,
    defaultNodes: 3,
    defaultInstanceType: "m7g.large",
    dataVolume: { defaultSizeGiB: 100, iops: 3000, throughput: 125, mountPoint: "/var/solr" },
    needsZookeeper: true,
    needsAdminSecret: false,
  },
  kafka: {
    engine: "kafka",
    displayName: "Apache Kafka",
    // One PLAINTEXT listener on 9092 serves clients and inter-broker replication (bootstrap/kafka.ts);
    // a dedicated inter-broker listener (9093) would replace 9092 here. ZooKeeper mode ends with
    // Kafka 3.9, so the bootstrap pins 3.9.x until the platform moves to KRaft.
    clientPorts: [9092],
    peerPorts: [9092],
    quorum: { kind: "replicas", replicationFactor: 3, minSurvivors: 2 },
    quorumReason: "topics use replication.factor 3, min.insync.replicas 2 and broker.rack = AZ, so acks=all writes go on while 2 replicas remain",
    minNodes: 1,
    defaultNodes: 3,
    defaultInstanceType: "m7g.large",
    dataVolume: { defaultSizeGiB: 500, iops: 3000, throughput: 250, mountPoint: "/var/lib/kafka" },
    needsZookeeper: true,
    needsAdminSecret: false,
  },
  zookeeper: {
    engine: "zookeeper",
    displayName: "Apache ZooKeeper",
    clientPorts: [2181],
    // Quorum (follower to leader) and leader election.
    peerPorts: [2888, 3888],
    quorum: { kind: "majority" },
    quorumReason: "ZAB elects a leader and commits writes only with a strict majority of the ensemble",
    minNodes: 1,
    oddNodeCount: true,
    defaultNodes: 3,
    defaultInstanceType: "m7g.large",
    dataVolume: { defaultSizeGiB: 50, iops: 3000, throughput: 125, mountPoint: "/var/lib/zookeeper" },
    needsZookeeper: false,
    needsAdminSecret: false,
  },
  cassandra: {
    engine: "cassandra",
    displayName: "Apache Cassandra",
    // CQL native transport (clients); internode messaging (storage_port). JMX (7199) stays on localhost.
    clientPorts: [9042],
    peerPorts: [7000],
    quorum: { kind: "replicas", replicationFactor: 3, minSurvivors: 2 },
    quorumReason: "keyspaces use NetworkTopologyStrategy with 3 replicas and the AZ as rack (GossipingPropertyFileSnitch), so QUORUM reads and writes go on while 2 replicas remain",
    minNodes: 1,
    defaultNodes: 3,
    defaultInstanceType: "r7g.large",
    dataVolume: { defaultSizeGiB: 200, iops: 3000, throughput: 125, mountPoint: "/var/lib/cassandra" },
    needsZookeeper: false,
    needsAdminSecret: true,
    adminUsername: "tila_admin",
  },
});

export function isEngineName(value: unknown): value is EngineName {
  return typeof value === "string" && (ENGINE_NAMES as readonly string[]).includes(value);
}
