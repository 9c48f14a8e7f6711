/**
 * Every engine version and package source the bootstrap installs, in one place.
 *
 * Bumping a version is a change to the data tier: roll it out one node at a time (the scripts
 * only install on first boot of an instance; a running node is upgraded by replacing it).
 * Each URL below follows the vendor's documented layout and was checked against the vendor's
 * docs or official images when pinned; the script fails loudly (curl -f, checksum mismatch,
 * dnf "no match") rather than falling back to anything else.
 */
export const VERSIONS = {
  /**
   * MongoDB Community from MongoDB's own yum repo for Amazon Linux 2023, which carries aarch64
   * builds (MongoDB's platform matrix lists AL2023 arm64 for 7.x and 8.x).
   */
  mongodb: {
    series: "8.0",
    version: "8.0.4",
    repoBaseUrl: "https://repo.mongodb.org/yum/amazon/2023/mongodb-org/8.0/$basearch/",
    gpgKey: "https://pgp.mongodb.com/server-8.0.asc",
  },
  /**
   * Couchbase Server Enterprise (server groups, which map nodes to AZs, are Enterprise-only)
   * from Couchbase's yum repository, added by its couchbase-release meta package.
   */
  couchbase: {
    version: "7.6.5",
    releaseRpm: "https://packages.couchbase.com/releases/couchbase-release/couchbase-release-1.0.noarch.rpm",
    package: "couchbase-server",
  },
  /**
   * Aerospike Community, server + tools bundle (asinstall), named
   * aerospike-server-<edition>_<server>_tools-<tools>_<distro>_<arch>.tgz with a .sha256 beside it.
   * 7.2.0.6 ships tools 11.1.1 (as in Aerospike's official Docker image).
   */
  aerospike: {
    version: "7.2.0.6",
    toolsVersion: "11.1.1",
    distro: "amzn2023",
    baseUrl: "https://download.aerospike.com/artifacts/aerospike-server-community",
  },
  /** ArangoDB from its official RPM repository (the repo file per minor series). */
  arangodb: {
    version: "3.12.3",
    repoFile: "https://download.arangodb.com/arangodb312/RPM/arangodb.repo",
  },
  /**
   * Apache releases come from archive.apache.org, which keeps every release forever (the
   * downloads.apache.org mirror drops superseded ones, which would break a pinned bootstrap).
   * `sha512` pins the digest where an authoritative copy was available (the official Solr Docker
   * image); the .sha512 file Apache publishes next to each artifact is always checked as well.
   */
  zookeeper: {
    version: "3.8.4",
    url: "https://archive.apache.org/dist/zookeeper/zookeeper-3.8.4/apache-zookeeper-3.8.4-bin.tar.gz",
    sha512: "",
  },
  /** Kafka 3.9 is the last line that can run brokers against ZooKeeper (4.0 is KRaft-only). */
  kafka: {
    version: "3.9.1",
    scala: "2.13",
    url: "https://archive.apache.org/dist/kafka/3.9.1/kafka_2.13-3.9.1.tgz",
    sha512: "",
  },
  solr: {
    version: "9.8.1",
    url: "https://archive.apache.org/dist/solr/solr/9.8.1/solr-9.8.1.tgz",
    sha512:
      "08888ea626b9fa617438b97f9f8d552acfbd087fc9fd248e7495627716decca5e2e8d55bedf0e1f2484c838295c2abd68debb002d1ae36965eb99753320459f4",
  },
  /**
   * Cassandra 4.1 (the Glowroot central collector's store in management): Java 8 or 11 only, so it
   * runs on Corretto 11 rather than the other services' 17. `sha512` is the digest the official
   * Docker image pins for this release (docker-library/cassandra versions.json); Apache's .sha512
   * beside the tarball is checked as well.
   */
  cassandra: {
    version: "4.1.7",
    url: "https://archive.apache.org/dist/cassandra/4.1.7/apache-cassandra-4.1.7-bin.tar.gz",
    sha512:
      "5c5aeaf5d9ee4aab2a901188cd66a6056e4f06c61a6a7c6645f5994484abf8942f7be9a51f638827649f918980ef510760a5a900fd8bdfe3b72c3e40bac1d3cb",
    javaPackage: "java-11-amazon-corretto-headless",
  },
  /** Java for the Apache services, from the AL2023 repositories. */
  javaPackage: "java-17-amazon-corretto-headless",
  /**
   * Prometheus JMX exporter, the Java agent in Kafka's JVM (the release jar from GitHub, one jar for
   * every architecture), pinned by the SHA-256 that many independent builds pin for this release.
   */
  jmxExporter: {
    version: "1.6.0",
    url: "https://github.com/prometheus/jmx_exporter/releases/download/1.6.0/jmx_prometheus_javaagent-1.6.0.jar",
    sha256: "a95983fd96e865d2bcdf911cc500e7c82808c27ab9fd226bf96732b6c3d8c46e",
  },
  /**
   * The CloudWatch agent from the AL2023 repositories (in them since 2022.0.20220728): dnf checks
   * the Amazon Linux package signature, and AL2023 locks its repositories to the AMI's release, so
   * the agent's version is the one that release ships (logged at install); a newer agent reaches a
   * node when the node is replaced from a newer AMI, one node at a time, like the engines.
   */
  cloudwatchAgent: {
    package: "amazon-cloudwatch-agent",
    ctl: "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl",
  },
  /**
   * Prometheus node_exporter release tarballs from GitHub. `sha256` pins the digest of each
   * architecture's tarball (the values of the release's sha256sums.txt, as several independent
   * build recipes pin them); the bootstrap checks both the pin and the sha256sums.txt it downloads.
   */
  nodeExporter: {
    version: "1.9.1",
    baseUrl: "https://github.com/prometheus/node_exporter/releases/download",
    sha256: {
      x86_64: "becb950ee80daa8ae7331d77966d94a611af79ad0d3307380907e0ec08f5b4e8",
      aarch64: "848f139986f63232ced83babe3cad1679efdbb26c694737edc1f4fbd27b96203",
    },
  },
  /**
   * Percona's mongodb_exporter release tarballs from GitHub (goreleaser: archives
   * mongodb_exporter-<v>.linux-<amd64|arm64>.tar.gz wrapped in a directory of the same name, and the
   * release's mongodb_exporter_<v>_checksums.txt of SHA-256 lines). NOT PINNED: no published Linux
   * digest could be confirmed from here, so the bootstrap verifies each download against the
   * checksums file Percona serves beside it over HTTPS and logs a loud warning; pin both
   * architectures' values from that file here (docs/observability-prometheus.md, "Pin me").
   */
  mongodbExporter: {
    version: "0.47.2",
    baseUrl: "https://github.com/percona/mongodb_exporter/releases/download",
    sha256: { x86_64: "", aarch64: "" },
  },
  /**
   * Aerospike's Prometheus exporter release tarballs from GitHub (its release workflow uploads
   * aerospike-prometheus-exporter_<v>_<x86_64|aarch64>.tgz with a `sha256sum` line in <file>.sha256
   * and a GPG signature in <file>.asc). NOT PINNED, for the same reason as mongodbExporter: the
   * bootstrap checks the .sha256 beside the tarball and warns loudly; pin both values here.
   */
  aerospikeExporter: {
    version: "1.34.0",
    baseUrl: "https://github.com/aerospike/aerospike-prometheus-exporter/releases/download",
    sha256: { x86_64: "", aarch64: "" },
  },
  /**
   * Fluent Bit, which ships every data node's journal and engine logs to Graylog (fluentbit.ts), from
   * its publisher's yum repository for Amazon Linux 2023 (fluent-bit-docs
   * installation/downloads/linux/amazon-linux.md; the same baseurl as fluent-bit's install.sh,
   * `amazonlinux/$VERSION_ID`). The repository's signing key is trusted only when its fingerprint is
   * the one the publisher documents (installation/downloads/linux.md, "GPG key updates"); dnf then
   * checks every package and the repository metadata against it. 4.2 is a maintained line (4.2.8,
   * backports only).
   */
  fluentBit: {
    version: "4.2.8",
    package: "fluent-bit",
    repoBaseUrl: "https://packages.fluentbit.io/amazonlinux/2023/",
    gpgKeyUrl: "https://packages.fluentbit.io/fluentbit.key",
    gpgFingerprint: "C3C0A28534B9293EAF51FABD9F9DDC083888C1CD",
  },
} as const;
