/**
 * ArangoDB through the ArangoDB Starter (shipped in the arangodb3 package). Layout: with 3 or
 * more nodes, every node runs a DB-Server and a Coordinator and the first three also run the
 * Agency (the Starter's default agency size of 3); a 1-node cluster runs a single server. The
 * cluster JWT secret is derived on each node from the admin password, so all nodes agree without
 * shipping it; node 0 then sets the root password and creates the admin user over the JWT.
 *
 * arm64: the RPM repository is checked for a build of the pinned version for this machine's
 * architecture before anything else; if there is none the script stops with a clear message
 * (arm64 builds are confirmed as .deb packages, used by the official Docker image, but not as
 * RPMs; see "arm64" in docs/data-tier.md). Until one is confirmed, the ArangoDB engine profile
 * allows only x86_64 (`architectures` in ../engines.ts), so NoSqlCluster refuses Graviton types
 * before this runs.
 */
import { ARANGODB_METRICS_RELAY_PORT } from "../nodeMetrics";
import { hasServiceUsers } from "./common";
import { metricsRelaySection } from "./monitoring";
import { sh, shellQuote, systemdUnit, writeFile } from "./shell";
import { BootstrapContext, EngineLogs } from "./types";
import { VERSIONS } from "./versions";

export const ARANGODB_STARTER_PORT = 8528;
export const ARANGODB_PORT = 8529;
const JWT_FILE = "/etc/arangodb3/cluster.jwtsecret";

/**
 * The Starter runs each server (agent, DB-Server, Coordinator, or the single server) in a directory
 * of its own under its data dir and gives it `--log.file <that dir>/arangod.log`; the Starter's own
 * output goes to its console, so to arangodb-starter.service's journal.
 */
export function arangodbLogs(ctx: Pick<BootstrapContext, "mountPoint">): EngineLogs {
  return { files: [`${ctx.mountPoint}/arangodb/*/arangod.log`], javaStackTraces: false, consoleRepeatsFiles: [] };
}

/**
 * The cluster's metrics user. ArangoDB's metrics handler admits any authenticated user unless
 * `--server.harden` is set (ServerSecurityFeature::canAccessHardenedApi; it is not set here), so
 * the user gets read-only access to _system, which the request runs against, and nothing else: no
 * service database. Its password is derived on every node from the admin password (derive_key), so
 * node 0 creates it and each node's relay uses it without another secret; the relay never holds
 * the JWT secret or a superuser token.
 */
export const ARANGODB_METRICS_USER = "tila-metrics";
export const ARANGODB_METRICS_AUTH_FILE = "/etc/tila/arangodb-metrics.auth";

export function starterArgs(ctx: BootstrapContext): string[] {
  const args = [
    `--starter.data-dir=${ctx.mountPoint}/arangodb`,
    `--starter.address=${ctx.selfDnsName}`,
    `--auth.jwt-secret=${JWT_FILE}`,
  ];
  if (ctx.nodeCount === 1) return [...args, "--starter.mode=single"];
  // ArangoDB's own default is one copy of every shard: losing a DB-Server (and so an AZ) would lose
  // data. Two copies, enforced as a floor, so that a collection created with 1 is refused.
  const copies = Math.min(2, ctx.nodeCount);
  return [
    ...args,
    "--starter.mode=cluster",
    `--starter.join=${ctx.peerDnsNames.join(",")}`,
    `--args.coordinators.cluster.default-replication-factor=${copies}`,
    `--args.coordinators.cluster.min-replication-factor=${copies}`,
  ];
}

const FUNCTIONS = sh`
arango_api() { curl -fsS -H "@\${TILA_RUN_DIR}/arango.header" "$@"; }
arango_ready() { arango_api -o /dev/null "http://127.0.0.1:8529/_api/version"; }
# arango_user_body: the JSON body for a user, password taken from the environment, not argv.
arango_user_body() {
  TILA_PW="\${ADMIN_PASSWORD}" jq -n --arg u "$1" '{user: $u, passwd: env.TILA_PW, active: true}'
}
# arango_metrics_password: the metrics user's password, the same on every node.
arango_metrics_password() {
  local key
  key="$(derive_key arangodb-metrics)"
  printf '%s' "\${key}"
}
# arango_metrics_body USER: the JSON body for the metrics user.
arango_metrics_body() {
  local pw
  pw="$(arango_metrics_password)"
  TILA_PW="\${pw}" jq -n --arg u "$1" '{user: $u, passwd: env.TILA_PW, active: true}'
}
# arango_metrics_auth USER: the Authorization header value for the metrics user.
arango_metrics_auth() {
  local pw
  pw="$(arango_metrics_password)"
  basic_auth "$1" "\${pw}"
}
`.trim();

