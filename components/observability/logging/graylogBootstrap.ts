/**
 * User data of a Graylog server node (docs/observability-logging.md#graylog-node-bootstrap): on
 * Amazon Linux 2023, the CloudWatch agent as on the data nodes, the pinned graylog-server package
 * from Graylog's repository with its signatures checked (graylogRelease.ts), server.conf written
 * at boot from three secrets read with the node's role (never from user data), and a bounded wait
 * until the node tells load balancers it is ALIVE.
 */
import { BOOTSTRAP_LOG, LOG_FUNCTIONS, SECRET_READER_FUNCTIONS } from "../../data/bootstrap/common";
import { CLOUDWATCH_AGENT_CONFIG, cloudwatchAgentConfig } from "../../data/bootstrap/monitoring";
import { HEREDOC_DELIMITER, sh, shellQuote, writeFile } from "../../data/bootstrap/shell";
import { isValidDnsName } from "../../data/bootstrap/validate";
import { VERSIONS } from "../../data/bootstrap/versions";
import { CW_AGENT_NAMESPACE } from "../../data/nodeMetrics";
import { GRAYLOG_HTTP_PORT } from "./graylogPlan";
import { GRAYLOG_GPG_KEY_PATH, GRAYLOG_REPO_PATH, GRAYLOG_SERVER, graylogRepoFile } from "./graylogRelease";

export interface GraylogBootstrapInput {
  readonly environment: string;
  readonly region: string;
  readonly nodeIndex: number;
  /** `https://graylog.management.internal.<domain>/`: Graylog's http_external_uri. */
  readonly externalUri: string;
  /** Graylog's MongoDB replica set; the user secret holds JSON `username` and `password`. */
  readonly mongodb: {
    readonly hosts: readonly string[];
    readonly port: number;
    readonly replicaSet: string;
    readonly database: string;
    readonly userSecretArn: string;
    /**
     * The database the user is defined in (the connection string's authSource).
     * @default `database` (NoSqlCluster creates each service's user in its own database)
     */
    readonly authSource?: string;
  };
  /** The OpenSearch domain (`https://<endpoint>`); the user secret holds JSON `username` and `password`. */
  readonly opensearch: { readonly endpoint: string; readonly userSecretArn: string };
  /** Graylog's own secret: JSON `passwordSecret` (password_secret) and `rootPassword` (the admin's, hashed on the node). */
  readonly graylogSecretArn: string;
  /**
   * Graylog's built-in administrator (root_username), whose password is the secret's `rootPassword`.
   * @default "admin" (Graylog's own default)
   */
  readonly rootUsername?: string;
  /**
   * message_journal_max_size in GiB. The journal lives on the root volume, which must hold this
   * much free space at boot (the script refuses to start Graylog otherwise, as Graylog would).
   * @default 5 (Graylog's default)
   */
  readonly journalMaxSizeGiB?: number;
}

export const GRAYLOG_CONF = "/etc/graylog/server/server.conf";
export const GRAYLOG_SYSCONFIG = "/etc/sysconfig/graylog-server";
export const GRAYLOG_DATA_DIR = "/var/lib/graylog-server";
export const GRAYLOG_JOURNAL_DIR = `${GRAYLOG_DATA_DIR}/journal`;
export const GRAYLOG_NODE_ID_FILE = "/etc/graylog/server/node-id";
/** Graylog's documentation asks for a password_secret of at least 64 characters (the server itself refuses fewer than 16). */
export const PASSWORD_SECRET_MIN_LENGTH = 64;
export const DEFAULT_JOURNAL_MAX_SIZE_GIB = 5;
export const DEFAULT_ROOT_USERNAME = "admin";
/**
 * How long (5 s steps) a node waits for Graylog to answer ALIVE: 20 minutes, because a node created
 * with the cluster may boot before MongoDB's node 0 has initiated the replica set and created the
 * `graylog` user, and graylog-server (which retries MongoDB indefinitely by default) only comes up
 * after that.
 */
export const GRAYLOG_WAIT_ATTEMPTS = 240;

const REGION = /^[a-z]{2}(?:-[a-z]+)+-[0-9]$/;
const SECRET_ARN = /^arn:aws(?:-[a-z]+)*:secretsmanager:[a-z]{2}(?:-[a-z]+)+-[0-9]:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}$/;
/** MongoDB names that reach the connection string unescaped. */
const MONGO_NAME = /^[A-Za-z0-9_-]{1,63}$/;
const ROOT_USERNAME = /^[A-Za-z0-9._-]{1,64}$/;

