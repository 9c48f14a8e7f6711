/**
 * What the OpenSearch provisioner must send to the security plugin's REST API so that each service
 * has exactly one internal user, mapped to one role that reaches only its own index pattern. Pure,
 * so every decision is tested without a domain. Users and roles this provisioner made carry a
 * marker (an attribute, a description) so that it removes only its own when a service goes away.
 */

export interface WantedServiceUser {
  readonly service: string;
  readonly user: string;
  readonly role: string;
  /** `<service>-*`: the only indices the role reaches. */
  readonly indexPattern: string;
  /**
   * `all` (a service's own indices: every index action), or `write` (a sink such as the analytics
   * workers: create indices and write documents under another prefix, never read or delete them).
   * @default "all"
   */
  readonly access?: "all" | "write";
}

export const MANAGED_BY = "tila-platform";
export const SECURITY_API = "_plugins/_security/api";
const NAME = /^[a-z][a-z0-9_-]{0,63}$/;
const PATTERN = /^[a-z][a-z0-9_-]*-\*$/;

export interface Request {
  readonly method: "PUT" | "DELETE";
  readonly path: string;
  readonly body?: Record<string, unknown>;
  readonly reason: string;
}

/** What the domain holds now: internal users with their attributes, roles with their descriptions. */
export interface DomainState {
  readonly users: Readonly<Record<string, { readonly attributes?: Readonly<Record<string, string>> }>>;
  readonly roles: Readonly<Record<string, { readonly description?: string }>>;
}

export function nameProblems(wanted: readonly WantedServiceUser[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const w of wanted) {
    if (!NAME.test(w.user)) problems.push(`${w.service}: user "${w.user}" must match ${NAME}`);
    if (!NAME.test(w.role)) problems.push(`${w.service}: role "${w.role}" must match ${NAME}`);
    if (w.access === "write") {
      if (!PATTERN.test(w.indexPattern)) problems.push(`${w.service}: index pattern "${w.indexPattern}" must be one prefix ending in "-*"`);
    } else if (!PATTERN.test(w.indexPattern) || !w.indexPattern.startsWith(`${w.service}-`)) problems.push(`${w.service}: index pattern "${w.indexPattern}" must be "${w.service}-*"`);
    if (seen.has(w.user)) problems.push(`${w.service}: user "${w.user}" is given twice`);
    seen.add(w.user);
  }
  return problems;
}

/**
 * The role of one service: its own indices, every index action; cluster-level only the bulk/multi-get
 * family those need. A `write` role (a sink) may create its indices and write documents in them
 * (action groups create_index and write) and send bulk requests, nothing else: no search, no delete.
 */
export function roleBody(w: WantedServiceUser): Record<string, unknown> {
  if (w.access === "write") {
    return {
      description: `${MANAGED_BY}: service ${w.service}, writes ${w.indexPattern} only`,
      cluster_permissions: ["indices:data/write/bulk"],
      index_permissions: [{ index_patterns: [w.indexPattern], allowed_actions: ["create_index", "write"] }],
    };
  }
  return {
    description: `${MANAGED_BY}: service ${w.service}, indices ${w.indexPattern} only`,
    cluster_permissions: ["cluster_composite_ops"],
    index_permissions: [{ index_patterns: [w.indexPattern], allowed_actions: ["indices_all"] }],
  };
}

/** Requests in order: each service's user (password from its own secret), role and mapping; then what no service wants any more. */
export function planRequests(wanted: readonly WantedServiceUser[], passwords: Readonly<Record<string, string>>, state: DomainState): Request[] {
  const out: Request[] = [];
  for (const w of wanted) {
    const password = passwords[w.user];
    if (password === undefined) throw new Error(`no password for ${w.user}`);
    out.push({ method: "PUT", path: `${SECURITY_API}/internalusers/${w.user}`, body: { password, backend_roles: [], attributes: { managed_by: MANAGED_BY, service: w.service } }, reason: `user ${w.user}` });
    out.push({ method: "PUT", path: `${SECURITY_API}/roles/${w.role}`, body: roleBody(w), reason: `role ${w.role} on ${w.indexPattern}` });
    out.push({ method: "PUT", path: `${SECURITY_API}/rolesmapping/${w.role}`, body: { users: [w.user], backend_roles: [], hosts: [] }, reason: `map ${w.user} to ${w.role}` });
  }
  const users = new Set(wanted.map((w) => w.user));
  const roles = new Set(wanted.map((w) => w.role));
  for (const [name, u] of Object.entries(state.users)) {
    if (!users.has(name) && u.attributes?.managed_by === MANAGED_BY) out.push({ method: "DELETE", path: `${SECURITY_API}/internalusers/${name}`, reason: `remove user ${name} (no service uses it)` });
  }
  for (const [name, r] of Object.entries(state.roles)) {
    if (!roles.has(name) && (r.description ?? "").startsWith(`${MANAGED_BY}:`)) {
      out.push({ method: "DELETE", path: `${SECURITY_API}/rolesmapping/${name}`, reason: `unmap role ${name}` });
      out.push({ method: "DELETE", path: `${SECURITY_API}/roles/${name}`, reason: `remove role ${name}` });
    }
  }
  return out;
}
