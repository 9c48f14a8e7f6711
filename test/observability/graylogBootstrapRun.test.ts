/**
 * Graylog node bootstrap, run: the whole rendered script under bash in a temporary root (every
 * /etc, /var, /run and /opt path moved under it, server.conf's own settings untouched), with stub
 * aws, dnf, rpm, systemctl, curl, chown, install and df recording what they were asked. Proves the
 * server.conf Graylog reads, that no credential reaches the output or any other file, and that
 * each failure stops the script naming what failed.
 */
import { expect } from "chai";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { bash, requireToolLazy } from "../data/bootstrapHarness";
import { GraylogBootstrapInput, renderGraylogBootstrap } from "../../components/observability/logging/graylogBootstrap";
import { GRAYLOG_SERVER } from "../../components/observability/logging/graylogRelease";
import { INPUT } from "./graylogBootstrapFixture";

const PASSWORD_SECRET = "Ps".repeat(40) + "_-09";
const ROOT_PASSWORD = "root pa$$ word: ünïcode";
const MONGO = { username: "graylog@svc", password: "m0ngo:p@ss/w?rd#[1]%20&=+ x" };
const OPENSEARCH = { username: "graylog", password: "os-p@ss/w?rd#%+ x" };

interface Secrets {
  graylog: Record<string, unknown>;
  mongodb: Record<string, unknown>;
  opensearch: Record<string, unknown>;
}
const SECRETS: Secrets = { graylog: { passwordSecret: PASSWORD_SECRET, rootPassword: ROOT_PASSWORD }, mongodb: MONGO, opensearch: OPENSEARCH };

interface Run {
  status: number;
  output: string;
  calls: string[];
  /** Every file the run left under the temporary root, by its path on the node. */
  files: Map<string, { text: string; mode: number }>;
}

