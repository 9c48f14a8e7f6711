/**
 * What a generated credential may look like for each service that consumes one. Pure, so the
 * character rules are tested without running Pulumi; `ManagedCredential` only applies them.
 *
 * Every special-character set below is a subset of what the service accepts, chosen to also avoid
 * characters that break shells, URLs and JSON by hand (`'`, `\`, backtick, `:`, `/`, `"`, `@`).
 */
import { STACKS } from "../environments";
import type { DataEnvironment, Resolved } from "./managedDefaults";

export type CredentialTarget = "rds-mysql" | "elasticache-redis" | "elasticache-user" | "opensearch" | "cluster-user";
export const CREDENTIAL_TARGETS: readonly CredentialTarget[] = ["rds-mysql", "elasticache-redis", "elasticache-user", "opensearch", "cluster-user"];

export interface CredentialPolicy {
  /** `engine` recorded in the secret JSON (the RDS rotation format uses `mysql`). */
  readonly engine: string;
  readonly defaultUsername: string;
  /** What a username must match; `usernameRule` says it in words for error messages. */
  readonly usernamePattern: RegExp;
  readonly usernameRule: string;
  readonly defaultLength: number;
  readonly minLength: number;
  readonly maxLength: number;
  /** The only non-alphanumeric characters `random.RandomPassword` may use (`overrideSpecial`). */
  readonly specials: string;
  readonly minUpper: number;
  readonly minLower: number;
  readonly minNumeric: number;
  readonly minSpecial: number;
}

/**
 * What ElastiCache accepts as a password, for an AUTH token and an RBAC user alike: 16-128
 * printable characters whose only specials are ! & # $ ^ < > -.
 */
const ELASTICACHE_PASSWORD = {
  defaultLength: 64,
  minLength: 16,
  maxLength: 128,
  specials: "!&#$^<>-",
  minUpper: 1,
  minLower: 1,
  minNumeric: 1,
  minSpecial: 1,
} as const;

const POLICIES: Readonly<Record<CredentialTarget, CredentialPolicy>> = {
  // RDS for MySQL: printable ASCII except "/", '"', "@" and space; at most 41 characters.
  "rds-mysql": {
    engine: "mysql",
    defaultUsername: "dbadmin",
    usernamePattern: /^[A-Za-z][A-Za-z0-9]{0,15}$/,
    usernameRule: "1-16 letters or digits, starting with a letter",
    defaultLength: 32,
    minLength: 12,
    maxLength: 41,
    specials: "!#$%&*()-_=+[]{}<>?",
    minUpper: 1,
    minLower: 1,
    minNumeric: 1,
    minSpecial: 1,
  },
  // ElastiCache AUTH: 16-128 printable characters; the only specials allowed are ! & # $ ^ < > -.
  // AUTH tokens authenticate Redis's implicit `default` user; clients send `AUTH <token>`.
  "elasticache-redis": {
    engine: "redis",
    defaultUsername: "default",
    usernamePattern: /^default$/,
    usernameRule: `"default" (an AUTH token has no user of its own)`,
    ...ELASTICACHE_PASSWORD,
  },
  // ElastiCache RBAC user (CreateUser): the same 16-128 characters and specials as an AUTH token.
  // The name is the service's, never "default" (the group's disabled default user has that name).
  "elasticache-user": {
    engine: "redis",
    defaultUsername: "app",
    usernamePattern: /^(?!default$)[a-z][a-z0-9-]{0,39}$/,
    usernameRule: `1-40 lower-case letters, digits or '-', starting with a letter, not "default"`,
    ...ELASTICACHE_PASSWORD,
  },
  // A service's user on a self-managed cluster (MongoDB, ArangoDB, Couchbase). The bootstrap passes
  // the password through JSON and connection URIs, so the only specials are URI-unreserved ones.
  "cluster-user": {
    engine: "nosql",
    defaultUsername: "app",
    usernamePattern: /^[a-z][a-z0-9_-]{0,63}$/,
    usernameRule: "1-64 lower-case letters, digits, '_' or '-', starting with a letter",
    defaultLength: 32,
    minLength: 16,
    maxLength: 64,
    specials: "-_",
    minUpper: 1,
    minLower: 1,
    minNumeric: 1,
    minSpecial: 1,
  },
  // OpenSearch fine-grained access master user: 8-128 characters with an upper-case letter, a
  // lower-case letter, a digit and a special character.
  opensearch: {
    engine: "opensearch",
    defaultUsername: "osadmin",
    usernamePattern: /^[A-Za-z][A-Za-z0-9_-]{0,63}$/,
    usernameRule: "1-64 letters, digits, '_' or '-', starting with a letter",
    defaultLength: 32,
    minLength: 12,
    maxLength: 128,
    specials: "!#$%&*()-_=+[]{}<>?",
    minUpper: 1,
    minLower: 1,
    minNumeric: 1,
    minSpecial: 1,
  },
};

export function credentialPolicy(target: CredentialTarget): CredentialPolicy {
  return POLICIES[target];
}

/** Problems with a username for `target`, reported against `field`. */
export function usernameIssues(target: CredentialTarget, username: string, field = "username"): string[] {
  const p = POLICIES[target];
  return p.usernamePattern.test(username) ? [] : [`${field}: "${username}" must be ${p.usernameRule}`];
}

export interface CredentialOptions {
  readonly environment: DataEnvironment;
  readonly target: CredentialTarget;
  readonly username?: string;
  readonly length?: number;
}

export interface CredentialPlan {
  readonly policy: CredentialPolicy;
  readonly username: string;
  readonly length: number;
  /** Days Secrets Manager keeps a deleted secret recoverable: 30 in prod and management, 7 elsewhere. */
  readonly recoveryWindowDays: number;
}

export function resolveCredential(options: CredentialOptions): Resolved<CredentialPlan> {
  const issues: string[] = [];
  // Management holds credentials too (the Glowroot collector's Cassandra user, docs/observability-apm.md).
  if (!(STACKS as readonly string[]).includes(options.environment)) issues.push(`environment: "${options.environment}" must be one of ${STACKS.join(", ")}`);
  if (!CREDENTIAL_TARGETS.includes(options.target)) return { ok: false, issues: [...issues, `target: "${options.target}" must be one of ${CREDENTIAL_TARGETS.join(", ")}`] };
  const policy = POLICIES[options.target];
  const username = options.username ?? policy.defaultUsername;
  const length = options.length ?? policy.defaultLength;
  issues.push(...usernameIssues(options.target, username));
  if (!Number.isInteger(length) || length < policy.minLength || length > policy.maxLength) {
    issues.push(`length: ${options.target} passwords are ${policy.minLength}-${policy.maxLength} characters, got ${length}`);
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { policy, username, length, recoveryWindowDays: options.environment === "prod" || (options.environment as string) === "management" ? 30 : 7 } };
}