/** `https://host[:port]` plus `path` (a regex source) or undefined when `uri` is not one. */
function httpsHost(uri: string, path: string): { host: string; port?: string } | undefined {
  const m = new RegExp(`^https://([^/:]+)(?::([1-9][0-9]{0,4}))?${path}$`).exec(uri);
  if (!m || !isValidDnsName(m[1]) || (m[2] !== undefined && Number(m[2]) > 65535)) return undefined;
  return { host: m[1]!, port: m[2] };
}

/** Every problem with `input`, each naming its field. */
export function graylogBootstrapIssues(input: GraylogBootstrapInput): string[] {
  const issues: string[] = [];
  if (!/^[a-z][a-z0-9-]*$/.test(input.environment)) issues.push(`environment: "${input.environment}" must be a lower-case name`);
  if (!REGION.test(input.region)) issues.push(`region: "${input.region}" is not a region name`);
  if (!Number.isInteger(input.nodeIndex) || input.nodeIndex < 0) issues.push("nodeIndex: must be a non-negative integer");
  if (!httpsHost(input.externalUri, "/(?:[A-Za-z0-9._~-]+/)*")) issues.push(`externalUri: "${input.externalUri}" must be an https:// URL of a DNS name ending with "/" (Graylog refuses one without)`);
  const m = input.mongodb;
  if (m.hosts.length === 0) issues.push("mongodb.hosts: name every member of the replica set");
  m.hosts.forEach((h, i) => { if (!isValidDnsName(h)) issues.push(`mongodb.hosts[${i}]: "${h}" is not a DNS name`); });
  if (new Set(m.hosts).size !== m.hosts.length) issues.push("mongodb.hosts: names a member twice");
  if (!Number.isInteger(m.port) || m.port < 1 || m.port > 65535) issues.push("mongodb.port: must be a TCP port");
  if (!MONGO_NAME.test(m.replicaSet)) issues.push(`mongodb.replicaSet: "${m.replicaSet}" must match ${MONGO_NAME}`);
  if (!MONGO_NAME.test(m.database)) issues.push(`mongodb.database: "${m.database}" must match ${MONGO_NAME}`);
  if (m.authSource !== undefined && !MONGO_NAME.test(m.authSource)) issues.push(`mongodb.authSource: "${m.authSource}" must match ${MONGO_NAME}`);
  if (!httpsHost(input.opensearch.endpoint, "/?")) issues.push(`opensearch.endpoint: "${input.opensearch.endpoint}" must be https://<DNS name>[:port]`);
  const arns: [string, string][] = [["mongodb.userSecretArn", m.userSecretArn], ["opensearch.userSecretArn", input.opensearch.userSecretArn], ["graylogSecretArn", input.graylogSecretArn]];
  for (const [field, arn] of arns) if (!SECRET_ARN.test(arn)) issues.push(`${field}: must be a Secrets Manager secret ARN`);
  if (input.rootUsername !== undefined && !ROOT_USERNAME.test(input.rootUsername)) issues.push(`rootUsername: "${input.rootUsername}" must match ${ROOT_USERNAME}`);
  const j = input.journalMaxSizeGiB;
  if (j !== undefined && (!Number.isInteger(j) || j < 1 || j > 1024)) issues.push("journalMaxSizeGiB: must be a whole number of GiB from 1 to 1024");
  return issues;
}

/**
 * server.conf without its four credential-bearing settings (password_secret, root_password_sha2,
 * mongodb_uri, elasticsearch_hosts), which write_server_conf appends at boot. Key names are those of
 * Graylog 6.3's Configuration classes and sample graylog.conf. The leader is static, as in 6.3's
 * default `leader_election_mode`: node 0 leads, every other node follows.
 */
export function graylogServerSettings(input: GraylogBootstrapInput): string {
  return [
    "# Managed by the Tila bootstrap; rewritten on every boot. Credentials are appended at boot from Secrets Manager.",
    `is_leader = ${input.nodeIndex === 0}`,
    `node_id_file = ${GRAYLOG_NODE_ID_FILE}`,
    `root_username = ${input.rootUsername ?? DEFAULT_ROOT_USERNAME}`,
    "bin_dir = /usr/share/graylog-server/bin",
    `data_dir = ${GRAYLOG_DATA_DIR}`,
    "plugin_dir = /usr/share/graylog-server/plugin",
    `http_bind_address = 0.0.0.0:${GRAYLOG_HTTP_PORT}`,
    `http_external_uri = ${input.externalUri}`,
    "message_journal_enabled = true",
    `message_journal_dir = ${GRAYLOG_JOURNAL_DIR}`,
    `message_journal_max_size = ${journalGiB(input)}gb`,
    "message_journal_max_age = 12h",
    "allow_leading_wildcard_searches = false",
    "allow_highlighting = false",
    "",
  ].join("\n");
}

