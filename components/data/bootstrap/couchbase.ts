/**
 * Couchbase Server Enterprise. Node 0 initialises the cluster (POST /clusterInit) and renames its
 * server group to its AZ; every other node creates its AZ's group if missing, adds itself with
 * `couchbase-cli server-add --group-name <AZ>` and triggers a rebalance (retried while another
 * node's rebalance is running). Server groups are what make Couchbase place replicas across AZs.
 *
 * Credentials never reach a command line: curl reads them from a 0600 config file (-K) in the
 * tmpfs run dir, couchbase-cli from CB_REST_USERNAME / CB_REST_PASSWORD. The node being added has
 * never been provisioned, so Couchbase ignores the credentials given for it (its REST docs ask for
 * placeholders), and the admin password is not passed for it either.
 */
import { COUCHBASE_METRICS_RELAY_PORT } from "../nodeMetrics";
import { hasServiceUsers } from "./common";
import { metricsRelaySection } from "./monitoring";
import { sh, shellQuote } from "./shell";
import { BootstrapContext, EngineLogs } from "./types";
import { VERSIONS } from "./versions";

export const COUCHBASE_SERVICES_REST = "kv,index,n1ql";
export const COUCHBASE_SERVICES_CLI = "data,index,query";
/** The package's fixed log directory on Linux (Couchbase docs, "Manage Logging"). */
export const COUCHBASE_LOG_DIR = "/opt/couchbase/var/lib/couchbase/logs";
/** The cluster manager's info.log (errors included), and the Query and Index services this node runs. */
export const COUCHBASE_LOGS: EngineLogs = {
  files: ["info.log", "query.log", "indexer.log"].map((f) => `${COUCHBASE_LOG_DIR}/${f}`),
  javaStackTraces: false,
  consoleRepeatsFiles: [],
};
/** A service's bucket quota at creation; the operators resize buckets as data grows. */
export const SERVICE_BUCKET_RAM_MIB = 256;

/**
 * The cluster's metrics user: Couchbase's `external_stats_reader` role, which reads the Prometheus
 * statistics (/metrics) and nothing else. Its password is derived on every node from the admin
 * password (derive_key), so node 0 creates it and each node's relay can use it without another
 * secret; it is not the admin credential and cannot be turned back into it.
 */
export const COUCHBASE_METRICS_USER = "tila-metrics";
export const COUCHBASE_METRICS_ROLE = "external_stats_reader";
export const COUCHBASE_METRICS_AUTH_FILE = "/etc/tila/couchbase-metrics.auth";

/** The RBAC roles of a service's user: full data access and N1QL on its own bucket, nothing cluster-wide. */
export function couchbaseServiceRoles(bucket: string): string {
  return ["bucket_full_access", "query_select", "query_insert", "query_update", "query_delete", "query_manage_index"].map((r) => `${r}[${bucket}]`).join(",");
}

const FUNCTIONS = sh`
cb_write_auth() {
  local user="\${ADMIN_USER//\\/\\\\}" pass="\${ADMIN_PASSWORD//\\/\\\\}"
  user="\${user//\"/\\\"}"
  pass="\${pass//\"/\\\"}"
  (umask 077 && printf 'user = "%s:%s"\n' "\${user}" "\${pass}" >"\${TILA_RUN_DIR}/couchbase.curl")
}
cb_curl() { curl -fsS -K "\${TILA_RUN_DIR}/couchbase.curl" "$@"; }
cbcli() { CB_REST_USERNAME="\${ADMIN_USER}" CB_REST_PASSWORD="\${ADMIN_PASSWORD}" /opt/couchbase/bin/couchbase-cli "$@"; }
# cb_metrics_password: the metrics user's password, the same on every node, without a newline.
cb_metrics_password() {
  local key
  key="$(derive_key couchbase-metrics)"
  printf '%s' "\${key}"
}
# cb_metrics_auth USER: the Authorization header value for the metrics user.
cb_metrics_auth() {
  local pw
  pw="$(cb_metrics_password)"
  basic_auth "$1" "\${pw}"
}
cb_provisioned() { cb_curl -o /dev/null "http://$1:8091/pools/default"; }
# cb_group_uri HOST NAME: the REST path of server group NAME, empty if there is none.
cb_group_uri() {
  cb_curl "http://$1:8091/pools/default/serverGroups" | jq -r --arg g "$2" '.groups[] | select(.name == $g) | .uri'
}
`.trim();

