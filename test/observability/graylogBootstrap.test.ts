/**
 * Graylog node bootstrap, rendered: shellcheck at the strictest level, the server.conf settings by
 * Graylog's key names, the pinned release and its signing key, the refusals of bad input naming
 * each field, and the size EC2 takes. The bash runs are in graylogBootstrapRun.test.ts.
 */
import { expect } from "chai";
import { createHash } from "crypto";
import { shellcheckAll } from "../data/shellcheck";
import { USER_DATA_MAX_BYTES, encodeUserData } from "../../components/data/userData";
import {
  GraylogBootstrapInput,
  graylogBootstrapIssues,
  graylogServerSettings,
  mongodbUriParts,
  renderGraylogBootstrap,
} from "../../components/observability/logging/graylogBootstrap";
import { GRAYLOG_SERVER, graylogRepoFile } from "../../components/observability/logging/graylogRelease";
import { INPUT } from "./graylogBootstrapFixture";

/** The settings as Graylog's properties parser would read them (key = value, comments skipped). */
function parse(conf: string): Record<string, string> {
  return Object.fromEntries(
    conf.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#")).map((l) => {
      const i = l.indexOf(" = ");
      expect(i, l).to.be.greaterThan(0);
      return [l.slice(0, i), l.slice(i + 3)];
    }),
  );
}

/** OpenPGP v4 fingerprint of the first (public key) packet of an armored key: SHA-1 over 0x99, the 2-byte length and the body. */
function fingerprint(armored: string): string {
  const body = armored.split("\n").filter((l) => l && !l.startsWith("-----") && !l.includes(":") && !l.startsWith("=")).join("");
  const bytes = Buffer.from(body, "base64");
  expect(bytes[0], "an old-format public-key packet with a 2-byte length").to.equal(0x99);
  const length = bytes.readUInt16BE(1);
  return createHash("sha1").update(bytes.subarray(0, 3 + length)).digest("hex").toUpperCase();
}

