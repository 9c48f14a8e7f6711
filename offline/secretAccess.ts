/**
 * Who can read which credential, read from a captured stack: for every Secrets Manager secret, the
 * roles whose identity policies allow `secretsmanager:GetSecretValue` on it (and the principals a
 * secret resource policy admits), and for every IAM database user, the roles allowed
 * `rds-db:connect` as it. The plan prints it; the whole-stack credential tests assert on it.
 *
 * Deliberately generous to the reader: a statement's conditions are assumed to hold (they narrow
 * how, never whether, a role reaches a secret in this program), NotAction/NotResource count as
 * matching everything they do not exclude, and an attached managed policy that is not known here is
 * reported as a problem rather than assumed harmless. Only an unconditional Deny takes access away.
 */
import { Statement, asList, iamPattern, parseDocument } from "../policy/rules/iam/policyDocument";
import { CapturedResource } from "./types";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const MANAGED_POLICY = "aws:iam/policy:Policy";
const SECRET = "aws:secretsmanager/secret:Secret";
const SECRET_POLICY = "aws:secretsmanager/secretPolicy:SecretPolicy";
const DB_INSTANCE = "aws:rds/instance:Instance";

/**
 * AWS managed policies this program attaches, none of which allows secretsmanager:GetSecretValue or
 * rds-db:connect: node, monitoring, Lambda-networking and snapshot roles, and the security
 * baseline's read-only audit policies (their Secrets Manager actions are List/Describe and policy
 * reads, never a secret's value).
 */
export const MANAGED_POLICIES_WITHOUT_CREDENTIALS: readonly string[] = [
  "SecurityAudit",
  "job-function/ViewOnlyAccess",
  "service-role/AWS_ConfigRole",
  "AmazonSSMManagedInstanceCore",
  "service-role/AmazonRDSEnhancedMonitoringRole",
  "service-role/AWSLambdaVPCAccessExecutionRole",
  "service-role/AmazonECSTaskExecutionRolePolicy",
  "service-role/AWSDataLifecycleManagerServiceRole",
];

/**
 * AWS managed policies this program attaches that do reach credentials, with what they allow:
 * the break-glass role's AdministratorAccess (docs/security.md#deploy-roles-and-people) allows
 * every action on every resource, so that role reads every secret and connects as every user.
 */
export const MANAGED_POLICY_DOCUMENTS: Readonly<Record<string, object>> = {
  AdministratorAccess: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
};

const parsedText = new Map<string, Statement[]>();
const parsedObject = new WeakMap<object, Statement[]>();

/**
 * A document's statements; a document that is not JSON is an error, as a plan must not guess.
 * Parsed once per document: every secret is checked against every role's documents. The
 * statements are read, never changed.
 */
function statementsOf(doc: unknown): Statement[] {
  const cached = typeof doc === "string" ? parsedText.get(doc) : doc !== null && typeof doc === "object" ? parsedObject.get(doc) : undefined;
  if (cached !== undefined) return cached;
  const parsed = parseDocument(doc);
  if ("error" in parsed && typeof doc === "string") throw new Error(`a policy document ${parsed.error}`);
  const statements = "error" in parsed ? [] : parsed.statements;
  if (typeof doc === "string") {
    if (parsedText.size >= 10_000) parsedText.clear();
    parsedText.set(doc, statements);
  } else if (doc !== null && typeof doc === "object") parsedObject.set(doc, statements);
  return statements;
}

function coversAction(s: Statement, action: string): boolean {
  return s.Action !== undefined ? asList(s.Action).some((a) => iamPattern(a, true).test(action)) : s.NotAction !== undefined && !asList(s.NotAction).some((a) => iamPattern(a, true).test(action));
}

function coversResource(s: Statement, resource: string): boolean {
  if (s.Resource !== undefined) return asList(s.Resource).some((r) => iamPattern(r, false).test(resource));
  if (s.NotResource !== undefined) return !asList(s.NotResource).some((r) => iamPattern(r, false).test(resource));
  return false;
}

/**
 * `grants` for one action over many resources: the statements whose action matches are picked
 * once (a stack's ~70 roles are checked against every secret: 1,300 checks, 40 ms when each
 * walked every statement's actions again).
 */
export function granter(documents: readonly unknown[], action: string): (resource: string) => boolean {
  const candidates = documents.flatMap(statementsOf).filter((s) => coversAction(s, action));
  return (resource) => {
    const hits = candidates.filter((s) => coversResource(s, resource));
    if (hits.some((s) => s.Effect === "Deny" && s.Condition === undefined)) return false;
    return hits.some((s) => s.Effect === "Allow");
  };
}

/** Whether these documents let their holder perform `action` on `resource`. */
export function grants(documents: readonly unknown[], action: string, resource: string): boolean {
  return granter(documents, action)(resource);
}

export interface RolePolicies {
  /** Logical name of the role resource. */
  readonly role: string;
  readonly roleArn: string;
  readonly documents: unknown[];
  /** Managed policies attached that this module cannot vouch for. */
  readonly unknownManagedPolicies: string[];
}

