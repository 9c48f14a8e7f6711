import { expect } from "chai";
import { SERVICE_PRIVILEGES, planStatements } from "../../functions/mysql-users/grants";
import { ConnectionSettings, Dependencies, SqlSession, makeHandler } from "../../functions/mysql-users/handler";

const SECRET_ARN = "arn:aws:secretsmanager:me-south-1:444444444444:secret:prod/data/prod-mysql-credential-abc123";

interface FakeServer {
  users: { user: string; plugin: string }[];
  /** Rows as information_schema would return them. */
  privileges: { grantee: string; schema_name: string; table_name: string | null; privilege: string }[];
  failOn?: RegExp;
}

function fakeDeps(server: FakeServer, env: Record<string, string> = { MASTER_SECRET_ARN: SECRET_ARN, DB_HOST: "db.internal", DB_PORT: "3306" }) {
  const executed: string[] = [];
  const seen: { secretArns: string[]; connections: ConnectionSettings[]; ended: number } = { secretArns: [], connections: [], ended: 0 };
  const session: SqlSession = {
    query: async (sql) => {
      if (sql.startsWith("SELECT User")) return server.users;
      if (sql.startsWith("SELECT GRANTEE")) return server.privileges;
      if (server.failOn?.test(sql)) throw new Error(`ER_SPECIFIC_ACCESS_DENIED_ERROR on ${sql}`);
      executed.push(sql);
      return [];
    },
    end: async () => {
      seen.ended++;
    },
  };
  const deps: Dependencies = {
    env,
    log: () => undefined,
    readSecret: async (arn) => {
      seen.secretArns.push(arn);
      return JSON.stringify({ username: "dbadmin", password: "master-pw", engine: "mysql", host: "ignored.example", port: 3306 });
    },
    connect: async (s) => {
      seen.connections.push(s);
      return session;
    },
  };
  return { deps, executed, seen };
}

const CHECKOUT = { service: "checkout", user: "svc_checkout", database: "checkout" };
const ORDERS = { service: "orders", user: "svc_orders", database: "orders" };
const ownRows = (user: string, schema: string) => SERVICE_PRIVILEGES.map((privilege) => ({ grantee: `'${user}'@'%'`, schema_name: schema, table_name: null, privilege }));

