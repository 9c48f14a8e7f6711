/**
 * What the OpenSearch provisioner sends to set up indices the platform owns (docs/analytics.md,
 * "Search analytics"): composable index templates, ISM policies (created, or updated with the
 * optimistic-concurrency numbers ISM requires, then moved onto the indices already managed by the
 * old revision) and OpenSearch Dashboards saved objects in the global tenant. Pure, so every request
 * is tested without a domain.
 */
import { z } from "zod";

const NAME = /^[a-z][a-z0-9_-]{0,127}$/;
const PATTERN = /^[a-z][a-z0-9_-]*-\*$/;
/** Dashboards on a managed domain is served under this base path on the domain's own endpoint. */
export const DASHBOARDS_API = "_dashboards/api/saved_objects";
/** Saved objects API writes need the XSRF header; `global` puts them where every Dashboards user sees them. */
export const DASHBOARDS_HEADERS: Readonly<Record<string, string>> = Object.freeze({ "osd-xsrf": "true", securitytenant: "global" });

export const IndexSetupSchema = z.strictObject({
  templates: z.array(z.strictObject({
    name: z.string().regex(NAME),
    body: z.object({ index_patterns: z.array(z.string().regex(PATTERN, "must be one prefix ending in -*")).min(1) }).passthrough(),
  })),
  ismPolicies: z.array(z.strictObject({
    id: z.string().regex(NAME),
    body: z.strictObject({
      policy: z.object({ ism_template: z.array(z.object({ index_patterns: z.array(z.string().regex(PATTERN, "must be one prefix ending in -*")).min(1) }).passthrough()).min(1) }).passthrough(),
    }),
  })),
  savedObjects: z.array(z.strictObject({
    type: z.enum(["index-pattern", "visualization", "dashboard"]),
    id: z.string().regex(NAME),
    attributes: z.record(z.string(), z.unknown()),
    references: z.array(z.strictObject({ name: z.string().min(1), type: z.string().min(1), id: z.string().min(1) })),
  })),
});
export type IndexSetup = z.infer<typeof IndexSetupSchema>;

export interface SetupRequest {
  readonly method: "PUT" | "POST";
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly reason: string;
}

/** An ISM policy the domain already holds: the numbers an update must quote. */
export interface ExistingPolicy {
  readonly seqNo: number;
  readonly primaryTerm: number;
}

export function ismPolicyPath(id: string): string {
  return `_plugins/_ism/policies/${id}`;
}

/** Requests in order: templates (so the first daily index is mapped), ISM policies, then Dashboards objects (index pattern before what references it). */
export function planIndexSetup(setup: IndexSetup, existing: Readonly<Record<string, ExistingPolicy | undefined>>): SetupRequest[] {
  const out: SetupRequest[] = [];
  for (const t of setup.templates) out.push({ method: "PUT", path: `_index_template/${t.name}`, body: t.body, reason: `index template ${t.name}` });
  for (const p of setup.ismPolicies) {
    const e = existing[p.id];
    if (e === undefined) {
      out.push({ method: "PUT", path: ismPolicyPath(p.id), body: p.body, reason: `ISM policy ${p.id}` });
      continue;
    }
    out.push({ method: "PUT", path: `${ismPolicyPath(p.id)}?if_seq_no=${e.seqNo}&if_primary_term=${e.primaryTerm}`, body: p.body, reason: `ISM policy ${p.id} (update)` });
    // Managed indices keep the revision they were enrolled with; move them onto the new one.
    for (const pattern of p.body.policy.ism_template.flatMap((t) => t.index_patterns)) {
      out.push({ method: "POST", path: `_plugins/_ism/change_policy/${pattern}`, body: { policy_id: p.id }, reason: `indices ${pattern} onto the updated ${p.id}` });
    }
  }
  const order = ["index-pattern", "visualization", "dashboard"];
  const objects = [...setup.savedObjects].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
  for (const o of objects) {
    out.push({
      method: "POST",
      path: `${DASHBOARDS_API}/${o.type}/${o.id}?overwrite=true`,
      body: { attributes: o.attributes, references: o.references },
      headers: DASHBOARDS_HEADERS,
      reason: `Dashboards ${o.type} ${o.id}`,
    });
  }
  return out;
}

const PolicyResponse = z.object({ _seq_no: z.number().int(), _primary_term: z.number().int() });

/** The seq_no/primary_term of a GET policy answer (200), or undefined when there is none (404). */
export function existingPolicy(status: number, body: string, id: string): ExistingPolicy | undefined {
  if (status === 404) return undefined;
  if (status !== 200) throw new Error(`GET ${ismPolicyPath(id)} answered ${status}: ${body.slice(0, 300)}`);
  const r = PolicyResponse.parse(JSON.parse(body));
  return { seqNo: r._seq_no, primaryTerm: r._primary_term };
}
