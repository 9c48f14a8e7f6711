import { expect } from "chai";
import { renderBootstrap, VERSIONS } from "../../components/data/bootstrap";
import { ctxFor, ENGINES, ZK } from "./bootstrapHarness";

describe("renderBootstrap", function () {
  this.timeout(120000);

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
