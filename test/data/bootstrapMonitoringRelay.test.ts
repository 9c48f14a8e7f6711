/**
 * The metrics relay and the Couchbase and ArangoDB metrics users: what the bootstrap writes (the metrics user made
 * by node 0 only, the credential file 0600 for the relay's user, the unit on the port the collector
 * scrapes), the credential functions run under bash, and the relay itself run with python3 against
 * a fake engine endpoint on localhost (forwards the header, 502 on refusal or outage, 404 elsewhere).
 */
import { expect } from "chai";
import { ChildProcess, spawn } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { AddressInfo, createServer as createNetServer } from "net";
import { IncomingMessage, Server, ServerResponse, createServer } from "http";
import { tmpdir } from "os";
import { join } from "path";
import { renderBootstrap, shellQuote } from "../../components/data/bootstrap";
import { COMMON_FUNCTIONS, SECRET_FUNCTIONS } from "../../components/data/bootstrap/common";
import { ARANGODB_METRICS_AUTH_FILE, ARANGODB_METRICS_USER, arangodbSection } from "../../components/data/bootstrap/arangodb";
import { COUCHBASE_METRICS_AUTH_FILE, COUCHBASE_METRICS_ROLE, COUCHBASE_METRICS_USER, couchbaseSection } from "../../components/data/bootstrap/couchbase";
import { METRICS_RELAY_PY, METRICS_RELAY_SCRIPT, METRICS_RELAY_USER } from "../../components/data/bootstrap/monitoring";
import { ENGINE_PROFILES } from "../../components/data/engines";
import { ARANGODB_METRICS_RELAY_PORT, COUCHBASE_METRICS_RELAY_PORT, metricsEndpoints } from "../../components/data/nodeMetrics";
import { bash, ctxFor, requireTool } from "./bootstrapHarness";

/** The bash functions of the Couchbase section (between its header and the first step). */
function couchbaseFunctions(): string {
  const section = couchbaseSection(ctxFor("couchbase", 3, 1));
  return section.slice(section.indexOf("\n") + 1, section.indexOf("if ! rpm -q couchbase-release"));
}

