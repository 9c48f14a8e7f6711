import { expect } from "chai";
import { createHash } from "crypto";
import { writeFileSync } from "fs";
import { join } from "path";
import { CLOUDWATCH_AGENT_CONFIG, VERSIONS, cloudwatchAgentConfig, renderBootstrap, shellQuote } from "../../components/data/bootstrap";
import { USER_DATA_MAX_BYTES, decodeUserData, encodeUserData } from "../../components/data/userData";
import { COMMON_FUNCTIONS } from "../../components/data/bootstrap/common";
import { MONITORING_FUNCTIONS } from "../../components/data/bootstrap/monitoring";
import { zooCfg } from "../../components/data/bootstrap/zookeeper";
import { JMX_EXPORTER_CONFIG, JMX_EXPORTER_FUNCTIONS, JMX_EXPORTER_JAR, jmxExporterConfig } from "../../components/data/bootstrap/kafka";
import { cloudwatchAgentPolicy } from "../../components/data/clusterIdentity";
import { NoSqlCluster, NoSqlClusterArgs } from "../../components/data/NoSqlCluster";
import { only, run } from "../support/graph";
import { ENGINE_PROFILES } from "../../components/data/engines";
import { CW_AGENT_NAMESPACE, DISK_DIMENSIONS, MEM_DIMENSIONS, NODE_EXPORTER_PORT, metricsEndpoints } from "../../components/data/nodeMetrics";
import { ENGINES, ctxFor, requireTool, runRecorded, variants } from "./bootstrapHarness";

/** The JSON the script writes to the agent's config file, read back out of the rendered heredoc. */
function writtenAgentConfig(script: string): unknown {
  const start = script.indexOf(`cat > '${CLOUDWATCH_AGENT_CONFIG}' <<'TILA_EOF'\n`);
  expect(start, "the script writes the agent config").to.be.greaterThan(-1);
  const body = script.slice(script.indexOf("\n", start) + 1, script.indexOf("\nTILA_EOF", start));
  return JSON.parse(body) as unknown;
}

