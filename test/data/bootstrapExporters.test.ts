/**
 * The MongoDB and Aerospike exporters in the data nodes' bootstrap (components/data/bootstrap/exporters.ts):
 * what each node's script installs and runs, the metrics user node 0 creates, and the install
 * functions run under bash with curl serving a fake release (a bad or unlisted checksum is refused).
 */
import { expect } from "chai";
import { createHash } from "crypto";
import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { VERSIONS, renderBootstrap, shellQuote } from "../../components/data/bootstrap";
import { aerospikeConf } from "../../components/data/bootstrap/aerospike";
import { COMMON_FUNCTIONS } from "../../components/data/bootstrap/common";
import {
  AEROSPIKE_EXPORTER_CONFIG, EXPORTER_FUNCTIONS, METRICS_USER_SCRIPT, MONGODB_EXPORTER_ENV, MONGODB_METRICS_USER, aerospikeExporterConfig,
} from "../../components/data/bootstrap/exporters";
import { AEROSPIKE_EXPORTER_PORT, MONGODB_EXPORTER_PORT, metricsEndpoints } from "../../components/data/nodeMetrics";
import { ctxFor, requireTool, runRecorded } from "./bootstrapHarness";

describe("renderBootstrap: MongoDB and Aerospike exporters", function () {
  this.timeout(120000);

  it("the collector scrapes each engine's exporter on the port the bootstrap starts it on", () => {
    expect(metricsEndpoints("mongodb")).to.deep.include({ job: "mongodb", port: MONGODB_EXPORTER_PORT, path: "/metrics" });
    expect(metricsEndpoints("aerospike")).to.deep.include({ job: "aerospike", port: AEROSPIKE_EXPORTER_PORT, path: "/metrics" });
    const mongo = renderBootstrap(ctxFor("mongodb", 3, 1));
    expect(mongo).to.contain(`ExecStart=/opt/mongodb_exporter/mongodb_exporter --web.listen-address=:${MONGODB_EXPORTER_PORT} --collect-all --compatible-mode`);
    expect(mongo).to.contain(`wait_for_tcp 127.0.0.1 ${MONGODB_EXPORTER_PORT}`);
    const aero = renderBootstrap(ctxFor("aerospike", 3, 1));
    expect(aerospikeExporterConfig()).to.contain(`bind = ":${AEROSPIKE_EXPORTER_PORT}"`);
    expect(aero).to.contain(`cat > '${AEROSPIKE_EXPORTER_CONFIG}' <<'TILA_EOF'\n${aerospikeExporterConfig()}TILA_EOF`);
    expect(aero).to.contain(`wait_for_tcp 127.0.0.1 ${AEROSPIKE_EXPORTER_PORT}`);
  });

  it("mongodb: every node runs the exporter as its own user with MONGODB_URI from a 0600 file, never the password in the script", () => {
    for (const index of [0, 1]) {
      const script = renderBootstrap(ctxFor("mongodb", 3, index));
      const v = VERSIONS.mongodbExporter;
      expect(script).to.contain(`install_mongodb_exporter '${v.version}' '${v.baseUrl}' '${v.sha256.x86_64}' '${v.sha256.aarch64}'`);
      expect(script).to.contain("User=mongodb_exporter\nGroup=mongodb_exporter\n");
      expect(script).to.contain(`EnvironmentFile=${MONGODB_EXPORTER_ENV}\n`);
      expect(script).to.contain(`(umask 077 && printf 'MONGODB_URI=mongodb://%s:%s@127.0.0.1:%s/admin?directConnection=true\\n' '${MONGODB_METRICS_USER}' "\${metrics_pw}" 27017 >${MONGODB_EXPORTER_ENV})`);
      expect(script).to.contain(`chmod 0600 ${MONGODB_EXPORTER_ENV}`);
      expect(script).to.not.match(/MONGODB_URI=mongodb:\/\/tila-metrics:[0-9a-f]{8}/);
      // The exporter starts once mongod is up.
      expect(script.indexOf("systemctl enable --now mongodb_exporter.service")).to.be.greaterThan(script.indexOf("systemctl enable --now mongod.service"));
    }
  });

  it("mongodb: node 0 alone creates the metrics user, after the admin user and before its exporter starts", () => {
    const node0 = renderBootstrap(ctxFor("mongodb", 3, 0));
    const step = node0.indexOf("--file /etc/tila/mongodb-metrics-user.js");
    expect(step).to.be.greaterThan(node0.indexOf("--file /etc/tila/mongodb-init.js"));
    expect(step).to.be.lessThan(node0.indexOf("systemctl enable --now mongodb_exporter.service"));
    expect(node0).to.contain('TILA_METRICS_PASSWORD="${metrics_pw}"');
    expect(renderBootstrap(ctxFor("mongodb", 3, 1))).to.not.contain("mongodb-metrics-user.js");
  });

  it("mongodb: the metrics user gets exactly clusterMonitor on admin and read on local, created once and reset on a re-run", () => {
    const users = new Map<string, { pwd: string; roles: unknown }>();
    const admin = {
      auth: (u: string, p: string): { ok: number } => ({ ok: u === "admin" && p === "secret" ? 1 : 0 }),
      getUser: (u: string): unknown => users.get(u) ?? null,
      createUser: (d: { user: string; pwd: string; roles: unknown }): void => {
        if (users.has(d.user)) throw new Error("exists");
        users.set(d.user, { pwd: d.pwd, roles: d.roles });
      },
      updateUser: (u: string, d: { pwd: string; roles: unknown }): void => {
        users.set(u, { pwd: d.pwd, roles: d.roles });
      },
    };
    const db = { getSiblingDB: (name: string): typeof admin => (name === "admin" ? admin : (() => { throw new Error(`touched ${name}`); })()) };
    const runScript = (pw: string, adminPw = "secret"): void => {
      const env = { TILA_ADMIN_USER: "admin", TILA_ADMIN_PASSWORD: adminPw, TILA_METRICS_PASSWORD: pw };
      new Function("db", "process", METRICS_USER_SCRIPT)(db, { env });
    };
    runScript("one");
    runScript("two");
    expect([...users.entries()]).to.deep.equal([[MONGODB_METRICS_USER, { pwd: "two", roles: [{ role: "clusterMonitor", db: "admin" }, { role: "read", db: "local" }] }]]);
    expect(() => runScript("three", "wrong")).to.throw("admin authentication failed");
    expect(METRICS_USER_SCRIPT).to.not.match(/pwd: '|secret/);
  });

  it("aerospike: the exporter runs as its own user with no credential, since the cluster has no security stanza (Community Edition)", () => {
    const ctx = ctxFor("aerospike", 3, 0);
    const script = renderBootstrap(ctx);
    expect(aerospikeConf(ctx)).to.not.match(/^\s*security\b/m);
    const v = VERSIONS.aerospikeExporter;
    expect(script).to.contain(`install_aerospike_exporter '${v.version}' '${v.baseUrl}' '${v.sha256.x86_64}' '${v.sha256.aarch64}'`);
    expect(script).to.contain("User=aerospike_exporter\nGroup=aerospike_exporter\n");
    expect(script).to.contain(`ExecStart=/opt/aerospike-prometheus-exporter/aerospike-prometheus-exporter --config ${AEROSPIKE_EXPORTER_CONFIG} --gauge-list /opt/aerospike-prometheus-exporter/gauge_stats_list.toml`);
    expect(aerospikeExporterConfig()).to.not.match(/user|password/);
    expect(aerospikeExporterConfig()).to.contain("[Aerospike]\ndb_host = \"127.0.0.1\"\ndb_port = 3000\n");
    expect(script.indexOf("systemctl enable --now aerospike-prometheus-exporter.service")).to.be.greaterThan(script.indexOf("systemctl enable --now aerospike.service"));
  });

  it("versions.ts leaves both exporters unpinned until a published digest is confirmed, and names each release's checksum file", () => {
    // When a pin is added it must be a SHA-256; until then the bootstrap warns at every install (below).
    for (const v of [VERSIONS.mongodbExporter, VERSIONS.aerospikeExporter]) {
      for (const pin of Object.values(v.sha256) as string[]) expect(pin).to.match(/^$|^[0-9a-f]{64}$/);
      expect(v.baseUrl).to.match(/^https:\/\/github\.com\/[a-z]+\/[a-z_-]+\/releases\/download$/);
    }
  });

  describe("install functions under bash", () => {
    interface Run { status: number; calls: string; output: string }

    /**
     * Runs `call` with curl serving `payload` for the artefact and `sums(real)` for any checksum URL;
     * install/ln are recorded (install -d under the run dir is real, for the Aerospike unpack).
     */
    function runInstall(o: { arch: string; call: (real: string) => string; payload: Buffer; sums: (real: string) => string; realTar?: boolean }): Run {
      requireTool("sha256sum");
      return runRecorded("tila-exporter-", (dir, calls) => {
        const real = createHash("sha256").update(o.payload).digest("hex");
        writeFileSync(join(dir, "payload"), o.payload);
        writeFileSync(join(dir, "sums"), o.sums(real));
        return [
          "set -euo pipefail",
          `TILA_ENGINE=test TILA_ARCH=${shellQuote(o.arch)} TILA_RUN_DIR=${shellQuote(dir)}`,
          COMMON_FUNCTIONS,
          EXPORTER_FUNCTIONS,
          "sleep() { :; }",
          `curl() { local out="" url=""; while (($#)); do case "$1" in -o) out="$2"; shift 2 ;; -*) shift ;; *) url="$1"; shift ;; esac; done`,
          `  echo "curl \${url}" >>${shellQuote(calls)}`,
          `  case "\${url}" in *checksums.txt|*.sha256) cp ${shellQuote(join(dir, "sums"))} "\${out}" ;; *) cp ${shellQuote(join(dir, "payload"))} "\${out}" ;; esac; }`,
          `install() { echo "install $*" >>${shellQuote(calls)}; if [[ "$1" == -d ]]; then shift 3; local d; for d in "$@"; do if [[ "\${d}" == ${shellQuote(dir)}* ]]; then mkdir -p "\${d}"; fi; done; fi; }`,
          ...(o.realTar ? [] : [`tar() { echo "tar $*" >>${shellQuote(calls)}; }`]),
          `ln() { echo "ln $*" >>${shellQuote(calls)}; }`,
          o.call(real),
        ];
      });
    }

    describe("install_mongodb_exporter", () => {
      const ARCHIVE = "mongodb_exporter-0.47.2.linux-arm64.tar.gz";
      const payload = Buffer.from("not really a tarball\n");
      const listed = (real: string): string => `${"0".repeat(64)}  mongodb_exporter-0.47.2.linux-amd64.tar.gz\n${real}  ${ARCHIVE}\n`;
      const mongo = (pin: (real: string) => string, sums = listed): Run =>
        runInstall({ arch: "aarch64", payload, sums, call: (real) => `install_mongodb_exporter 0.47.2 https://example.test/rel 'x86-pin' ${shellQuote(pin(real))}` });

      it("downloads this architecture's tarball and the release's checksums file, verifies it, unpacks and links it; unpinned, it says so loudly", () => {
        const r = mongo(() => "");
        expect(r.status, r.output).to.equal(0);
        expect(r.calls).to.contain(`curl https://example.test/rel/v0.47.2/${ARCHIVE}\n`);
        expect(r.calls).to.contain("curl https://example.test/rel/v0.47.2/mongodb_exporter_0.47.2_checksums.txt\n");
        expect(r.calls).to.match(/^tar -xzf \S+mongodb_exporter-0\.47\.2\.linux-arm64\.tar\.gz -C \/opt\/mongodb_exporter-0\.47\.2 --strip-components=1$/m);
        expect(r.calls).to.contain("ln -sfn /opt/mongodb_exporter-0.47.2 /opt/mongodb_exporter");
        expect(r.output).to.contain(`WARNING: ${ARCHIVE} is NOT PINNED; verified only against https://example.test/rel/v0.47.2/mongodb_exporter_0.47.2_checksums.txt`);
      });

      it("with a pin, installs only when the pin and the published list both agree", () => {
        const good = mongo((real) => real);
        expect(good.status, good.output).to.equal(0);
        expect(good.output).to.contain("SHA-256 verified against the pin").and.not.contain("NOT PINNED");
        const bad = mongo(() => "f".repeat(64));
        expect(bad.status).to.not.equal(0);
        expect(bad.output).to.contain("pinned ffff");
        expect(bad.calls).to.not.contain("tar ");
      });

      it("refuses a download the release's checksums file does not list with the same digest, pinned or not", () => {
        for (const sums of [(): string => `${"e".repeat(64)}  ${ARCHIVE}\n`, (): string => `${"0".repeat(64)}  something-else.tar.gz\n`, (): string => ""]) {
          const r = mongo(() => "", sums);
          expect(r.status, r.output).to.not.equal(0);
          expect(r.output).to.match(/SHA-256 of mongodb_exporter-0\.47\.2\.linux-arm64\.tar\.gz is [0-9a-f]{64}, published '(e{64})?'/);
          expect(r.calls).to.not.contain("tar ");
          expect(r.calls).to.not.contain("ln ");
        }
      });

      it("fetches amd64 on x86_64 and refuses an architecture it has no build for", () => {
        const r = runInstall({ arch: "x86_64", payload, sums: (real) => `${real}  mongodb_exporter-0.47.2.linux-amd64.tar.gz\n`, call: () => "install_mongodb_exporter 0.47.2 https://example.test/rel '' ''" });
        expect(r.status, r.output).to.equal(0);
        expect(r.calls).to.contain("curl https://example.test/rel/v0.47.2/mongodb_exporter-0.47.2.linux-amd64.tar.gz\n");
        const odd = runInstall({ arch: "riscv64", payload, sums: () => "", call: () => "install_mongodb_exporter 0.47.2 https://example.test/rel '' ''" });
        expect(odd.status).to.not.equal(0);
        expect(odd.output).to.contain("no mongodb_exporter for riscv64");
      });
    });

    describe("install_aerospike_exporter", () => {
      const ARCHIVE = "aerospike-prometheus-exporter_1.34.0_x86_64.tgz";
      /** A tarball laid out like the release's (fpm's tar of usr/bin and etc/aerospike-prometheus-exporter). */
      function releaseTarball(): Buffer {
        requireTool("tar");
        const dir = mkdtempSync(join(tmpdir(), "tila-ape-src-"));
        try {
          mkdirSync(join(dir, "usr/bin"), { recursive: true });
          mkdirSync(join(dir, "etc/aerospike-prometheus-exporter"), { recursive: true });
          writeFileSync(join(dir, "usr/bin/aerospike-prometheus-exporter"), "#!/bin/sh\n", { mode: 0o755 });
          writeFileSync(join(dir, "etc/aerospike-prometheus-exporter/gauge_stats_list.toml"), "# gauges\n");
          const r = spawnSync("tar", ["-czf", join(dir, "out.tgz"), "-C", dir, "./usr", "./etc"]);
          expect(r.status, String(r.stderr)).to.equal(0);
          return readFileSync(join(dir, "out.tgz"));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
      const ape = (payload: Buffer, sums: (real: string) => string): Run =>
        runInstall({ arch: "x86_64", payload, sums, realTar: true, call: () => "install_aerospike_exporter 1.34.0 https://example.test/rel '' ''" });

      it("checks the tarball against the .sha256 Aerospike publishes beside it, then installs the binary and its gauge list", () => {
        const r = ape(releaseTarball(), (real) => `${real}  ${ARCHIVE}\n`);
        expect(r.status, r.output).to.equal(0);
        expect(r.calls).to.contain(`curl https://example.test/rel/v1.34.0/${ARCHIVE}\n`);
        expect(r.calls).to.contain(`curl https://example.test/rel/v1.34.0/${ARCHIVE}.sha256\n`);
        expect(r.calls).to.match(/^install -m 0755 \S+\/usr\/bin\/aerospike-prometheus-exporter \/opt\/aerospike-prometheus-exporter-1\.34\.0\/aerospike-prometheus-exporter$/m);
        expect(r.calls).to.match(/^install -m 0644 \S+\/etc\/aerospike-prometheus-exporter\/gauge_stats_list\.toml \/opt\/aerospike-prometheus-exporter-1\.34\.0\/gauge_stats_list\.toml$/m);
        expect(r.calls).to.contain("ln -sfn /opt/aerospike-prometheus-exporter-1.34.0 /opt/aerospike-prometheus-exporter");
        expect(r.output).to.contain(`WARNING: ${ARCHIVE} is NOT PINNED`);
      });

      it("refuses a tarball whose .sha256 disagrees, before unpacking anything", () => {
        const r = ape(releaseTarball(), () => `${"a".repeat(64)}  ${ARCHIVE}\n`);
        expect(r.status).to.not.equal(0);
        expect(r.output).to.contain(`SHA-256 of ${ARCHIVE} is`);
        expect(r.calls).to.not.match(/^install -m/m);
        expect(r.calls).to.not.contain("ln ");
      });

      it("refuses a verified tarball that does not hold the exporter", () => {
        const r = ape(Buffer.from("junk"), (real) => `${real}  ${ARCHIVE}\n`);
        expect(r.status).to.not.equal(0);
        expect(r.calls).to.not.contain("ln ");
      });
    });
  });
});
