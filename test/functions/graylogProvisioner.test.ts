import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { bundleFunction } from "../../components/data/functionBundle";
import { graylogSpec } from "../../components/observability/logging/graylogProvisioningSpec";
import { RETENTION_CONFIG, ROTATION_CONFIG } from "../../functions/graylog-provisioner/bodies";
import { SignedCall } from "../../functions/graylog-provisioner/archive";
import { Dependencies, Result, makeHandler } from "../../functions/graylog-provisioner/handler";
import { ADMIN, FakeGraylog } from "./graylogFake";
import { failure } from "../support/failure";

const mockSecrets = () => mockClient(SecretsManagerClient);
const SECRET_ARN = "arn:aws:secretsmanager:me-south-1:111111111111:secret:tila/management/graylog-admin-AbCdEf";
const SETS = [
  { stack: "management", prefix: "tila-management", hotDays: 90, archiveDays: 365 },
  { stack: "prod", prefix: "tila-prod", hotDays: 90, archiveDays: 365 },
  { stack: "dev", prefix: "tila-dev", hotDays: 7, archiveDays: 0 },
];
const SPEC = graylogSpec({ indexSets: SETS, services: [{ environment: "prod", service: "orders" }, { environment: "dev", service: "orders" }], errorsPerFiveMinutes: 50 });

