/**
 * The archive of Graylog's indices (docs/observability-logging.md#streams-index-sets-and-alerts):
 * on the search domain, an S3 snapshot repository registered with the role OpenSearch Service
 * assumes to write the bucket (a request AWS requires to be SigV4-signed by a principal allowed to
 * pass that role), and a Snapshot Management policy per archived stack (OpenSearch 2.5 or later on
 * the managed service) taking a daily snapshot of that stack's indices only and deleting snapshots
 * older than its archive days. Idempotent like the Graylog side: read, compare, write only changes.
 */
import type { ArchiveWanted } from "./spec";

export interface SignedResponse {
  readonly status: number;
  readonly text: string;
}

/** One SigV4-signed HTTPS request to the domain (`query` kept apart: it is signed too). */
export type SignedCall = (method: string, path: string, query: Record<string, string>, body?: unknown) => Promise<SignedResponse>;

type Obj = Record<string, unknown>;

/** Snapshots start at 01:30 UTC (04:30 in Riyadh, the quietest hour), deletions two hours later. */
const CREATE_CRON = "30 1 * * *";
const DELETE_CRON = "30 3 * * *";
export const SNAPSHOT_BASE_PATH = "graylog";

export function repositoryBody(a: ArchiveWanted): Obj {
  return { type: "s3", settings: { bucket: a.bucketName, base_path: SNAPSHOT_BASE_PATH, region: a.region, role_arn: a.snapshotRoleArn } };
}

export function policyBody(marker: string, a: ArchiveWanted, p: ArchiveWanted["policies"][number]): Obj {
  return {
    description: `${marker} daily snapshot of ${p.indices}, each kept ${p.archiveDays} days`,
    creation: { schedule: { cron: { expression: CREATE_CRON, timezone: "UTC" } }, time_limit: "1h" },
    deletion: { schedule: { cron: { expression: DELETE_CRON, timezone: "UTC" } }, condition: { max_age: `${p.archiveDays}d`, min_count: 1 }, time_limit: "1h" },
    snapshot_config: { indices: p.indices, repository: a.repository, ignore_unavailable: true, include_global_state: false, partial: false },
    enabled: true,
  };
}

function get(o: unknown, ...path: string[]): unknown {
  let v: unknown = o;
  for (const k of path) v = v !== null && typeof v === "object" ? (v as Obj)[k] : undefined;
  return v;
}

function parse(r: SignedResponse, what: string): Obj {
  try {
    return JSON.parse(r.text) as Obj;
  } catch {
    throw new Error(`${what}: the domain answered ${r.status} with something other than JSON`);
  }
}

async function ok(call: SignedCall, what: string, method: string, path: string, query: Record<string, string>, body?: unknown): Promise<void> {
  const r = await call(method, path, query, body);
  if (r.status < 200 || r.status >= 300) throw new Error(`${what}: ${method} ${path} answered ${r.status}: ${r.text.slice(0, 300).replace(/\s+/g, " ")}`);
}

export interface DomainCalls {
  /** SigV4-signed as the function's role: registering the repository must be (it passes the snapshot role). */
  readonly signed: SignedCall;
  /** As the fine-grained access master user (basic authentication), when the spec names its secret. */
  readonly admin?: SignedCall;
  /** The function's role, mapped to manage_snapshots by the master user. */
  readonly roleArn?: string;
}

export const MANAGE_SNAPSHOTS = "/_plugins/_security/api/rolesmapping/manage_snapshots";

/**
 * With fine-grained access control, a signed request is allowed only what the role is mapped to:
 * the role must be a backend role of manage_snapshots ("Registering a manual snapshot repository",
 * step 1). Adds it, keeping every other user, backend role and host of the mapping.
 */
async function mapRole(admin: SignedCall, roleArn: string, write: (what: string, method: string, path: string, query: Record<string, string>, body?: unknown, via?: SignedCall) => Promise<void>): Promise<boolean> {
  const r = await admin("GET", MANAGE_SNAPSHOTS, {});
  if (r.status !== 200 && r.status !== 404) throw new Error(`manage_snapshots mapping: GET ${MANAGE_SNAPSHOTS} answered ${r.status}: ${r.text.slice(0, 300)}`);
  const current = r.status === 200 ? get(parse(r, "manage_snapshots mapping"), "manage_snapshots") : undefined;
  const list = (k: string): string[] => (Array.isArray(get(current, k)) ? (get(current, k) as unknown[]).map(String) : []);
  if (list("backend_roles").includes(roleArn)) return false;
  await write(`map ${roleArn} to manage_snapshots`, "PUT", MANAGE_SNAPSHOTS, {}, { backend_roles: [...list("backend_roles"), roleArn], hosts: list("hosts"), users: list("users") }, admin);
  return true;
}

