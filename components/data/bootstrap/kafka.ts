/**
 * Kafka broker in ZooKeeper mode (Kafka 3.9, see versions.ts). broker.id = nodeIndex and
 * broker.rack = the node's AZ, so rack-aware replica placement spreads every partition's replicas
 * over AZs. The cluster lives under its own chroot in the shared ensemble.
 */
import { APACHE_FUNCTIONS, apacheInstall, zookeeperConnectWithChroot } from "./apache";
import { shellQuote, systemdUnit, writeFile } from "./shell";
import { BootstrapContext } from "./types";

export const KAFKA_PORT = 9092;

/** Replication defaults: 3 copies with 2 in sync once there are 3 brokers, fewer below that. */
export function kafkaReplication(nodeCount: number): { replicationFactor: number; minInsyncReplicas: number } {
  return nodeCount >= 3 ? { replicationFactor: 3, minInsyncReplicas: 2 } : { replicationFactor: nodeCount, minInsyncReplicas: 1 };
}

export function serverProperties(ctx: BootstrapContext): string {
  const { replicationFactor, minInsyncReplicas } = kafkaReplication(ctx.nodeCount);
  return [
    "# Managed by the Tila bootstrap; rewritten on every run.",
    `broker.id=${ctx.nodeIndex}`,
    `broker.rack=${ctx.az}`,
    `listeners=PLAINTEXT://0.0.0.0:${KAFKA_PORT}`,
    `advertised.listeners=PLAINTEXT://${ctx.selfDnsName}:${KAFKA_PORT}`,
    `log.dirs=${ctx.mountPoint}/kafka/data`,
    `zookeeper.connect=${zookeeperConnectWithChroot(ctx)}`,
    "zookeeper.connection.timeout.ms=18000",
    `default.replication.factor=${replicationFactor}`,
    `min.insync.replicas=${minInsyncReplicas}`,
    `offsets.topic.replication.factor=${replicationFactor}`,
    `transaction.state.log.replication.factor=${replicationFactor}`,
    `transaction.state.log.min.isr=${minInsyncReplicas}`,
    "num.partitions=6",
    "auto.create.topics.enable=false",
    "unclean.leader.election.enable=false",
    "log.retention.hours=168",
    "group.initial.rebalance.delay.ms=3000",
    "",
  ].join("\n");
}

export function kafkaSection(ctx: BootstrapContext): string {
  const unit = systemdUnit({
    description: "Apache Kafka broker (Tila)",
    user: "kafka",
    execStart: "/opt/kafka/bin/kafka-server-start.sh /etc/kafka/server.properties",
    environment: { LOG_DIR: "/var/log/kafka", KAFKA_HEAP_OPTS: "-Xms1g -Xmx1g" },
  });
  return [
    APACHE_FUNCTIONS,
    "",
    "# --- Kafka ---",
    apacheInstall("kafka"),
    "ensure_system_user kafka",
    `install -d -m 0750 -o kafka -g kafka ${shellQuote(`${ctx.mountPoint}/kafka/data`)} /var/log/kafka`,
    writeFile("/etc/kafka/server.properties", serverProperties(ctx)),
    writeFile("/etc/systemd/system/kafka.service", unit),
    "systemctl daemon-reload",
    "# Kafka stores broker.id in meta.properties on the data volume and refuses to start with another id.",
    "systemctl enable --now kafka.service",
    `wait_for_tcp 127.0.0.1 ${KAFKA_PORT}`,
    'log "kafka broker ${TILA_NODE_INDEX} in rack ${TILA_AZ} is up against ZooKeeper ${TILA_ZK_CONNECT}"',
  ].join("\n");
}