describe("renderBootstrap: node monitoring", function () {
  this.timeout(120000);

  for (const engine of ENGINES) {
    const ctx = ctxFor(engine, 3, 0, { mountPoint: ENGINE_PROFILES[engine].dataVolume.mountPoint });
    const script = renderBootstrap(ctx);

    it(`${engine}: installs the CloudWatch agent and node_exporter after the data volume is mounted and before the engine`, () => {
      const agent = script.indexOf("dnf install -y 'amazon-cloudwatch-agent'");
      const exporter = script.indexOf(`install_node_exporter '${VERSIONS.nodeExporter.version}'`);
      expect(agent).to.be.greaterThan(script.indexOf('prepare_data_volume "${DATA_DEV}"'));
      expect(exporter).to.be.greaterThan(agent);
      expect(script.indexOf("systemctl enable --now node_exporter.service")).to.be.lessThan(script.lastIndexOf("# --- "));
      expect(script).to.contain("amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c 'file:/opt/aws/amazon-cloudwatch-agent/etc/tila-cloudwatch-agent.json'");
      expect(script).to.contain(`wait_for_tcp 127.0.0.1 ${NODE_EXPORTER_PORT}`);
      expect(script).to.contain(`--web.listen-address=:${NODE_EXPORTER_PORT}`);
    });

    it(`${engine}: the agent publishes disk_used_percent for / and ${ctx.mountPoint} on {InstanceId, path} and mem_used_percent on {InstanceId} in CWAgent`, () => {
      const config = writtenAgentConfig(script) as ReturnType<typeof cloudwatchAgentConfig> & {
        metrics: { namespace: string; append_dimensions: Record<string, string>; aggregation_dimensions: string[][]; metrics_collected: { disk: Record<string, unknown>; mem: Record<string, unknown> } };
      };
      expect(config).to.deep.equal(cloudwatchAgentConfig(ctx));
      const m = config.metrics;
      expect(m.namespace).to.equal(CW_AGENT_NAMESPACE).and.equal("CWAgent");
      // append_dimensions makes the agent leave out `host`; the only other dimension is InstanceId.
      expect(m.append_dimensions).to.deep.equal({ InstanceId: "${aws:InstanceId}" });
      expect(m.aggregation_dimensions).to.deep.equal([[...DISK_DIMENSIONS]]).and.deep.equal([["InstanceId", "path"]]);
      expect(m.metrics_collected.disk).to.deep.equal({
        resources: ["/", ctx.mountPoint],
        measurement: ["used_percent"],
        drop_device: true,
        drop_original_metrics: ["disk_used_percent"],
      });
      expect(m.metrics_collected.mem).to.deep.equal({ measurement: ["used_percent"] });
      expect([...MEM_DIMENSIONS]).to.deep.equal(Object.keys(m.append_dimensions));
    });

    it(`${engine}: fits EC2's user data in every node shape of the harness, as text or gzip-compressed (NoSqlCluster's encoding)`, () => {
      for (const v of variants(engine)) {
        const script = renderBootstrap(v.ctx);
        const encoded = encodeUserData(script, `${engine} ${v.label}`);
        expect(Buffer.byteLength(encoded.userData ?? Buffer.from(encoded.userDataBase64!, "base64")), v.label).to.be.at.most(USER_DATA_MAX_BYTES);
        expect(decodeUserData(encoded), v.label).to.equal(script);
      }
    });
  }

  it("sends a script that fits EC2's 16 KB as text, a larger one gzip-compressed, and refuses one too large even compressed", () => {
    const small = renderBootstrap(ctxFor("zookeeper", 3, 0));
    expect(encodeUserData(small, "zk node 0")).to.deep.equal({ userData: small });
    const many = Array.from({ length: 60 }, (_, i) => ({ service: `service-${i}`, database: `service_${i}`, secretArn: `arn:aws:secretsmanager:me-south-1:111111111111:secret:dev/data/dev-arangodb-service-${i}-Ab12Cd` }));
    const large = renderBootstrap(ctxFor("arangodb", 3, 0, { serviceUsers: many }));
    expect(Buffer.byteLength(large)).to.be.greaterThan(USER_DATA_MAX_BYTES);
    const encoded = encodeUserData(large, "arangodb node 0");
    expect(encoded.userData).to.equal(undefined);
    expect(Buffer.from(encoded.userDataBase64!, "base64").length).to.be.at.most(USER_DATA_MAX_BYTES);
    expect(decodeUserData(encoded)).to.equal(large);
    expect(encodeUserData(large, "again")).to.deep.equal(encoded);
    const incompressible = Array.from({ length: 400 }, (_, i) => createHash("sha512").update(String(i)).digest("base64")).join("\n");
    expect(() => encodeUserData(incompressible, "arangodb-main node 0")).to.throw(/^arangodb-main node 0: the user data is \d+ bytes even gzip-compressed; EC2 takes at most 16384$/);
  });

  it("a NoSqlCluster node whose script outgrows 16 KB boots from gzip-compressed user data", async () => {
    const args = (script: string): NoSqlClusterArgs => ({
      environment: "dev", engine: "zookeeper", nodeCount: 1, instanceType: "m7g.large", vpcId: "vpc",
      subnets: [{ az: "me-south-1a", subnetId: "subnet-a" }], clients: {}, dns: { zoneId: "Z1", zoneName: "dev.internal.tila.sa" },
      snapshotRetentionDays: 3, protect: false, userData: () => script, tags: { Environment: "dev", Owner: "platform", CostCenter: "cc-200", ManagedBy: "pulumi" },
    });
    const big = `#!/bin/bash\n${"echo tila\n".repeat(3000)}`;
    const result = await run(() => {
      new NoSqlCluster("dev-zookeeper", args(big));
      return {};
    }, "dev");
    const node = only(result, "aws:ec2/instance:Instance");
    expect(node.inputs.userData).to.equal(undefined);
    expect(decodeUserData(node.inputs)).to.equal(big);
    expect(node.options.ignoreChanges).to.include.members(["userData", "userDataBase64"]);
  });

  it("zookeeper serves Prometheus metrics on the port the collector scrapes", () => {
    const cfg = zooCfg(ctxFor("zookeeper", 3, 0));
    const endpoint = metricsEndpoints("zookeeper").find((e) => e.job === "zookeeper");
    expect(cfg).to.contain("metricsProvider.className=org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider");
    expect(cfg).to.contain(`metricsProvider.httpPort=${endpoint!.port}`);
    for (const engine of ENGINES) expect(metricsEndpoints(engine).map((e) => e.port), engine).to.include(NODE_EXPORTER_PORT);
  });

  it("serves every metrics endpoint on a port no engine uses for clients or peers (node_exporter's usual 9100 is Couchbase's indexer)", () => {
    for (const engine of ENGINES) {
      const taken = new Set([...ENGINE_PROFILES[engine].clientPorts, ...ENGINE_PROFILES[engine].peerPorts]);
      for (const e of metricsEndpoints(engine)) expect(taken.has(e.port), `${engine} ${e.job} ${e.port}`).to.equal(false);
    }
    expect(ENGINE_PROFILES.couchbase.peerPorts).to.include(9100);
  });

  it("solr runs its bundled exporter against its own node only, on the port the collector scrapes", () => {
    const script = renderBootstrap(ctxFor("solr", 3, 1));
    const endpoint = metricsEndpoints("solr").find((e) => e.job === "solr")!;
    expect(script).to.contain(`ExecStart=/opt/solr/prometheus-exporter/bin/solr-exporter -p ${endpoint.port} -b http://localhost:8983/solr -f /opt/solr/prometheus-exporter/conf/solr-exporter-config.xml -n 4`);
    expect(script).to.not.match(/solr-exporter[^\n]* -z /);
    expect(script.indexOf("systemctl enable --now solr-exporter.service")).to.be.greaterThan(script.indexOf("systemctl enable --now solr.service"));
    expect(script).to.contain(`wait_for_tcp 127.0.0.1 ${endpoint.port}`);
    // The exporter ships only in the full distribution, which is what versions.ts pins.
    expect(VERSIONS.solr.url).to.match(/\/solr-9\.\d+\.\d+\.tgz$/);
  });

  it("kafka loads the pinned JMX exporter agent into the broker's JVM only, on the port the collector scrapes", () => {
    const script = renderBootstrap(ctxFor("kafka", 3, 0));
    const endpoint = metricsEndpoints("kafka").find((e) => e.job === "kafka")!;
    expect(script).to.contain(`Environment="KAFKA_OPTS=-javaagent:${JMX_EXPORTER_JAR}=${endpoint.port}:${JMX_EXPORTER_CONFIG}"`);
    expect(script.match(/-javaagent:/g)).to.have.length(1);
    expect(script).to.contain(`install_jmx_exporter '${VERSIONS.jmxExporter.url}' '${VERSIONS.jmxExporter.sha256}' '${JMX_EXPORTER_JAR}'`);
    expect(script.indexOf("install_jmx_exporter '")).to.be.lessThan(script.indexOf("systemctl enable --now kafka.service"));
    expect(script).to.contain(`wait_for_tcp 127.0.0.1 ${endpoint.port}`);
    expect(jmxExporterConfig()).to.contain("includeObjectNames:").and.contain('"kafka.server:type=ReplicaManager,name=*"');
  });

  describe("install_jmx_exporter under bash", () => {
    function install(pin: (real: string) => string): { status: number; calls: string; output: string } {
      return runRecorded("tila-jmx-", (dir, calls) => {
        const payload = "not really a jar\n";
        const real = createHash("sha256").update(payload).digest("hex");
        writeFileSync(join(dir, "payload"), payload);
        return [
          "set -euo pipefail",
          `TILA_ENGINE=kafka TILA_RUN_DIR=${shellQuote(dir)}`,
          COMMON_FUNCTIONS,
          JMX_EXPORTER_FUNCTIONS,
          "sleep() { :; }",
          `curl() { local out=""; while (($#)); do case "$1" in -o) out="$2"; shift 2 ;; *) shift ;; esac; done; cp ${shellQuote(join(dir, "payload"))} "\${out}"; }`,
          `install() { echo "install $*" >>${shellQuote(calls)}; }`,
          `install_jmx_exporter https://example.test/agent.jar ${shellQuote(pin(real))} /opt/jmx-exporter/agent.jar`,
        ];
      });
    }

    it("installs the agent only when it matches the pinned SHA-256", () => {
      const good = install((real) => real);
      expect(good.status, good.output).to.equal(0);
      expect(good.calls).to.match(/^install -D -m 0644 \S+jmx\.jar \/opt\/jmx-exporter\/agent\.jar$/m);
      const bad = install(() => "0".repeat(64));
      expect(bad.status).to.not.equal(0);
      expect(bad.output).to.contain("pinned 0000");
      expect(bad.calls).to.equal("");
    });
  });

  it("the node role may publish metrics only into the CWAgent namespace", () => {
    const doc = JSON.parse(cloudwatchAgentPolicy()) as { Statement: { Effect: string; Action: string; Resource: string; Condition: unknown }[] };
    expect(doc.Statement).to.deep.equal([{
      Sid: "PublishAgentMetrics",
      Effect: "Allow",
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": "CWAgent" } },
    }]);
  });

  describe("install_node_exporter under bash", () => {
    const ARCHIVE = "node_exporter-1.9.1.linux-arm64.tar.gz";

    /** Runs the function with curl serving a fake release and install/tar/ln recorded, not run. */
    function install(o: { arch?: string; pin?: (real: string) => string; sums?: (real: string) => string }): { status: number; calls: string; output: string } {
      requireTool("sha256sum");
      return runRecorded("tila-node-exporter-", (dir, calls) => {
        const payload = "not really a tarball\n";
        const real = createHash("sha256").update(payload).digest("hex");
        writeFileSync(join(dir, "payload"), payload);
        const sums = o.sums ? o.sums(real) : `0000  node_exporter-1.9.1.linux-amd64.tar.gz\n${real}  ${ARCHIVE}\n`;
        writeFileSync(join(dir, "sums"), sums);
        return [
          "set -euo pipefail",
          `TILA_ENGINE=test TILA_ARCH=${shellQuote(o.arch ?? "aarch64")} TILA_RUN_DIR=${shellQuote(dir)}`,
          COMMON_FUNCTIONS,
          MONITORING_FUNCTIONS,
          "sleep() { :; }",
          `curl() { local out="" url=""; while (($#)); do case "$1" in -o) out="$2"; shift 2 ;; -*) shift ;; *) url="$1"; shift ;; esac; done`,
          `  echo "curl \${url}" >>${shellQuote(calls)}`,
          `  case "\${url}" in *sha256sums.txt) cp ${shellQuote(join(dir, "sums"))} "\${out}" ;; *) cp ${shellQuote(join(dir, "payload"))} "\${out}" ;; esac; }`,
          `install() { echo "install $*" >>${shellQuote(calls)}; }`,
          `tar() { echo "tar $*" >>${shellQuote(calls)}; }`,
          `ln() { echo "ln $*" >>${shellQuote(calls)}; }`,
          `install_node_exporter 1.9.1 https://example.test/releases 'x86-pin' ${shellQuote(o.pin ? o.pin(real) : real)}`,
        ];
      });
    }

    it("downloads this architecture's release, checks it against the pin and sha256sums.txt, then unpacks and links it", () => {
      const r = install({});
      expect(r.status, r.output).to.equal(0);
      expect(r.calls).to.contain(`curl https://example.test/releases/v1.9.1/${ARCHIVE}`);
      expect(r.calls).to.contain("curl https://example.test/releases/v1.9.1/sha256sums.txt");
      expect(r.calls).to.match(/^tar -xzf \S+node_exporter-1\.9\.1\.linux-arm64\.tar\.gz -C \/opt\/node_exporter-1\.9\.1 --strip-components=1$/m);
      expect(r.calls).to.contain("ln -sfn /opt/node_exporter-1.9.1 /opt/node_exporter");
      expect(r.output).to.contain("SHA-256 verified");
    });

    it("refuses a download that does not match the pinned digest, even when the release's list agrees", () => {
      const r = install({ pin: () => "f".repeat(64) });
      expect(r.status).to.not.equal(0);
      expect(r.output).to.contain("pinned ffff");
      expect(r.calls).to.not.contain("tar ");
    });

    it("refuses a download that the release's sha256sums.txt does not list with the same digest", () => {
      for (const sums of [(): string => `${"e".repeat(64)}  ${ARCHIVE}\n`, (): string => "0000  something-else.tar.gz\n"]) {
        const r = install({ sums });
        expect(r.status, r.output).to.not.equal(0);
        expect(r.output).to.match(/SHA-256 of node_exporter-1\.9\.1\.linux-arm64\.tar\.gz is [0-9a-f]{64}, published/);
        expect(r.calls).to.not.contain("tar ");
      }
    });

    it("takes the x86_64 pin and release on Intel and AMD nodes, and refuses an unknown architecture", () => {
      const intel = install({});
      expect(intel.status).to.equal(0);
      const x86 = install({ arch: "x86_64", sums: (real) => `${real}  node_exporter-1.9.1.linux-amd64.tar.gz\n` });
      expect(x86.status).to.not.equal(0);
      expect(x86.calls).to.contain("linux-amd64.tar.gz");
      expect(x86.output).to.contain("pinned x86-pin");
      const other = install({ arch: "riscv64" });
      expect(other.status).to.not.equal(0);
      expect(other.output).to.contain("no node_exporter for riscv64");
    });
  });
});