/** Registers the repository and the policies; resolves with what it wrote. */
export async function reconcileArchive(calls: DomainCalls, marker: string, a: ArchiveWanted, log: (line: string) => void): Promise<{ applied: string[]; unchanged: number }> {
  const applied: string[] = [];
  let unchanged = 0;
  // Reads and the policies as the master user when there is one; the repository always signed.
  const call = calls.admin ?? calls.signed;
  const write = async (what: string, method: string, path: string, query: Record<string, string>, body?: unknown, via: SignedCall = call) => {
    log(JSON.stringify({ level: "info", write: what, method, path }));
    await ok(via, what, method, path, query, body);
    applied.push(what);
  };

  if (calls.admin && calls.roleArn) {
    if (!(await mapRole(calls.admin, calls.roleArn, write))) unchanged++;
  }

  const repoPath = `/_snapshot/${a.repository}`;
  const repo = await call("GET", repoPath, {});
  if (repo.status !== 200 && repo.status !== 404) throw new Error(`snapshot repository ${a.repository}: GET ${repoPath} answered ${repo.status}: ${repo.text.slice(0, 300)}`);
  const wanted = repositoryBody(a);
  const have = repo.status === 200 ? get(parse(repo, `snapshot repository ${a.repository}`), a.repository) : undefined;
  const same = have !== undefined && get(have, "type") === "s3"
    && (["bucket", "base_path", "region", "role_arn"] as const).every((k) => get(have, "settings", k) === get(wanted, "settings", k));
  if (same) unchanged++;
  else await write(`${have === undefined ? "register" : "update"} snapshot repository ${a.repository} (s3://${a.bucketName}/${SNAPSHOT_BASE_PATH})`, "PUT", repoPath, {}, wanted, calls.signed);

  for (const p of a.policies) {
    const path = `/_plugins/_sm/policies/${p.name}`;
    const body = policyBody(marker, a, p);
    const r = await call("GET", path, {});
    if (r.status === 404) {
      await write(`create snapshot policy ${p.name} (${p.indices}, ${p.archiveDays} days)`, "POST", path, {}, body);
      continue;
    }
    if (r.status !== 200) throw new Error(`snapshot policy ${p.name}: GET ${path} answered ${r.status}: ${r.text.slice(0, 300)}`);
    const current = parse(r, `snapshot policy ${p.name}`);
    const policy = get(current, "sm_policy");
    if (!String(get(policy, "description") ?? "").startsWith(marker)) throw new Error(`snapshot policy ${p.name} exists but was not made by the provisioner (its description does not start with "${marker}")`);
    const fields: [string, unknown, unknown][] = [
      ["description", get(policy, "description"), body.description],
      ["creation cron", get(policy, "creation", "schedule", "cron", "expression"), CREATE_CRON],
      ["deletion cron", get(policy, "deletion", "schedule", "cron", "expression"), DELETE_CRON],
      ["max_age", get(policy, "deletion", "condition", "max_age"), `${p.archiveDays}d`],
      ["indices", get(policy, "snapshot_config", "indices"), p.indices],
      ["repository", get(policy, "snapshot_config", "repository"), a.repository],
      ["enabled", get(policy, "enabled"), true],
    ];
    const changes = fields.filter(([, h, w]) => h !== w).map(([k, h, w]) => `${k} ${JSON.stringify(h)} -> ${JSON.stringify(w)}`);
    if (changes.length === 0) {
      unchanged++;
      continue;
    }
    const query = { if_seq_no: String(get(current, "_seq_no")), if_primary_term: String(get(current, "_primary_term")) };
    await write(`update snapshot policy ${p.name}: ${changes.join(", ")}`, "PUT", path, query, body);
  }
  return { applied, unchanged };
}
