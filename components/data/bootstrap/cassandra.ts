/**
 * Apache Cassandra node (docs/data-tier.md#cassandra): the pinned release verified like the other
 * Apache services, cassandra.yaml written from the context (every node a seed up to three, the
 * region as datacenter and the AZ as rack through GossipingPropertyFileSnitch, password
 * authentication and role-based authorization, data on the data volume), and on node 0, once every
 * node is up: system_auth replicated to every AZ, the admin role from the admin secret replacing the
 * default `cassandra` superuser, and one keyspace and role per service user, each read from its own
 * secret at boot. Passwords only ever reach files in the tmpfs run dir, never user data.
 */
import { APACHE_FUNCTIONS } from "./apache";
import { hasServiceUsers } from "./common";
import { sh, shellQuote, systemdUnit, writeFile } from "./shell";
import { BootstrapContext, EngineLogs } from "./types";
import { VERSIONS } from "./versions";

export const CASSANDRA_CLIENT_PORT = 9042;
export const CASSANDRA_STORAGE_PORT = 7000;
/** Keyspaces never keep more replicas than this; with 3 nodes over 3 AZs, one per AZ. */
export const CASSANDRA_REPLICATION = 3;
export const CASSANDRA_CONF_DIR = "/etc/cassandra";
export const CASSANDRA_LOG_DIR = "/var/log/cassandra";
/** The distribution's logback.xml: system.log (INFO and above) in CASSANDRA_LOG_DIR, and the same to the console in the foreground (`-f`). */
export const CASSANDRA_LOGS: EngineLogs = { files: [`${CASSANDRA_LOG_DIR}/system.log`], javaStackTraces: true, consoleRepeatsFiles: ["cassandra.service"] };
/** At most this many nodes are seeds (Cassandra advises a few per datacenter, never every node of a large ring). */
export const MAX_SEEDS = 3;

/** The replication factor of every keyspace the bootstrap creates: 3, or fewer on a smaller cluster. */
export function replicationFactor(ctx: Pick<BootstrapContext, "nodeCount">): number {
  return Math.min(CASSANDRA_REPLICATION, ctx.nodeCount);
}

/** The datacenter name: the region (GossipingPropertyFileSnitch reads it from cassandra-rackdc.properties). */
export function datacenterOf(ctx: Pick<BootstrapContext, "region">): string {
  return ctx.region;
}

/** cassandra.yaml for `ctx`; pure, so tests read seeds, snitch, auth and directories without running anything. */
export function cassandraYaml(ctx: BootstrapContext): string {
  const seeds = ctx.peerDnsNames.slice(0, MAX_SEEDS).map((p) => `${p}:${CASSANDRA_STORAGE_PORT}`).join(",");
  const data = ctx.mountPoint;
  return [
    "# Managed by the Tila bootstrap; rewritten on every run.",
    `cluster_name: '${ctx.clusterName}'`,
    "num_tokens: 16",
    `allocate_tokens_for_local_replication_factor: ${replicationFactor(ctx)}`,
    "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
    "seed_provider:",
    "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
    "    parameters:",
    `      - seeds: "${seeds}"`,
    // The node's own name resolves to its private IP (the bootstrap waited for it).
    `listen_address: ${ctx.selfDnsName}`,
    `storage_port: ${CASSANDRA_STORAGE_PORT}`,
    // CQL on every interface so cqlsh on the node reaches 127.0.0.1; drivers are told the node's name.
    "rpc_address: 0.0.0.0",
    `broadcast_rpc_address: ${ctx.selfDnsName}`,
    `native_transport_port: ${CASSANDRA_CLIENT_PORT}`,
    "endpoint_snitch: GossipingPropertyFileSnitch",
    "authenticator: PasswordAuthenticator",
    "authorizer: CassandraAuthorizer",
    "role_manager: CassandraRoleManager",
    "network_authorizer: AllowAllNetworkAuthorizer",
    "data_file_directories:",
    `  - ${data}/data`,
    `commitlog_directory: ${data}/commitlog`,
    `saved_caches_directory: ${data}/saved_caches`,
    `hints_directory: ${data}/hints`,
    "commitlog_sync: periodic",
    "commitlog_sync_period: 10000ms",
    "disk_failure_policy: stop",
    "commit_failure_policy: stop",
    "",
  ].join("\n");
}

/** cassandra-rackdc.properties: the region as datacenter, the AZ as rack. */
export function rackdcProperties(ctx: BootstrapContext): string {
  return ["# Managed by the Tila bootstrap; rewritten on every run.", `dc=${datacenterOf(ctx)}`, `rack=${ctx.az}`, ""].join("\n");
}

