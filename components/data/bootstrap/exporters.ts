/**
 * The MongoDB and Aerospike Prometheus exporters on their clusters' nodes
 * (docs/observability-prometheus.md#the-mongodb-and-aerospike-exporters): each downloaded from its
 * GitHub release and verified against the checksum file the publisher serves beside it (and against
 * the pin in versions.ts once one is set), run by systemd as its own system user on the port
 * nodeMetrics.ts gives the collector, reading only its own node.
 */
import { AEROSPIKE_EXPORTER_PORT, MONGODB_EXPORTER_PORT } from "../nodeMetrics";
import { sh, shellQuote, systemdUnit, writeFile } from "./shell";
import { FETCH_VERIFIED } from "./monitoring";
import { VERSIONS } from "./versions";

/** The MongoDB monitoring user: clusterMonitor on admin and read on local (what the exporter's collectors need), nothing else. */
export const MONGODB_METRICS_USER = "tila-metrics";
export const MONGODB_METRICS_ROLES = [{ role: "clusterMonitor", db: "admin" }, { role: "read", db: "local" }] as const;
/** The exporter's environment (MONGODB_URI with the metrics user's password): 0600 root, read by systemd before it drops to the exporter's user. */
export const MONGODB_EXPORTER_ENV = "/etc/tila/mongodb-exporter.env";
export const AEROSPIKE_EXPORTER_CONFIG = "/etc/tila/aerospike-exporter.toml";
const METRICS_USER_JS = "/etc/tila/mongodb-metrics-user.js";

/**
 * install_mongodb_exporter VERSION BASE_URL PIN_X86_64 PIN_AARCH64 and
 * install_aerospike_exporter VERSION BASE_URL PIN_X86_64 PIN_AARCH64: unpack this architecture's
 * release into /opt/<exporter>-VERSION once, verified by `fetch_verified` (monitoring.ts: the
 * publisher's checksum list, and the pin once one is set), and point /opt/<exporter> at it.
 */
const INSTALL_MONGODB_EXPORTER = sh`
install_mongodb_exporter() {
  local v="$1" base="$2" pin arch f dest
  case "\${TILA_ARCH}" in
    x86_64) arch=amd64; pin="$3" ;;
    aarch64) arch=arm64; pin="$4" ;;
    *) die "no mongodb_exporter for \${TILA_ARCH}" ;;
  esac
  f="mongodb_exporter-\${v}.linux-\${arch}.tar.gz"
  dest="/opt/mongodb_exporter-\${v}"
  if [[ ! -x "\${dest}/mongodb_exporter" ]]; then
    fetch_verified "\${base}/v\${v}/\${f}" "\${base}/v\${v}/mongodb_exporter_\${v}_checksums.txt" "\${pin}" "\${TILA_RUN_DIR}/\${f}"
    install -d -m 0755 "\${dest}"
    tar -xzf "\${TILA_RUN_DIR}/\${f}" -C "\${dest}" --strip-components=1
    log "installed \${f}"
  fi
  ln -sfn "\${dest}" /opt/mongodb_exporter
}
`.trim();

const INSTALL_AEROSPIKE_EXPORTER = sh`
install_aerospike_exporter() {
  local v="$1" base="$2" pin f dest bin
  case "\${TILA_ARCH}" in
    x86_64) pin="$3" ;;
    aarch64) pin="$4" ;;
    *) die "no aerospike-prometheus-exporter for \${TILA_ARCH}" ;;
  esac
  f="aerospike-prometheus-exporter_\${v}_\${TILA_ARCH}.tgz"
  dest="/opt/aerospike-prometheus-exporter-\${v}"
  if [[ ! -x "\${dest}/aerospike-prometheus-exporter" ]]; then
    fetch_verified "\${base}/v\${v}/\${f}" "\${base}/v\${v}/\${f}.sha256" "\${pin}" "\${TILA_RUN_DIR}/\${f}"
    install -d -m 0755 "\${TILA_RUN_DIR}/ape" "\${dest}"
    tar -xzf "\${TILA_RUN_DIR}/\${f}" -C "\${TILA_RUN_DIR}/ape"
    bin="$(find "\${TILA_RUN_DIR}/ape" -type f -path '*usr/bin/aerospike-prometheus-exporter' | head -n 1)"
    [[ -n "\${bin}" ]] || die "\${f} has no usr/bin/aerospike-prometheus-exporter"
    install -m 0644 "$(dirname "\${bin}")/../../etc/aerospike-prometheus-exporter/gauge_stats_list.toml" "\${dest}/gauge_stats_list.toml"
    install -m 0755 "\${bin}" "\${dest}/aerospike-prometheus-exporter"
    log "installed \${f}"
  fi
  ln -sfn "\${dest}" /opt/aerospike-prometheus-exporter
}
`.trim();

/** fetch_verified (monitoring.ts) and both installers, for tests; a node's script gets fetch_verified from its monitoring section and carries only its own engine's installer. */
export const EXPORTER_FUNCTIONS = [FETCH_VERIFIED, INSTALL_MONGODB_EXPORTER, INSTALL_AEROSPIKE_EXPORTER].join("\n");

/**
 * mongosh script run on node 0 after the admin user exists: create (or reset) the metrics user in
 * admin with exactly MONGODB_METRICS_ROLES. Credentials arrive in the environment, never in this file.
 */
