/**
 * Kafka broker in ZooKeeper mode (Kafka 3.9, see versions.ts). broker.id = nodeIndex and
 * broker.rack = the node's AZ, so rack-aware replica placement spreads every partition's replicas
 * over AZs. The cluster lives under its own chroot in the shared ensemble.
 */
import { APACHE_FUNCTIONS, apacheInstall, zookeeperConnectWithChroot } from "./apache";
import { sh, shellQuote, systemdUnit, writeFile } from "./shell";
import { BootstrapContext, EngineLogs } from "./types";
import { VERSIONS } from "./versions";
import { KAFKA_JMX_EXPORTER_PORT } from "../nodeMetrics";

export const KAFKA_PORT = 9092;
export const KAFKA_LOG_DIR = "/var/log/kafka";
/**
 * Kafka's log4j.properties (LOG_DIR -> kafka.logs.dir): the broker's own log, the controller's and the
 * state changes. Its root logger also writes to the console, so kafka.service's journal repeats server.log.
 */
export const KAFKA_LOGS: EngineLogs = {
  files: ["server.log", "controller.log", "state-change.log"].map((f) => `${KAFKA_LOG_DIR}/${f}`),
  javaStackTraces: true,
  consoleRepeatsFiles: ["kafka.service"],
};

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

export const JMX_EXPORTER_JAR = `/opt/jmx-exporter/jmx_prometheus_javaagent-${VERSIONS.jmxExporter.version}.jar`;
export const JMX_EXPORTER_CONFIG = "/etc/kafka/jmx-exporter.yml";

/**
 * What the JMX exporter reads: only the broker's health MBeans (replication, controller, request
 * and topic throughput totals) and the JVM's memory, not every per-partition bean, which would
 * multiply series by the partition count.
 */
export function jmxExporterConfig(): string {
  return [
    "# Managed by the Tila bootstrap; rewritten on every run.",
    "lowercaseOutputName: true",
    "lowercaseOutputLabelNames: true",
    "includeObjectNames:",
    '  - "kafka.server:type=ReplicaManager,name=*"',
    '  - "kafka.controller:type=KafkaController,name=*"',
    '  - "kafka.server:type=BrokerTopicMetrics,name=*"',
    '  - "kafka.network:type=RequestMetrics,name=RequestsPerSec,request=*"',
    '  - "java.lang:type=Memory"',
    "rules:",
    '  - pattern: ".*"',
    "",
  ].join("\n");
}

export const JMX_EXPORTER_FUNCTIONS = sh`
# install_jmx_exporter URL PINNED_SHA256 DEST: the agent jar, kept only when it matches the pin.
install_jmx_exporter() {
  local url="$1" pin="$2" dest="$3" sum
  if [[ ! -f "\${dest}" ]]; then
    retry 5 10 curl -fsSL -o "\${TILA_RUN_DIR}/jmx.jar" "\${url}" || die "cannot download \${url}"
    sum="$(sha256sum "\${TILA_RUN_DIR}/jmx.jar" | cut -d ' ' -f 1)"
    [[ "\${sum}" == "\${pin}" ]] || die "SHA-256 of \${url} is \${sum}, pinned \${pin}"
    install -D -m 0644 "\${TILA_RUN_DIR}/jmx.jar" "\${dest}"
    log "installed \${dest} (SHA-256 verified)"
  fi
}
`.trim();

export function kafkaSection(ctx: BootstrapContext): string {
  const unit = systemdUnit({
    description: "Apache Kafka broker (Tila)",
    user: "kafka",
    execStart: "/opt/kafka/bin/kafka-server-start.sh /etc/kafka/server.properties",
    environment: {
      LOG_DIR: KAFKA_LOG_DIR,
      KAFKA_HEAP_OPTS: "-Xms1g -Xmx1g",
      // Only the broker's JVM carries the agent: the CLI tools (kafka-topics, ...) never bind its port.
      KAFKA_OPTS: `-javaagent:${JMX_EXPORTER_JAR}=${KAFKA_JMX_EXPORTER_PORT}:${JMX_EXPORTER_CONFIG}`,
    },
  });
  const jmx = VERSIONS.jmxExporter;
  return [
    APACHE_FUNCTIONS,
    JMX_EXPORTER_FUNCTIONS,
    "",
    "# --- Kafka ---",
    apacheInstall("kafka"),
    `install_jmx_exporter ${shellQuote(jmx.url)} ${shellQuote(jmx.sha256)} ${shellQuote(JMX_EXPORTER_JAR)}`,
    writeFile(JMX_EXPORTER_CONFIG, jmxExporterConfig()),
    "ensure_system_user kafka",
    `install -d -m 0750 -o kafka -g kafka ${shellQuote(`${ctx.mountPoint}/kafka/data`)} ${KAFKA_LOG_DIR}`,
    writeFile("/etc/kafka/server.properties", serverProperties(ctx)),
    writeFile("/etc/systemd/system/kafka.service", unit),
    "systemctl daemon-reload",
    "# Kafka stores broker.id in meta.properties on the data volume and refuses to start with another id.",
    "systemctl enable --now kafka.service",
    `wait_for_tcp 127.0.0.1 ${KAFKA_PORT}`,
    `wait_for_tcp 127.0.0.1 ${KAFKA_JMX_EXPORTER_PORT}`,
    'log "kafka broker ${TILA_NODE_INDEX} in rack ${TILA_AZ} is up against ZooKeeper ${TILA_ZK_CONNECT}"',
  ].join("\n");
}
