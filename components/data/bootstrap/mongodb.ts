/**
 * MongoDB replica set rs0 with keyfile authentication. Node 0 initiates the set with every member
 * once all peers answer, is given priority 2 so that it becomes the first primary, and creates
 * the admin user from the secret through the localhost exception. The keyfile is derived from the
 * admin password on each node (derive_key), so no node has to ship it to another.
 */
import { hasServiceUsers } from "./common";
import { mongodbExporterSection, mongodbMetricsUserStep } from "./exporters";
import { shellQuote, writeFile } from "./shell";
import { BootstrapContext, EngineLogs } from "./types";
import { VERSIONS } from "./versions";

export const MONGODB_PORT = 27017;
export const REPLICA_SET = "rs0";
const KEYFILE = "/etc/mongod.keyfile";
const INIT_JS = "/etc/tila/mongodb-init.js";
const USERS_JS = "/etc/tila/mongodb-service-user.js";
export const MONGOD_LOG = "/var/log/mongodb/mongod.log";
/** mongod writes its log to MONGOD_LOG only (systemLog.destination file), one JSON document per line. */
export const MONGODB_LOGS: EngineLogs = { files: [MONGOD_LOG], javaStackTraces: false, consoleRepeatsFiles: [] };

/**
 * mongosh script run on node 0 once per service: as the admin, create (or reset) the service's user
 * in its own database with readWrite on that database and nothing else. Everything arrives in the
 * environment, never in this file.
 */
export const SERVICE_USER_SCRIPT = [
  "// Managed by the Tila bootstrap. Credentials arrive in the environment, never in this file.",
  "const admin = db.getSiblingDB('admin');",
  "if (admin.auth(process.env.TILA_ADMIN_USER, process.env.TILA_ADMIN_PASSWORD).ok !== 1) { throw new Error('admin authentication failed'); }",
  "const name = process.env.TILA_SVC_DB;",
  "const target = db.getSiblingDB(name);",
  "const user = process.env.TILA_SVC_USER;",
  "const roles = [{ role: 'readWrite', db: name }];",
  "if (target.getUser(user)) { target.updateUser(user, { pwd: process.env.TILA_SVC_PASSWORD, roles: roles }); }",
  "else { target.createUser({ user: user, pwd: process.env.TILA_SVC_PASSWORD, roles: roles }); }",
  "",
].join("\n");

/** The replica set configuration node 0 initiates. */
export function replicaSetConfig(ctx: BootstrapContext): { _id: string; members: { _id: number; host: string; priority: number }[] } {
  return {
    _id: REPLICA_SET,
    members: ctx.peerDnsNames.map((host, i) => ({ _id: i, host: `${host}:${MONGODB_PORT}`, priority: i === 0 ? 2 : 1 })),
  };
}

export function mongodConf(ctx: BootstrapContext): string {
  return [
    "# Managed by the Tila bootstrap; rewritten on every run.",
    "storage:",
    `  dbPath: ${ctx.mountPoint}/mongodb`,
    "systemLog:",
    "  destination: file",
    `  path: ${MONGOD_LOG}`,
    "  logAppend: true",
    "net:",
    `  port: ${MONGODB_PORT}`,
    "  bindIpAll: true",
    "replication:",
    `  replSetName: ${REPLICA_SET}`,
    "security:",
    `  keyFile: ${KEYFILE}`,
    "  authorization: enabled",
    "processManagement:",
    "  timeZoneInfo: /usr/share/zoneinfo",
    "",
  ].join("\n");
}

/** mongosh script run on node 0: initiate once, wait for primary, create the admin user once. */
export function initScript(ctx: BootstrapContext): string {
  return [
    "// Managed by the Tila bootstrap. Credentials arrive in the environment, never in this file.",
    `const config = ${JSON.stringify(replicaSetConfig(ctx))};`,
    "if (!db.hello().setName) {",
    "  print('initiating replica set ' + config._id);",
    "  rs.initiate(config);",
    "}",
    "let waited = 0;",
    "while (!db.hello().isWritablePrimary) {",
    "  if (waited++ > 300) { throw new Error('this node did not become primary'); }",
    "  sleep(2000);",
    "}",
    "const admin = db.getSiblingDB('admin');",
    "const user = process.env.TILA_ADMIN_USER;",
    "const pwd = process.env.TILA_ADMIN_PASSWORD;",
    "let authenticated = false;",
    "try { authenticated = admin.auth(user, pwd).ok === 1; } catch (e) { authenticated = false; }",
    "if (!authenticated) {",
    "  print('creating admin user ' + user + ' through the localhost exception');",
    "  admin.createUser({ user: user, pwd: pwd, roles: [{ role: 'root', db: 'admin' }] });",
    "}",
    "",
  ].join("\n");
}