function journalGiB(input: GraylogBootstrapInput): number {
  return input.journalMaxSizeGiB ?? DEFAULT_JOURNAL_MAX_SIZE_GIB;
}

/** `h1:port,h2:port,...` and `database?replicaSet=...&authSource=...`: the parts of mongodb_uri around the credentials. */
export function mongodbUriParts(input: GraylogBootstrapInput): { hosts: string; path: string } {
  const m = input.mongodb;
  return { hosts: m.hosts.map((h) => `${h}:${m.port}`).join(","), path: `${m.database}?replicaSet=${m.replicaSet}&authSource=${m.authSource ?? m.database}` };
}

/**
 * uri_encode VALUE: VALUE percent-encoded (RFC 3986: every character but the unreserved ones);
 * printf is a builtin, so the value reaches jq on a pipe, never on a command line.
 * write_server_conf: server.conf from the settings on stdin plus the credential-bearing settings,
 * root:graylog 0640. The values live only in shell variables and, for the moment jq reads them,
 * in the tmpfs run dir; the OpenSearch credentials may not contain ':' because Graylog splits the
 * decoded user info on it (OSCredentialsProvider, VersionProbeImpl).
 * write_jvm_options MEMINFO OUT: the package's environment file with half the memory as heap
 * (1-16 GiB). check_journal_space DIR BYTES: dies unless DIR's filesystem can hold the journal.
 * install_graylog_server VERSION KEY_ID, lb_status and wait_for_graylog: see each.
 */
