import { expect } from "chai";
import { MANAGED_BY, roleBody } from "../../functions/opensearch-users/access";
import { Dependencies, HttpResponse, makeHandler } from "../../functions/opensearch-users/handler";

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