export const METRICS_USER_SCRIPT = [
  "// Managed by the Tila bootstrap. Credentials arrive in the environment, never in this file.",
  "const admin = db.getSiblingDB('admin');",
  "if (admin.auth(process.env.TILA_ADMIN_USER, process.env.TILA_ADMIN_PASSWORD).ok !== 1) { throw new Error('admin authentication failed'); }",
  `const user = ${JSON.stringify(MONGODB_METRICS_USER)};`,
  `const roles = ${JSON.stringify(MONGODB_METRICS_ROLES)};`,
  "if (admin.getUser(user)) { admin.updateUser(user, { pwd: process.env.TILA_METRICS_PASSWORD, roles: roles }); }",
  "else { admin.createUser({ user: user, pwd: process.env.TILA_METRICS_PASSWORD, roles: roles }); }",
  "",
].join("\n");

/** Node 0's step, after the replica set and admin user: the metrics user, idempotently. */
export function mongodbMetricsUserStep(mongoPort: number): string {
  return [
    "# The exporter's user: clusterMonitor + read on local, its password derived like the keyfile.",
    writeFile(METRICS_USER_JS, METRICS_USER_SCRIPT, "0644"),
    'metrics_pw="$(derive_key mongodb-metrics)"',
    'TILA_ADMIN_USER="${ADMIN_USER}" TILA_ADMIN_PASSWORD="${ADMIN_PASSWORD}" TILA_METRICS_PASSWORD="${metrics_pw}" \\',
    `  mongosh --quiet "mongodb://127.0.0.1:${mongoPort}/admin?directConnection=true" --file ${METRICS_USER_JS} ||`,
    `  die "cannot create the MongoDB metrics user ${MONGODB_METRICS_USER}"`,
    `log "metrics user ${MONGODB_METRICS_USER} has clusterMonitor and read on local"`,
  ].join("\n");
}

/**
 * Every MongoDB node: the exporter against its own mongod only (directConnection), all collectors
 * and the compatible (v1) series the alert rules read. The password is derived on the node and
 * written to a 0600 root file systemd reads; it is never in user data or on a command line.
 */
export function mongodbExporterSection(mongoPort: number): string {
  const v = VERSIONS.mongodbExporter;
  const unit = systemdUnit({
    description: "Percona mongodb_exporter (Tila)",
    user: "mongodb_exporter",
    environmentFile: MONGODB_EXPORTER_ENV,
    execStart: `/opt/mongodb_exporter/mongodb_exporter --web.listen-address=:${MONGODB_EXPORTER_PORT} --collect-all --compatible-mode`,
  });
  return [
    "# --- MongoDB exporter ---",
    INSTALL_MONGODB_EXPORTER,
    `install_mongodb_exporter ${shellQuote(v.version)} ${shellQuote(v.baseUrl)} ${shellQuote(v.sha256.x86_64)} ${shellQuote(v.sha256.aarch64)}`,
    "ensure_system_user mongodb_exporter",
    'metrics_pw="$(derive_key mongodb-metrics)"',
    "install -d -m 0755 /etc/tila",
    `(umask 077 && printf 'MONGODB_URI=mongodb://%s:%s@127.0.0.1:%s/admin?directConnection=true\\n' ${shellQuote(MONGODB_METRICS_USER)} "\${metrics_pw}" ${mongoPort} >${MONGODB_EXPORTER_ENV})`,
    `chmod 0600 ${MONGODB_EXPORTER_ENV}`,
    "unset metrics_pw",
    writeFile("/etc/systemd/system/mongodb_exporter.service", unit),
    "systemctl daemon-reload",
    "systemctl enable --now mongodb_exporter.service",
    "systemctl restart mongodb_exporter.service",
    `wait_for_tcp 127.0.0.1 ${MONGODB_EXPORTER_PORT}`,
    `log "mongodb_exporter on ${MONGODB_EXPORTER_PORT} as ${MONGODB_METRICS_USER}"`,
  ].join("\n");
}

/**
 * The Aerospike exporter's configuration: Prometheus only, on its port, reading the local node's
 * service port. No user or password: the cluster is Community Edition without a `security` stanza
 * (access control is Enterprise-only), so the info protocol needs none.
 */
export function aerospikeExporterConfig(): string {
  return [
    "# Managed by the Tila bootstrap; rewritten on every run.",
    "[Agent]",
    "enable_prometheus = true",
    "enable_open_telemetry = false",
    `bind = ":${AEROSPIKE_EXPORTER_PORT}"`,
    "timeout = 10",
    "refresh_system_stats = false",
    "",
    "[Aerospike]",
    'db_host = "127.0.0.1"',
    "db_port = 3000",
    "timeout = 5",
    "",
  ].join("\n");
}

/** Every Aerospike node, after the server is up. */
export function aerospikeExporterSection(): string {
  const v = VERSIONS.aerospikeExporter;
  const unit = systemdUnit({
    description: "Aerospike Prometheus exporter (Tila)",
    user: "aerospike_exporter",
    execStart: `/opt/aerospike-prometheus-exporter/aerospike-prometheus-exporter --config ${AEROSPIKE_EXPORTER_CONFIG} --gauge-list /opt/aerospike-prometheus-exporter/gauge_stats_list.toml`,
  });
  return [
    "# --- Aerospike exporter ---",
    INSTALL_AEROSPIKE_EXPORTER,
    `install_aerospike_exporter ${shellQuote(v.version)} ${shellQuote(v.baseUrl)} ${shellQuote(v.sha256.x86_64)} ${shellQuote(v.sha256.aarch64)}`,
    "ensure_system_user aerospike_exporter",
    writeFile(AEROSPIKE_EXPORTER_CONFIG, aerospikeExporterConfig(), "0644"),
    writeFile("/etc/systemd/system/aerospike-prometheus-exporter.service", unit),
    "systemctl daemon-reload",
    "systemctl enable --now aerospike-prometheus-exporter.service",
    `wait_for_tcp 127.0.0.1 ${AEROSPIKE_EXPORTER_PORT}`,
    `log "aerospike exporter on ${AEROSPIKE_EXPORTER_PORT}"`,
  ].join("\n");
}
