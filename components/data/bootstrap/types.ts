export interface BootstrapContext {
  engine: "arangodb" | "mongodb" | "aerospike" | "couchbase" | "solr" | "kafka" | "zookeeper" | "cassandra";
  clusterName: string; environment: string; region: string;
  nodeIndex: number; nodeCount: number; az: string;
  selfDnsName: string; peerDnsNames: string[];   // all nodes in index order, including self
  dataDevice: "/dev/sdf"; mountPoint: string;
  zookeeperConnect?: string;                    // resolved string, e.g. "zk-0.dev.internal.tila.sa:2181,..." (solr, kafka)
  adminSecretArn?: string;
  serviceUsers?: ServiceUser[];                 // couchbase, arangodb, mongodb: node 0 creates one user per service, limited to its own database/bucket; passwords are read at boot from each ARN, never embedded                      // Secrets Manager ARN holding {"username","password"} JSON (couchbase, arangodb, mongodb); fetched at boot with the AWS CLI via the instance role, never embedded
}

/** A service's own user on the cluster: its name, the database (MongoDB, ArangoDB) or bucket (Couchbase) it may use, and the secret holding `{"username","password"}`. */
export interface ServiceUser {
  service: string;
  database: string;
  secretArn: string;
}