describe("renderBootstrap: Couchbase metrics through the relay", () => {
  const endpoint = metricsEndpoints("couchbase").find((e) => e.job === "couchbase")!;

  it("the collector scrapes Couchbase at the relay's port, clear of every Couchbase port", () => {
    expect(endpoint).to.deep.equal({ job: "couchbase", port: COUCHBASE_METRICS_RELAY_PORT, path: "/metrics" });
    const taken = [...ENGINE_PROFILES.couchbase.clientPorts, ...ENGINE_PROFILES.couchbase.peerPorts];
    expect(taken).to.include(8091);
    expect(taken).to.not.include(endpoint.port);
  });

  for (const node of [0, 1]) {
    it(`node ${node} of 3 writes the credential 0600 for the relay's user and starts the relay on the scraped port against its own 8091`, () => {
      const script = renderBootstrap(ctxFor("couchbase", 3, node));
      expect(script).to.contain(`(umask 077 && cb_metrics_auth '${COUCHBASE_METRICS_USER}' >'${COUCHBASE_METRICS_AUTH_FILE}')`);
      expect(script).to.contain(`chown ${METRICS_RELAY_USER}:${METRICS_RELAY_USER} '${COUCHBASE_METRICS_AUTH_FILE}'\nchmod 0600 '${COUCHBASE_METRICS_AUTH_FILE}'`);
      expect(script).to.contain(`ExecStart=/usr/bin/python3 ${METRICS_RELAY_SCRIPT} ${endpoint.port} http://127.0.0.1:8091/metrics ${COUCHBASE_METRICS_AUTH_FILE}`);
      expect(script).to.contain(`User=${METRICS_RELAY_USER}`);
      expect(script).to.contain(`cat > '${METRICS_RELAY_SCRIPT}' <<'TILA_EOF'\n${METRICS_RELAY_PY}TILA_EOF`);
      expect(script).to.contain(`wait_for_tcp 127.0.0.1 ${endpoint.port}`);
      // The relay starts once the node runs Couchbase; the credential file exists before it is handed over.
      expect(script.indexOf("systemctl enable --now tila-couchbase-metrics-relay.service")).to.be.greaterThan(script.indexOf("systemctl enable --now couchbase-server.service"));
      expect(script.indexOf("cb_metrics_auth 'tila-metrics' >")).to.be.lessThan(script.indexOf(`chown ${METRICS_RELAY_USER}`));
      // The admin credential never reaches the relay.
      expect(script).to.not.match(/ADMIN_PASSWORD[^\n]*couchbase-metrics\.auth/);
    });
  }

  it("node 0 alone creates the metrics user, with only the external_stats_reader role, from a file in the tmpfs run dir", () => {
    const create = `cb_curl -o /dev/null -X PUT 'http://127.0.0.1:8091/settings/rbac/users/local/${COUCHBASE_METRICS_USER}'`;
    const node0 = renderBootstrap(ctxFor("couchbase", 3, 0));
    expect(node0).to.contain(create);
    expect(node0).to.contain(`--data-urlencode "password@\${TILA_RUN_DIR}/metrics.pw" --data-urlencode 'roles=${COUCHBASE_METRICS_ROLE}'`);
    expect(COUCHBASE_METRICS_ROLE).to.equal("external_stats_reader");
    expect(node0.indexOf(create)).to.be.greaterThan(node0.indexOf("clusterInit"));
    expect(renderBootstrap(ctxFor("couchbase", 3, 1))).to.not.contain(create);
    expect(renderBootstrap(ctxFor("couchbase", 1, 0))).to.contain(create);
  });

  describe("the credential functions under bash", () => {
    function credentials(adminPassword: string, cluster = "couchbase-main"): { password: string; header: string } {
      const harness = [
        "set -euo pipefail",
        `TILA_ENGINE=couchbase TILA_CLUSTER=${shellQuote(cluster)} TILA_RUN_DIR=/nonexistent`,
        COMMON_FUNCTIONS,
        SECRET_FUNCTIONS,
        `ADMIN_PASSWORD=${shellQuote(adminPassword)}`,
        couchbaseFunctions(),
        "printf '%s|' \"$(cb_metrics_password)\"",
        "cb_metrics_auth tila-metrics",
      ].join("\n");
      const r = bash(harness);
      expect(r.status, r.stderr).to.equal(0);
      const [password, header] = r.stdout.split("|");
      return { password: password!, header: header! };
    }

    it("every node derives the same password from the admin password, without a newline, and never the admin password itself", () => {
      const a = credentials("s3cret'pass\"word");
      expect(a.password).to.match(/^[0-9a-f]{64}$/);
      expect(credentials("s3cret'pass\"word")).to.deep.equal(a);
      expect(credentials("another").password).to.not.equal(a.password);
      expect(credentials("s3cret'pass\"word", "couchbase-other").password).to.not.equal(a.password);
      expect(a.header).to.not.contain("s3cret");
    });

    it("writes a Basic header for tila-metrics with that password", () => {
      const a = credentials("admin-pw");
      expect(a.header).to.match(/^Basic [A-Za-z0-9+/=]+\n$/);
      expect(Buffer.from(a.header.slice("Basic ".length).trim(), "base64").toString("utf8")).to.equal(`tila-metrics:${a.password}`);
    });
  });

  describe("the relay under python3", function () {
    this.timeout(30000);
    let dir: string;
    let upstream: Server;
    let upstreamPort = 0;
    let status = 200;
    let seen: (string | undefined)[] = [];
    let relay: ChildProcess | undefined;
    let relayPort = 0;
    const authFile = (): string => join(dir, "auth");

    async function freePort(): Promise<number> {
      return new Promise((resolve) => {
        const s = createNetServer();
        s.listen(0, "127.0.0.1", () => {
          const p = (s.address() as AddressInfo).port;
          s.close(() => resolve(p));
        });
      });
    }

    async function get(path: string): Promise<{ status: number; body: string; type: string | null }> {
      const r = await fetch(`http://127.0.0.1:${relayPort}${path}`);
      return { status: r.status, body: await r.text(), type: r.headers.get("content-type") };
    }

    before(async () => {
      requireTool("python3");
      dir = mkdtempSync(join(tmpdir(), "tila-relay-"));
      writeFileSync(join(dir, "relay.py"), METRICS_RELAY_PY);
      writeFileSync(authFile(), "Basic dGlsYS1tZXRyaWNzOnB3\n", { mode: 0o600 });
      upstream = createServer((req: IncomingMessage, res: ServerResponse) => {
        seen.push(req.headers.authorization);
        if (status !== 200) {
          res.writeHead(status).end("no");
          return;
        }
        res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" }).end(`kv_ep_oom_errors{bucket="catalog"} 0\n# path ${req.url ?? ""}\n`);
      });
      await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
      upstreamPort = (upstream.address() as AddressInfo).port;
      relayPort = await freePort();
      relay = spawn("python3", [join(dir, "relay.py"), String(relayPort), `http://127.0.0.1:${upstreamPort}/metrics`, authFile()], { stdio: "ignore" });
      for (let i = 0; i < 100; i++) {
        try {
          await fetch(`http://127.0.0.1:${relayPort}/`);
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      throw new Error("the relay never listened");
    });

    after(async () => {
      relay?.kill();
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    });

    beforeEach(() => {
      status = 200;
      seen = [];
    });

    it("serves the engine's metrics with the credential from the file, which it reads on every request", async () => {
      const r = await get("/metrics");
      expect(r.status).to.equal(200);
      expect(r.body).to.contain('kv_ep_oom_errors{bucket="catalog"} 0').and.contain("# path /metrics");
      expect(r.type).to.equal("text/plain; version=0.0.4");
      expect(seen).to.deep.equal(["Basic dGlsYS1tZXRyaWNzOnB3"]);
      writeFileSync(authFile(), "Basic bmV3\n");
      expect((await get("/metrics")).status).to.equal(200);
      expect(seen[1]).to.equal("Basic bmV3");
    });

    it("answers 502 when the engine refuses the user or is down, so the collector's up is 0", async () => {
      status = 401;
      const refused = await get("/metrics");
      expect(refused.status).to.equal(502);
      expect(refused.body).to.not.contain("dGlsYS1tZXRyaWNz");
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
      try {
        expect((await get("/metrics")).status).to.equal(502);
      } finally {
        await new Promise<void>((resolve) => upstream.listen(upstreamPort, "127.0.0.1", resolve));
      }
    });

    it("serves nothing but /metrics and never forwards another path", async () => {
      expect((await get("/")).status).to.equal(404);
      expect((await get("/pools/default")).status).to.equal(404);
      expect(seen).to.deep.equal([]);
    });
  });
});

describe("renderBootstrap: ArangoDB metrics through the relay", () => {
  const endpoint = metricsEndpoints("arangodb").find((e) => e.job === "arangodb")!;
  const create = (s: string): boolean => s.includes(`http://127.0.0.1:8529/_api/user/${ARANGODB_METRICS_USER}`);

  it("the collector scrapes ArangoDB at the relay's port, clear of the Starter's and servers' 8528-8531", () => {
    expect(endpoint).to.deep.equal({ job: "arangodb", port: ARANGODB_METRICS_RELAY_PORT, path: "/metrics" });
    expect([...ENGINE_PROFILES.arangodb.clientPorts, ...ENGINE_PROFILES.arangodb.peerPorts]).to.include(8529).and.not.include(endpoint.port);
    expect(endpoint.port).to.not.equal(COUCHBASE_METRICS_RELAY_PORT);
  });

  for (const [count, node] of [[3, 0], [3, 1], [1, 0]] as const) {
    it(`node ${node} of ${count} relays its own server's /_admin/metrics/v2 as the metrics user, never with the JWT`, () => {
      const script = renderBootstrap(ctxFor("arangodb", count, node));
      expect(script).to.contain(`(umask 077 && arango_metrics_auth '${ARANGODB_METRICS_USER}' >'${ARANGODB_METRICS_AUTH_FILE}')`);
      expect(script).to.contain(`ExecStart=/usr/bin/python3 ${METRICS_RELAY_SCRIPT} ${endpoint.port} http://127.0.0.1:8529/_admin/metrics/v2 ${ARANGODB_METRICS_AUTH_FILE}`);
      expect(script).to.contain(`chmod 0600 '${ARANGODB_METRICS_AUTH_FILE}'`);
      expect(script.indexOf("systemctl enable --now tila-arangodb-metrics-relay.service")).to.be.greaterThan(script.indexOf("systemctl enable --now arangodb-starter.service"));
      expect(script).to.not.match(/arango\.header[^\n]*arangodb-metrics\.auth|jwtsecret[^\n]*arangodb-metrics\.auth/);
      expect(create(script), "only node 0 creates the user").to.equal(node === 0);
    });
  }

  it("node 0 grants the metrics user read-only on _system and nothing on any other database", () => {
    const script = renderBootstrap(ctxFor("arangodb", 3, 0));
    expect(script).to.contain(`printf '{"grant":"ro"}' | arango_api -o /dev/null -X PUT --data-binary @- 'http://127.0.0.1:8529/_api/user/${ARANGODB_METRICS_USER}/database/_system'`);
    expect(script).to.contain(`printf '{"grant":"none"}' | arango_api -o /dev/null -X PUT --data-binary @- 'http://127.0.0.1:8529/_api/user/${ARANGODB_METRICS_USER}/database/*'`);
    const grants = script.split("\n").filter((l) => l.includes(`/_api/user/${ARANGODB_METRICS_USER}/database/`));
    expect(grants).to.have.length(2);
    // Created after root and the admin user are set, over the superuser header.
    expect(script.indexOf(`/_api/user/${ARANGODB_METRICS_USER}'`)).to.be.greaterThan(script.indexOf("cannot set the root password"));
  });

  it("every node derives the same metrics password and a Basic header for it under bash, never the admin password", () => {
    const section = arangodbSection(ctxFor("arangodb", 3, 1));
    const functions = section.slice(section.indexOf("\n") + 1, section.indexOf("readonly ARANGODB_VERSION"));
    const run = (pw: string): string[] => {
      const r = bash([
        "set -euo pipefail",
        "TILA_ENGINE=arangodb TILA_CLUSTER=arangodb-main TILA_RUN_DIR=/nonexistent",
        COMMON_FUNCTIONS,
        SECRET_FUNCTIONS,
        `ADMIN_PASSWORD=${shellQuote(pw)}`,
        functions,
        "printf '%s|' \"$(arango_metrics_password)\"",
        "arango_metrics_auth tila-metrics",
        "printf '|'",
        "arango_metrics_body tila-metrics",
      ].join("\n"));
      expect(r.status, r.stderr).to.equal(0);
      return r.stdout.split("|");
    };
    const [password, header, body] = run("admin-pw");
    expect(password).to.match(/^[0-9a-f]{64}$/);
    expect(run("admin-pw")[0]).to.equal(password);
    expect(run("other")[0]).to.not.equal(password);
    expect(Buffer.from(header!.slice("Basic ".length).trim(), "base64").toString("utf8")).to.equal(`tila-metrics:${password}`);
    expect(JSON.parse(body!)).to.deep.equal({ user: "tila-metrics", passwd: password, active: true });
    expect(header! + body!).to.not.contain("admin-pw");
  });
});
