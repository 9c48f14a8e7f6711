/**
 * The input of every data node's user data (renderBootstrap): the node, its cluster and where it
 * ships its logs.
 */
import type { LogShippingTarget } from "../../observability/logging/graylogPlan";

export interface BootstrapContext {
  engine: "arangodb" | "mongodb" | "aerospike" | "couchbase" | "solr" | "kafka" | "zookeeper" | "cassandra";
  clusterName: string; environment: string; region: string;
  nodeIndex: number; nodeCount: number; az: string;
  selfDnsName: string; peerDnsNames: string[];   // all nodes in index order, including self
  dataDevice: "/dev/sdf"; mountPoint: string;
  zookeeperConnect?: string;                    // resolved string, e.g. "zk-0.dev.internal.tila.sa:2181,..." (solr, kafka)
  adminSecretArn?: string;
  logShipping?: LogShippingTarget;             // Fluent Bit ships the journal and the engine's logs there (fluentbit.ts); undefined: the script is exactly what it was without shipping
  serviceUsers?: ServiceUser[];                 // couchbase, arangodb, mongodb: node 0 creates one user per service, limited to its own database/bucket; passwords are read at boot from each ARN, never embedded                      // Secrets Manager ARN holding {"username","password"} JSON (couchbase, arangodb, mongodb); fetched at boot with the AWS CLI via the instance role, never embedded
}

/** A service's own user on the cluster: its name, the database (MongoDB, ArangoDB) or bucket (Couchbase) it may use, and the secret holding `{"username","password"}`. */
export interface ServiceUser {
  service: string;
  database: string;
  secretArn: string;
}

/** Where an engine's own logs go, as its bootstrap sets it up; declared beside each engine and shipped by Fluent Bit (fluentbit.ts). */
export interface EngineLogs {
  /** Files (shell globs) the engine writes, tailed from their first line. Empty: the engine logs to its console, so to the journal. */
  readonly files: readonly string[];
  /** A Java engine: a stack trace is joined to the line that raised it (Fluent Bit's built-in `java` multiline parser). */
  readonly javaStackTraces: boolean;
  /** The engine's systemd units whose console repeats `files` line for line: left out of the journal input, so nothing arrives twice. */
  readonly consoleRepeatsFiles: readonly string[];
}