export function arangodbSection(ctx: BootstrapContext): string {
  const v = VERSIONS.arangodb;
  const unit = systemdUnit({
    description: "ArangoDB Starter (Tila)",
    user: "arangodb",
    execStart: ["/usr/bin/arangodb", ...starterArgs(ctx)].join(" "),
    limitNofile: 131072,
  });
  const lines = [
    "# --- ArangoDB ---",
    FUNCTIONS,
    `readonly ARANGODB_VERSION=${shellQuote(v.version)}`,
    `retry 5 10 curl -fsSL -o /etc/yum.repos.d/arangodb.repo ${shellQuote(v.repoFile)} || die "cannot download the ArangoDB repo file"`,
    'if ! rpm -q "arangodb3-${ARANGODB_VERSION}" >/dev/null 2>&1; then',
    '  if ! dnf -q list --available "arangodb3-${ARANGODB_VERSION}" >/dev/null 2>&1; then',
    '    die "download.arangodb.com has no ${TILA_ARCH} RPM of arangodb3-${ARANGODB_VERSION}; run ArangoDB on x86_64 instance types (see docs/data-tier.md, arm64)"',
    "  fi",
    '  retry 5 10 dnf install -y "arangodb3-${ARANGODB_VERSION}" || die "cannot install arangodb3-${ARANGODB_VERSION}"',
    "fi",
    "# The package starts a standalone server; the Starter runs the cluster instead.",
    "systemctl disable --now arangodb3.service 2>/dev/null || true",
    `install -d -m 0750 -o arangodb -g arangodb ${shellQuote(`${ctx.mountPoint}/arangodb`)}`,
    `(umask 077 && derive_key arangodb-jwt >${JWT_FILE})`,
    `chown arangodb:arangodb ${JWT_FILE}`,
    `chmod 0400 ${JWT_FILE}`,
    writeFile("/etc/systemd/system/arangodb-starter.service", unit),
    "systemctl daemon-reload",
    "systemctl enable --now arangodb-starter.service",
    `wait_for_tcp 127.0.0.1 ${ARANGODB_STARTER_PORT}`,
  ];
  if (ctx.nodeIndex === 0) {
    lines.push(
      "# A superuser JWT for the API calls below, kept in the tmpfs run dir.",
      `(umask 077 && arangodb auth header --auth.jwt-secret=${JWT_FILE} >"\${TILA_RUN_DIR}/arango.header")`,
      'retry "${TILA_WAIT_ATTEMPTS}" 5 arango_ready || die "ArangoDB never became ready on port 8529"',
      "# root gets the admin password too, so no account is left with an empty password.",
      'arango_user_body root | arango_api -o /dev/null -X PATCH --data-binary @- "http://127.0.0.1:8529/_api/user/root" ||',
      '  die "cannot set the root password"',
      'if [[ "${ADMIN_USER}" != "root" ]]; then',
      '  user_path="$(jq -rn --arg u "${ADMIN_USER}" \'$u | @uri\')"',
      '  if arango_api -o /dev/null "http://127.0.0.1:8529/_api/user/${user_path}"; then',
      '    arango_user_body "${ADMIN_USER}" | arango_api -o /dev/null -X PATCH --data-binary @- "http://127.0.0.1:8529/_api/user/${user_path}" ||',
      '      die "cannot update user ${ADMIN_USER}"',
      "  else",
      '    arango_user_body "${ADMIN_USER}" | arango_api -o /dev/null -X POST --data-binary @- "http://127.0.0.1:8529/_api/user" ||',
      '      die "cannot create user ${ADMIN_USER}"',
      "  fi",
      "  for database in _system '*'; do",
      '    printf \'{"grant":"rw"}\' | arango_api -o /dev/null -X PUT --data-binary @- "http://127.0.0.1:8529/_api/user/${user_path}/database/${database}" ||',
      '      die "cannot grant ${ADMIN_USER} access to ${database}"',
      "  done",
      "fi",
      'log "ArangoDB ${ARANGODB_VERSION} is up; admin user ${ADMIN_USER} is set"',
      "# The metrics user: read-only on _system (where the metrics request runs), no other database.",
      `if arango_api -o /dev/null ${shellQuote(`http://127.0.0.1:8529/_api/user/${ARANGODB_METRICS_USER}`)}; then`,
      `  arango_metrics_body ${shellQuote(ARANGODB_METRICS_USER)} | arango_api -o /dev/null -X PATCH --data-binary @- ${shellQuote(`http://127.0.0.1:8529/_api/user/${ARANGODB_METRICS_USER}`)} || die "cannot update user ${ARANGODB_METRICS_USER}"`,
      "else",
      `  arango_metrics_body ${shellQuote(ARANGODB_METRICS_USER)} | arango_api -o /dev/null -X POST --data-binary @- http://127.0.0.1:8529/_api/user || die "cannot create user ${ARANGODB_METRICS_USER}"`,
      "fi",
      `printf '{"grant":"ro"}' | arango_api -o /dev/null -X PUT --data-binary @- ${shellQuote(`http://127.0.0.1:8529/_api/user/${ARANGODB_METRICS_USER}/database/_system`)} ||`,
      `  die "cannot grant ${ARANGODB_METRICS_USER} read access to _system"`,
      `printf '{"grant":"none"}' | arango_api -o /dev/null -X PUT --data-binary @- ${shellQuote(`http://127.0.0.1:8529/_api/user/${ARANGODB_METRICS_USER}/database/*`)} ||`,
      `  die "cannot keep ${ARANGODB_METRICS_USER} out of the other databases"`,
    );
    if (hasServiceUsers(ctx)) {
      lines.push(
        "# One user per service: read-write on its own database, no access to _system or any other.",
        "arango_service_body() { TILA_PW=\"${SVC_PASSWORD}\" jq -n --arg u \"${SVC_USER}\" '{user: $u, passwd: env.TILA_PW, active: true}'; }",
        'for i in "${!TILA_SVC_SECRETS[@]}"; do',
        '  read_service_secret "${TILA_SVC_SECRETS[i]}"',
        '  database="${TILA_SVC_DATABASES[i]}"',
        '  if ! arango_api -o /dev/null "http://127.0.0.1:8529/_db/${database}/_api/database/current"; then',
        '    jq -n --arg d "${database}" \'{name: $d}\' | arango_api -o /dev/null -X POST --data-binary @- "http://127.0.0.1:8529/_api/database" ||',
        '      die "cannot create database ${database}"',
        "  fi",
        '  user_path="$(jq -rn --arg u "${SVC_USER}" \'$u | @uri\')"',
        '  if arango_api -o /dev/null "http://127.0.0.1:8529/_api/user/${user_path}"; then',
        '    arango_service_body | arango_api -o /dev/null -X PATCH --data-binary @- "http://127.0.0.1:8529/_api/user/${user_path}" || die "cannot update user ${SVC_USER}"',
        "  else",
        '    arango_service_body | arango_api -o /dev/null -X POST --data-binary @- "http://127.0.0.1:8529/_api/user" || die "cannot create user ${SVC_USER}"',
        "  fi",
        '  printf \'{"grant":"rw"}\' | arango_api -o /dev/null -X PUT --data-binary @- "http://127.0.0.1:8529/_api/user/${user_path}/database/${database}" ||',
        '    die "cannot grant ${SVC_USER} access to ${database}"',
        '  printf \'{"grant":"none"}\' | arango_api -o /dev/null -X PUT --data-binary @- "http://127.0.0.1:8529/_api/user/${user_path}/database/_system" ||',
        '    die "cannot keep ${SVC_USER} out of _system"',
        '  log "${TILA_SVC_NAMES[i]}: user ${SVC_USER} has rw on ${database} only"',
        "done",
      );
    }
  } else {
    lines.push('log "ArangoDB Starter is up and joining ${TILA_PEERS[0]}"');
  }
  lines.push(
    "# Every node serves its own server's metrics through the relay, as the metrics user.",
    "install -d -m 0755 /etc/tila",
    `(umask 077 && arango_metrics_auth ${shellQuote(ARANGODB_METRICS_USER)} >${shellQuote(ARANGODB_METRICS_AUTH_FILE)})`,
    metricsRelaySection({ job: "arangodb", port: ARANGODB_METRICS_RELAY_PORT, upstream: "http://127.0.0.1:8529/_admin/metrics/v2", authFile: ARANGODB_METRICS_AUTH_FILE }),
  );
  return lines.join("\n");
}