/** Moves the script's absolute /etc, /var, /run and /opt paths under `root`, except inside server.conf's settings heredoc. */
function relocate(script: string, root: string, attempts: number): string {
  let inSettings = false;
  return script.split("\n").map((line) => {
    if (inSettings) {
      if (line === "TILA_EOF") inSettings = false;
      return line;
    }
    if (line.startsWith("write_server_conf <<")) inSettings = true;
    if (line.startsWith("readonly TILA_GRAYLOG_WAIT_ATTEMPTS=")) return `readonly TILA_GRAYLOG_WAIT_ATTEMPTS=${attempts}`;
    return line.replace(/(^|[\s'">=])\/(etc|var|run|opt)\//g, `$1${root}/$2/`);
  }).join("\n");
}

const STUBS: Record<string, string> = {
  // Answers each secret from its JSON file; the ARN is the value after --secret-id.
  aws: `arn=""; while [[ $# -gt 0 ]]; do if [[ "$1" == --secret-id ]]; then arn="$2"; fi; shift; done
echo "aws secretsmanager get-secret-value $arn" >>"$CALLS"
case "$arn" in *graylog-server*) cat "$SECRETS_DIR/graylog.json" ;; *mongodb*) cat "$SECRETS_DIR/mongodb.json" ;; *opensearch*) cat "$SECRETS_DIR/opensearch.json" ;; *) exit 254 ;; esac`,
  dnf: 'echo "dnf $*" >>"$CALLS"',
  rpm: `echo "rpm $*" >>"$CALLS"
if [[ "$1" == -q && "$2" == --qf ]]; then printf '%s' "$RPM_VERSION"; fi`,
  systemctl: `echo "systemctl $*" >>"$CALLS"
if [[ "$1" == is-active ]]; then echo activating; fi`,
  curl: `echo "curl $*" >>"$CALLS"
printf '%s' "$LB_STATUS"`,
  chown: 'echo "chown $*" >>"$CALLS"',
  // install -d [-m MODE] [-o USER] [-g GROUP] DIR...: the directories, without the owners a test cannot set.
  install: `echo "install $*" >>"$CALLS"
dirs=(); while [[ $# -gt 0 ]]; do case "$1" in -d) shift ;; -m|-o|-g) shift 2 ;; *) dirs+=("$1"); shift ;; esac; done
mkdir -p "\${dirs[@]}"`,
  df: `printf 'Avail\\n%s\\n' "$DF_AVAIL"`,
  sleep: "exit 0",
};

function runScript(opts: { input?: GraylogBootstrapInput; secrets?: Secrets; lbStatus?: string; rpmVersion?: string; dfAvail?: number } = {}): Run {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "graylog-boot-"));
  try {
    const bin = path.join(root, "stub-bin");
    const secretsDir = path.join(root, "secrets");
    for (const d of [bin, secretsDir, "var/log", "etc/graylog/server", "etc/sysconfig", "opt/aws/amazon-cloudwatch-agent/bin"]) fs.mkdirSync(path.resolve(root, d), { recursive: true });
    for (const [name, body] of Object.entries(STUBS)) fs.writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(root, "opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl"), '#!/bin/bash\necho "amazon-cloudwatch-agent-ctl $*" >>"$CALLS"\n', { mode: 0o755 });
    const secrets = opts.secrets ?? SECRETS;
    for (const [k, v] of Object.entries(secrets)) fs.writeFileSync(path.join(secretsDir, `${k}.json`), JSON.stringify(v));
    const calls = path.join(root, "calls");
    fs.writeFileSync(calls, "");
    const script = path.join(root, "user-data.sh");
    fs.writeFileSync(script, relocate(renderGraylogBootstrap(opts.input ?? INPUT), root, 3));
    const r = bash(`bash ${script}`, {
      PATH: `${bin}:${process.env.PATH}`, CALLS: calls, SECRETS_DIR: secretsDir,
      LB_STATUS: opts.lbStatus ?? "ALIVE", RPM_VERSION: opts.rpmVersion ?? GRAYLOG_SERVER.version, DF_AVAIL: String(opts.dfAvail ?? 50 * 1024 ** 3),
    });
    const files = new Map<string, { text: string; mode: number }>();
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (!p.startsWith(bin) && !p.startsWith(secretsDir) && p !== script && p !== calls) files.set(p.slice(root.length), { text: fs.readFileSync(p, "utf8"), mode: fs.statSync(p).mode & 0o777 });
      }
    };
    walk(root);
    return { status: r.status, output: r.stdout + r.stderr, calls: fs.readFileSync(calls, "utf8").split("\n").filter(Boolean), files };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function conf(run: Run): Record<string, string> {
  const f = run.files.get("/etc/graylog/server/server.conf");
  expect(f, "server.conf was written").to.not.equal(undefined);
  return Object.fromEntries(f!.text.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => [l.slice(0, l.indexOf(" = ")), l.slice(l.indexOf(" = ") + 3)]));
}

