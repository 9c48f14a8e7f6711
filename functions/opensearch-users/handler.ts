/**
 * The OpenSearch provisioner (docs/data-tier.md, "Credentials per service"): invoked by the program
 * once per change of the wanted service users, it reads the fine-grained access master user and
 * each service's own secret from Secrets Manager and applies access.ts's requests to the domain's
 * security REST API over HTTPS. An event with `indexSetup` instead (docs/analytics.md, "Search
 * analytics") applies indices.ts's index templates, ISM policies and Dashboards objects and leaves
 * the users alone. An event of the wrong shape is answered `{ok: false}`; an HTTP failure is thrown,
 * so the invocation (and the deployment) fails.
 */
import { request as httpsRequest } from "https";
import { z } from "zod";
import { readSecretString } from "../shared/secretString";
import { DomainState, SECURITY_API, nameProblems, planRequests } from "./access";
import { ExistingPolicy, IndexSetupSchema, existingPolicy, ismPolicyPath, planIndexSetup } from "./indices";

const UsersEvent = z.strictObject({
  users: z.array(z.strictObject({
    service: z.string().min(1),
    user: z.string().min(1),
    role: z.string().min(1),
    indexPattern: z.string().min(1),
    secretArn: z.string().startsWith("arn:"),
    /** Changes with the password, so a rotated secret runs the provisioner again. */
    secretVersion: z.string().optional(),
    access: z.enum(["all", "write"]).optional(),
  })),
});
const IndexSetupEvent = z.strictObject({ indexSetup: IndexSetupSchema });
export const EventSchema = z.union([UsersEvent, IndexSetupEvent]);

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

export interface Dependencies {
  readonly readSecret: (secretArn: string) => Promise<string>;
  /** One HTTPS request to the domain as the master user (extra headers for Dashboards' API). */
  readonly call: (auth: { user: string; password: string }, method: string, path: string, body?: unknown, headers?: Readonly<Record<string, string>>) => Promise<HttpResponse>;
  /** MASTER_SECRET_ARN. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log?: (line: string) => void;
}

export type Result = { readonly ok: true; readonly users: readonly string[]; readonly applied: readonly string[] } | { readonly ok: false; readonly error: string };

const Credential = z.object({ username: z.string().min(1), password: z.string().min(1) });

async function getJson(deps: Dependencies, auth: { user: string; password: string }, path: string): Promise<Record<string, unknown>> {
  const r = await deps.call(auth, "GET", path);
  if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}: ${r.body.slice(0, 300)}`);
  return JSON.parse(r.body) as Record<string, unknown>;
}

export function makeHandler(deps: Dependencies): (event: unknown) => Promise<Result> {
  const log = deps.log ?? ((line: string) => console.log(line));
  return async (event) => {
    const parsed = EventSchema.safeParse(event);
    if (!parsed.success) return { ok: false, error: `unexpected event: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}` };
    const masterArn = deps.env.MASTER_SECRET_ARN;
    if ("indexSetup" in parsed.data) {
      if (!masterArn) return { ok: false, error: "MASTER_SECRET_ARN is not set" };
      const master = Credential.parse(JSON.parse(await deps.readSecret(masterArn)));
      const auth = { user: master.username, password: master.password };
      const setup = parsed.data.indexSetup;
      const existing: Record<string, ExistingPolicy | undefined> = {};
      for (const p of setup.ismPolicies) {
        const r = await deps.call(auth, "GET", ismPolicyPath(p.id));
        existing[p.id] = existingPolicy(r.status, r.body, p.id);
      }
      const requests = planIndexSetup(setup, existing);
      for (const r of requests) {
        log(r.reason);
        const res = await deps.call(auth, r.method, r.path, r.body, r.headers);
        if (res.status < 200 || res.status >= 300) throw new Error(`${r.method} ${r.path} (${r.reason}) answered ${res.status}: ${res.body.slice(0, 300)}`);
      }
      return { ok: true, users: [], applied: requests.map((r) => r.reason) };
    }
    const wanted = parsed.data.users;
    const problems = nameProblems(wanted);
    if (problems.length > 0) return { ok: false, error: problems.join("; ") };
    if (!masterArn) return { ok: false, error: "MASTER_SECRET_ARN is not set" };

    const master = Credential.parse(JSON.parse(await deps.readSecret(masterArn)));
    const auth = { user: master.username, password: master.password };
    const passwords: Record<string, string> = {};
    for (const w of wanted) {
      const own = Credential.parse(JSON.parse(await deps.readSecret(w.secretArn)));
      if (own.username !== w.user) return { ok: false, error: `${w.service}: secret names user "${own.username}", expected "${w.user}"` };
      passwords[w.user] = own.password;
    }
    const state: DomainState = {
      users: (await getJson(deps, auth, `${SECURITY_API}/internalusers`)) as DomainState["users"],
      roles: (await getJson(deps, auth, `${SECURITY_API}/roles`)) as DomainState["roles"],
    };
    const requests = planRequests(wanted, passwords, state);
    for (const r of requests) {
      log(r.reason);
      const res = await deps.call(auth, r.method, r.path, r.body);
      if (res.status < 200 || res.status >= 300) throw new Error(`${r.method} ${r.path} (${r.reason}) answered ${res.status}: ${res.body.slice(0, 300)}`);
    }
    return { ok: true, users: wanted.map((w) => w.user), applied: requests.map((r) => r.reason) };
  };
}

let live: ((event: unknown) => Promise<Result>) | undefined;

export async function handler(event: unknown): Promise<Result> {
  live ??= makeHandler({
    env: process.env,
    readSecret: readSecretString,
    call: (auth, method, path, body, headers) => new Promise<HttpResponse>((resolve, reject) => {
      const endpoint = process.env.DOMAIN_ENDPOINT;
      if (!endpoint) return reject(new Error("DOMAIN_ENDPOINT is not set"));
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = httpsRequest({
        host: endpoint,
        port: 443,
        method,
        path: `/${path}`,
        auth: `${auth.user}:${auth.password}`,
        headers: { ...headers, "content-type": "application/json", ...(payload === undefined ? {} : { "content-length": Buffer.byteLength(payload) }) },
        timeout: 20_000,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      });
      req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on("error", reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    }),
  });
  return live(event);
}
