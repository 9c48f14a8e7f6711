/**
 * ZooKeeper ensemble member. server.N entries come from the peers in index order and
 * myid = nodeIndex + 1, so ids are stable across instance replacement (the DNS names are too).
 */
import { APACHE_FUNCTIONS, apacheInstall } from "./apache";
import { shellQuote, systemdUnit, writeFile } from "./shell";
import { BootstrapContext, EngineLogs } from "./types";
import { ZOOKEEPER_METRICS_PORT } from "../nodeMetrics";

export const ZOOKEEPER_CLIENT_PORT = 2181;
/**
 * ZooKeeper's logback configuration logs to the console only (its ROLLINGFILE appender is commented
 * out, and /etc/zookeeper holds no logback.xml of ours), so under `start-foreground` everything it logs
 * is in zookeeper.service's journal, which Fluent Bit ships: no file of its own.
 */
export const ZOOKEEPER_LOGS: EngineLogs = { files: [], javaStackTraces: true, consoleRepeatsFiles: [] };

/** zoo.cfg for `ctx`; pure, so tests can read the ensemble without running anything. */
export function zooCfg(ctx: BootstrapContext): string {
  return [
    "# Managed by the Tila bootstrap; rewritten on every run.",
    "tickTime=2000",
    "initLimit=10",
    "syncLimit=5",
    `dataDir=${ctx.mountPoint}/zookeeper`,
    `clientPort=${ZOOKEEPER_CLIENT_PORT}`,
    "maxClientCnxns=200",
    // The node's own name resolves to its private IP; listening on all addresses avoids
    // depending on which interface that lands on.
    "quorumListenOnAllIPs=true",
    "4lw.commands.whitelist=ruok,srvr,mntr",
    "admin.enableServer=false",
    // Prometheus endpoint for the collector (the provider ships in the binary release's lib/).
    "metricsProvider.className=org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider",
    `metricsProvider.httpPort=${ZOOKEEPER_METRICS_PORT}`,
    "metricsProvider.exportJvmInfo=true",
    "autopurge.snapRetainCount=5",
    "autopurge.purgeInterval=6",
    ...ctx.peerDnsNames.map((peer, i) => `server.${i + 1}=${peer}:2888:3888`),
    "",
  ].join("\n");
}

export function zookeeperSection(ctx: BootstrapContext): string {
  const myid = ctx.nodeIndex + 1;
  const data = `${ctx.mountPoint}/zookeeper`;
  const unit = systemdUnit({
    description: "Apache ZooKeeper (Tila)",
    user: "zookeeper",
    execStart: "/opt/zookeeper/bin/zkServer.sh start-foreground",
    environment: { ZOOCFGDIR: "/etc/zookeeper", ZOO_LOG_DIR: "/var/log/zookeeper" },
  });
  return [
    APACHE_FUNCTIONS,
    "",
    "# --- ZooKeeper ---",
    apacheInstall("zookeeper"),
    "ensure_system_user zookeeper",
    `install -d -m 0750 -o zookeeper -g zookeeper ${shellQuote(data)} /var/log/zookeeper`,
    writeFile("/etc/zookeeper/zoo.cfg", zooCfg(ctx)),
    "# myid ties the data directory to one ensemble slot: a volume from another slot is refused.",
    `readonly TILA_ZK_MYID=${myid}`,
    `if [[ -f ${shellQuote(data)}/myid ]]; then`,
    `  existing="$(tr -d '[:space:]' <${shellQuote(data)}/myid)"`,
    '  [[ "${existing}" == "${TILA_ZK_MYID}" ]] || die "data volume belongs to ZooKeeper server ${existing}, not ${TILA_ZK_MYID}"',
    "else",
    `  printf '%s\\n' "\${TILA_ZK_MYID}" >${shellQuote(data)}/myid`,
    `  chown zookeeper:zookeeper ${shellQuote(data)}/myid`,
    "fi",
    writeFile("/etc/systemd/system/zookeeper.service", unit),
    "systemctl daemon-reload",
    "systemctl enable --now zookeeper.service",
    `wait_for_tcp 127.0.0.1 ${ZOOKEEPER_CLIENT_PORT}`,
    'log "zookeeper server ${TILA_ZK_MYID} of ${TILA_NODE_COUNT} is listening; the ensemble forms once a majority is up"',
  ].join("\n");
}