/**
 * Shell functions of node 0's first-boot security setup. They read TILA_CASSANDRA_DC,
 * TILA_CASSANDRA_RF and TILA_RUN_DIR, and print CQL with the passwords the caller read from Secrets
 * Manager: the output only ever goes to a file in the tmpfs run dir, which cqlsh reads and which is
 * removed at once. Values are checked against strict patterns before they reach CQL.
 */
export const CASSANDRA_FUNCTIONS = sh`
readonly TILA_CASSANDRA_HOME=/opt/cassandra
# cql_safe_name NAME / cql_safe_password PASSWORD: refuse anything that could leave a CQL literal.
cql_safe_name() { [[ "$1" =~ ^[a-z][a-z0-9_]{0,47}$ ]]; }
cql_safe_password() { [[ "$1" =~ ^[A-Za-z0-9_-]{16,128}$ ]]; }

# auth_setup_cql ADMIN_USER ADMIN_PASSWORD: system_auth in every AZ, the admin superuser.
auth_setup_cql() {
  printf "ALTER KEYSPACE system_auth WITH replication = {'class': 'NetworkTopologyStrategy', '%s': %s};\n" "\${TILA_CASSANDRA_DC}" "\${TILA_CASSANDRA_RF}"
  printf "CREATE ROLE IF NOT EXISTS %s WITH SUPERUSER = true AND LOGIN = true AND PASSWORD = '%s';\n" "$1" "$2"
}

# retire_default_cql: the default superuser keeps no login and no rights once the admin exists.
retire_default_cql() {
  printf "ALTER ROLE cassandra WITH SUPERUSER = false AND LOGIN = false AND PASSWORD = '%s';\n" "$1"
}

# service_user_cql KEYSPACE USER PASSWORD: the service's keyspace in every AZ, its role (password
# reset on every run) and every permission on that keyspace, nothing else.
service_user_cql() {
  printf "CREATE KEYSPACE IF NOT EXISTS %s WITH replication = {'class': 'NetworkTopologyStrategy', '%s': %s};\n" "$1" "\${TILA_CASSANDRA_DC}" "\${TILA_CASSANDRA_RF}"
  printf "CREATE ROLE IF NOT EXISTS %s WITH LOGIN = true AND PASSWORD = '%s';\n" "$2" "$3"
  printf "ALTER ROLE %s WITH PASSWORD = '%s';\n" "$2" "$3"
  printf "GRANT ALL PERMISSIONS ON KEYSPACE %s TO %s;\n" "$1" "$2"
}

# cql_as USER PASSWORD FILE: runs FILE on this node as USER; the credentials go through a cqlshrc
# in the run dir, never on a command line.
cql_as() {
  local rc="\${TILA_RUN_DIR}/cqlshrc" status=0
  (umask 077 && printf '[authentication]\nusername = %s\npassword = %s\n' "$1" "$2" >"\${rc}")
  "\${TILA_CASSANDRA_HOME}/bin/cqlsh" --cqlshrc "\${rc}" -f "$3" 127.0.0.1 ${CASSANDRA_CLIENT_PORT} || status=$?
  rm -f "\${rc}"
  return "\${status}"
}

# Counts the nodes nodetool reports Up and Normal (JMX on localhost only).
cassandra_nodes_up() {
  "\${TILA_CASSANDRA_HOME}/bin/nodetool" status 2>/dev/null | grep -c '^UN' || true
}
all_cassandra_nodes_up() {
  local up
  up="$(cassandra_nodes_up)"
  [[ "\${up}" -ge "\${TILA_NODE_COUNT}" ]]
}
`.trim();

