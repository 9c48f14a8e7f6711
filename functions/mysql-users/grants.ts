/**
 * What the MySQL provisioner must run to bring the database to the wanted service users: a pure
 * function of the wanted users and what the server reports, so every decision is tested without a
 * database. Each service gets one user, authenticated by IAM (RDS's AWSAuthenticationPlugin, TLS
 * required), with every privilege on its own schema and nothing anywhere else.
 */

/** One service's user and schema, as the program sends them. */
export interface WantedUser {
  readonly service: string;
  readonly user: string;
  readonly database: string;
}

/** Schema-level privileges a service holds on its own schema: all of them except GRANT OPTION. */
export const SERVICE_PRIVILEGES: readonly string[] = [
  "ALTER", "ALTER ROUTINE", "CREATE", "CREATE ROUTINE", "CREATE TEMPORARY TABLES", "CREATE VIEW", "DELETE", "DROP",
  "EVENT", "EXECUTE", "INDEX", "INSERT", "LOCK TABLES", "REFERENCES", "SELECT", "SHOW VIEW", "TRIGGER", "UPDATE",
];

/** Users and schemas this provisioner manages are named by the program; the names are checked again here. */
export const MANAGED_USER = /^svc_[a-z0-9_]{1,28}$/;
export const SCHEMA_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** A row of information_schema.SCHEMA_PRIVILEGES / USER_PRIVILEGES / TABLE_PRIVILEGES for one grantee. */
export interface PrivilegeRow {
  /** `*` for a global privilege; the schema otherwise. */
  readonly schema: string;
  /** Set for table or column privileges, which a service user never holds. */
  readonly table?: string;
  readonly privilege: string;
}

export interface ServerState {
  /** Managed users (`svc_*`) that exist now, with the plugin they authenticate with. */
  readonly users: readonly { readonly user: string; readonly plugin: string }[];
  /** Privileges each existing managed user holds. */
  readonly privileges: Readonly<Record<string, readonly PrivilegeRow[]>>;
}

export interface Statement {
  readonly sql: string;
  /** Why, for the invocation's result and the log: `create user svc_checkout`. */
  readonly reason: string;
}

export const IAM_PLUGIN = "AWSAuthenticationPlugin";

function account(user: string): string {
  return `'${user}'@'%'`;
}

/** Refuses names the program should never have sent: they are interpolated into SQL. */
export function nameProblems(wanted: readonly WantedUser[]): string[] {
  const problems: string[] = [];
  const users = new Set<string>();
  const schemas = new Set<string>();
  for (const w of wanted) {
    if (!MANAGED_USER.test(w.user)) problems.push(`${w.service}: user "${w.user}" must match ${MANAGED_USER}`);
    if (!SCHEMA_NAME.test(w.database)) problems.push(`${w.service}: database "${w.database}" must match ${SCHEMA_NAME}`);
    if (users.has(w.user)) problems.push(`${w.service}: user "${w.user}" is given twice`);
    if (schemas.has(w.database)) problems.push(`${w.service}: database "${w.database}" is given to two services`);
    users.add(w.user);
    schemas.add(w.database);
  }
  return problems;
}

/**
 * The statements, in order: schemas first, then each user (created or switched to IAM
 * authentication), its missing privileges granted and every other privilege revoked, and last the
 * managed users no service wants any more dropped. Schemas are never dropped: a service that stops
 * using MySQL loses its access, not its data.
 */
export function planStatements(wanted: readonly WantedUser[], state: ServerState): Statement[] {
  const out: Statement[] = [];
  const existing = new Map(state.users.map((u) => [u.user, u.plugin]));
  for (const w of wanted) {
    out.push({ sql: `CREATE DATABASE IF NOT EXISTS \`${w.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci`, reason: `schema ${w.database}` });
  }
  for (const w of wanted) {
    const plugin = existing.get(w.user);
    if (plugin === undefined) {
      out.push({ sql: `CREATE USER ${account(w.user)} IDENTIFIED WITH ${IAM_PLUGIN} AS 'RDS' REQUIRE SSL`, reason: `create user ${w.user}` });
    } else if (plugin !== IAM_PLUGIN) {
      out.push({ sql: `ALTER USER ${account(w.user)} IDENTIFIED WITH ${IAM_PLUGIN} AS 'RDS' REQUIRE SSL`, reason: `switch ${w.user} to IAM authentication` });
    }
    const held = state.privileges[w.user] ?? [];
    const onOwn = new Set(held.filter((p) => p.schema === w.database && p.table === undefined).map((p) => p.privilege));
    const missing = SERVICE_PRIVILEGES.filter((p) => !onOwn.has(p));
    if (missing.length > 0) out.push({ sql: `GRANT ${missing.join(", ")} ON \`${w.database}\`.* TO ${account(w.user)}`, reason: `grant ${w.user} ${missing.length} privilege(s) on ${w.database}` });
    const extra = held.filter((p) => p.privilege !== "USAGE" && !(p.schema === w.database && p.table === undefined && SERVICE_PRIVILEGES.includes(p.privilege)));
    for (const p of extra) {
      const on = p.schema === "*" ? "*.*" : p.table === undefined ? `\`${p.schema}\`.*` : `\`${p.schema}\`.\`${p.table}\``;
      out.push({ sql: `REVOKE ${p.privilege} ON ${on} FROM ${account(w.user)}`, reason: `revoke ${p.privilege} on ${on} from ${w.user}` });
    }
  }
  const keep = new Set(wanted.map((w) => w.user));
  for (const u of state.users) {
    if (!keep.has(u.user) && MANAGED_USER.test(u.user)) out.push({ sql: `DROP USER ${account(u.user)}`, reason: `drop user ${u.user} (no service uses it)` });
  }
  return out;
}