export const GRAYLOG_FUNCTIONS = sh`
uri_encode() { printf '%s' "$1" | jq -sRr '@uri'; }

write_server_conf() {
  local out="\${TILA_GRAYLOG_CONF}" g="\${TILA_RUN_DIR}/graylog.json" what="Graylog's secret \${TILA_GRAYLOG_SECRET_ARN}"
  local settings secret root_sha mongo_user mongo_password os_user os_password
  settings="$(cat)"
  retry 10 6 fetch_secret_json "\${TILA_GRAYLOG_SECRET_ARN}" "\${g}" || die "cannot read \${what}"
  secret="$(jq -er '.passwordSecret | strings' "\${g}")" || die "\${what} has no passwordSecret"
  root_sha="$(jq -ej '.rootPassword | strings | select(length > 0)' "\${g}" | sha256sum | cut -d ' ' -f 1)" || die "\${what} has no rootPassword"
  rm -f "\${g}"
  [[ "\${secret}" =~ ^[A-Za-z0-9_-]{\${TILA_PASSWORD_SECRET_MIN},}$ ]] || die "passwordSecret in \${what} must be at least \${TILA_PASSWORD_SECRET_MIN} letters, digits, '-' or '_'"
  read_secret_pair "\${TILA_MONGODB_SECRET_ARN}" mongodb.json "the MongoDB user secret \${TILA_MONGODB_SECRET_ARN}"
  mongo_user="$(uri_encode "\${SECRET_USER}")"
  mongo_password="$(uri_encode "\${SECRET_PASSWORD}")"
  read_secret_pair "\${TILA_OPENSEARCH_SECRET_ARN}" opensearch.json "the OpenSearch user secret \${TILA_OPENSEARCH_SECRET_ARN}"
  [[ "\${SECRET_USER}\${SECRET_PASSWORD}" != *:* ]] || die "the OpenSearch user secret \${TILA_OPENSEARCH_SECRET_ARN} has a ':' in its username or password, which Graylog cannot pass on"
  os_user="$(uri_encode "\${SECRET_USER}")"
  os_password="$(uri_encode "\${SECRET_PASSWORD}")"
  SECRET_PASSWORD=""
  (
    umask 077
    printf '%s\n' "\${settings}"
    printf 'password_secret = %s\n' "\${secret}"
    printf 'root_password_sha2 = %s\n' "\${root_sha}"
    printf 'mongodb_uri = mongodb://%s:%s@%s/%s\n' "\${mongo_user}" "\${mongo_password}" "\${TILA_MONGODB_HOSTS}" "\${TILA_MONGODB_PATH}"
    printf 'elasticsearch_hosts = https://%s:%s@%s\n' "\${os_user}" "\${os_password}" "\${TILA_OPENSEARCH_HOST}"
  ) >"\${out}.new"
  chown root:graylog "\${out}.new"
  chmod 0640 "\${out}.new"
  mv -f "\${out}.new" "\${out}"
  log "wrote \${out} (root_username from the settings, credentials from the three secrets)"
}

write_jvm_options() {
  local kib heap
  kib="$(awk '$1 == "MemTotal:" { print $2 }' "$1")"
  [[ "\${kib}" =~ ^[0-9]+$ ]] || die "cannot read the memory size from $1"
  heap=$((kib / 2048))
  if ((heap > 16384)); then heap=16384; fi
  if ((heap < 1024)); then heap=1024; fi
  printf '%s\n' "# Managed by the Tila bootstrap: half the memory as heap." \
    "GRAYLOG_SERVER_JAVA_OPTS=\"-Xms\${heap}m -Xmx\${heap}m -server -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow -Djdk.tls.acknowledgeCloseNotify=true -Dlog4j2.formatMsgNoLookups=true\"" \
    'GRAYLOG_SERVER_ARGS=""' 'GRAYLOG_COMMAND_WRAPPER=""' >"$2"
  chmod 0644 "$2"
  log "graylog-server heap \${heap} MiB"
}

check_journal_space() {
  local avail used
  avail="$(df --output=avail -B1 "$1" | tail -n 1 | tr -d ' ')"
  used="$(du -sb "$1" | cut -f 1)"
  ((avail + used >= $2)) || die "$1 has $((avail / 1048576)) MiB free; the message journal needs $(($2 / 1048576)) MiB (give the root volume more space or lower journalMaxSizeGiB)"
}

# Imports the key written beside the repository file, then installs exactly VERSION; dnf checks
# every package's signature against that key (gpgcheck=1) and the installed version is re-read.
install_graylog_server() {
  local v="$1" key="$2" installed
  rpm --import "\${TILA_GRAYLOG_KEY}" || die "rpm refused Graylog's signing key \${TILA_GRAYLOG_KEY}"
  rpm -q "gpg-pubkey-\${key}" >/dev/null || die "Graylog's signing key \${key} is not in rpm's keyring"
  retry 5 10 dnf install -y "graylog-server-\${v}" || die "dnf could not install graylog-server-\${v} from Graylog's repository"
  installed="$(rpm -q --qf '%{VERSION}' graylog-server)" || die "graylog-server is not installed"
  [[ "\${installed}" == "\${v}" ]] || die "graylog-server \${installed} is installed; \${v} is pinned"
  log "installed graylog-server \${v}, its signature checked against key \${key}"
}

# The node's own answer to load balancers: ALIVE (200), DEAD (503) or THROTTLED (429); empty when it does not answer.
lb_status() { curl -sS -m 5 "http://127.0.0.1:\${TILA_GRAYLOG_PORT}/api/system/lbstatus" 2>/dev/null || true; }

wait_for_graylog() {
  local i status="" state
  for ((i = 1; i <= TILA_GRAYLOG_WAIT_ATTEMPTS; i++)); do
    status="$(lb_status)"
    if [[ "\${status}" == "ALIVE" ]]; then
      log "graylog-server answers ALIVE on port \${TILA_GRAYLOG_PORT}"
      return 0
    fi
    sleep 5
  done
  state="$(systemctl is-active graylog-server.service || true)"
  die "graylog-server (\${state}) did not answer ALIVE on /api/system/lbstatus within $((TILA_GRAYLOG_WAIT_ATTEMPTS * 5)) s (last answer: '\${status:-none}'); see /var/log/graylog-server/server.log and journalctl -u graylog-server"
}
`.trim();