const enc = encodeURIComponent;
/** RFC 3986 percent-encoding: encodeURIComponent leaves !'()* alone, which jq's @uri also encodes. */
const rfc3986 = (v: string): string => enc(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

describe("Graylog node bootstrap (run under bash)", function () {
  this.timeout(120000);
  requireToolLazy("jq");

  let ok: Run;
  before(() => {
    ok = runScript();
  });

  it("writes server.conf with every key, the credentials percent-encoded, the root password hashed, root:graylog 0640", () => {
    expect(ok.output).to.contain("graylog-server answers ALIVE");
    expect(ok.status, ok.output).to.equal(0);
    const m = INPUT.mongodb;
    expect(conf(ok)).to.deep.equal({
      is_leader: "true",
      node_id_file: "/etc/graylog/server/node-id",
      root_username: "admin",
      bin_dir: "/usr/share/graylog-server/bin",
      data_dir: "/var/lib/graylog-server",
      plugin_dir: "/usr/share/graylog-server/plugin",
      http_bind_address: "0.0.0.0:9000",
      http_external_uri: INPUT.externalUri,
      message_journal_enabled: "true",
      message_journal_dir: "/var/lib/graylog-server/journal",
      message_journal_max_size: "5gb",
      message_journal_max_age: "12h",
      allow_leading_wildcard_searches: "false",
      allow_highlighting: "false",
      password_secret: PASSWORD_SECRET,
      root_password_sha2: createHash("sha256").update(ROOT_PASSWORD, "utf8").digest("hex"),
      mongodb_uri: `mongodb://${rfc3986(MONGO.username)}:${rfc3986(MONGO.password)}@${m.hosts.map((h) => `${h}:27017`).join(",")}/graylog?replicaSet=rs0&authSource=graylog`,
      elasticsearch_hosts: `https://graylog:${rfc3986(OPENSEARCH.password)}@vpc-management-graylog-abcdefghijklmnopqrstuvwxyz.me-south-1.es.amazonaws.com`,
    });
    expect(conf(ok).mongodb_uri).to.contain("m0ngo%3Ap%40ss%2Fw%3Frd%23%5B1%5D%2520%26%3D%2B%20x");
    // Java's URI decodes the user info back to the secret's values (MongoDB's driver does the same).
    const u = new URL(conf(ok).elasticsearch_hosts);
    expect([decodeURIComponent(u.username), decodeURIComponent(u.password)]).to.deep.equal([OPENSEARCH.username, OPENSEARCH.password]);
    expect(ok.files.get("/etc/graylog/server/server.conf")!.mode).to.equal(0o640);
    expect(ok.calls.find((c) => c.startsWith("chown "))).to.match(/^chown root:graylog \S+\/etc\/graylog\/server\/server\.conf\.new$/);
  });

  it("leaves no credential anywhere but server.conf: not in the output, the recorded calls or any other file, nothing in the run dir", () => {
    const values = [PASSWORD_SECRET, ROOT_PASSWORD, MONGO.password, OPENSEARCH.password].flatMap((v) => [v, rfc3986(v)]);
    const elsewhere = [...ok.files].filter(([p]) => p !== "/etc/graylog/server/server.conf");
    expect(elsewhere.map(([p]) => p)).to.include.members(["/var/log/tila-bootstrap.log", "/etc/sysconfig/graylog-server", "/etc/yum.repos.d/graylog.repo"]);
    expect(elsewhere.filter(([p]) => p.startsWith("/run/"))).to.deep.equal([]);
    for (const v of values) {
      expect(ok.output, "output").to.not.contain(v);
      expect(ok.calls.join("\n"), "calls").to.not.contain(v);
      for (const [p, f] of elsewhere) expect(f.text, p).to.not.contain(v);
    }
    expect(ok.files.get("/var/log/tila-bootstrap.log")!.mode).to.equal(0o600);
  });

  it("imports Graylog's key, installs exactly the pinned package, then writes the configuration and restarts Graylog", () => {
    const at = (prefix: string): number => ok.calls.findIndex((c) => c.startsWith(prefix));
    expect(at("rpm --import ")).to.be.greaterThan(at("amazon-cloudwatch-agent-ctl -a fetch-config"));
    expect(at(`rpm -q gpg-pubkey-${GRAYLOG_SERVER.gpgKeyId}`)).to.be.greaterThan(at("rpm --import "));
    expect(at(`dnf install -y graylog-server-${GRAYLOG_SERVER.version}`)).to.be.greaterThan(at(`rpm -q gpg-pubkey-`));
    expect(at("chown root:graylog")).to.be.greaterThan(at("dnf install -y graylog-server-"));
    expect(at("systemctl restart graylog-server.service")).to.be.greaterThan(at("chown root:graylog"));
    expect(ok.calls.filter((c) => c.startsWith("curl "))).to.deep.equal(["curl -sS -m 5 http://127.0.0.1:9000/api/system/lbstatus"]);
    expect(ok.files.get("/etc/pki/rpm-gpg/RPM-GPG-KEY-graylog")!.text).to.equal(`${GRAYLOG_SERVER.gpgKey}\n`);
    expect(ok.files.get("/etc/graylog/server/node-id")!.text).to.match(/^[0-9a-f-]{36}\n$/);
    expect(ok.files.get("/etc/sysconfig/graylog-server")!.text).to.match(/^GRAYLOG_SERVER_JAVA_OPTS="-Xms(\d+)m -Xmx\1m -server /m);
  });

  it("makes node 1 a follower", () => {
    const follower = runScript({ input: { ...INPUT, nodeIndex: 1 } });
    expect(follower.status, follower.output).to.equal(0);
    expect(conf(follower).is_leader).to.equal("false");
  });

  describe("fails loudly, naming what failed, and starts nothing", () => {
    const refused = (run: Run, message: string): void => {
      expect(run.status).to.not.equal(0);
      const fatal = run.output.split("\n").filter((l) => l.includes("FATAL: "));
      expect(fatal, run.output).to.have.length(1);
      expect(fatal[0]).to.contain(message);
      expect(run.calls.filter((c) => c.startsWith("systemctl restart"))).to.deep.equal([]);
      expect(run.files.has("/etc/graylog/server/server.conf")).to.equal(false);
    };

    it("when Graylog's secret has no rootPassword or a short passwordSecret", () => {
      refused(runScript({ secrets: { ...SECRETS, graylog: { passwordSecret: PASSWORD_SECRET } } }), `Graylog's secret ${INPUT.graylogSecretArn} has no rootPassword`);
      refused(runScript({ secrets: { ...SECRETS, graylog: { rootPassword: ROOT_PASSWORD } } }), `Graylog's secret ${INPUT.graylogSecretArn} has no passwordSecret`);
      refused(runScript({ secrets: { ...SECRETS, graylog: { passwordSecret: "x".repeat(63), rootPassword: ROOT_PASSWORD } } }), `passwordSecret in Graylog's secret ${INPUT.graylogSecretArn} must be at least 64`);
    });

    it("when the MongoDB or OpenSearch user secret lacks a key, or OpenSearch's has a ':' Graylog cannot pass", () => {
      refused(runScript({ secrets: { ...SECRETS, mongodb: { username: "graylog" } } }), `the MongoDB user secret ${INPUT.mongodb.userSecretArn} has no password`);
      refused(runScript({ secrets: { ...SECRETS, opensearch: { password: "x" } } }), `the OpenSearch user secret ${INPUT.opensearch.userSecretArn} has no username`);
      refused(runScript({ secrets: { ...SECRETS, opensearch: { username: "graylog", password: "a:b" } } }), `the OpenSearch user secret ${INPUT.opensearch.userSecretArn} has a ':'`);
    });

    it("when rpm reports another version than the pin, or the root volume cannot hold the journal", () => {
      refused(runScript({ rpmVersion: "6.3.14" }), `graylog-server 6.3.14 is installed; ${GRAYLOG_SERVER.version} is pinned`);
      refused(runScript({ dfAvail: 1024 ** 3 }), "/var/lib/graylog-server/journal has 1024 MiB free; the message journal needs 5120 MiB (give the root volume more space or lower journalMaxSizeGiB)");
    });

    it("when graylog-server never answers ALIVE (bounded), with its last answer", () => {
      const dead = runScript({ lbStatus: "DEAD" });
      expect(dead.status).to.not.equal(0);
      expect(dead.output).to.contain("FATAL: graylog-server (activating) did not answer ALIVE on /api/system/lbstatus within 15 s (last answer: 'DEAD')");
      expect(dead.calls.filter((c) => c.startsWith("curl "))).to.have.length(3);
    });
  });
});
