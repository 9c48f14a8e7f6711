import { expect } from "chai";
import { MANAGED_BY, roleBody } from "../../functions/opensearch-users/access";
import { Dependencies, HttpResponse, makeHandler } from "../../functions/opensearch-users/handler";
import { DEFAULT_TOPICS, SEARCH_QUERIES_TOPIC } from "../../components/analytics/analyticsPlan";
import { searchIndexSetup } from "../../components/analytics/searchAnalytics";

const MASTER = "arn:aws:secretsmanager:me-south-1:444444444444:secret:prod/data/prod-search-master-user-abc123";
const SEARCH_SECRET = "arn:aws:secretsmanager:me-south-1:444444444444:secret:prod/data/prod-search-svc-search-def456";
const SEARCH = { service: "search", user: "search", role: "svc_search", indexPattern: "search-*", secretArn: SEARCH_SECRET };

function fake(state: { users?: Record<string, unknown>; roles?: Record<string, unknown> } = {}, fail?: { path: RegExp; status: number }) {
  const calls: { auth: string; method: string; path: string; body?: unknown }[] = [];
  const secrets: Record<string, string> = {
    [MASTER]: JSON.stringify({ username: "osadmin", password: "master-pw" }),
    [SEARCH_SECRET]: JSON.stringify({ username: "search", password: "search-pw" }),
  };
  const deps: Dependencies = {
    env: { MASTER_SECRET_ARN: MASTER },
    log: () => undefined,
    readSecret: async (arn) => {
      const s = secrets[arn];
      if (s === undefined) throw new Error(`AccessDenied ${arn}`);
      return s;
    },
    call: async (auth, method, path, body): Promise<HttpResponse> => {
      calls.push({ auth: `${auth.user}:${auth.password}`, method, path, body });
      if (fail && fail.path.test(path)) return { status: fail.status, body: "{\"status\":\"FORBIDDEN\"}" };
      if (method === "GET" && path.endsWith("/internalusers")) return { status: 200, body: JSON.stringify(state.users ?? {}) };
      if (method === "GET" && path.endsWith("/roles")) return { status: 200, body: JSON.stringify(state.roles ?? {}) };
      return { status: 200, body: "{}" };
    },
  };
  return { deps, calls };
}

describe("OpenSearch provisioner (functions/opensearch-users)", () => {
  it("gives each service an internal user with its own secret's password, mapped to a role on its own index pattern only", async () => {
    const { deps, calls } = fake();
    const r = await makeHandler(deps)({ users: [SEARCH] });
    expect(r).to.deep.include({ ok: true, users: ["search"] });
    expect(calls.every((c) => c.auth === "osadmin:master-pw"), "as the master user").to.equal(true);
    const writes = calls.filter((c) => c.method !== "GET");
    expect(writes.map((c) => `${c.method} ${c.path}`)).to.deep.equal([
      "PUT _plugins/_security/api/internalusers/search",
      "PUT _plugins/_security/api/roles/svc_search",
      "PUT _plugins/_security/api/rolesmapping/svc_search",
    ]);
    expect(writes[0]!.body).to.deep.include({ password: "search-pw", backend_roles: [] });
    expect(writes[1]!.body).to.deep.equal(roleBody(SEARCH));
    expect((writes[1]!.body as { index_permissions: { index_patterns: string[] }[] }).index_permissions.flatMap((p) => p.index_patterns)).to.deep.equal(["search-*"]);
    expect(writes[2]!.body).to.deep.include({ users: ["search"] });
  });

  it("removes only the users and roles it made that no service wants, never the master user or reserved roles", async () => {
    const { deps, calls } = fake({
      users: { osadmin: {}, retired: { attributes: { managed_by: MANAGED_BY } }, someone: { attributes: { team: "data" } } },
      roles: { all_access: { description: "reserved" }, svc_retired: { description: `${MANAGED_BY}: service retired` } },
    });
    await makeHandler(deps)({ users: [SEARCH] });
    const deletes = calls.filter((c) => c.method === "DELETE").map((c) => c.path);
    expect(deletes).to.deep.equal([
      "_plugins/_security/api/internalusers/retired",
      "_plugins/_security/api/rolesmapping/svc_retired",
      "_plugins/_security/api/roles/svc_retired",
    ]);
  });

  it("refuses an index pattern wider than the service's own, and an event of the wrong shape, before calling the domain", async () => {
    const { deps, calls } = fake();
    const handler = makeHandler(deps);
    const wide = await handler({ users: [{ ...SEARCH, indexPattern: "*" }] });
    expect(wide.ok === false && wide.error).to.match(/must be "search-\*"/);
    expect((await handler({ users: [{ service: "search" }] })).ok).to.equal(false);
    expect(calls).to.have.length(0);
  });

  it("refuses a service secret that names another user", async () => {
    const { deps, calls } = fake();
    const r = await makeHandler(deps)({ users: [{ ...SEARCH, user: "catalog", indexPattern: "search-*" }] });
    expect(r.ok === false && r.error).to.match(/secret names user "search", expected "catalog"/);
    expect(calls).to.have.length(0);
  });

  it("fails the invocation when the domain refuses a request", async () => {
    const { deps } = fake({}, { path: /roles\/svc_search$/, status: 403 });
    let thrown: unknown;
    try {
      await makeHandler(deps)({ users: [SEARCH] });
    } catch (e) {
      thrown = e;
    }
    expect(String(thrown)).to.match(/PUT .*roles\/svc_search .* answered 403/);
  });
});

