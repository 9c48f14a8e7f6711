/**
 * What every data node publishes about itself, as one contract shared by the bootstrap that sets it
 * up, the alarms that read it and the Prometheus collector that scrapes it
 * (docs/observability-prometheus.md): the CloudWatch agent's namespace, metric names and exact
 * dimension sets, and the Prometheus endpoints (node_exporter plus the engine's own) by engine.
 * Pure: no Pulumi, no AWS.
 */
import type { EngineName } from "./engines";

/** The CloudWatch agent's default namespace; the node role may publish only here. */
export const CW_AGENT_NAMESPACE = "CWAgent";
/** Percent of a filesystem used, one metric per monitored path. */
export const DISK_USED_PERCENT = "disk_used_percent";
/** Percent of memory used. */
export const MEM_USED_PERCENT = "mem_used_percent";
/**
 * The exact dimension set of `disk_used_percent`: the agent's roll-up onto these two; the original
 * series (which also carries `fstype`) is dropped so an alarm on {InstanceId, path} is the only one.
 */
export const DISK_DIMENSIONS = ["InstanceId", "path"] as const;
/** The exact dimension set of `mem_used_percent`. */
export const MEM_DIMENSIONS = ["InstanceId"] as const;

/** The filesystems whose usage every node publishes: the root volume and the data volume's mount point. */
export function monitoredPaths(mountPoint: string): string[] {
  return mountPoint === "/" ? ["/"] : ["/", mountPoint];
}

/**
 * node_exporter's port on the data nodes: not its registered default 9100, which Couchbase Server's
 * indexer holds (9100-9105 are among Couchbase's node-to-node ports, engines.ts). No engine profile
 * uses this one; test/data/bootstrapMonitoring.test.ts keeps it that way.
 */
export const NODE_EXPORTER_PORT = 19100;
/** ZooKeeper's PrometheusMetricsProvider default port (metricsProvider.httpPort). */
export const ZOOKEEPER_METRICS_PORT = 7000;
/** The port of Solr's own Prometheus exporter (prometheus-exporter/ in the full distribution), as its guide runs it. */
export const SOLR_EXPORTER_PORT = 9854;
/** The port of the JMX exporter agent in Kafka's JVM (the exporter's customary 9404). */
export const KAFKA_JMX_EXPORTER_PORT = 9404;
/**
 * The port of the metrics relay on Couchbase nodes: it serves Couchbase's own /metrics (8091, which
 * needs a user) with the node's read-only metrics user, so the collector needs no credential and
 * never reaches the admin port. Clear of Couchbase's 8091-8097, 9100-9124, 18091-18097 and 21100-21300.
 */
export const COUCHBASE_METRICS_RELAY_PORT = 19102;
/**
 * The port of the metrics relay on ArangoDB nodes: it serves the local Coordinator's (or single
 * server's) /_admin/metrics/v2 on 8529 as the read-only metrics user. Clear of ArangoDB's 8528-8531.
 */
export const ARANGODB_METRICS_RELAY_PORT = 19103;
/**
 * Percona mongodb_exporter's default port (`--web.listen-address` default :9216), on MongoDB nodes;
 * it reads its own mongod only (directConnection) as the `tila-metrics` user. Clear of 27017.
 */
export const MONGODB_EXPORTER_PORT = 9216;
/** Aerospike's Prometheus exporter's default port (`bind = ":9145"`), on Aerospike nodes. Clear of 3000-3003. */
export const AEROSPIKE_EXPORTER_PORT = 9145;

/** One Prometheus endpoint on every node of a cluster. */
export interface MetricsEndpoint {
  /** The scrape job (and `job` label) the endpoint's series carry. */
  readonly job: string;
  readonly port: number;
  readonly path: string;
}

const NODE: MetricsEndpoint = { job: "node", port: NODE_EXPORTER_PORT, path: "/metrics" };

/**
 * The endpoints the bootstrap starts on each node of `engine`: node_exporter everywhere, ZooKeeper's
 * metrics provider, Solr's bundled exporter against its own node and the JMX exporter agent in
 * Kafka's JVM, Couchbase's and ArangoDB's own endpoints through the node's metrics relay, and
 * the MongoDB and Aerospike exporters (components/data/bootstrap/exporters.ts).
 */
export function metricsEndpoints(engine: EngineName): MetricsEndpoint[] {
  if (engine === "zookeeper") return [NODE, { job: "zookeeper", port: ZOOKEEPER_METRICS_PORT, path: "/metrics" }];
  if (engine === "solr") return [NODE, { job: "solr", port: SOLR_EXPORTER_PORT, path: "/metrics" }];
  if (engine === "kafka") return [NODE, { job: "kafka", port: KAFKA_JMX_EXPORTER_PORT, path: "/metrics" }];
  if (engine === "couchbase") return [NODE, { job: "couchbase", port: COUCHBASE_METRICS_RELAY_PORT, path: "/metrics" }];
  if (engine === "arangodb") return [NODE, { job: "arangodb", port: ARANGODB_METRICS_RELAY_PORT, path: "/metrics" }];
  if (engine === "mongodb") return [NODE, { job: "mongodb", port: MONGODB_EXPORTER_PORT, path: "/metrics" }];
  if (engine === "aerospike") return [NODE, { job: "aerospike", port: AEROSPIKE_EXPORTER_PORT, path: "/metrics" }];
  return [NODE];
}
