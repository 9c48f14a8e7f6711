import { expect } from "chai";
import { spawnSync } from "child_process";
import fc from "fast-check";
import { BootstrapContext, BootstrapValidationError, renderBootstrap, shellQuote, validateBootstrapContext } from "../../components/data/bootstrap";
import { isValidDnsName } from "../../components/data/bootstrap/validate";
import { ctxFor, ENGINES } from "./bootstrapHarness";

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
    // Bash arguments are C strings, so NUL is the one character no bash word can hold: any other
    // code point but the surrogates, small ones more often. (fast-check's own "binary" unit is the
    // same set with NUL, but builds a table of every code point first: 1.4 s of a test process.)
    const codePoint = fc.integer({ min: 1, max: 0x10ffff - 0x800 }).map((n) => String.fromCodePoint(n < 0xd800 ? n : n + 0x800));
    const samples = fc.sample(fc.string({ unit: codePoint, maxLength: 40 }), 150);
    samples.push(`'; reboot; '`, "$(reboot)", "`reboot`", "a'b\"c\\d\n$HOME");
    const script = samples.map((s) => `printf '%s\\0' ${shellQuote(s)}`).join("\n");
    const r = spawnSync("bash", ["-c", script], { encoding: "utf8" });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.split("\0").slice(0, -1)).to.deep.equal(samples);
  });
});
