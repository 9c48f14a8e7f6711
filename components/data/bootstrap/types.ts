export interface BootstrapContext {
  engine: "arangodb" | "mongodb" | "aerospike" | "couchbase" | "solr" | "kafka" | "zookeeper";
  clusterName: string; environment: string; region: string;
  nodeIndex: number; nodeCount: number; az: string;
  selfDnsName: string; peerDnsNames: string[];   // all nodes in index order, including self
  dataDevice: "/dev/sdf"; mountPoint: string;
  zookeeperConnect?: string;                    // resolved string, e.g. "zk-0.dev.internal.tila.sa:2181,..." (solr, kafka)
  adminSecretArn?: string;                      // Secrets Manager ARN holding {"username","password"} JSON (couchbase, arangodb, mongodb); fetched at boot with the AWS CLI via the instance role, never embedded
}