describe("Graylog node bootstrap (rendered)", function () {
  this.timeout(120000);

  it("passes shellcheck at the strictest level for the leader and a follower (and the check fails a bad script)", async () => {
    const [leader, follower, bad] = await shellcheckAll([renderGraylogBootstrap(INPUT), renderGraylogBootstrap({ ...INPUT, nodeIndex: 2 }), "#!/bin/bash\nrm -rf $1/x\n"]);
    expect(leader!.output).to.equal("");
    expect(leader!.status).to.equal(0);
    expect(follower!.output).to.equal("");
    expect(follower!.status).to.equal(0);
    expect(bad!.status).to.not.equal(0);
  });

  it("sets every server.conf key by Graylog's names, node 0 the leader and the others followers, no credential among them", () => {
    const expected = {
      is_leader: "true",
      node_id_file: "/etc/graylog/server/node-id",
      root_username: "admin",
      bin_dir: "/usr/share/graylog-server/bin",
      data_dir: "/var/lib/graylog-server",
      plugin_dir: "/usr/share/graylog-server/plugin",
      http_bind_address: "0.0.0.0:9000",
      http_external_uri: "https://graylog.management.internal.tila.sa/",
      message_journal_enabled: "true",
      message_journal_dir: "/var/lib/graylog-server/journal",
      message_journal_max_size: "5gb",
      message_journal_max_age: "12h",
      allow_leading_wildcard_searches: "false",
      allow_highlighting: "false",
    };
    expect(parse(graylogServerSettings(INPUT))).to.deep.equal(expected);
    expect(parse(graylogServerSettings({ ...INPUT, nodeIndex: 1, rootUsername: "tila-admin", journalMaxSizeGiB: 20 }))).to.deep.equal({
      ...expected, is_leader: "false", root_username: "tila-admin", message_journal_max_size: "20gb",
    });
    for (const key of ["password_secret", "root_password_sha2", "mongodb_uri", "elasticsearch_hosts"]) expect(graylogServerSettings(INPUT)).to.not.contain(key);
  });

  it("builds mongodb_uri around the credentials from every member, the replica set and the user's database", () => {
    expect(mongodbUriParts(INPUT)).to.deep.equal({
      hosts: INPUT.mongodb.hosts.map((h) => `${h}:27017`).join(","),
      path: "graylog?replicaSet=rs0&authSource=graylog",
    });
    expect(mongodbUriParts({ ...INPUT, mongodb: { ...INPUT.mongodb, authSource: "admin" } }).path).to.equal("graylog?replicaSet=rs0&authSource=admin");
    const script = renderGraylogBootstrap(INPUT);
    expect(script).to.contain(`readonly TILA_MONGODB_HOSTS='${mongodbUriParts(INPUT).hosts}'`);
    expect(script).to.contain("readonly TILA_OPENSEARCH_HOST='vpc-management-graylog-abcdefghijklmnopqrstuvwxyz.me-south-1.es.amazonaws.com'");
    expect(renderGraylogBootstrap({ ...INPUT, opensearch: { ...INPUT.opensearch, endpoint: "https://search.example.internal:9200/" } })).to.contain("readonly TILA_OPENSEARCH_HOST='search.example.internal:9200'");
  });

  it("installs the pinned release from Graylog's repository with package signatures checked against Graylog's packaging key", () => {
    const script = renderGraylogBootstrap(INPUT);
    expect(GRAYLOG_SERVER.version.startsWith(`${GRAYLOG_SERVER.series}.`)).to.equal(true);
    expect(GRAYLOG_SERVER.repoBaseUrl).to.equal(`https://downloads.graylog.org/repo/el/stable/${GRAYLOG_SERVER.series}/$basearch/`);
    expect(graylogRepoFile().split("\n")).to.include.members(["gpgcheck=1", "gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-graylog", `baseurl=${GRAYLOG_SERVER.repoBaseUrl}`]);
    expect(script).to.contain(`install_graylog_server '${GRAYLOG_SERVER.version}' '${GRAYLOG_SERVER.gpgKeyId}'`);
    expect(script).to.contain(`${GRAYLOG_SERVER.gpgKey}\nTILA_EOF`);
    // The key is byte for byte the file Graylog's repositories ship, and its id is the one rpm names it by.
    expect(createHash("sha256").update(`${GRAYLOG_SERVER.gpgKey}\n`).digest("hex")).to.equal(GRAYLOG_SERVER.gpgKeySha256);
    expect(fingerprint(GRAYLOG_SERVER.gpgKey)).to.equal(GRAYLOG_SERVER.gpgKeyFingerprint);
    expect(GRAYLOG_SERVER.gpgKeyFingerprint.slice(-8).toLowerCase()).to.equal(GRAYLOG_SERVER.gpgKeyId);
    // The CloudWatch agent goes first, Graylog's start last.
    expect(script.indexOf("amazon-cloudwatch-agent-ctl -a fetch-config")).to.be.lessThan(script.indexOf("install_graylog_server '"));
    expect(script.indexOf("write_server_conf <<")).to.be.lessThan(script.indexOf("systemctl restart graylog-server.service"));
    expect(script.trimEnd().split("\n").slice(-2)[0]).to.equal("wait_for_graylog");
    expect(script).to.contain("readonly TILA_GRAYLOG_WAIT_ATTEMPTS=240\n");
  });

  it("refuses bad input whole, naming each field", () => {
    expect(graylogBootstrapIssues(INPUT)).to.deep.equal([]);
    const bad: GraylogBootstrapInput = {
      ...INPUT,
      nodeIndex: -1,
      externalUri: "https://graylog.management.internal.tila.sa",
      mongodb: { ...INPUT.mongodb, hosts: ["a.b.c", "$(reboot)", "a.b.c"], replicaSet: "rs 0", authSource: "admin?x" },
      opensearch: { endpoint: "http://vpc-x.me-south-1.es.amazonaws.com", userSecretArn: "x" },
      rootUsername: "ad min",
      journalMaxSizeGiB: 0.5,
    };
    expect(graylogBootstrapIssues(bad).map((i) => i.split(":")[0])).to.deep.equal([
      "nodeIndex", "externalUri", "mongodb.hosts[1]", "mongodb.hosts", "mongodb.replicaSet", "mongodb.authSource",
      "opensearch.endpoint", "opensearch.userSecretArn", "rootUsername", "journalMaxSizeGiB",
    ]);
    expect(graylogBootstrapIssues({ ...INPUT, mongodb: { ...INPUT.mongodb, hosts: [] } })).to.deep.equal(["mongodb.hosts: name every member of the replica set"]);
    expect(() => renderGraylogBootstrap({ ...INPUT, region: "nowhere" })).to.throw(/region: "nowhere"/);
  });

  it("fits EC2's 16 KB as plain user data, with room to spare, and carries no credential", () => {
    const script = renderGraylogBootstrap({ ...INPUT, nodeIndex: 4, mongodb: { ...INPUT.mongodb, hosts: [0, 1, 2, 3, 4].map((i) => `management-graylog-mongodb-${i}.management.internal.tila.sa`) } });
    expect(Buffer.byteLength(script)).to.be.below(USER_DATA_MAX_BYTES * 0.75);
    expect(encodeUserData(script, "graylog node 4")).to.deep.equal({ userData: script });
    // The four credential-bearing settings appear only as printf formats filled at boot.
    const lines = script.split("\n").filter((l) => /password_secret|root_password_sha2|mongodb_uri|elasticsearch_hosts/.test(l));
    expect(lines.map((l) => l.trim().split(" = ")[0])).to.deep.equal(["printf 'password_secret", "printf 'root_password_sha2", "printf 'mongodb_uri", "printf 'elasticsearch_hosts"]);
    for (const l of lines) expect(l).to.match(/ = [a-z:/]*%s/);
  });
});