/** Node 0's security setup, run once every node is Up/Normal; idempotent (a re-run signs in as the admin). */
function securitySetup(ctx: BootstrapContext): string {
  const lines = [
    "# Node 0: security, once the whole ring is up.",
    'retry "${TILA_WAIT_ATTEMPTS}" 5 all_cassandra_nodes_up || die "not all ${TILA_NODE_COUNT} Cassandra nodes came up (nodetool status)"',
    'cql_safe_name "${ADMIN_USER}" || die "the admin secret\'s username is not a plain role name"',
    'cql_safe_password "${ADMIN_PASSWORD}" || die "the admin secret\'s password has characters the bootstrap will not put in CQL"',
    'probe="${TILA_RUN_DIR}/probe.cql"',
    "printf 'SELECT release_version FROM system.local;\\n' >\"${probe}\"",
    'setup="${TILA_RUN_DIR}/setup.cql"',
    'if cql_as "${ADMIN_USER}" "${ADMIN_PASSWORD}" "${probe}" >/dev/null 2>&1; then',
    '  log "admin role ${ADMIN_USER} already set up"',
    "else",
    "  # The default superuser exists a few seconds after the ring forms: retried until it answers.",
    '  (umask 077 && auth_setup_cql "${ADMIN_USER}" "${ADMIN_PASSWORD}" >"${setup}")',
    '  retry 30 10 cql_as cassandra cassandra "${setup}" || die "cannot set up the admin role as the default superuser"',
    '  retired="$(derive_key cassandra-default)"',
    '  (umask 077 && retire_default_cql "${retired}" >"${setup}")',
    '  cql_as "${ADMIN_USER}" "${ADMIN_PASSWORD}" "${setup}" || die "cannot retire the default cassandra role"',
    '  rm -f "${setup}"',
    '  "${TILA_CASSANDRA_HOME}/bin/nodetool" repair --full system_auth || die "repair of system_auth failed"',
    '  log "admin role ${ADMIN_USER} created; the default cassandra role can no longer sign in"',
    "fi",
  ];
  if (hasServiceUsers(ctx)) {
    lines.push(
      "# One keyspace and role per service, every permission on that keyspace only.",
      'for i in "${!TILA_SVC_SECRETS[@]}"; do',
      '  read_service_secret "${TILA_SVC_SECRETS[i]}"',
      '  cql_safe_name "${SVC_USER}" || die "the secret of ${TILA_SVC_NAMES[i]} has a username that is not a plain role name"',
      '  cql_safe_password "${SVC_PASSWORD}" || die "the secret of ${TILA_SVC_NAMES[i]} has a password the bootstrap will not put in CQL"',
      '  (umask 077 && service_user_cql "${TILA_SVC_DATABASES[i]}" "${SVC_USER}" "${SVC_PASSWORD}" >"${setup}")',
      '  cql_as "${ADMIN_USER}" "${ADMIN_PASSWORD}" "${setup}" || die "cannot create the Cassandra role of ${TILA_SVC_NAMES[i]}"',
      '  rm -f "${setup}"',
      '  log "${TILA_SVC_NAMES[i]}: role ${SVC_USER} has every permission on keyspace ${TILA_SVC_DATABASES[i]} only"',
      "done",
    );
  }
  return lines.join("\n");
}

export function cassandraSection(ctx: BootstrapContext): string {
  const v = VERSIONS.cassandra;
  const data = ctx.mountPoint;
  const unit = systemdUnit({
    description: "Apache Cassandra (Tila)",
    user: "cassandra",
    execStart: "/opt/cassandra/bin/cassandra -f",
    environment: { CASSANDRA_CONF: CASSANDRA_CONF_DIR, CASSANDRA_LOG_DIR },
    limitNofile: 1048576,
  });
  const lines = [
    APACHE_FUNCTIONS,
    "",
    CASSANDRA_FUNCTIONS,
    "",
    "# --- Cassandra ---",
    `readonly TILA_CASSANDRA_DC=${shellQuote(datacenterOf(ctx))}`,
    `readonly TILA_CASSANDRA_RF=${replicationFactor(ctx)}`,
    `install_java ${shellQuote(v.javaPackage)}`,
    'retry 5 10 dnf install -y python3 || die "dnf could not install python3 (cqlsh)"',
    `apache_install cassandra ${shellQuote(v.version)} ${shellQuote(v.url)} ${shellQuote(v.sha512)}`,
    "ensure_system_user cassandra",
    `install -d -m 0750 -o cassandra -g cassandra ${["data", "commitlog", "saved_caches", "hints"].map((d) => shellQuote(`${data}/${d}`)).join(" ")} ${CASSANDRA_LOG_DIR}`,
    "# The distribution's conf directory once (JVM options, logback), then our two files over it.",
    `if [[ ! -d ${CASSANDRA_CONF_DIR} ]]; then cp -a /opt/cassandra/conf ${CASSANDRA_CONF_DIR}; fi`,
    writeFile(`${CASSANDRA_CONF_DIR}/cassandra.yaml`, cassandraYaml(ctx), "0644"),
    writeFile(`${CASSANDRA_CONF_DIR}/cassandra-rackdc.properties`, rackdcProperties(ctx), "0644"),
    writeFile("/etc/systemd/system/cassandra.service", unit),
    "systemctl daemon-reload",
    "systemctl enable --now cassandra.service",
    `wait_for_tcp 127.0.0.1 ${CASSANDRA_CLIENT_PORT}`,
    'log "cassandra node ${TILA_SELF} is up in ${TILA_CASSANDRA_DC}/${TILA_AZ}"',
  ];
  if (ctx.nodeIndex === 0) lines.push(securitySetup(ctx));
  else lines.push('log "node 0 sets up roles once the ring is up"');
  return lines.join("\n");
}
