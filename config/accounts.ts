/**
 * Account guards and hub identities in config (docs/configuration.md#accounts): every stack names
 * its own account in `aws:allowedAccountIds`, every stack has an account of its own unless
 * `accountMode: single` is chosen in every stack file, and an environment in its own account names
 * exactly the hub role the management stack creates for it. Also what the management stack needs
 * to know about each environment to scope that role. Pure: tests call it with plain objects.
 */
import { hubRoleArn } from "../components/security/hubIdentity";
import { ConfigIssue } from "./errors";
import { keyPath } from "./keyPath";
import { ENVIRONMENTS, EnvironmentName, PROJECT, STACKS, StackName } from "./schema";

/** Raw `tila-platform:*` values of one stack, keyed without the namespace. */
type RawConfig = Record<string, unknown>;

export const ACCOUNT_MODES = ["multi", "single"] as const;
export type AccountMode = (typeof ACCOUNT_MODES)[number];
/** Every stack in its own account: the only mode in which one environment's credentials cannot act on another. */
export const DEFAULT_ACCOUNT_MODE: AccountMode = "multi";

/** The `aws:` provider keys config validation reads; undefined when unset. */
export interface ProviderConfig {
  /** `aws:allowedAccountIds` as Pulumi hands it to the program: a JSON list (or a list, from a parsed file). */
  readonly allowedAccountIds?: unknown;
}

export const ALLOWED_ACCOUNT_IDS_KEY = "aws:allowedAccountIds";

const ACCOUNT = /^\d{12}$/;

function modeOf(raw: RawConfig | undefined): unknown {
  return raw?.accountMode ?? DEFAULT_ACCOUNT_MODE;
}

function accountOf(raw: RawConfig | undefined): string | undefined {
  return typeof raw?.accountId === "string" && ACCOUNT.test(raw.accountId) ? raw.accountId : undefined;
}

function parseList(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** `aws:allowedAccountIds` must list exactly this stack's `tila-platform:accountId`. */
export function allowedAccountIssues(raw: RawConfig, provider: ProviderConfig): ConfigIssue[] {
  const own = accountOf(raw);
  const wanted = own ? `["${own}"]` : `["<tila-platform:accountId>"]`;
  if (provider.allowedAccountIds === undefined || provider.allowedAccountIds === "") {
    return [{ path: ALLOWED_ACCOUNT_IDS_KEY, message: `required: set it to ${wanted} so the AWS provider refuses to run with another account's credentials` }];
  }
  const list = parseList(provider.allowedAccountIds);
  if (!Array.isArray(list) || list.some((v) => typeof v !== "string" || !ACCOUNT.test(v))) {
    return [{ path: ALLOWED_ACCOUNT_IDS_KEY, message: `must be a list of 12-digit account ids, ${wanted}` }];
  }
  if (own && (list.length !== 1 || list[0] !== own)) {
    return [{ path: ALLOWED_ACCOUNT_IDS_KEY, message: `must be ${wanted}, this stack's ${PROJECT}:accountId (got ${JSON.stringify(list)})` }];
  }
  return [];
}

/**
 * The account mode is the same in every stack file; in `multi` no two stacks share an account, in
 * `single` every stack uses management's. Reported on this stack's keys, naming the other file.
 */
export function accountModeIssues(stack: StackName, raw: RawConfig, all: Partial<Record<StackName, RawConfig>>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const mode = modeOf(raw);
  if (!(ACCOUNT_MODES as readonly unknown[]).includes(mode)) return []; // the schema names the bad value
  const others = STACKS.filter((s) => s !== stack && all[s] !== undefined);
  for (const s of others) {
    const theirs = modeOf(all[s]);
    if (theirs !== mode) {
      issues.push({ path: keyPath(["accountMode"]), message: `is "${String(mode)}" here but "${String(theirs)}" in Pulumi.${s}.yaml; choose one mode in every stack file` });
    }
  }
  const own = accountOf(raw);
  if (!own || issues.length > 0) return issues;
  if (mode === "multi") {
    for (const s of others) {
      if (accountOf(all[s]) === own) {
        issues.push({
          path: keyPath(["accountId"]),
          message: `${own} is also the account of Pulumi.${s}.yaml; every stack needs an account of its own (or ${PROJECT}:accountMode: single in every stack file)`,
        });
      }
    }
  } else {
    const management = accountOf(all.management);
    if (management && own !== management) {
      issues.push({ path: keyPath(["accountId"]), message: `${own} differs from management's ${management}; accountMode single puts every stack in management's account` });
    }
  }
  return issues;
}

/**
 * An environment in its own account names the hub role the management stack creates for it
 * (components/security/hubIdentity.ts); one in management's account needs none.
 */
export function hubRoleIssues(stack: StackName, raw: RawConfig, managementAccountId: string | undefined): ConfigIssue[] {
  const own = accountOf(raw);
  if (stack === "management" || !managementAccountId || !own) return [];
  const at = keyPath(["hubRoleArn"]);
  if (own === managementAccountId) {
    return raw.hubRoleArn === undefined ? [] : [{ path: at, message: `not used: ${stack} is in management's account ${managementAccountId}, so it needs no hub role; remove the key` }];
  }
  // In single-account mode another account is already an error (accountModeIssues).
  if (modeOf(raw) === "single") return [];
  if (raw.hubRoleArn === undefined) {
    return [{ path: at, message: `required: this stack's account ${own} differs from management's ${managementAccountId}, so hub-side resources need a role there (${hubRoleArn(stack, managementAccountId)})` }];
  }
  if (typeof raw.hubRoleArn !== "string") return [];
  if (!raw.hubRoleArn.startsWith(`arn:aws:iam::${managementAccountId}:`)) return [{ path: at, message: `must be a role in the management account ${managementAccountId}` }];
  const expected = hubRoleArn(stack, managementAccountId);
  return raw.hubRoleArn === expected ? [] : [{ path: at, message: `must be "${expected}", the role the management stack creates for ${stack} (got "${raw.hubRoleArn}")` }];
}

/** What the management stack needs to know of an environment to scope its hub role. */
export interface HubAccessEnvironment {
  readonly name: EnvironmentName;
  readonly accountId: string;
  /** The environment's public domain (`tila-platform:dns.domain`). */
  readonly domain: string;
  /** Host labels it publishes under its public domain (`edge.apiHost`, `edge.webHost`). */
  readonly apiHost: string;
  readonly webHost: string;
  /** It uses management's central endpoints (`network.endpoints: central`, the default). */
  readonly centralEndpoints: boolean;
}

function str(v: unknown, fallback: string): string {
  return typeof v === "string" && v !== "" ? v : fallback;
}

/**
 * Read leniently from every environment stack file that names a valid account: each environment
 * validates its own file, so a malformed one only loses its entry here.
 */
export function hubAccessEnvironments(all: Partial<Record<StackName, RawConfig>>): HubAccessEnvironment[] {
  return ENVIRONMENTS.flatMap((name) => {
    const raw = all[name];
    const accountId = accountOf(raw);
    const domain = (raw?.dns as { domain?: unknown } | undefined)?.domain;
    if (!raw || !accountId || typeof domain !== "string") return [];
    const edge = (raw.edge ?? {}) as { apiHost?: unknown; webHost?: unknown };
    const network = (raw.network ?? {}) as { endpoints?: unknown };
    return [{ name, accountId, domain, apiHost: str(edge.apiHost, "api"), webHost: str(edge.webHost, "www"), centralEndpoints: (network.endpoints ?? "central") === "central" }];
  });
}