/** Every role of the stack with the documents that make up its permissions. */
export function rolePolicies(resources: readonly CapturedResource[]): RolePolicies[] {
  const customerPolicies = new Map(resources.filter((r) => r.type === MANAGED_POLICY).map((p) => [String(p.outputs.arn ?? p.id), p.inputs.policy]));
  // The stack's role policies and attachments, picked once rather than from every resource per role.
  const policyResources = resources.filter((r) => r.type === ROLE_POLICY);
  const attachments = resources.filter((r) => r.type === ROLE_POLICY_ATTACHMENT);
  return resources.filter((r) => r.type === ROLE && !r.read).map((role) => {
    const ids = new Set([role.id, role.outputs.name, role.inputs.name].filter((x): x is string => typeof x === "string"));
    const documents: unknown[] = [];
    const unknownManagedPolicies: string[] = [];
    const inline = Array.isArray(role.inputs.inlinePolicies) ? (role.inputs.inlinePolicies as { policy?: unknown }[]) : [];
    for (const p of inline) if (p.policy !== undefined) documents.push(p.policy);
    for (const p of policyResources.filter((r) => ids.has(String(r.inputs.role)))) documents.push(p.inputs.policy);
    const attached = [...attachments.filter((a) => ids.has(String(a.inputs.role))).map((a) => String(a.inputs.policyArn)), ...asList(role.inputs.managedPolicyArns)];
    for (const arn of attached) {
      const customer = customerPolicies.get(arn);
      const known = Object.entries(MANAGED_POLICY_DOCUMENTS).find(([name]) => arn === `arn:aws:iam::aws:policy/${name}`)?.[1];
      if (customer !== undefined) documents.push(customer);
      else if (known !== undefined) documents.push(known);
      else if (!MANAGED_POLICIES_WITHOUT_CREDENTIALS.some((name) => arn.endsWith(`:policy/${name}`))) unknownManagedPolicies.push(arn);
    }
    return { role: role.name, roleArn: String(role.outputs.arn ?? ""), documents, unknownManagedPolicies };
  });
}

export interface CredentialReaders {
  /** Logical name of the secret (`prod-redis-svc-cart-secret`) or `mysql user svc_checkout`. */
  readonly credential: string;
  readonly kind: "secret" | "database user";
  /** The secret's ARN or the `rds-db:connect` ARN. */
  readonly arn: string;
  /** Logical names of the roles that may read (connect as) it, and principals a resource policy admits. */
  readonly readers: string[];
}

/** Database users named by `rds-db:connect` grants of this stack, found from the instances' resource ids. */
function databaseUsers(resources: readonly CapturedResource[], roles: readonly RolePolicies[]): { user: string; arn: string }[] {
  const ids = resources.filter((r) => r.type === DB_INSTANCE).map((r) => String(r.outputs.resourceId ?? ""));
  const seen = new Map<string, string>();
  for (const r of roles) {
    for (const s of r.documents.flatMap(statementsOf)) {
      if (!asList(s.Action).some((a) => iamPattern(a, true).test("rds-db:connect"))) continue;
      for (const arn of asList(s.Resource)) {
        const m = /:dbuser:([^/]+)\/(.+)$/.exec(arn);
        if (m && ids.includes(m[1]!)) seen.set(arn, m[2]!);
      }
    }
  }
  return [...seen.entries()].map(([arn, user]) => ({ user, arn })).sort((a, b) => a.user.localeCompare(b.user));
}

/** For every secret and IAM database user of the stack, who may read it. */
export function credentialReaders(resources: readonly CapturedResource[]): { lines: CredentialReaders[]; problems: string[] } {
  const roles = rolePolicies(resources);
  const problems = roles.flatMap((r) => r.unknownManagedPolicies.map((arn) => `${r.role}: attached managed policy ${arn} is not known to read no credential`));
  const lines: CredentialReaders[] = [];
  const secretReaders = roles.map((r) => ({ role: r.role, reads: granter(r.documents, "secretsmanager:GetSecretValue") }));
  for (const secret of resources.filter((r) => r.type === SECRET && !r.read)) {
    const arn = String(secret.outputs.arn ?? "");
    const readers = secretReaders.filter((r) => r.reads(arn)).map((r) => r.role);
    for (const policy of resources.filter((r) => r.type === SECRET_POLICY && (r.inputs.secretArn === arn || r.inputs.secretArn === secret.id))) {
      for (const s of statementsOf(policy.inputs.policy)) {
        if (s.Effect === "Allow" && asList(s.Action).some((a) => iamPattern(a, true).test("secretsmanager:GetSecretValue"))) readers.push(...asList((s.Principal as { AWS?: unknown } | undefined)?.AWS ?? s.Principal).map((p) => `resource policy: ${p}`));
      }
    }
    lines.push({ credential: secret.name, kind: "secret", arn, readers: [...new Set(readers)].sort() });
  }
  const connectors = roles.map((r) => ({ role: r.role, connects: granter(r.documents, "rds-db:connect") }));
  for (const u of databaseUsers(resources, roles)) {
    const readers = connectors.filter((r) => r.connects(u.arn)).map((r) => r.role).sort();
    lines.push({ credential: `mysql user ${u.user}`, kind: "database user", arn: u.arn, readers });
  }
  return { lines, problems };
}
