/**
 * The Cassandra bootstrap: cassandra.yaml and the rack file as Cassandra reads them (parsed), the
 * verified install, which node sets up security, and bash runs of the CQL-writing functions and of
 * cql_as against a stub cqlsh (credentials only in a run-dir file, removed after, never in argv).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { renderBootstrap, VERSIONS } from "../../components/data/bootstrap";
import { CASSANDRA_FUNCTIONS, cassandraYaml, rackdcProperties } from "../../components/data/bootstrap/cassandra";
import { bash, ctxFor } from "./bootstrapHarness";

const VARS = "TILA_RUN_DIR=\"$(mktemp -d)\"; TILA_CASSANDRA_DC=me-south-1; TILA_CASSANDRA_RF=3; TILA_NODE_COUNT=3\n";
const PW = "Abcdefgh12345678_-xyz";

describe("cassandra bootstrap", function () {
  this.timeout(60000);

  describe("cassandra.yaml", () => {
    const ctx = ctxFor("cassandra", 3, 1);
    const yaml = parse(cassandraYaml(ctx)) as Record<string, unknown>;

    it("seeds from every node's DNS name on the storage port and listens on its own name", () => {
      const seeds = (yaml.seed_provider as { class_name: string; parameters: { seeds: string }[] }[])[0]!;
      expect(seeds.class_name).to.equal("org.apache.cassandra.locator.SimpleSeedProvider");
      expect(seeds.parameters[0]!.seeds.split(",")).to.deep.equal(ctx.peerDnsNames.map((p) => `${p}:7000`));
      expect(yaml.listen_address).to.equal(ctx.selfDnsName);
      expect(yaml.broadcast_rpc_address).to.equal(ctx.selfDnsName);
      expect(yaml.storage_port).to.equal(7000);
      expect(yaml.native_transport_port).to.equal(9042);
      expect(yaml.cluster_name).to.equal("cassandra-main");
    });

    it("authenticates with passwords, authorizes by role and places replicas by rack (the AZ)", () => {
      expect(yaml.authenticator).to.equal("PasswordAuthenticator");
      expect(yaml.authorizer).to.equal("CassandraAuthorizer");
      expect(yaml.role_manager).to.equal("CassandraRoleManager");
      expect(yaml.endpoint_snitch).to.equal("GossipingPropertyFileSnitch");
      expect(rackdcProperties(ctx).split("\n")).to.include.members(["dc=me-south-1", "rack=me-south-1b"]);
    });

    it("keeps data, commit log, caches and hints on the data volume, with the directives Cassandra requires", () => {
      expect(yaml.data_file_directories).to.deep.equal(["/data/data"]);
      expect(yaml.commitlog_directory).to.equal("/data/commitlog");
      expect(yaml.saved_caches_directory).to.equal("/data/saved_caches");
      expect(yaml.hints_directory).to.equal("/data/hints");
      expect(yaml.partitioner).to.equal("org.apache.cassandra.dht.Murmur3Partitioner");
      expect(yaml.commitlog_sync).to.equal("periodic");
      expect(yaml.commitlog_sync_period).to.equal("10000ms");
    });

    it("seeds from at most three nodes and allocates tokens for the replication factor it uses", () => {
      const five = parse(cassandraYaml(ctxFor("cassandra", 5, 4))) as { seed_provider: { parameters: { seeds: string }[] }[]; allocate_tokens_for_local_replication_factor: number };
      expect(five.seed_provider[0]!.parameters[0]!.seeds.split(",")).to.have.length(3);
      expect(five.allocate_tokens_for_local_replication_factor).to.equal(3);
      const one = parse(cassandraYaml(ctxFor("cassandra", 1, 0))) as { allocate_tokens_for_local_replication_factor: number };
      expect(one.allocate_tokens_for_local_replication_factor).to.equal(1);
    });
  });

  describe("the script", () => {
    const node0 = renderBootstrap(ctxFor("cassandra", 3, 0));
    const node1 = renderBootstrap(ctxFor("cassandra", 3, 1));

    it("installs the pinned 4.1 release from archive.apache.org, refused unless both the pin and Apache's SHA-512 match, on Corretto 11", () => {
      expect(VERSIONS.cassandra.version).to.match(/^4\.1\.\d+$/);
      expect(VERSIONS.cassandra.sha512).to.match(/^[0-9a-f]{128}$/);
      expect(node1).to.contain(`apache_install cassandra '${VERSIONS.cassandra.version}' 'https://archive.apache.org/dist/cassandra/${VERSIONS.cassandra.version}/apache-cassandra-${VERSIONS.cassandra.version}-bin.tar.gz' '${VERSIONS.cassandra.sha512}'`);
      expect(node1).to.contain("install_java 'java-11-amazon-corretto-headless'");
      expect(node1).to.contain('die "SHA-512 of ${url} is ${actual}, pinned ${pinned}"');
    });

    it("reads the admin secret with the node role on every node and sets up roles on node 0 only", () => {
      for (const s of [node0, node1]) expect(s).to.contain("read_admin_secret");
      expect(node0).to.contain("all_cassandra_nodes_up");
      expect(node0).to.contain("readonly TILA_SVC_DATABASES=('catalog' 'notifications')");
      expect(node1).to.not.contain("auth_setup_cql \"${ADMIN_USER}\"");
      expect(node1).to.not.contain("TILA_SVC_SECRETS=");
    });

    it("runs the monitoring step before Cassandra, and Cassandra under systemd as its own user", () => {
      expect(node1.indexOf("install_node_exporter")).to.be.greaterThan(0);
      expect(node1.indexOf("install_node_exporter")).to.be.lessThan(node1.indexOf("# --- Cassandra ---"));
      expect(node1).to.contain("User=cassandra");
      expect(node1).to.contain('Environment="CASSANDRA_CONF=/etc/cassandra"');
    });
  });

  describe("CQL functions (bash)", () => {
    it("replicate system_auth and a service keyspace to the region's datacenter and grant only that keyspace", () => {
      const r = bash(`${CASSANDRA_FUNCTIONS}\n${VARS}auth_setup_cql tila_admin '${PW}'\nservice_user_cql glowroot glowroot '${PW}'\nretire_default_cql '${PW}'`);
      expect(r.stderr).to.equal("");
      expect(r.status).to.equal(0);
      expect(r.stdout.split("\n")).to.deep.equal([
        "ALTER KEYSPACE system_auth WITH replication = {'class': 'NetworkTopologyStrategy', 'me-south-1': 3};",
        `CREATE ROLE IF NOT EXISTS tila_admin WITH SUPERUSER = true AND LOGIN = true AND PASSWORD = '${PW}';`,
        "CREATE KEYSPACE IF NOT EXISTS glowroot WITH replication = {'class': 'NetworkTopologyStrategy', 'me-south-1': 3};",
        `CREATE ROLE IF NOT EXISTS glowroot WITH LOGIN = true AND PASSWORD = '${PW}';`,
        `ALTER ROLE glowroot WITH PASSWORD = '${PW}';`,
        "GRANT ALL PERMISSIONS ON KEYSPACE glowroot TO glowroot;",
        `ALTER ROLE cassandra WITH SUPERUSER = false AND LOGIN = false AND PASSWORD = '${PW}';`,
        "",
      ]);
    });

    it("refuse names and passwords that could leave a CQL literal", () => {
      const check = (fn: string, value: string) => bash(`${CASSANDRA_FUNCTIONS}\n${fn} "\${VALUE}"`, { VALUE: value }).status;
      expect(check("cql_safe_name", "glowroot")).to.equal(0);
      expect(check("cql_safe_name", "Glowroot")).to.not.equal(0);
      expect(check("cql_safe_name", "glow-root")).to.not.equal(0);
      expect(check("cql_safe_name", "x; DROP KEYSPACE y")).to.not.equal(0);
      expect(check("cql_safe_password", PW)).to.equal(0);
      expect(check("cql_safe_password", "short1")).to.not.equal(0);
      expect(check("cql_safe_password", "abcdefghijklmnop' OR '1")).to.not.equal(0);
    });

    it("cql_as hands cqlsh the credentials in a run-dir cqlshrc only, removes it and returns cqlsh's status", () => {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), "cassandra-home-"));
      try {
        fs.mkdirSync(path.join(home, "bin"));
        // The stub records its arguments and the cqlshrc it was given, then fails for user "bad".
        fs.writeFileSync(path.join(home, "bin", "cqlsh"), `#!/bin/bash\nprintf '%s\\n' "$@" >"${home}/argv"\ncp "$2" "${home}/rc"\ngrep -q 'username = bad' "$2" && exit 3\nexit 0\n`, { mode: 0o755 });
        const fns = CASSANDRA_FUNCTIONS.replace("readonly TILA_CASSANDRA_HOME=/opt/cassandra", `readonly TILA_CASSANDRA_HOME=${home}`);
        const ok = bash(`${fns}\n${VARS}cql_as tila_admin '${PW}' /tmp/x.cql; echo "rc=$?"; ls "\${TILA_RUN_DIR}"`);
        expect(ok.stdout.trim()).to.equal("rc=0");
        expect(fs.readFileSync(path.join(home, "argv"), "utf8")).to.not.contain(PW);
        expect(fs.readFileSync(path.join(home, "argv"), "utf8").split("\n")).to.deep.equal(["--cqlshrc", fs.readFileSync(path.join(home, "argv"), "utf8").split("\n")[1], "-f", "/tmp/x.cql", "127.0.0.1", "9042", ""]);
        expect(fs.readFileSync(path.join(home, "rc"), "utf8")).to.equal(`[authentication]\nusername = tila_admin\npassword = ${PW}\n`);
        const bad = bash(`${fns}\n${VARS}set +e; cql_as bad '${PW}' /tmp/x.cql; echo "rc=$?"`);
        expect(bad.stdout.trim()).to.equal("rc=3");
      } finally {
        fs.rmSync(home, { recursive: true, force: true });
      }
    });
  });
});
