/**
 * The MySQL provisioner (docs/data-tier.md, "Credentials per service"): invoked by the program once
 * per change of the wanted service users (aws.lambda.Invocation), it reads the master credential
 * from Secrets Manager itself, connects over TLS and brings the service users and their grants to
 * what the event asks (grants.ts decides; this file only talks to AWS and MySQL).
 *
 * An event of the wrong shape is answered `{ok: false}` without touching the database (the program
 * turns that into a failed deployment); a database error is thrown, so the invocation fails.
 */
import { z } from "zod";
import { readSecretString } from "../shared/secretString";
import { PrivilegeRow, ServerState, Statement, WantedUser, nameProblems, planStatements } from "./grants";

export const EventSchema = z.strictObject({
  users: z.array(z.strictObject({ service: z.string().min(1), user: z.string().min(1), database: z.string().min(1) })),
});

export interface SqlSession {
  query(sql: string, params?: readonly unknown[]): Promise<readonly Record<string, unknown>[]>;
  end(): Promise<void>;
}

export interface ConnectionSettings {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

export interface Dependencies {
  /** The SecretString of a secret. */
  readonly readSecret: (secretArn: string) => Promise<string>;
  readonly connect: (settings: ConnectionSettings) => Promise<SqlSession>;
  /** MASTER_SECRET_ARN, DB_HOST, DB_PORT. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log?: (line: string) => void;
}

export type Result =
  | { readonly ok: true; readonly users: readonly string[]; readonly applied: readonly string[] }
  | { readonly ok: false; readonly error: string };

const MasterSecret = z.object({ username: z.string().min(1), password: z.string().min(1), host: z.string().optional(), port: z.number().optional() });

const GRANTEE = /^'(svc_[a-z0-9_]+)'@'%'$/;

/** What the server holds for the managed (`svc_*`) accounts. */
export async function readServerState(db: SqlSession): Promise<ServerState> {
  const users = await db.query("SELECT User AS user, plugin FROM mysql.user WHERE Host = '%' AND User LIKE 'svc\\_%'");
  const rows = await db.query(
    [
      "SELECT GRANTEE AS grantee, '*' AS schema_name, NULL AS table_name, PRIVILEGE_TYPE AS privilege FROM information_schema.USER_PRIVILEGES",
      "UNION ALL SELECT GRANTEE, TABLE_SCHEMA, NULL, PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES",
      "UNION ALL SELECT GRANTEE, TABLE_SCHEMA, TABLE_NAME, PRIVILEGE_TYPE FROM information_schema.TABLE_PRIVILEGES",
    ].join(" "),
  );
  const privileges: Record<string, PrivilegeRow[]> = {};
  for (const r of rows) {
    const m = GRANTEE.exec(String(r.grantee));
    if (!m) continue;
    const table = r.table_name === null || r.table_name === undefined ? undefined : String(r.table_name);
    (privileges[m[1]!] ??= []).push({ schema: String(r.schema_name), privilege: String(r.privilege), ...(table === undefined ? {} : { table }) });
  }
  return { users: users.map((u) => ({ user: String(u.user), plugin: String(u.plugin) })), privileges };
}

export function makeHandler(deps: Dependencies): (event: unknown) => Promise<Result> {
  const log = deps.log ?? ((line: string) => console.log(line));
  return async (event) => {
    const parsed = EventSchema.safeParse(event);
    if (!parsed.success) return { ok: false, error: `unexpected event: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}` };
    const wanted: readonly WantedUser[] = parsed.data.users;
    const problems = nameProblems(wanted);
    if (problems.length > 0) return { ok: false, error: problems.join("; ") };
    const secretArn = deps.env.MASTER_SECRET_ARN;
    if (!secretArn) return { ok: false, error: "MASTER_SECRET_ARN is not set" };

    const master = MasterSecret.parse(JSON.parse(await deps.readSecret(secretArn)));
    const host = deps.env.DB_HOST ?? master.host;
    if (!host) return { ok: false, error: "neither DB_HOST nor the master secret names the database host" };
    const db = await deps.connect({ host, port: Number(deps.env.DB_PORT ?? master.port ?? 3306), user: master.username, password: master.password });
    try {
      const statements: Statement[] = planStatements(wanted, await readServerState(db));
      for (const s of statements) {
        log(s.reason);
        await db.query(s.sql);
      }
      return { ok: true, users: wanted.map((w) => w.user), applied: statements.map((s) => s.reason) };
    } finally {
      await db.end();
    }
  };
}

// The live handler, made once per container on first use (tests build their own with makeHandler).
let live: ((event: unknown) => Promise<Result>) | undefined;

export async function handler(event: unknown): Promise<Result> {
  live ??= makeHandler({
    env: process.env,
    readSecret: readSecretString,
    connect: async (s) => {
      const mysql = await import("mysql2/promise");
      // RDS requires TLS (require_secure_transport); the "Amazon RDS" profile trusts the RDS CAs only.
      const conn = await mysql.createConnection({ host: s.host, port: s.port, user: s.user, password: s.password, ssl: "Amazon RDS", connectTimeout: 10_000 });
      return {
        query: async (sql, params) => {
          const [rows] = await conn.query(sql, params as unknown[] | undefined);
          return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
        },
        end: () => conn.end(),
      };
    },
  });
  return live(event);
}
