import { expect } from "chai";
import { spawnSync } from "child_process";
import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { BootstrapContext, BootstrapValidationError, renderBootstrap, shellQuote, validateBootstrapContext, VERSIONS } from "../../components/data/bootstrap";
import { COMMON_FUNCTIONS, SECRET_FUNCTIONS } from "../../components/data/bootstrap/common";
import { isValidDnsName } from "../../components/data/bootstrap/validate";

/**
 * Strictest level that the scripts pass: every default check at severity "style" (the lowest, so
 * info and style findings fail too) plus all of shellcheck's optional checks, except SC2310. That
 * one flags every function called in `if` or before `||`, which is exactly how these scripts
 * handle errors on purpose (`retry ... || die "..."`), so it can only be silenced, not fixed.
 */
export const SHELLCHECK_ARGS = ["--shell=bash", "--severity=style", "--enable=all", "--exclude=SC2310", "-"];

function shellcheck(script: string): { status: number; output: string } {
  const r = spawnSync("shellcheck", SHELLCHECK_ARGS, { input: script, encoding: "utf8" });
  if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") {
    throw new Error("shellcheck is not on PATH: install it with `apt-get install -y shellcheck` (.ci/run does this in CI)");
  }
  if (r.error) throw r.error;
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

function bash(script: string, env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync("bash", ["-c", script], { encoding: "utf8", env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const ZK = "zk-0.dev.internal.tila.sa:2181,zk-1.dev.internal.tila.sa:2181,zk-2.dev.internal.tila.sa:2181";
const ARN = "arn:aws:secretsmanager:me-south-1:111111111111:secret:tila/dev/data-admin-Ab12Cd";

function ctxFor(engine: BootstrapContext["engine"], nodeCount: number, nodeIndex = 0, overrides: Partial<BootstrapContext> = {}): BootstrapContext {
  const peers = Array.from({ length: nodeCount }, (_, i) => `${engine}-${i}.dev.internal.tila.sa`);
  return {
    engine,
    clusterName: `${engine}-main`,
    environment: "dev",
    region: "me-south-1",
    nodeIndex,
    nodeCount,
    az: `me-south-1${"abc"[nodeIndex % 3]}`,
    selfDnsName: peers[nodeIndex],
    peerDnsNames: peers,
    dataDevice: "/dev/sdf",
    mountPoint: "/data",
    zookeeperConnect: engine === "solr" || engine === "kafka" ? ZK : undefined,
    adminSecretArn: ["couchbase", "arangodb", "mongodb"].includes(engine) ? ARN : undefined,
    ...overrides,
  };
}

const ENGINES: BootstrapContext["engine"][] = ["arangodb", "mongodb", "aerospike", "couchbase", "solr", "kafka", "zookeeper"];

/** The node shapes every engine is rendered in: first node and a joiner of 3, and a single node. */
function variants(engine: BootstrapContext["engine"]): { label: string; ctx: BootstrapContext }[] {
  const list = [
    { label: "node 0 of 3", ctx: ctxFor(engine, 3, 0) },
    { label: "node 1 of 3", ctx: ctxFor(engine, 3, 1) },
    { label: "single node", ctx: ctxFor(engine, 1, 0) },
  ];
  if (engine === "zookeeper") list.push({ label: "node 4 of 5", ctx: ctxFor(engine, 5, 4) });
  return list;
}

describe("renderBootstrap", function () {
  this.timeout(120000);

  describe("shellcheck", () => {
    for (const engine of ENGINES) {
      for (const { label, ctx } of variants(engine)) {
        it(`passes shellcheck for ${engine} (${label})`, () => {
          const { status, output } = shellcheck(renderBootstrap(ctx));
          expect(output, `shellcheck ${SHELLCHECK_ARGS.join(" ")} reported:\n${output}`).to.equal("");
          expect(status).to.equal(0);
        });
      }
    }

    it("fails a script with an unquoted expansion (the check can fail)", () => {
      const { status, output } = shellcheck("#!/bin/bash\nrm -rf $1/data\n");
      expect(status).to.not.equal(0);
      expect(output).to.contain("SC2086");
    });
  });

  describe("every engine", () => {
    for (const engine of ENGINES) {
      const script = renderBootstrap(ctxFor(engine, 3, 1));

      it(`${engine}: starts with bash strict mode and logs to ${"/var/log/tila-bootstrap.log"}`, () => {
        expect(script.startsWith("#!/bin/bash\n")).to.equal(true);
        expect(script).to.contain("set -euo pipefail");
        expect(script).to.contain("readonly TILA_LOG='/var/log/tila-bootstrap.log'");
        expect(script).to.match(/exec > >\(tee -a "\$\{TILA_LOG\}"/);
        expect(script).to.not.match(/set -x|set -o xtrace/);
      });

      it(`${engine}: finds /dev/sdf by its NVMe device-name mapping, formats only a blank volume and mounts it by UUID with nofail`, () => {
        expect(script).to.contain("readonly TILA_DATA_DEVICE='/dev/sdf'");
        expect(script).to.contain("nvme id-ctrl --raw-binary");
        expect(script).to.contain("skip=3072 count=32");
        expect(script).to.contain('blkid -p "${dev}"');
        expect(script).to.contain('mkfs.xfs -L tila-data "${dev}"');
        expect(script).to.match(/UUID=%s %s xfs defaults,noatime,nofail/);
        expect(script.indexOf("wait_for_data_device\n")).to.be.lessThan(script.indexOf('prepare_data_volume "${DATA_DEV}"'));
      });

      it(`${engine}: uses IMDSv2 and waits for every peer's DNS name`, () => {
        expect(script).to.contain("X-aws-ec2-metadata-token-ttl-seconds");
        expect(script).to.contain("readonly TILA_PEERS=('" + ctxFor(engine, 3, 1).peerDnsNames.join("' '") + "')");
        expect(script).to.contain('wait_for_dns "${TILA_PEERS[@]}"');
      });
    }
  });

  describe("secrets", () => {
    for (const engine of ["mongodb", "couchbase", "arangodb"] as const) {
      it(`${engine}: embeds only the secret's ARN and reads the value at boot with the instance role`, () => {
        const script = renderBootstrap(ctxFor(engine, 3, 0));
        expect(script.split(ARN).length - 1).to.equal(1);
        expect(script).to.contain(`readonly TILA_ADMIN_SECRET_ARN='${ARN}'`);
        expect(script).to.contain("aws secretsmanager get-secret-value");
        expect(script).to.contain("read_admin_secret");
      });
    }

    it("engines without an admin user never read a secret, even when given an ARN", () => {
      const script = renderBootstrap(ctxFor("zookeeper", 3, 0, { adminSecretArn: ARN }));
      expect(script).to.not.contain(ARN);
      expect(script).to.not.contain("get-secret-value");
    });

    it("never prints the secret value, removes the fetched copy and derives stable per-purpose keys", () => {
      requireTool("jq");
      const dir = mkdtempSync(join(tmpdir(), "tila-secret-"));
      try {
        const password = `S3cr3t-'"$(reboot)-value`;
        writeFileSync(join(dir, "secret.json"), JSON.stringify({ username: "tila-admin", password }));
        const harness = [
          "set -euo pipefail",
          `aws() { cat ${shellQuote(join(dir, "secret.json"))}; }`,
          "TILA_ENGINE=mongodb TILA_CLUSTER=orders TILA_REGION=me-south-1",
          `TILA_ADMIN_SECRET_ARN=${shellQuote(ARN)} TILA_RUN_DIR=${shellQuote(dir)}`,
          COMMON_FUNCTIONS,
          SECRET_FUNCTIONS,
          "read_admin_secret",
          'a="$(derive_key mongodb-keyfile)"; b="$(derive_key mongodb-keyfile)"; c="$(derive_key arangodb-jwt)"',
          '[[ "${a}" == "${b}" && "${a}" != "${c}" && "${a}" =~ ^[0-9a-f]{64}$ ]] || { echo "bad keys" >&2; exit 3; }',
          `[[ "\${ADMIN_PASSWORD}" == ${shellQuote(password)} ]] || { echo "password not read" >&2; exit 4; }`,
          `[[ ! -e ${shellQuote(join(dir, "admin.json"))} ]] || { echo "secret copy left behind" >&2; exit 5; }`,
        ].join("\n");
        const r = bash(harness);
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout + r.stderr).to.contain("admin secret read for user tila-admin");
        expect(r.stdout + r.stderr).to.not.contain("S3cr3t");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("data volume", () => {
    requireToolLazy("bash");

    /** Runs prepare_data_volume with blkid/mkfs/mount replaced by recorders; returns the record. */
    function prepare(blkidProbeExit: number, fsType: string, runs = 1): { status: number; calls: string; fstab: string; output: string } {
      const dir = mkdtempSync(join(tmpdir(), "tila-volume-"));
      try {
        writeFileSync(join(dir, "fstab"), "UUID=root-uuid / xfs defaults 0 0\n");
        const state = join(dir, "formatted");
        const harness = [
          "set -euo pipefail",
          `TILA_ENGINE=test TILA_FSTAB=${shellQuote(join(dir, "fstab"))} TILA_MOUNT_POINT=${shellQuote(join(dir, "data"))}`,
          COMMON_FUNCTIONS,
          `calls=${shellQuote(join(dir, "calls"))}`,
          "blkid() {",
          `  if [[ "$1" == "-p" && "$#" -eq 2 ]]; then [[ -e ${shellQuote(state)} ]] && return 0; return ${blkidProbeExit}; fi`,
          `  case "$*" in *TYPE*) echo ${shellQuote(fsType)} ;; *UUID*) echo 1111-2222 ;; esac`,
          "}",
          `mkfs.xfs() { echo "mkfs $*" >>"\${calls}"; touch ${shellQuote(state)}; }`,
          "mountpoint() { return 1; }",
          'mount() { echo "mount $*" >>"${calls}"; }',
          ...Array.from({ length: runs }, () => 'prepare_data_volume /dev/nvme1n1'),
        ].join("\n");
        const r = bash(harness);
        const read = (f: string) => {
          try {
            return readFileSync(join(dir, f), "utf8");
          } catch {
            return "";
          }
        };
        return { status: r.status, calls: read("calls"), fstab: read("fstab"), output: r.stdout + r.stderr };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }

    it("formats a blank volume with XFS and mounts it by UUID with nofail", () => {
      const r = prepare(2, "xfs");
      expect(r.status, r.output).to.equal(0);
      expect(r.calls).to.contain("mkfs -L tila-data /dev/nvme1n1");
      expect(r.fstab).to.match(/^UUID=1111-2222 \S+\/data xfs defaults,noatime,nofail,/m);
      expect(r.calls).to.match(/^mount \S+\/data$/m);
    });

    it("never reformats a volume that already has XFS, and adds its fstab line only once across re-runs", () => {
      const r = prepare(0, "xfs", 2);
      expect(r.status, r.output).to.equal(0);
      expect(r.calls).to.not.contain("mkfs");
      expect(r.fstab.match(/UUID=1111-2222/g)).to.have.length(1);
    });

    it("refuses a volume holding another filesystem instead of formatting it", () => {
      const r = prepare(0, "ext4");
      expect(r.status).to.not.equal(0);
      expect(r.output).to.contain("not XFS; refusing");
      expect(r.calls).to.not.contain("mkfs");
    });

    it("refuses to format when blkid cannot probe the device", () => {
      const r = prepare(4, "");
      expect(r.status).to.not.equal(0);
      expect(r.output).to.contain("refusing to format");
      expect(r.calls).to.not.contain("mkfs");
    });
  });

  describe("zookeeper", () => {
    const script = renderBootstrap(ctxFor("zookeeper", 5, 3));

    it("lists server.1..5 from the peers' DNS names in index order", () => {
      for (let i = 0; i < 5; i++) expect(script).to.contain(`server.${i + 1}=zookeeper-${i}.dev.internal.tila.sa:2888:3888\n`);
      expect(script).to.not.contain("server.6=");
    });

    it("writes myid = nodeIndex + 1 and refuses a volume from another slot", () => {
      expect(script).to.contain("readonly TILA_ZK_MYID=4");
      expect(script).to.contain("data volume belongs to ZooKeeper server");
    });

    it("installs the pinned release from archive.apache.org after SHA-512 verification, with Corretto 17", () => {
      expect(script).to.contain(`apache_install zookeeper '${VERSIONS.zookeeper.version}' '${VERSIONS.zookeeper.url}'`);
      expect(VERSIONS.zookeeper.url).to.match(/^https:\/\/archive\.apache\.org\/dist\/zookeeper\//);
      expect(script).to.contain('sha512sum "${archive}"');
      expect(script).to.contain("install_java 'java-17-amazon-corretto-headless'");
    });

    it("runs a single server for a 1-node ensemble", () => {
      const single = renderBootstrap(ctxFor("zookeeper", 1, 0));
      expect(single).to.contain("server.1=zookeeper-0.dev.internal.tila.sa:2888:3888");
      expect(single).to.not.contain("server.2=");
      expect(single).to.contain("readonly TILA_ZK_MYID=1");
    });
  });

  describe("kafka", () => {
    const script = renderBootstrap(ctxFor("kafka", 3, 1));

    it("sets broker.id to the node index and broker.rack to its AZ", () => {
      expect(script).to.contain("broker.id=1\n");
      expect(script).to.contain("broker.rack=me-south-1b\n");
      expect(script).to.contain("advertised.listeners=PLAINTEXT://kafka-1.dev.internal.tila.sa:9092");
    });

    it("connects to the ZooKeeper connect string under the cluster's chroot", () => {
      expect(script).to.contain(`zookeeper.connect=${ZK}/kafka-main\n`);
      expect(script).to.contain(`readonly TILA_ZK_CONNECT='${ZK}'`);
      expect(script).to.contain('wait_for_dns "${TILA_ZK_HOSTS[@]}"');
    });

    it("keeps an explicit chroot in the connect string", () => {
      const withChroot = renderBootstrap(ctxFor("kafka", 3, 0, { zookeeperConnect: `${ZK}/events` }));
      expect(withChroot).to.contain(`zookeeper.connect=${ZK}/events\n`);
    });

    it("replicates 3 ways with 2 in sync from 3 brokers, and 1/1 on a single broker", () => {
      expect(script).to.contain("default.replication.factor=3\n");
      expect(script).to.contain("min.insync.replicas=2\n");
      const single = renderBootstrap(ctxFor("kafka", 1, 0));
      expect(single).to.contain("default.replication.factor=1\n");
      expect(single).to.contain("min.insync.replicas=1\n");
    });

    it("installs Kafka 3.9 (the last line with ZooKeeper mode) from archive.apache.org", () => {
      expect(VERSIONS.kafka.version).to.match(/^3\.9\./);
      expect(script).to.contain(`apache_install kafka '${VERSIONS.kafka.version}' 'https://archive.apache.org/dist/kafka/`);
    });
  });

  describe("solr", () => {
    const script = renderBootstrap(ctxFor("solr", 3, 2));

    it("runs SolrCloud against the ZooKeeper connect string, registered under its DNS name", () => {
      expect(script).to.contain(`ZK_HOST="${ZK}/solr-main"`);
      expect(script).to.contain('SOLR_HOST="solr-2.dev.internal.tila.sa"');
      expect(script).to.contain("ExecStart=/opt/solr/bin/solr start -f -c");
      expect(script).to.contain('SOLR_JETTY_HOST="0.0.0.0"');
    });

    it("verifies the tarball against the pinned SHA-512 as well as Apache's", () => {
      expect(VERSIONS.solr.sha512).to.match(/^[0-9a-f]{128}$/);
      expect(script).to.contain(`'${VERSIONS.solr.url}' '${VERSIONS.solr.sha512}'`);
    });
  });

  describe("mongodb", () => {
    const first = renderBootstrap(ctxFor("mongodb", 3, 0));
    const joiner = renderBootstrap(ctxFor("mongodb", 3, 2));

    it("installs from MongoDB's yum repository for Amazon Linux 2023 with its signing key", () => {
      expect(first).to.contain("baseurl=https://repo.mongodb.org/yum/amazon/2023/mongodb-org/8.0/$basearch/");
      expect(first).to.contain("gpgcheck=1\n");
      expect(first).to.contain("gpgkey=https://pgp.mongodb.com/server-8.0.asc");
      expect(first).to.contain(`'mongodb-org-server-${VERSIONS.mongodb.version}'`);
    });

    it("runs replica set rs0 with keyfile authentication", () => {
      expect(joiner).to.contain("replSetName: rs0");
      expect(joiner).to.contain("keyFile: /etc/mongod.keyfile");
      expect(joiner).to.contain("authorization: enabled");
      expect(joiner).to.contain("dbPath: /data/mongodb");
    });

    it("lets node 0 initiate rs0 with every member once all peers answer", () => {
      const members = [0, 1, 2].map((i) => `{"_id":${i},"host":"mongodb-${i}.dev.internal.tila.sa:27017","priority":${i === 0 ? 2 : 1}}`);
      expect(first).to.contain(`const config = {"_id":"rs0","members":[${members.join(",")}]};`);
      expect(first.indexOf("retry \"${TILA_WAIT_ATTEMPTS}\" 5 mongo_ping")).to.be.lessThan(first.indexOf("rs.initiate(config)"));
      expect(first).to.contain('TILA_ADMIN_PASSWORD="${ADMIN_PASSWORD}"');
    });

    it("does not initiate from any other node", () => {
      expect(joiner).to.not.contain("rs.initiate");
      expect(joiner).to.not.contain("createUser");
    });

    it("initiates a single-member set on a single node", () => {
      expect(renderBootstrap(ctxFor("mongodb", 1, 0))).to.contain(`"members":[{"_id":0,"host":"mongodb-0.dev.internal.tila.sa:27017","priority":2}]`);
    });
  });

  describe("aerospike", () => {
    const script = renderBootstrap(ctxFor("aerospike", 3, 1));

    it("seeds the mesh heartbeat with every peer's DNS name", () => {
      for (let i = 0; i < 3; i++) expect(script).to.contain(`mesh-seed-address-port aerospike-${i}.dev.internal.tila.sa 3002\n`);
      expect(script).to.contain("mode mesh");
    });

    it("sets rack-id from the AZ index and replication-factor 2", () => {
      expect(script).to.contain("rack-id 2\n");
      expect(renderBootstrap(ctxFor("aerospike", 3, 2))).to.contain("rack-id 3\n");
      expect(script).to.contain("replication-factor 2\n");
      expect(script).to.contain("cluster-name aerospike-main");
    });

    it("installs the official bundle for this architecture from download.aerospike.com after SHA-256 verification", () => {
      expect(script).to.contain("https://download.aerospike.com/artifacts/aerospike-server-community/${AEROSPIKE_VERSION}/${AEROSPIKE_BUNDLE}.tgz");
      expect(script).to.contain(`tools-${VERSIONS.aerospike.toolsVersion}_amzn2023_\${TILA_ARCH}`);
      expect(script).to.contain('"${AEROSPIKE_URL}.sha256"');
      expect(script).to.contain("./asinstall");
    });
  });

  describe("couchbase", () => {
    const first = renderBootstrap(ctxFor("couchbase", 3, 0));
    const joiner = renderBootstrap(ctxFor("couchbase", 3, 1));

    it("installs Couchbase Server from packages.couchbase.com", () => {
      expect(first).to.contain(`dnf install -y '${VERSIONS.couchbase.releaseRpm}'`);
      expect(VERSIONS.couchbase.releaseRpm).to.match(/^https:\/\/packages\.couchbase\.com\//);
      expect(first).to.contain(`'couchbase-server-${VERSIONS.couchbase.version}'`);
    });

    it("initialises the cluster on node 0 and names its server group after its AZ", () => {
      expect(first).to.contain("http://127.0.0.1:8091/clusterInit");
      expect(first).to.contain('--data-urlencode "password@${TILA_RUN_DIR}/couchbase.pw"');
      expect(first).to.contain('default_group="$(cb_group_uri 127.0.0.1 "Group 1")"');
      expect(first).to.contain("readonly TILA_AZ='me-south-1a'");
      expect(first).to.not.contain("server-add");
    });

    it("adds every other node to node 0's cluster in its AZ's server group, then rebalances", () => {
      expect(joiner).to.contain("readonly CB_NODE0='couchbase-0.dev.internal.tila.sa'");
      expect(joiner).to.contain("readonly TILA_AZ='me-south-1b'");
      expect(joiner).to.contain('--server-add "https://${TILA_SELF}:18091"');
      expect(joiner).to.contain('--group-name "${TILA_AZ}"');
      expect(joiner.indexOf("server-add -c")).to.be.lessThan(joiner.indexOf("rebalance -c"));
      expect(joiner).to.not.contain("clusterInit");
    });

    it("passes credentials through a curl config file and the environment, not the command line", () => {
      expect(joiner).to.contain('curl -fsS -K "${TILA_RUN_DIR}/couchbase.curl"');
      expect(joiner).to.contain('CB_REST_PASSWORD="${ADMIN_PASSWORD}"');
      expect(joiner).to.not.match(/-p "\$\{ADMIN_PASSWORD\}"|--password "\$\{ADMIN_PASSWORD\}"/);
    });
  });

  describe("arangodb", () => {
    const first = renderBootstrap(ctxFor("arangodb", 3, 0));

    it("installs from the official RPM repository and stops when it has no build for this architecture", () => {
      expect(first).to.contain(`'${VERSIONS.arangodb.repoFile}'`);
      expect(VERSIONS.arangodb.repoFile).to.match(/^https:\/\/download\.arangodb\.com\//);
      expect(first).to.contain("has no ${TILA_ARCH} RPM of arangodb3-${ARANGODB_VERSION}");
    });

    it("starts a Starter cluster joined to every peer", () => {
      const join = ["arangodb-0", "arangodb-1", "arangodb-2"].map((n) => `${n}.dev.internal.tila.sa`).join(",");
      expect(first).to.contain(`--starter.join=${join}`);
      expect(first).to.contain("--starter.mode=cluster");
      expect(first).to.contain("--starter.address=arangodb-0.dev.internal.tila.sa");
      expect(first).to.contain("--starter.data-dir=/data/arangodb");
    });

    it("keeps two copies of every shard, so losing one DB-Server (one AZ) loses no data", () => {
      expect(first).to.contain("--args.coordinators.cluster.default-replication-factor=2");
      expect(first).to.contain("--args.coordinators.cluster.min-replication-factor=2");
    });

    it("runs a single server on a single node", () => {
      const single = renderBootstrap(ctxFor("arangodb", 1, 0));
      expect(single).to.contain("--starter.mode=single");
      expect(single).to.not.contain("--starter.join");
    });

    it("sets the root password and the admin user on node 0 only", () => {
      expect(first).to.contain("/_api/user/root");
      expect(renderBootstrap(ctxFor("arangodb", 3, 1))).to.not.contain("/_api/user");
    });
  });
});

describe("validateBootstrapContext", () => {
  it("accepts a well-formed context for every engine", () => {
    for (const engine of ENGINES) expect(validateBootstrapContext(ctxFor(engine, 3, 1)), engine).to.deep.equal([]);
  });

  it("rejects a peer DNS name carrying a command substitution, and renderBootstrap refuses to render it", () => {
    const ctx = ctxFor("zookeeper", 3, 0);
    ctx.peerDnsNames[1] = "zk-1.dev.internal.tila.sa$(reboot)";
    expect(validateBootstrapContext(ctx)).to.include("peerDnsNames[1]: must be a lower-case fully qualified DNS name");
    expect(() => renderBootstrap(ctx)).to.throw(BootstrapValidationError, /peerDnsNames\[1\]/);
  });

  for (const [field, value] of [
    ["selfDnsName", "zk-0.dev.internal.tila.sa'; reboot; '"],
    ["clusterName", "orders'x"],
    ["clusterName", "orders`id`"],
    ["environment", "dev\nreboot"],
    ["mountPoint", "/data; rm -rf /"],
    ["mountPoint", "/etc"],
    ["az", "me-south-1a$(reboot)"],
    ["zookeeperConnect", "zk-0.dev.internal.tila.sa:2181,$(reboot):2181"],
    ["adminSecretArn", "arn:aws:secretsmanager:me-south-1:111111111111:secret:x'$(reboot)"],
  ] as const) {
    it(`rejects ${field} = ${JSON.stringify(value)}`, () => {
      const ctx = { ...ctxFor("kafka", 3, 0), [field]: value } as BootstrapContext;
      if (field === "selfDnsName") ctx.peerDnsNames = [value, ...ctx.peerDnsNames.slice(1)];
      if (field === "adminSecretArn") ctx.engine = "kafka";
      const issues = validateBootstrapContext(ctx);
      expect(issues.some((i) => i.startsWith(`${field}:`)), issues.join("; ")).to.equal(true);
      expect(() => renderBootstrap(ctx)).to.throw(BootstrapValidationError);
    });
  }

  it("reports every problem at once, each with its field", () => {
    const ctx = { ...ctxFor("couchbase", 3, 0), clusterName: "Bad Name", nodeIndex: 7, adminSecretArn: undefined, az: "us-east-1a" };
    const issues = validateBootstrapContext(ctx);
    expect(issues.map((i) => i.split(":")[0])).to.include.members(["clusterName", "nodeIndex", "adminSecretArn", "az"]);
  });

  it("requires the ZooKeeper connect string for solr and kafka and the admin secret for couchbase, arangodb and mongodb", () => {
    for (const engine of ["solr", "kafka"] as const) {
      expect(validateBootstrapContext(ctxFor(engine, 3, 0, { zookeeperConnect: undefined }))).to.include(`zookeeperConnect: is required for ${engine}`);
    }
    for (const engine of ["couchbase", "arangodb", "mongodb"] as const) {
      expect(validateBootstrapContext(ctxFor(engine, 3, 0, { adminSecretArn: undefined }))).to.include(`adminSecretArn: is required for ${engine}`);
    }
  });

  it("requires self to be the peer at nodeIndex, and one name per node", () => {
    expect(validateBootstrapContext(ctxFor("kafka", 3, 1, { selfDnsName: "kafka-0.dev.internal.tila.sa" }))).to.include(
      "peerDnsNames: the entry at nodeIndex must be selfDnsName",
    );
    const short = ctxFor("kafka", 3, 0);
    short.peerDnsNames = short.peerDnsNames.slice(0, 2);
    expect(validateBootstrapContext(short)).to.include("peerDnsNames: must list all 3 nodes, self included");
  });

  it("rejects an even ZooKeeper ensemble and a 2-node ArangoDB cluster", () => {
    expect(validateBootstrapContext(ctxFor("zookeeper", 4, 0)).join()).to.contain("odd number");
    expect(validateBootstrapContext(ctxFor("arangodb", 2, 0)).join()).to.contain("at least 3");
  });

  it("accepts no DNS name containing anything but lower-case letters, digits, dots and hyphens (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        if (isValidDnsName(s)) return /^[a-z0-9.-]+$/.test(s) && !s.startsWith(".") && !s.endsWith(".");
        return true;
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.constantFrom("$", "`", "'", '"', ";", " ", "\n", "(", ")", "|", "&", "\\", "*"), fc.integer({ min: 0, max: 20 }), (c, at) => {
        const base = "node-1.dev.internal.tila.sa";
        const i = Math.min(at, base.length);
        return !isValidDnsName(base.slice(0, i) + c + base.slice(i));
      }),
    );
  });
});

describe("shellQuote", function () {
  this.timeout(30000);

  it("makes any string (without NUL) one bash word that expands to itself (property)", () => {
    // Bash arguments are C strings, so NUL is the one character no bash word can hold.
    const samples = fc.sample(fc.string({ unit: "binary", maxLength: 40 }).map((s) => s.replace(/\0/g, "0")), 150);
    samples.push(`'; reboot; '`, "$(reboot)", "`reboot`", "a'b\"c\\d\n$HOME");
    const script = samples.map((s) => `printf '%s\\0' ${shellQuote(s)}`).join("\n");
    const r = spawnSync("bash", ["-c", script], { encoding: "utf8" });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.split("\0").slice(0, -1)).to.deep.equal(samples);
  });
});

function requireTool(name: string): void {
  const r = spawnSync("bash", ["-c", `command -v ${name}`]);
  if (r.status !== 0) throw new Error(`${name} is not on PATH: install it with \`apt-get install -y ${name}\` (.ci/run does this in CI)`);
}

function requireToolLazy(name: string): void {
  before(() => requireTool(name));
}