describe("functions/graylog-provisioner: Graylog's inputs, index sets, streams and alerts as code", () => {
  const graylog = new FakeGraylog();
  // Mocked in before(), never while the file loads: a later mock of the same class replaces earlier ones.
  let sm: ReturnType<typeof mockSecrets>;
  let logs: string[];
  let sleeps: number[];

  before(async () => {
    sm = mockSecrets();
    await graylog.start();
  });
  after(async () => {
    sm.restore();
    await graylog.stop();
  });
  beforeEach(() => {
    graylog.reset();
    sm.reset();
    sm.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: JSON.stringify(ADMIN) });
    logs = [];
    sleeps = [];
  });

  function handler(extra: Partial<Dependencies> = {}): (event: unknown) => Promise<Result> {
    return makeHandler({
      env: { GRAYLOG_URL: graylog.url, ADMIN_SECRET_ARN: SECRET_ARN, AWS_REGION: "me-south-1" },
      log: (l) => logs.push(l),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      now: () => Date.parse("2026-12-05T01:00:00Z"),
      ...extra,
    });
  }

  it("creates everything on an empty Graylog: the GELF input, an index set per stack, started streams with their rules, scheduled event definitions", async () => {
    const r = await handler()(SPEC);
    expect(r.ok).to.equal(true);
    expect(graylog.inputs).to.have.length(1);
    expect(graylog.inputs[0]).to.deep.include({ title: "tila GELF TCP", type: "org.graylog2.inputs.gelf.tcp.GELFTCPInput", global: true });
    expect(graylog.inputs[0]!.attributes).to.deep.include({ port: 12201, bind_address: "0.0.0.0", tls_enable: false });

    const prod = graylog.indexSets.find((s) => s.title === "tila prod")!;
    expect(prod).to.deep.include({ index_prefix: "tila-prod", use_legacy_rotation: true, writable: true, replicas: 1 });
    expect(prod.rotation_strategy).to.deep.equal({ type: ROTATION_CONFIG, rotation_period: "P1D", rotate_empty_index_set: false });
    expect(prod.retention_strategy).to.deep.equal({ type: RETENTION_CONFIG, max_number_of_indices: 90 });
    expect(graylog.indexSets.find((s) => s.title === "tila dev")!.retention_strategy).to.deep.include({ max_number_of_indices: 7 });

    const prodOrders = graylog.streams.find((s) => s.title === "tila prod orders")!;
    expect(prodOrders).to.deep.include({ matching_type: "AND", remove_matches_from_default_stream: true, index_set_id: prod.id, disabled: false });
    expect((prodOrders.rules as Record<string, unknown>[]).map((x) => [x.field, x.type, x.value, x.inverted])).to.deep.equal([["environment", 1, "prod", false], ["service", 1, "orders", false]]);

    const alert = graylog.definitions.find((d) => d.title === "tila prod orders errors")!;
    expect(alert).to.deep.include({ priority: 2, alert: true, state: "ENABLED" });
    const config = alert.config as Record<string, unknown>;
    expect(config).to.deep.include({ type: "aggregation-v1", query: "level:[0 TO 3]", streams: [prodOrders.id], search_within_ms: 300_000, execute_every_ms: 300_000 });
    expect(config.conditions).to.deep.equal({ expression: { expr: ">", left: { expr: "number-ref", ref: "error-count" }, right: { expr: "number", value: 50 } } });
    expect(graylog.definitions.find((d) => d.title === "tila prod error spike")).to.deep.include({ priority: 4 });

    const writes = graylog.writes();
    expect(writes.every((w) => w.path.startsWith("/api/"))).to.equal(true);
    if (r.ok) expect(r.applied).to.have.length(writes.length);
    expect(sm.commandCalls(GetSecretValueCommand)).to.have.length(1);
    expect(logs.join("\n")).to.not.contain(ADMIN.password);
  });

  it("writes nothing on a second run with the same spec", async () => {
    await handler()(SPEC);
    graylog.requests = [];
    const r = await handler()(SPEC);
    expect(graylog.writes()).to.deep.equal([]);
    expect(r).to.deep.equal({ ok: true, applied: [], unchanged: 1 + 3 + SPEC.streams.length + SPEC.alerts.length });
  });

  it("updates only what changed: retention, a threshold, a rule someone removed, a paused stream", async () => {
    await handler()(SPEC);
    const stream = graylog.streams.find((s) => s.title === "tila dev orders")!;
    stream.rules = (stream.rules as Record<string, unknown>[]).filter((x) => x.field !== "service");
    stream.disabled = true;
    graylog.requests = [];
    const changed = graylogSpec({ indexSets: SETS.map((s) => (s.stack === "dev" ? { ...s, hotDays: 14 } : s)), services: [{ environment: "prod", service: "orders" }, { environment: "dev", service: "orders" }], errorsPerFiveMinutes: 80 });
    const r = await handler()(changed);
    const writes = graylog.writes().map((w) => `${w.method} ${w.path.replace(/[0-9a-f]{24}/g, "<id>")}`);
    expect(writes).to.include("PUT /api/system/indices/index_sets/<id>");
    expect(writes).to.include("POST /api/streams/<id>/rules");
    expect(writes).to.include("POST /api/streams/<id>/resume");
    expect(writes.filter((w) => w.startsWith("PUT /api/events/definitions/"))).to.have.length(SPEC.alerts.length);
    expect(writes.filter((w) => w.startsWith("POST /api/streams") && !w.includes("/rules") && !w.includes("/resume")), "no stream re-created").to.deep.equal([]);
    expect(graylog.indexSets.find((s) => s.title === "tila dev")!.retention_strategy).to.deep.include({ max_number_of_indices: 14 });
    expect(((graylog.definitions.find((d) => d.title === "tila dev orders errors")!.config as Record<string, unknown>).conditions as { expression: { right: { value: number } } }).expression.right.value).to.equal(80);
    expect(r.ok && r.applied.some((a) => /update index set "tila dev": .*max_number_of_indices 7 -> 14/.test(a))).to.equal(true);
  });

  it("leaves foreign objects alone and removes only its own streams and alerts that are no longer wanted", async () => {
    graylog.streams.push({ id: "aaaaaaaaaaaaaaaaaaaaaaaa", title: "security team", description: "their own", rules: [], disabled: false });
    graylog.definitions.push({ id: "bbbbbbbbbbbbbbbbbbbbbbbb", title: "disk full", description: "ops' own", priority: 3 });
    await handler()(SPEC);
    graylog.requests = [];
    const fewer = graylogSpec({ indexSets: SETS, services: [{ environment: "prod", service: "orders" }], errorsPerFiveMinutes: 50 });
    await handler()(fewer);
    const writes = graylog.writes();
    expect(writes.map((w) => `${w.method} ${w.path.replace(/[0-9a-f]{24}/g, "<id>")}`).sort()).to.deep.equal(["DELETE /api/events/definitions/<id>", "DELETE /api/streams/<id>"]);
    expect(graylog.streams.map((s) => s.title)).to.include.members(["security team", "Default Stream"]).and.not.include("tila dev orders");
    expect(graylog.definitions.map((d) => d.title)).to.include("disk full").and.not.include("tila dev orders errors");
    expect(graylog.indexSets.map((s) => s.title)).to.include.members(["Default index set", "tila dev"]);
    expect(writes.some((w) => w.path.includes("aaaaaaaaaaaaaaaaaaaaaaaa") || w.path.includes("bbbbbbbbbbbbbbbbbbbbbbbb") || w.path.includes("default-set"))).to.equal(false);
  });

  it("refuses to take over an object with one of its titles that it did not make, naming it, and changes nothing", async () => {
    graylog.streams.push({ id: "cccccccccccccccccccccccc", title: "tila prod", description: "made by hand", rules: [], disabled: false });
    const e = await failure(handler()(SPEC));
    expect(e.message).to.equal('stream "tila prod" (cccccccccccccccccccccccc) exists but was not made by the provisioner (its description does not start with "tila-platform:"); rename or remove it');
    expect(graylog.writes().some((w) => w.path.includes("cccccccccccccccccccccccc"))).to.equal(false);
  });

  it("refuses an index prefix another index set uses, and an input that would clash on the GELF port", async () => {
    graylog.indexSets.push({ id: "dddddddddddddddddddddddd", title: "old prod", description: "legacy", index_prefix: "tila-prod" });
    expect((await failure(handler()(SPEC))).message).to.match(/index set "tila prod": prefix tila-prod is already used by index set "old prod" \(dddddddddddddddddddddddd\)/);
    graylog.reset();
    graylog.inputs.push({ id: "eeeeeeeeeeeeeeeeeeeeeeee", title: "gelf by hand", type: "org.graylog2.inputs.gelf.tcp.GELFTCPInput", attributes: { port: 12201 } });
    expect((await failure(handler()(SPEC))).message).to.match(/input "tila GELF TCP": input "gelf by hand" \(eeeeeeeeeeeeeeeeeeeeeeee\) already listens on port 12201/);
  });

  it("names the object and Graylog's answer when a write is refused", async () => {
    graylog.failure = { method: "POST", path: /^\/api\/events\/definitions$/, status: 400 };
    const e = await failure(handler()(SPEC));
    expect(e.message).to.match(/^create event definition "tila dev orders errors" \(> 50 in 5 min, warning\): POST \/api\/events\/definitions\?schedule=true answered 400: .*refused by the test/);
  });

  it("waits for Graylog to answer ALIVE, and gives up after the bound naming the last answer", async () => {
    graylog.deadAnswers = 3;
    expect((await handler({ waitIntervalMs: 5000 })(SPEC)).ok).to.equal(true);
    expect(sleeps).to.deep.equal([5000, 5000, 5000]);
    graylog.reset();
    graylog.deadAnswers = 100;
    let t = 0;
    const e = await failure(handler({ waitIntervalMs: 10_000, maxWaitMs: 60_000, now: () => t, sleep: async (ms) => { t += ms; } })(SPEC));
    expect(e.message).to.match(/^Graylog did not answer ALIVE within 60 s \(7 attempts; last: HTTP 503 DEAD\)$/);
    expect(graylog.writes()).to.deep.equal([]);
  });

  it("answers {ok: false} for an input of the wrong shape or with a dangling reference, before calling Graylog", async () => {
    const bad = await handler()({ ...SPEC, streams: [{ title: "x" }] });
    expect(bad.ok === false && bad.error).to.match(/^unexpected input: streams\.0\.description/);
    const dangling = await handler()({ ...SPEC, alerts: [{ ...SPEC.alerts[0]!, streamTitle: "tila nowhere" }] });
    expect(dangling.ok === false && dangling.error).to.match(/stream "tila nowhere" is not in the spec/);
    expect(graylog.requests).to.deep.equal([]);
  });

  it("fails naming the secret when the admin credential cannot be read", async () => {
    sm.reset();
    sm.on(GetSecretValueCommand).rejects(new Error("AccessDeniedException: not allowed"));
    expect((await failure(handler()(SPEC))).message).to.match(new RegExp(`cannot read the Graylog admin credential from ${SECRET_ARN.replace(/[/]/g, "\\/")}: AccessDeniedException`));
  });

  describe("the archive on the search domain", () => {
    function fakeDomain() {
      const calls: { method: string; path: string; query: Record<string, string>; body?: unknown }[] = [];
      const docs: Record<string, { body: unknown; seq: number }> = {};
      const call: SignedCall = async (method, path, query, body) => {
        calls.push({ method, path, query, body });
        const doc = docs[path];
        if (method === "GET") {
          if (!doc) return { status: 404, text: "{}" };
          if (path.startsWith("/_snapshot/")) return { status: 200, text: JSON.stringify({ [path.split("/")[2]!]: doc.body }) };
          return { status: 200, text: JSON.stringify({ _id: `${path.split("/").pop()}-sm-policy`, _seq_no: doc.seq, _primary_term: 1, sm_policy: doc.body }) };
        }
        if (method === "PUT" && path.startsWith("/_plugins/_sm/") && (!doc || query.if_seq_no !== String(doc.seq))) return { status: 409, text: "version conflict" };
        docs[path] = { body, seq: (doc?.seq ?? 0) + 1 };
        return { status: 200, text: "{}" };
      };
      return { calls, call };
    }
    const ARCHIVE = {
      domainEndpoint: "vpc-tila-graylog-abc.me-south-1.es.amazonaws.com",
      region: "me-south-1",
      bucketName: "tila-management-graylog-archive",
      snapshotRoleArn: "arn:aws:iam::111111111111:role/tila-graylog-snapshots",
      repository: "tila-graylog-archive",
      policies: [{ name: "tila-prod-archive", indices: "tila-prod_*", archiveDays: 365 }],
    };

    it("registers the S3 repository with the snapshot role and a daily policy per archived stack, then writes nothing more", async () => {
      const domain = fakeDomain();
      const r = await handler({ archiveCall: domain.call })({ ...SPEC, archive: ARCHIVE });
      expect(r.ok).to.equal(true);
      const writes = domain.calls.filter((c) => c.method !== "GET");
      expect(writes.map((c) => `${c.method} ${c.path}`)).to.deep.equal(["PUT /_snapshot/tila-graylog-archive", "POST /_plugins/_sm/policies/tila-prod-archive"]);
      expect(writes[0]!.body).to.deep.equal({ type: "s3", settings: { bucket: ARCHIVE.bucketName, base_path: "graylog", region: "me-south-1", role_arn: ARCHIVE.snapshotRoleArn } });
      expect(writes[1]!.body).to.deep.include({ enabled: true });
      expect((writes[1]!.body as Record<string, Record<string, unknown>>).snapshot_config).to.deep.include({ indices: "tila-prod_*", repository: "tila-graylog-archive", include_global_state: false });
      expect((writes[1]!.body as Record<string, Record<string, unknown>>).deletion!.condition).to.deep.equal({ max_age: "365d", min_count: 1 });

      domain.calls.length = 0;
      await handler({ archiveCall: domain.call })({ ...SPEC, archive: ARCHIVE });
      expect(domain.calls.filter((c) => c.method !== "GET")).to.deep.equal([]);

      await handler({ archiveCall: domain.call })({ ...SPEC, archive: { ...ARCHIVE, policies: [{ ...ARCHIVE.policies[0]!, archiveDays: 400 }] } });
      const update = domain.calls.filter((c) => c.method !== "GET");
      expect(update.map((c) => [c.method, c.path, c.query])).to.deep.equal([["PUT", "/_plugins/_sm/policies/tila-prod-archive", { if_seq_no: "1", if_primary_term: "1" }]]);
    });

    it("with the master user's secret, first maps its own role to manage_snapshots (keeping the mapping's others), then signs only the repository", async () => {
      const MASTER = "arn:aws:secretsmanager:me-south-1:111111111111:secret:management-graylog-search-master-user-XyZ";
      const ROLE = "arn:aws:iam::111111111111:role/management-graylog-provisioner";
      sm.on(GetSecretValueCommand, { SecretId: MASTER }).resolves({ SecretString: JSON.stringify({ username: "graylog", password: "m4ster-Pw" }) });
      const signed = fakeDomain();
      const adminCalls: { method: string; path: string; body?: unknown; user: string }[] = [];
      let mapping: Record<string, unknown> | undefined = { backend_roles: ["arn:aws:iam::111111111111:role/ops"], hosts: [], users: ["someone"], reserved: false };
      const admin = (credential: { username: string; password: string }): SignedCall => async (method, path, query, body) => {
        adminCalls.push({ method, path, body, user: `${credential.username}:${credential.password}` });
        if (path === "/_plugins/_security/api/rolesmapping/manage_snapshots") {
          if (method === "GET") return mapping ? { status: 200, text: JSON.stringify({ manage_snapshots: mapping }) } : { status: 404, text: "{}" };
          mapping = body as Record<string, unknown>;
          return { status: 200, text: "{}" };
        }
        return signed.call(method, path, query, body);
      };
      const run = () => handler({ env: { GRAYLOG_URL: graylog.url, ADMIN_SECRET_ARN: SECRET_ARN, ROLE_ARN: ROLE }, archiveCall: signed.call, archiveAdminCall: admin })({ ...SPEC, archive: { ...ARCHIVE, masterSecretArn: MASTER } });
      expect((await run()).ok).to.equal(true);
      expect(adminCalls.every((c) => c.user === "graylog:m4ster-Pw")).to.equal(true);
      expect(adminCalls.filter((c) => c.method === "PUT")[0]).to.deep.include({ path: "/_plugins/_security/api/rolesmapping/manage_snapshots", body: { backend_roles: ["arn:aws:iam::111111111111:role/ops", ROLE], hosts: [], users: ["someone"] } });
      expect(adminCalls.some((c) => c.path.startsWith("/_snapshot/") && c.method === "PUT"), "the repository is not registered as the master user").to.equal(false);
      expect(signed.calls.filter((c) => c.method === "PUT" && c.path === "/_snapshot/tila-graylog-archive")).to.have.length(1);
      adminCalls.length = 0;
      await run();
      expect(adminCalls.filter((c) => c.method !== "GET"), "mapped once").to.deep.equal([]);
    });

    it("names the repository when the domain refuses it (the role not mapped to manage_snapshots)", async () => {
      const e = await failure(handler({ archiveCall: async (method) => (method === "GET" ? { status: 404, text: "{}" } : { status: 403, text: "no permissions for [cluster:admin/repository/put]" }) })({ ...SPEC, archive: ARCHIVE }));
      expect(e.message).to.match(/^register snapshot repository tila-graylog-archive .*: PUT \/_snapshot\/tila-graylog-archive answered 403: no permissions/);
    });
  });

  it("bundles", () => {
    expect(bundleFunction("graylog-provisioner")).to.match(/index\.js$/);
  });
});