describe("MySQL provisioner (functions/mysql-users)", () => {
  it("creates each service's schema and IAM-authenticated user with every privilege on its own schema only", async () => {
    const { deps, executed, seen } = fakeDeps({ users: [], privileges: [] });
    const result = await makeHandler(deps)({ users: [CHECKOUT, ORDERS] });
    expect(result).to.deep.include({ ok: true, users: ["svc_checkout", "svc_orders"] });
    expect(executed).to.include("CREATE DATABASE IF NOT EXISTS `checkout` CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci");
    expect(executed).to.include("CREATE USER 'svc_checkout'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL");
    expect(executed).to.include(`GRANT ${SERVICE_PRIVILEGES.join(", ")} ON \`checkout\`.* TO 'svc_checkout'@'%'`);
    expect(executed.filter((s) => s.startsWith("GRANT") && s.includes("svc_orders"))).to.deep.equal([`GRANT ${SERVICE_PRIVILEGES.join(", ")} ON \`orders\`.* TO 'svc_orders'@'%'`]);
    expect(executed.some((s) => /\*\.\*/.test(s)), "no global grant").to.equal(false);
    expect(SERVICE_PRIVILEGES).to.not.include("GRANT OPTION");
    // The master credential is read by ARN from the function's own environment, and the connection closed.
    expect(seen.secretArns).to.deep.equal([SECRET_ARN]);
    expect(seen.connections).to.deep.equal([{ host: "db.internal", port: 3306, user: "dbadmin", password: "master-pw" }]);
    expect(seen.ended).to.equal(1);
  });

  it("changes nothing but the idempotent CREATE DATABASE when the server already matches", async () => {
    const { deps, executed } = fakeDeps({ users: [{ user: "svc_checkout", plugin: "AWSAuthenticationPlugin" }], privileges: ownRows("svc_checkout", "checkout") });
    const result = await makeHandler(deps)({ users: [CHECKOUT] });
    expect(result.ok).to.equal(true);
    expect(executed).to.deep.equal(["CREATE DATABASE IF NOT EXISTS `checkout` CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci"]);
  });

  it("revokes what a service user holds beyond its own schema: global, other schemas, single tables", async () => {
    const { deps, executed } = fakeDeps({
      users: [{ user: "svc_checkout", plugin: "AWSAuthenticationPlugin" }],
      privileges: [
        ...ownRows("svc_checkout", "checkout"),
        { grantee: "'svc_checkout'@'%'", schema_name: "*", table_name: null, privilege: "USAGE" },
        { grantee: "'svc_checkout'@'%'", schema_name: "*", table_name: null, privilege: "PROCESS" },
        { grantee: "'svc_checkout'@'%'", schema_name: "orders", table_name: null, privilege: "SELECT" },
        { grantee: "'svc_checkout'@'%'", schema_name: "payments", table_name: "cards", privilege: "SELECT" },
      ],
    });
    await makeHandler(deps)({ users: [CHECKOUT] });
    expect(executed.slice(1)).to.deep.equal([
      "REVOKE PROCESS ON *.* FROM 'svc_checkout'@'%'",
      "REVOKE SELECT ON `orders`.* FROM 'svc_checkout'@'%'",
      "REVOKE SELECT ON `payments`.`cards` FROM 'svc_checkout'@'%'",
    ]);
  });

  it("moves a password user to IAM authentication and drops managed users no service wants, never other accounts", () => {
    const statements = planStatements([CHECKOUT], {
      users: [{ user: "svc_checkout", plugin: "caching_sha2_password" }, { user: "svc_retired", plugin: "AWSAuthenticationPlugin" }],
      privileges: { svc_checkout: ownRows("svc_checkout", "checkout").map((r) => ({ schema: r.schema_name, privilege: r.privilege })) },
    }).map((s) => s.sql);
    expect(statements).to.include("ALTER USER 'svc_checkout'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL");
    expect(statements).to.include("DROP USER 'svc_retired'@'%'");
    expect(statements.filter((s) => s.startsWith("DROP"))).to.have.length(1);
    expect(statements.some((s) => /DROP DATABASE/.test(s)), "a schema outlives its user").to.equal(false);
  });

  it("answers an event of the wrong shape with ok:false and never connects", async () => {
    const { deps, seen } = fakeDeps({ users: [], privileges: [] });
    const handler = makeHandler(deps);
    for (const event of [undefined, {}, { users: "checkout" }, { users: [{ service: "checkout" }] }, { users: [], extra: 1 }]) {
      const r = await handler(event);
      expect(r.ok, JSON.stringify(event)).to.equal(false);
    }
    expect(seen.connections).to.have.length(0);
  });

  it("refuses names that would be interpolated unsafely, and a schema given to two services", async () => {
    const { deps, seen } = fakeDeps({ users: [], privileges: [] });
    const r = await makeHandler(deps)({ users: [{ service: "x", user: "svc_x'; DROP USER root; --", database: "x" }, { service: "y", user: "svc_y", database: "x" }] });
    expect(r.ok).to.equal(false);
    expect(r.ok === false && r.error).to.match(/must match/).and.match(/given to two services/);
    expect(seen.connections).to.have.length(0);
  });

  it("fails the invocation on a database error and still closes the connection", async () => {
    const { deps, seen } = fakeDeps({ users: [], privileges: [], failOn: /^GRANT/ });
    let thrown: unknown;
    try {
      await makeHandler(deps)({ users: [CHECKOUT] });
    } catch (e) {
      thrown = e;
    }
    expect(String(thrown)).to.match(/ER_SPECIFIC_ACCESS_DENIED_ERROR/);
    expect(seen.ended).to.equal(1);
  });

  it("needs the master secret's ARN in its environment", async () => {
    const { deps } = fakeDeps({ users: [], privileges: [] }, { DB_HOST: "db.internal" });
    const r = await makeHandler(deps)({ users: [CHECKOUT] });
    expect(r).to.deep.equal({ ok: false, error: "MASTER_SECRET_ARN is not set" });
  });
});