/** The complete user data of one Graylog node. Throws, naming every bad field, when `input` is not acceptable. */
export function renderGraylogBootstrap(input: GraylogBootstrapInput): string {
  const issues = graylogBootstrapIssues(input);
  if (issues.length > 0) throw new Error(`invalid Graylog node bootstrap input: ${issues.join("; ")}`);
  const settings = graylogServerSettings(input);
  if (settings.split("\n").includes(HEREDOC_DELIMITER)) throw new Error(`server.conf settings contain the heredoc delimiter ${HEREDOC_DELIMITER}`);
  const uri = mongodbUriParts(input);
  const os = httpsHost(input.opensearch.endpoint, "/?")!;
  const cw = VERSIONS.cloudwatchAgent;
  const journalBytes = journalGiB(input) * 1024 ** 3;
  return [
    "#!/bin/bash",
    `# Tila Graylog server node ${input.nodeIndex} (${input.environment}). Generated by components/observability/logging; safe to re-run.`,
    "set -euo pipefail",
    "umask 022",
    "readonly TILA_ENGINE='graylog'",
    `readonly TILA_REGION=${shellQuote(input.region)}`,
    `readonly TILA_LOG=${shellQuote(BOOTSTRAP_LOG)}`,
    "readonly TILA_RUN_DIR=/run/tila-bootstrap",
    `readonly TILA_GRAYLOG_WAIT_ATTEMPTS=${GRAYLOG_WAIT_ATTEMPTS}`,
    `readonly TILA_GRAYLOG_CONF=${shellQuote(GRAYLOG_CONF)}`,
    `readonly TILA_GRAYLOG_KEY=${shellQuote(GRAYLOG_GPG_KEY_PATH)}`,
    `readonly TILA_GRAYLOG_PORT=${GRAYLOG_HTTP_PORT}`,
    `readonly TILA_PASSWORD_SECRET_MIN=${PASSWORD_SECRET_MIN_LENGTH}`,
    `readonly TILA_GRAYLOG_SECRET_ARN=${shellQuote(input.graylogSecretArn)}`,
    `readonly TILA_MONGODB_SECRET_ARN=${shellQuote(input.mongodb.userSecretArn)}`,
    `readonly TILA_OPENSEARCH_SECRET_ARN=${shellQuote(input.opensearch.userSecretArn)}`,
    `readonly TILA_MONGODB_HOSTS=${shellQuote(uri.hosts)}`,
    `readonly TILA_MONGODB_PATH=${shellQuote(uri.path)}`,
    `readonly TILA_OPENSEARCH_HOST=${shellQuote(os.port ? `${os.host}:${os.port}` : os.host)}`,
    'touch "${TILA_LOG}" && chmod 0600 "${TILA_LOG}"',
    'exec > >(tee -a "${TILA_LOG}" || true) 2>&1',
    'install -d -m 0700 "${TILA_RUN_DIR}"',
    "# Secrets only ever live in shell variables and, briefly, in the tmpfs run dir, removed on exit.",
    "trap 'rm -rf \"${TILA_RUN_DIR}\"' EXIT",
    "",
    LOG_FUNCTIONS,
    "",
    SECRET_READER_FUNCTIONS,
    "",
    GRAYLOG_FUNCTIONS,
    "",
    `retry 5 10 dnf install -y jq ${shellQuote(cw.package)} || die "dnf could not install jq and ${cw.package}"`,
    "# --- Monitoring: the CloudWatch agent (memory, root volume), first, so a node is watched even when Graylog fails ---",
    writeFile(CLOUDWATCH_AGENT_CONFIG, JSON.stringify(cloudwatchAgentConfig({ mountPoint: "/" }))),
    `${cw.ctl} -a fetch-config -m ec2 -s -c ${shellQuote(`file:${CLOUDWATCH_AGENT_CONFIG}`)}`,
    `log "cloudwatch agent publishing memory and disk to ${CW_AGENT_NAMESPACE}"`,
    `# --- Graylog ${GRAYLOG_SERVER.version} from Graylog's repository, signatures checked ---`,
    writeFile(GRAYLOG_GPG_KEY_PATH, GRAYLOG_SERVER.gpgKey),
    writeFile(GRAYLOG_REPO_PATH, graylogRepoFile()),
    `install_graylog_server ${shellQuote(GRAYLOG_SERVER.version)} ${shellQuote(GRAYLOG_SERVER.gpgKeyId)}`,
    `if [[ ! -s ${GRAYLOG_NODE_ID_FILE} ]]; then cat /proc/sys/kernel/random/uuid >${GRAYLOG_NODE_ID_FILE}; fi`,
    `install -d -m 0755 -o graylog -g graylog ${GRAYLOG_DATA_DIR} ${GRAYLOG_JOURNAL_DIR}`,
    `check_journal_space ${GRAYLOG_JOURNAL_DIR} ${journalBytes}`,
    `write_jvm_options /proc/meminfo ${GRAYLOG_SYSCONFIG}`,
    `write_server_conf <<'${HEREDOC_DELIMITER}'`,
    `${settings}${HEREDOC_DELIMITER}`,
    "systemctl daemon-reload",
    "systemctl enable graylog-server.service",
    "# restart, not start: a re-run must load the configuration it just wrote.",
    "systemctl restart graylog-server.service",
    "wait_for_graylog",
    `log "Graylog node ${input.nodeIndex} (${input.nodeIndex === 0 ? "leader" : "follower"}) serving on ${GRAYLOG_HTTP_PORT}"`,
    "",
  ].join("\n");
}
