/**
 * SolrCloud node. Solr registers in ZooKeeper under its DNS name (SOLR_HOST) and keeps its cores
 * on the data volume. Collections are created by the applications, not here.
 */
import { APACHE_FUNCTIONS, apacheInstall, zookeeperConnectWithChroot } from "./apache";
import { shellQuote, systemdUnit, writeFile } from "./shell";
import { BootstrapContext, EngineLogs } from "./types";
import { SOLR_EXPORTER_PORT } from "../nodeMetrics";

export const SOLR_PORT = 8983;
export const SOLR_LOG_DIR = "/var/log/solr";
/** Solr's log4j2 main log in SOLR_LOGS_DIR; in the foreground (`start -f`) its console is not muted, so solr.service's journal repeats it. */
export const SOLR_LOGS: EngineLogs = { files: [`${SOLR_LOG_DIR}/solr.log`], javaStackTraces: true, consoleRepeatsFiles: ["solr.service"] };

/** The include file bin/solr reads (SOLR_INCLUDE). */
export function solrInclude(ctx: BootstrapContext): string {
  return [
    "# Managed by the Tila bootstrap; rewritten on every run.",
    `SOLR_HOME="${ctx.mountPoint}/solr/data"`,
    `SOLR_LOGS_DIR="${SOLR_LOG_DIR}"`,
    `SOLR_PID_DIR="${ctx.mountPoint}/solr"`,
    `SOLR_PORT="${SOLR_PORT}"`,
    `SOLR_HOST="${ctx.selfDnsName}"`,
    // Solr 9 binds to 127.0.0.1 unless told otherwise; the security group is the boundary.
    `SOLR_JETTY_HOST="0.0.0.0"`,
    `ZK_HOST="${zookeeperConnectWithChroot(ctx)}"`,
    "ZK_CREATE_CHROOT=true",
    `SOLR_HEAP="2g"`,
    "",
  ].join("\n");
}

export function solrSection(ctx: BootstrapContext): string {
  const home = `${ctx.mountPoint}/solr/data`;
  const unit = systemdUnit({
    description: "Apache Solr in SolrCloud mode (Tila)",
    user: "solr",
    execStart: "/opt/solr/bin/solr start -f -c",
    environment: { SOLR_INCLUDE: "/etc/default/solr.in.sh" },
    limitNofile: 65000,
  });
  const exporter = "/opt/solr/prometheus-exporter";
  const exporterUnit = systemdUnit({
    description: "Solr Prometheus exporter (Tila)",
    user: "solr",
    execStart: `${exporter}/bin/solr-exporter -p ${SOLR_EXPORTER_PORT} -b http://localhost:${SOLR_PORT}/solr -f ${exporter}/conf/solr-exporter-config.xml -n 4`,
  });
  return [
    APACHE_FUNCTIONS,
    "",
    "# --- Solr ---",
    apacheInstall("solr"),
    "ensure_system_user solr",
    `install -d -m 0750 -o solr -g solr ${shellQuote(home)} ${SOLR_LOG_DIR}`,
    "# solr.xml must be in SOLR_HOME; copy the distribution's once, keep local edits afterwards.",
    `if [[ ! -f ${shellQuote(`${home}/solr.xml`)} ]]; then`,
    `  install -m 0640 -o solr -g solr /opt/solr/server/solr/solr.xml ${shellQuote(`${home}/solr.xml`)}`,
    "fi",
    writeFile("/etc/default/solr.in.sh", solrInclude(ctx), "0644"),
    writeFile("/etc/systemd/system/solr.service", unit),
    "systemctl daemon-reload",
    "systemctl enable --now solr.service",
    `wait_for_tcp 127.0.0.1 ${SOLR_PORT}`,
    'log "solr node ${TILA_SELF} joined SolrCloud at ${TILA_ZK_CONNECT}"',
    "# Solr's own exporter, against this node only: one per node, so no metric is scraped twice.",
    writeFile("/etc/systemd/system/solr-exporter.service", exporterUnit),
    "systemctl daemon-reload",
    "systemctl enable --now solr-exporter.service",
    `wait_for_tcp 127.0.0.1 ${SOLR_EXPORTER_PORT}`,
  ].join("\n");
}