describe("OpenSearch provisioner: a sink's write-only user and the search-analytics index setup", () => {
  const CONNECT_SECRET = "arn:aws:secretsmanager:me-south-1:444444444444:secret:prod/data/prod-search-svc-analytics-connect-ghi789";
  const CONNECT = { service: "analytics-connect", user: "analytics-connect", role: "svc_analytics_connect", indexPattern: "search-queries-*", access: "write" as const, secretArn: CONNECT_SECRET };
  const setup = searchIndexSetup(DEFAULT_TOPICS.find((t) => t.name === SEARCH_QUERIES_TOPIC)!, 90, 2);

  function domain(policy?: { seqNo: number; primaryTerm: number }, fail?: RegExp) {
    const calls: { method: string; path: string; body?: unknown; headers?: Readonly<Record<string, string>> }[] = [];
    const deps: Dependencies = {
      env: { MASTER_SECRET_ARN: MASTER },
      log: () => undefined,
      readSecret: async (arn) => {
        if (arn === MASTER) return JSON.stringify({ username: "osadmin", password: "master-pw" });
        if (arn === CONNECT_SECRET) return JSON.stringify({ username: "analytics-connect", password: "connect-pw" });
        throw new Error(`AccessDenied ${arn}`);
      },
      call: async (_auth, method, path, body, headers): Promise<HttpResponse> => {
        calls.push({ method, path, body, headers });
        if (fail && fail.test(path)) return { status: 400, body: "{\"error\":\"bad\"}" };
        if (method === "GET" && path.startsWith("_plugins/_ism/policies/")) {
          return policy ? { status: 200, body: JSON.stringify({ _id: "x", _seq_no: policy.seqNo, _primary_term: policy.primaryTerm, policy: {} }) } : { status: 404, body: "{}" };
        }
        if (method === "GET") return { status: 200, body: "{}" };
        return { status: 200, body: "{}" };
      },
    };
    return { deps, calls };
  }

  it("gives the analytics workers a role that creates and writes search-queries-* indices and nothing else", async () => {
    const { deps, calls } = domain();
    const r = await makeHandler(deps)({ users: [CONNECT] });
    expect(r).to.deep.include({ ok: true, users: ["analytics-connect"] });
    const role = calls.find((c) => c.method === "PUT" && c.path.endsWith("/roles/svc_analytics_connect"))!.body as { cluster_permissions: string[]; index_permissions: { index_patterns: string[]; allowed_actions: string[] }[] };
    expect(role.cluster_permissions).to.deep.equal(["indices:data/write/bulk"]);
    expect(role.index_permissions).to.deep.equal([{ index_patterns: ["search-queries-*"], allowed_actions: ["create_index", "write"] }]);
  });

  it("still refuses a write user on every index", async () => {
    const { deps, calls } = domain();
    const r = await makeHandler(deps)({ users: [{ ...CONNECT, indexPattern: "*" }] });
    expect(r.ok === false && r.error).to.match(/must be one prefix ending in "-\*"/);
    expect(calls).to.have.length(0);
  });

  it("on a fresh domain: puts the template, creates the ISM policy, writes the Dashboards objects to the global tenant, and leaves users alone", async () => {
    const { deps, calls } = domain();
    const r = await makeHandler(deps)({ indexSetup: setup });
    expect(r.ok).to.equal(true);
    expect(calls.map((c) => `${c.method} ${c.path.split("?")[0]}`)).to.deep.equal([
      "GET _plugins/_ism/policies/tila-search-queries-retention",
      "PUT _index_template/tila-search-queries",
      "PUT _plugins/_ism/policies/tila-search-queries-retention",
      "POST _dashboards/api/saved_objects/index-pattern/tila-search-queries",
      "POST _dashboards/api/saved_objects/visualization/tila-search-queries-top",
      "POST _dashboards/api/saved_objects/visualization/tila-search-queries-zero-results",
      "POST _dashboards/api/saved_objects/dashboard/tila-search-queries-dashboard",
    ]);
    expect(calls.some((c) => c.path.includes("_security"))).to.equal(false);
    expect(calls[2]!.body).to.deep.equal(setup.ismPolicies[0]!.body);
    for (const c of calls.filter((x) => x.path.startsWith("_dashboards"))) {
      expect(c.headers).to.deep.equal({ "osd-xsrf": "true", securitytenant: "global" });
      expect(c.path).to.match(/\?overwrite=true$/);
    }
  });

  it("updates an existing ISM policy with its seq_no and primary_term, then moves the managed indices onto it", async () => {
    const { deps, calls } = domain({ seqNo: 7, primaryTerm: 1 });
    await makeHandler(deps)({ indexSetup: setup });
    const writes = calls.filter((c) => c.path.startsWith("_plugins/_ism") && c.method !== "GET").map((c) => `${c.method} ${c.path}`);
    expect(writes).to.deep.equal([
      "PUT _plugins/_ism/policies/tila-search-queries-retention?if_seq_no=7&if_primary_term=1",
      "POST _plugins/_ism/change_policy/search-queries-*",
    ]);
  });

  it("refuses a template on every index before calling the domain, and fails the invocation when the domain refuses", async () => {
    const { deps, calls } = domain();
    const bad = await makeHandler(deps)({ indexSetup: { ...setup, templates: [{ name: "all", body: { index_patterns: ["*"] } }] } });
    expect(bad.ok).to.equal(false);
    expect(calls).to.have.length(0);
    const failing = domain(undefined, /_index_template/);
    let thrown: unknown;
    try {
      await makeHandler(failing.deps)({ indexSetup: setup });
    } catch (e) {
      thrown = e;
    }
    expect(String(thrown)).to.match(/PUT _index_template\/tila-search-queries .* answered 400/);
  });
});