export function mongodbSection(ctx: BootstrapContext): string {
  const v = VERSIONS.mongodb;
  const repo = [
    `[mongodb-org-${v.series}]`,
    "name=MongoDB Repository",
    `baseurl=${v.repoBaseUrl}`,
    "gpgcheck=1",
    "enabled=1",
    `gpgkey=${v.gpgKey}`,
    "",
  ].join("\n");
  const lines = [
    "# --- MongoDB ---",
    writeFile(`/etc/yum.repos.d/mongodb-org-${v.series}.repo`, repo),
    `retry 5 10 dnf install -y mongodb-mongosh-shared-openssl3 ${shellQuote(`mongodb-org-server-${v.version}`)} || die "cannot install MongoDB ${v.version} from repo.mongodb.org"`,
    `install -d -m 0750 -o mongod -g mongod ${shellQuote(`${ctx.mountPoint}/mongodb`)}`,
    "# Every node derives the same keyfile; it is written with umask 077 so it is never readable by others.",
    `(umask 077 && derive_key mongodb-keyfile >${KEYFILE})`,
    `chown mongod:mongod ${KEYFILE}`,
    `chmod 0400 ${KEYFILE}`,
    writeFile("/etc/mongod.conf", mongodConf(ctx)),
    "systemctl daemon-reload",
    "systemctl enable --now mongod.service",
    `wait_for_tcp 127.0.0.1 ${MONGODB_PORT}`,
  ];
  if (ctx.nodeIndex === 0) {
    lines.push(
      "# Node 0 initiates the set once every member answers (ping needs no authentication).",
      "mongo_ping() { mongosh --quiet --host \"$1\" --port " + MONGODB_PORT + " --eval 'db.adminCommand({ ping: 1 }).ok' >/dev/null 2>&1; }",
      'for peer in "${TILA_PEERS[@]}"; do',
      '  retry "${TILA_WAIT_ATTEMPTS}" 5 mongo_ping "${peer}" || die "replica set member ${peer} never answered"',
      "done",
      writeFile(INIT_JS, initScript(ctx), "0644"),
      `TILA_ADMIN_USER="\${ADMIN_USER}" TILA_ADMIN_PASSWORD="\${ADMIN_PASSWORD}" \\`,
      `  mongosh --quiet "mongodb://127.0.0.1:${MONGODB_PORT}/admin?directConnection=true" --file ${INIT_JS} ||`,
      `  die "replica set ${REPLICA_SET} could not be initiated or its admin user created"`,
      `log "replica set ${REPLICA_SET} initiated with \${TILA_NODE_COUNT} members"`,
      mongodbMetricsUserStep(MONGODB_PORT),
    );
    if (hasServiceUsers(ctx)) {
      lines.push(
        "# One user per service, in its own database, readWrite there only.",
        writeFile(USERS_JS, SERVICE_USER_SCRIPT, "0644"),
        'for i in "${!TILA_SVC_SECRETS[@]}"; do',
        '  read_service_secret "${TILA_SVC_SECRETS[i]}"',
        '  TILA_ADMIN_USER="${ADMIN_USER}" TILA_ADMIN_PASSWORD="${ADMIN_PASSWORD}" TILA_SVC_USER="${SVC_USER}" TILA_SVC_PASSWORD="${SVC_PASSWORD}" TILA_SVC_DB="${TILA_SVC_DATABASES[i]}" \\',
        `    mongosh --quiet "mongodb://127.0.0.1:${MONGODB_PORT}/admin?directConnection=true" --file ${USERS_JS} ||`,
        '    die "cannot create the MongoDB user of ${TILA_SVC_NAMES[i]}"',
        '  log "${TILA_SVC_NAMES[i]}: user ${SVC_USER} has readWrite on ${TILA_SVC_DATABASES[i]} only"',
        "done",
      );
    }
  } else {
    lines.push(`log "mongod is up; node 0 adds this member to ${REPLICA_SET}"`);
  }
  lines.push(mongodbExporterSection(MONGODB_PORT));
  return lines.join("\n");
}
