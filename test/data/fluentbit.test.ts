/**
 * Fluent Bit on the data nodes (components/data/bootstrap/fluentbit.ts): the step is rendered only
 * for a context with logShipping and leaves the script otherwise byte for byte as it was; every
 * engine's script with it passes shellcheck at the strictest level; the step runs under bash with
 * stubbed package tools and writes the configuration that ships the journal and each engine's own
 * files to the target over verified TLS; the repository key is kept only at its pinned fingerprint.
 */
import { expect } from "chai";
import { chmodSync, mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import {
  ENGINE_LOGS, FLUENT_BIT_PATHS, VERSIONS, fluentBitConfig, fluentBitSection, renderBootstrap, shellQuote, validateBootstrapContext,
} from "../../components/data/bootstrap";
import { COMMON_FUNCTIONS } from "../../components/data/bootstrap/common";
import { USER_DATA_MAX_BYTES, decodeUserData, encodeUserData } from "../../components/data/userData";
import { FluentBitPaths, unitPattern } from "../../components/data/bootstrap/fluentbit";
import { BootstrapContext } from "../../components/data/bootstrap/types";
import { LOG_FIELDS } from "../../components/observability/logging/graylogPlan";
import { ENGINES, ctxFor, requireTool, runRecorded, variants } from "./bootstrapHarness";
import { TARGET, get, parseClassic, writtenFluentBitConfig } from "./fluentbitHarness";
import { AEROSPIKE_LOG, AEROSPIKE_LOGS, aerospikeConf } from "../../components/data/bootstrap/aerospike";
import { arangodbLogs, starterArgs } from "../../components/data/bootstrap/arangodb";
import { CASSANDRA_LOGS, CASSANDRA_LOG_DIR } from "../../components/data/bootstrap/cassandra";
import { COUCHBASE_LOGS, COUCHBASE_LOG_DIR } from "../../components/data/bootstrap/couchbase";
import { KAFKA_LOGS, KAFKA_LOG_DIR } from "../../components/data/bootstrap/kafka";
import { MONGOD_LOG, MONGODB_LOGS, mongodConf } from "../../components/data/bootstrap/mongodb";
import { SOLR_LOGS, SOLR_LOG_DIR, solrInclude } from "../../components/data/bootstrap/solr";
import { ZOOKEEPER_LOGS } from "../../components/data/bootstrap/zookeeper";
import { SHELLCHECK_ARGS, ShellcheckResult, shellcheckAll } from "./shellcheck";

const FPR = VERSIONS.fluentBit.gpgFingerprint;

function shipping(ctx: BootstrapContext): BootstrapContext {
  return { ...ctx, logShipping: TARGET };
}

interface StepRun {
  status: number;
  calls: string;
  output: string;
  /** What the step wrote, read back at its end (empty when it died first). */
  config: string;
  repo: string;
  key: string;
  dir: string;
  paths: FluentBitPaths;
}

describe("renderBootstrap: Fluent Bit on the data nodes", function () {
  this.timeout(120000);

  describe("shellcheck, with shipping on", () => {
    const cases = ENGINES.flatMap((engine) => variants(engine).map(({ label, ctx }) => ({ name: `${engine} (${label})`, script: renderBootstrap(shipping(ctx)) })));
    let results: ShellcheckResult[];
    before(async () => {
      results = await shellcheckAll(cases.map((c) => c.script));
    });
    cases.forEach(({ name, script }, i) => {
      it(`passes shellcheck for ${name}`, () => {
        expect(script).to.contain("install_fluent_bit '");
        const { status, output } = results[i]!;
        expect(output, `shellcheck ${SHELLCHECK_ARGS.join(" ")} reported:\n${output}`).to.equal("");
        expect(status).to.equal(0);
      });
    });
  });

  for (const engine of ENGINES) {
    it(`${engine}: without logShipping the script is byte for byte the script with shipping minus the Fluent Bit step, and mentions no Fluent Bit`, () => {
      for (const v of variants(engine)) {
        const plain = renderBootstrap(v.ctx);
        const shipped = renderBootstrap(shipping(v.ctx));
        const step = `${fluentBitSection(shipping(v.ctx))}\n\n`;
        expect(shipped.split(step), v.label).to.have.length(2);
        expect(shipped.replace(step, ""), v.label).to.equal(plain);
        expect(plain, v.label).to.not.match(/fluent/i);
        expect(fluentBitSection(v.ctx), v.label).to.equal("");
        // After the monitoring, before the engine: the engine's first lines are shipped.
        expect(shipped.indexOf("install_fluent_bit '"), v.label).to.be.greaterThan(shipped.indexOf("systemctl enable --now node_exporter.service"));
        expect(shipped.indexOf("systemctl restart fluent-bit.service"), v.label).to.be.lessThan(shipped.lastIndexOf("# --- "));
      }
    });
  }

  it("keeps every engine's shipping script within EC2's user data in every node shape, gzip-compressed as NoSqlCluster sends it", () => {
    for (const engine of ENGINES) {
      for (const v of variants(engine)) {
        const script = renderBootstrap(shipping(v.ctx));
        const encoded = encodeUserData(script, `${engine} ${v.label}`);
        const bytes = encoded.userData !== undefined ? Buffer.byteLength(encoded.userData) : Buffer.from(encoded.userDataBase64!, "base64").length;
        expect(bytes, `${engine} ${v.label}`).to.be.at.most(USER_DATA_MAX_BYTES);
        expect(decodeUserData(encoded), `${engine} ${v.label}`).to.equal(script);
      }
    }
  });

  for (const engine of ENGINES) {
    it(`${engine}: the step run under bash installs the pinned package with the verified key and writes the config that ships the journal and ${engine}'s own logs to Graylog over verified TLS`, () => {
      requireTool("bash");
      const ctx = shipping(ctxFor(engine, 3, 1, { mountPoint: "/data" }));
      const run = runStep(ctx);
      const written = run.config;
      expect(run.status, run.output).to.equal(0);
      expect(written).to.equal(fluentBitConfig(ctx, TARGET, run.paths));
      expect(run.repo).to.contain(`baseurl=${VERSIONS.fluentBit.repoBaseUrl}`).and.contain("gpgcheck=1").and.contain("repo_gpgcheck=1").and.contain(`gpgkey=file://${run.paths.keyFile}`);
      expect(run.key).to.contain("BEGIN PGP PUBLIC KEY BLOCK");
      const calls = run.calls.trimEnd().split("\n");
      expect(calls).to.include(`curl -fsSL -o ${join(run.dir, "run")}/fluentbit.key ${VERSIONS.fluentBit.gpgKeyUrl}`);
      expect(calls).to.include(`rpm --import ${run.paths.keyFile}`);
      expect(calls).to.include(`dnf install -y fluent-bit-${VERSIONS.fluentBit.version}`);
      expect(calls.indexOf(`rpm --import ${run.paths.keyFile}`)).to.be.lessThan(calls.indexOf(`dnf install -y fluent-bit-${VERSIONS.fluentBit.version}`));
      expect(calls).to.include(`fluent-bit --dry-run -c ${run.paths.confDir}/fluent-bit.conf`);
      expect(calls.slice(-2)).to.deep.equal(["systemctl enable fluent-bit.service", "systemctl restart fluent-bit.service"]);

      const sections = parseClassic(written);
      const inputs = sections.filter((s) => s.name === "INPUT");
      const journal = inputs.find((s) => get(s.entries, "Name")[0] === "systemd")!;
      expect(get(journal.entries, "DB")).to.deep.equal([`${run.paths.stateDir}/journal.db`]);
      expect(get(journal.entries, "storage.type")).to.deep.equal(["filesystem"]);
      const tails = inputs.filter((s) => get(s.entries, "Name")[0] === "tail");
      const tailed = tails.flatMap((s) => get(s.entries, "Path")[0]!.split(","));
      const logs = ENGINE_LOGS[engine](ctx);
      expect(tailed).to.deep.equal(["/var/log/tila-bootstrap.log", ...logs.files]);
      for (const t of tails) {
        expect(get(t.entries, "storage.type")).to.deep.equal(["filesystem"]);
        expect(get(t.entries, "DB")[0]).to.match(new RegExp(`^${run.paths.stateDir}/\\w+\\.db$`));
      }
      const engineTail = tails.find((s) => get(s.entries, "Tag")[0] === `file.${engine}`);
      expect(engineTail === undefined, "a tail of the engine's files exactly when it has files").to.equal(logs.files.length === 0);
      if (engineTail) expect(get(engineTail.entries, "multiline.parser")).to.deep.equal(logs.javaStackTraces ? ["java"] : []);
      const grep = sections.find((s) => get(s.entries, "Name")[0] === "grep");
      expect(grep ? get(grep.entries, "Exclude") : []).to.deep.equal(logs.consoleRepeatsFiles.length ? [`systemd_unit ${unitPattern(logs.consoleRepeatsFiles)}`] : []);

      const fields = sections.find((s) => s.name === "FILTER" && get(s.entries, "Match")[0] === "*")!;
      expect(get(fields.entries, "Set")).to.deep.equal([
        `${LOG_FIELDS.environment} dev`, `${LOG_FIELDS.kind} data-node`, `${LOG_FIELDS.cluster} ${ctx.clusterName}`, `${LOG_FIELDS.node} ${ctx.selfDnsName}`, `host ${ctx.selfDnsName}`,
      ]);
      const outputs = sections.filter((s) => s.name === "OUTPUT");
      expect(outputs).to.have.length(1);
      const out = outputs[0]!.entries;
      expect(Object.fromEntries(out)).to.deep.include({
        Name: "gelf", Match: "*", Host: TARGET.host, Port: "12201", Mode: "tls", tls: "On", "tls.verify": "On", "tls.verify_hostname": "On",
        "tls.vhost": TARGET.host, "tls.ca_file": "/etc/pki/tls/certs/ca-bundle.crt", Gelf_Short_Message_Key: "message", Retry_Limit: "no_limits",
      });
      expect(get(out, "storage.total_limit_size")).to.have.length(1);
      const service = sections.find((s) => s.name === "SERVICE")!.entries;
      expect(get(service, "storage.path")).to.deep.equal([`${run.paths.stateDir}/buffer/`]);
    });
  }

  describe("the repository key", () => {
    it("is refused when its fingerprint is not the pinned one: nothing is imported or installed", () => {
      const run = runStep(shipping(ctxFor("zookeeper", 3, 0)), { keyFingerprints: ["0".repeat(40)] });
      expect(run.status).to.not.equal(0);
      expect(run.output).to.contain(`has fingerprint ${"0".repeat(40)}, pinned ${FPR}`);
      expect(run.calls).to.not.match(/^rpm --import|^dnf install|^systemctl/m);
    });

    it("is refused when the file holds a second primary key besides the pinned one", () => {
      const run = runStep(shipping(ctxFor("zookeeper", 3, 0)), { keyFingerprints: [FPR, "1".repeat(40)] });
      expect(run.status).to.not.equal(0);
      expect(run.output).to.contain("does not hold exactly one public key");
      expect(run.calls).to.not.match(/^dnf install/m);
    });

    it("is not fetched again when the pinned version is already installed (a re-run), and the config is still rewritten", () => {
      const run = runStep(shipping(ctxFor("zookeeper", 3, 0)), { installed: true });
      expect(run.status, run.output).to.equal(0);
      expect(run.calls).to.not.match(/^curl|^dnf/m);
      expect(run.config).to.equal(fluentBitConfig(shipping(ctxFor("zookeeper", 3, 0)), TARGET, run.paths));
    });

    it("is pinned to the fingerprint the publisher documents, and the real step uses the real paths", () => {
      expect(FPR).to.equal("C3C0A28534B9293EAF51FABD9F9DDC083888C1CD");
      expect(VERSIONS.fluentBit.version).to.match(/^4\.\d+\.\d+$/);
      const step = fluentBitSection(shipping(ctxFor("mongodb", 3, 0)));
      expect(step).to.contain(`install_fluent_bit '${VERSIONS.fluentBit.version}' '${VERSIONS.fluentBit.gpgKeyUrl}' '${FPR}' '/etc/pki/rpm-gpg/RPM-GPG-KEY-fluent-bit'`);
      expect(step).to.contain("cat > '/etc/fluent-bit/fluent-bit.conf' <<'TILA_EOF'");
      expect(step).to.contain("'/opt/fluent-bit/bin/fluent-bit' --dry-run -c '/etc/fluent-bit/fluent-bit.conf'");
      expect(writtenFluentBitConfig(renderBootstrap(shipping(ctxFor("mongodb", 3, 0))))).to.equal(fluentBitConfig(shipping(ctxFor("mongodb", 3, 0)), TARGET));
      expect(fluentBitConfig(shipping(ctxFor("mongodb", 3, 0)), TARGET)).to.contain("DB                /var/lib/fluent-bit/journal.db");
    });
  });

  it("declares each engine's log files where that engine's own bootstrap makes it write them", () => {
    const ctx = (engine: BootstrapContext["engine"]): BootstrapContext => ctxFor(engine, 3, 0, { mountPoint: "/data" });
    expect(MONGODB_LOGS.files).to.deep.equal([MONGOD_LOG]);
    expect(mongodConf(ctx("mongodb"))).to.contain("  destination: file\n").and.contain(`  path: ${MONGOD_LOG}\n`);
    expect(AEROSPIKE_LOGS.files).to.deep.equal([AEROSPIKE_LOG]);
    expect(aerospikeConf(ctx("aerospike"))).to.contain(`    file ${AEROSPIKE_LOG} {`);
    expect(renderBootstrap(ctx("kafka"))).to.contain(`Environment="LOG_DIR=${KAFKA_LOG_DIR}"`);
    expect(KAFKA_LOGS.files.every((f) => f.startsWith(`${KAFKA_LOG_DIR}/`))).to.equal(true);
    expect(solrInclude(ctx("solr"))).to.contain(`SOLR_LOGS_DIR="${SOLR_LOG_DIR}"`);
    expect(SOLR_LOGS.files).to.deep.equal([`${SOLR_LOG_DIR}/solr.log`]);
    expect(renderBootstrap(ctx("cassandra"))).to.contain(`Environment="CASSANDRA_LOG_DIR=${CASSANDRA_LOG_DIR}"`);
    expect(CASSANDRA_LOGS.files).to.deep.equal([`${CASSANDRA_LOG_DIR}/system.log`]);
    expect(starterArgs(ctx("arangodb"))).to.include("--starter.data-dir=/data/arangodb");
    expect(arangodbLogs(ctx("arangodb")).files).to.deep.equal(["/data/arangodb/*/arangod.log"]);
    expect(COUCHBASE_LOGS.files.every((f) => f.startsWith(`${COUCHBASE_LOG_DIR}/`))).to.equal(true);
    // ZooKeeper logs to its console only: in the foreground under systemd, that is its journal.
    expect(ZOOKEEPER_LOGS.files).to.deep.equal([]);
    expect(renderBootstrap(ctx("zookeeper"))).to.contain("ExecStart=/opt/zookeeper/bin/zkServer.sh start-foreground");
    for (const engine of ENGINES) {
      const script = renderBootstrap(ctx(engine));
      for (const unit of ENGINE_LOGS[engine](ctx(engine)).consoleRepeatsFiles) expect(script, `${engine} ${unit}`).to.contain(`systemctl enable --now ${unit}`);
    }
  });

  it("refuses a shipping target that is not a DNS name, a port or a CIDR, naming each key", () => {
    const bad = { ...ctxFor("kafka", 3, 0), logShipping: { host: "graylog.dev.internal.tila.sa;reboot", port: 70000, managementCidr: "10.0.0.0/33" } };
    expect(validateBootstrapContext(bad).map((i) => i.split(":")[0])).to.deep.equal(["logShipping.host", "logShipping.port", "logShipping.managementCidr"]);
    expect(() => renderBootstrap(bad)).to.throw(/logShipping\.host/);
    expect(validateBootstrapContext(shipping(ctxFor("kafka", 3, 0)))).to.deep.equal([]);
  });
});

const MARK = "@@tila-fluentbit-test@@";

/** Runs the rendered step under bash against a temporary tree, package tools stubbed, and reads back what it wrote. */
function runStep(ctx: BootstrapContext, o: { keyFingerprints?: string[]; installed?: boolean } = {}): StepRun {
  let dir = "";
  const r = runRecorded("tila-fluentbit-", (d, calls) => {
    dir = d;
    const p = pathsIn(d);
    const show = (name: string, file: string): string => `printf '%s %s\\n' ${shellQuote(MARK)} ${name}; cat ${shellQuote(file)} 2>/dev/null || true`;
    return [...stepLines(ctx, d, calls, o), show("config", join(p.confDir, "fluent-bit.conf")), show("repo", p.repoFile), show("key", p.keyFile)];
  });
  const parts = r.output.split(`${MARK} `);
  const part = (name: string): string => parts.find((x) => x.startsWith(`${name}\n`))?.slice(name.length + 1) ?? "";
  return { ...r, config: part("config"), repo: part("repo"), key: part("key"), dir, paths: pathsIn(dir) };
}

function pathsIn(dir: string): FluentBitPaths {
  return {
    confDir: join(dir, "etc/fluent-bit"), stateDir: join(dir, "var/lib/fluent-bit"), repoFile: join(dir, "etc/yum.repos.d/fluent-bit.repo"),
    keyFile: join(dir, "etc/pki/rpm-gpg/RPM-GPG-KEY-fluent-bit"), binary: join(dir, "fluent-bit"), caFile: FLUENT_BIT_PATHS.caFile,
  };
}

/** The step with curl serving a fake key, gpg listing the given fingerprints, rpm/dnf/systemctl and the binary recorded. */
function stepLines(ctx: BootstrapContext, dir: string, calls: string, o: { keyFingerprints?: string[]; installed?: boolean }): string[] {
  const paths = pathsIn(dir);
  mkdirSync(join(dir, "run"), { recursive: true });
  writeFileSync(join(dir, "key.asc"), "-----BEGIN PGP PUBLIC KEY BLOCK-----\nnot really a key\n");
  // gpg --with-colons: each primary key's `pub` line is followed by its `fpr`; subkeys have their own.
  const colons = (o.keyFingerprints ?? [FPR]).flatMap((f) => ["pub:-:4096:1:9F9DDC083888C1CD:1647000000:::-:::scESC::::::23::0:", `fpr:::::::::${f}:`, "sub:-:4096:1:0000000000000001:1647000000::::::e::::::23:", "fpr:::::::::00000000000000000000000000000000DEADBEEF:"]);
  writeFileSync(join(dir, "gpg.out"), `${colons.join("\n")}\n`);
  if (o.installed) writeFileSync(join(dir, "installed"), "");
  writeFileSync(paths.binary, `#!/bin/bash\necho "fluent-bit $*" >>${shellQuote(calls)}\n`);
  chmodSync(paths.binary, 0o755);
  return [
    "set -euo pipefail",
    `TILA_ENGINE=${ctx.engine} TILA_RUN_DIR=${shellQuote(join(dir, "run"))}`,
    COMMON_FUNCTIONS,
    "sleep() { :; }",
    `curl() { local out=""; echo "curl $*" >>${shellQuote(calls)}; while (($#)); do case "$1" in -o) out="$2"; shift 2 ;; *) shift ;; esac; done; cp ${shellQuote(join(dir, "key.asc"))} "\${out}"; }`,
    `gpg() { echo "gpg $*" >>${shellQuote(calls)}; cat ${shellQuote(join(dir, "gpg.out"))}; }`,
    `rpm() { echo "rpm $*" >>${shellQuote(calls)}; if [[ "$1" == -q ]]; then [[ -f ${shellQuote(join(dir, "installed"))} ]] && echo "$2-1.x86_64"; else return 0; fi; }`,
    `dnf() { echo "dnf $*" >>${shellQuote(calls)}; : >${shellQuote(join(dir, "installed"))}; }`,
    `systemctl() { echo "systemctl $*" >>${shellQuote(calls)}; }`,
    fluentBitSection(ctx, paths),
  ];
}