export function couchbaseSection(ctx: BootstrapContext): string {
  const v = VERSIONS.couchbase;
  const data = `${ctx.mountPoint}/couchbase/data`;
  const index = `${ctx.mountPoint}/couchbase/index`;
  const node0 = ctx.peerDnsNames[0];
  const lines = [
    "# --- Couchbase Server ---",
    FUNCTIONS,
    "if ! rpm -q couchbase-release >/dev/null 2>&1; then",
    `  retry 5 10 dnf install -y ${shellQuote(v.releaseRpm)} || die "cannot install Couchbase's repository package"`,
    "fi",
    `retry 5 10 dnf install -y ${shellQuote(`${v.package}-${v.version}`)} || die "cannot install Couchbase Server ${v.version} from packages.couchbase.com"`,
    `install -d -m 0750 -o couchbase -g couchbase ${shellQuote(data)} ${shellQuote(index)}`,
    "systemctl enable --now couchbase-server.service",
    "wait_for_tcp 127.0.0.1 8091",
    "cb_write_auth",
  ];
  if (ctx.nodeIndex === 0) {
    lines.push(
      "mem_mb=\"$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)\"",
      "if cb_provisioned 127.0.0.1; then",
      '  log "cluster already initialised"',
      "else",
      `  (umask 077 && printf '%s' "\${ADMIN_PASSWORD}" >"\${TILA_RUN_DIR}/couchbase.pw")`,
      "  curl -fsS -o /dev/null -X POST http://127.0.0.1:8091/clusterInit \\",
      '    --data-urlencode "hostname=${TILA_SELF}" \\',
      `    --data-urlencode ${shellQuote(`dataPath=${data}`)} \\`,
      `    --data-urlencode ${shellQuote(`indexPath=${index}`)} \\`,
      `    --data-urlencode ${shellQuote(`services=${COUCHBASE_SERVICES_REST}`)} \\`,
      '    --data-urlencode "memoryQuota=$((mem_mb * 50 / 100))" \\',
      '    --data-urlencode "indexMemoryQuota=$((mem_mb * 15 / 100))" \\',
      '    --data-urlencode "clusterName=${TILA_CLUSTER}" \\',
      "    --data-urlencode indexerStorageMode=plasma \\",
      "    --data-urlencode port=SAME \\",
      '    --data-urlencode "username=${ADMIN_USER}" \\',
      '    --data-urlencode "password@${TILA_RUN_DIR}/couchbase.pw" || die "clusterInit failed"',
      '  rm -f "${TILA_RUN_DIR}/couchbase.pw"',
      '  log "cluster ${TILA_CLUSTER} initialised on ${TILA_SELF}"',
      "fi",
      "# Node 0's group is the default one; it takes node 0's AZ as its name.",
      'az_group="$(cb_group_uri 127.0.0.1 "${TILA_AZ}")"',
      'if [[ -z "${az_group}" ]]; then',
      '  default_group="$(cb_group_uri 127.0.0.1 "Group 1")"',
      '  [[ -n "${default_group}" ]] || die "neither server group ${TILA_AZ} nor Group 1 exists"',
      '  cb_curl -o /dev/null -X PUT "http://127.0.0.1:8091${default_group}" --data-urlencode "name=${TILA_AZ}" ||',
      '    die "cannot rename the default server group to ${TILA_AZ}"',
      "fi",
      "# The metrics user: PUT creates or updates it, so a re-run converges.",
      '(umask 077 && cb_metrics_password >"${TILA_RUN_DIR}/metrics.pw")',
      `cb_curl -o /dev/null -X PUT ${shellQuote(`http://127.0.0.1:8091/settings/rbac/users/local/${COUCHBASE_METRICS_USER}`)} \\`,
      `  --data-urlencode "password@\${TILA_RUN_DIR}/metrics.pw" --data-urlencode ${shellQuote(`roles=${COUCHBASE_METRICS_ROLE}`)} || die "cannot create the metrics user ${COUCHBASE_METRICS_USER}"`,
      'rm -f "${TILA_RUN_DIR}/metrics.pw"',
    );
    if (hasServiceUsers(ctx)) {
      lines.push(
        "# One bucket and one user per service: the user reaches its own bucket only.",
        'for i in "${!TILA_SVC_SECRETS[@]}"; do',
        '  read_service_secret "${TILA_SVC_SECRETS[i]}"',
        '  bucket="${TILA_SVC_DATABASES[i]}"',
        '  if ! cb_curl -o /dev/null "http://127.0.0.1:8091/pools/default/buckets/${bucket}"; then',
        "    cb_curl -o /dev/null -X POST http://127.0.0.1:8091/pools/default/buckets \\",
        '      --data-urlencode "name=${bucket}" --data-urlencode bucketType=couchbase \\',
        `      --data-urlencode ramQuota=${SERVICE_BUCKET_RAM_MIB} --data-urlencode "replicaNumber=$(( TILA_NODE_COUNT > 2 ? 2 : TILA_NODE_COUNT - 1 ))" ||`,
        '      die "cannot create bucket ${bucket}"',
        "  fi",
        `  (umask 077 && printf '%s' "\${SVC_PASSWORD}" >"\${TILA_RUN_DIR}/service.pw")`,
        '  cb_curl -o /dev/null -X PUT "http://127.0.0.1:8091/settings/rbac/users/local/${SVC_USER}" \\',
        `    --data-urlencode "password@\${TILA_RUN_DIR}/service.pw" --data-urlencode "roles=${couchbaseServiceRoles("${bucket}")}" || die "cannot create user \${SVC_USER}"`,
        '  rm -f "${TILA_RUN_DIR}/service.pw"',
        '  log "${TILA_SVC_NAMES[i]}: user ${SVC_USER} has bucket ${bucket} only"',
        "done",
      );
    }
  } else {
    lines.push(
      `readonly CB_NODE0=${shellQuote(node0)}`,
      `cb_curl -o /dev/null -X POST http://127.0.0.1:8091/nodes/self/controller/settings --data-urlencode ${shellQuote(`path=${data}`)} --data-urlencode ${shellQuote(`index_path=${index}`)} ||`,
      '  log "data paths not changed (already set, or this node is already a member)"',
      'retry "${TILA_WAIT_ATTEMPTS}" 5 cb_provisioned "${CB_NODE0}" || die "node 0 (${CB_NODE0}) never initialised the cluster"',
      'if cb_curl "http://${CB_NODE0}:8091/pools/default" | jq -e --arg h "${TILA_SELF}:8091" \'[.nodes[].hostname] | index($h) != null\' >/dev/null; then',
      '  log "${TILA_SELF} is already a member"',
      "else",
      '  az_group="$(cb_group_uri "${CB_NODE0}" "${TILA_AZ}")"',
      '  if [[ -z "${az_group}" ]]; then',
      "    # Another node of this AZ may create it at the same moment; only its absence afterwards is an error.",
      '    cb_curl -o /dev/null -X POST "http://${CB_NODE0}:8091/pools/default/serverGroups" --data-urlencode "name=${TILA_AZ}" || true',
      '    az_group="$(cb_group_uri "${CB_NODE0}" "${TILA_AZ}")"',
      '    [[ -n "${az_group}" ]] || die "cannot create server group ${TILA_AZ}"',
      "  fi",
      '  cbcli server-add -c "${CB_NODE0}:8091" -u "${ADMIN_USER}" --server-add "https://${TILA_SELF}:18091" \\',
      '    --server-add-username unprovisioned --server-add-password unprovisioned \\',
      `    --group-name "\${TILA_AZ}" --services ${COUCHBASE_SERVICES_CLI} || die "server-add of \${TILA_SELF} failed"`,
      "fi",
      "# Rebalance fails while another node's rebalance runs; the last one to get through balances everyone.",
      'retry 20 30 cbcli rebalance -c "${CB_NODE0}:8091" -u "${ADMIN_USER}" --no-progress-bar || die "rebalance never succeeded"',
      'log "${TILA_SELF} is a member of ${TILA_CLUSTER} in server group ${TILA_AZ}"',
    );
  }
  lines.push(
    "# Every node serves its own statistics through the relay, as the metrics user.",
    "install -d -m 0755 /etc/tila",
    `(umask 077 && cb_metrics_auth ${shellQuote(COUCHBASE_METRICS_USER)} >${shellQuote(COUCHBASE_METRICS_AUTH_FILE)})`,
    metricsRelaySection({ job: "couchbase", port: COUCHBASE_METRICS_RELAY_PORT, upstream: "http://127.0.0.1:8091/metrics", authFile: COUCHBASE_METRICS_AUTH_FILE }),
  );
  return lines.join("\n");
}
