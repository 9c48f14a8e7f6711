/**
 * The web ACL of the public load balancer as data: which rules, in which order, what they cost in
 * web ACL capacity units (WCU), and the checks on rate limits and country codes. Pure and tested
 * directly; `WebAcl` turns the plan into resources.
 */
import { Resolved, environmentIssues, intIssues, resolved } from "./edgeChecks";
import { CLOUDWATCH_RETENTION_DAYS } from "../network/networkPlan";
import { Tags, missingCommonTags } from "../tags";

/**
 * WCU of each AWS managed rule group, fixed by AWS per group. Source: AWS WAF Developer Guide,
 * "AWS Managed Rules rule groups list": baseline groups (Core rule set 700, Known bad inputs 200),
 * use-case groups (SQL database 200), IP reputation groups (Amazon IP reputation list 25).
 * `DescribeManagedRuleGroup` returns the same `Capacity` for the current version.
 */
export const WCU: Readonly<Record<ManagedGroupName, number>> = Object.freeze({
  AWSManagedRulesAmazonIpReputationList: 25,
  AWSManagedRulesCommonRuleSet: 700,
  AWSManagedRulesKnownBadInputsRuleSet: 200,
  AWSManagedRulesSQLiRuleSet: 200,
});

/** "Using rate-based rule statements": 2 WCU base, +30 per custom key, + the scope-down statement. */
export const RATE_BASED_WCU = 2;
/** "Using match rule statements": geo match 1 WCU; a NOT around it adds nothing ("based on nested statements"). */
export const GEO_MATCH_WCU = 1;

/**
 * The capacity a web ACL gets for its base price. A web ACL may use up to 5,000 WCU without a quota
 * request (since April 2023), but every 500 WCU above 1,500 adds a charge per million requests,
 * so going above this is a cost decision, not a default.
 */
export const DEFAULT_WCU_BUDGET = 1500;
export const MAX_WCU = 5000;

/** Managed groups in evaluation order: the cheap IP list first, so known-bad sources never reach the costlier inspections. */
export const MANAGED_GROUPS = [
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesSQLiRuleSet",
] as const;
export type ManagedGroupName = (typeof MANAGED_GROUPS)[number];

/** AWS WAF's limits for a rate-based rule ("Rate-based rule high-level settings"). */
export const MIN_RATE_LIMIT = 10;
export const MAX_RATE_LIMIT = 2_000_000_000;
export const RATE_WINDOWS = [60, 120, 300, 600] as const;
export type RateWindowSeconds = (typeof RATE_WINDOWS)[number];

export interface RateLimit {
  /** Requests one IP may send per window before it is blocked. */
  readonly limit: number;
  readonly windowSeconds: RateWindowSeconds;
}

export interface GeoRules {
  /** Block these countries (ISO 3166-1 alpha-2). */
  readonly blockCountries?: readonly string[];
  /** Block every country except these. */
  readonly allowOnlyCountries?: readonly string[];
}

export type PlannedRule =
  | { readonly kind: "geoBlock"; readonly name: string; readonly priority: number; readonly wcu: number; readonly countries: readonly string[] }
  | { readonly kind: "geoAllowOnly"; readonly name: string; readonly priority: number; readonly wcu: number; readonly countries: readonly string[] }
  | { readonly kind: "rateLimit"; readonly name: string; readonly priority: number; readonly wcu: number; readonly limit: number; readonly windowSeconds: RateWindowSeconds }
  | { readonly kind: "managed"; readonly name: string; readonly priority: number; readonly wcu: number; readonly group: ManagedGroupName };

/**
 * Fixed priorities per rule, spaced by ten: adding or dropping the geo rule never renumbers the
 * others, and a later rule can slot in between without touching them.
 */
const PRIORITY = {
  geo: 0,
  rateLimit: 10,
  AWSManagedRulesAmazonIpReputationList: 20,
  AWSManagedRulesCommonRuleSet: 30,
  AWSManagedRulesKnownBadInputsRuleSet: 40,
  AWSManagedRulesSQLiRuleSet: 50,
} as const;

/** Sum of the rules' WCU: what AWS charges the web ACL (it may optimise shared work below this). */
export function webAclCapacity(rules: readonly { readonly wcu: number }[]): number {
  return rules.reduce((sum, r) => sum + r.wcu, 0);
}

/** Problems with the rules' total capacity against `limit`; empty when it fits. */
export function checkCapacity(rules: readonly { readonly wcu: number }[], limit = DEFAULT_WCU_BUDGET): string[] {
  const capacity = webAclCapacity(rules);
  if (capacity <= limit) return [];
  const above = limit < MAX_WCU ? `; above ${DEFAULT_WCU_BUDGET} each 500 WCU adds a per-request charge, up to ${MAX_WCU}` : "";
  return [`rules: need ${capacity} WCU, more than the budget of ${limit}${above}`];
}

export function rateLimitIssues(rate: RateLimit): string[] {
  const issues = intIssues("rateLimit.limit", rate.limit, MIN_RATE_LIMIT, MAX_RATE_LIMIT);
  if (!(RATE_WINDOWS as readonly number[]).includes(rate.windowSeconds)) {
    issues.push(`rateLimit.windowSeconds: must be one of ${RATE_WINDOWS.join(", ")}, got ${rate.windowSeconds}`);
  }
  return issues;
}

/** Format check only (two upper-case letters): WAF rejects codes it does not know at apply. */
export function countryCodeIssues(field: string, codes: readonly string[]): string[] {
  const issues: string[] = [];
  if (codes.length === 0) issues.push(`${field}: give at least one country or omit it`);
  codes.forEach((c, i) => {
    if (!/^[A-Z]{2}$/.test(c)) issues.push(`${field}[${i}]: "${c}" is not an ISO 3166-1 alpha-2 code such as "SA"`);
    if (codes.indexOf(c) !== i) issues.push(`${field}[${i}]: "${c}" is listed twice`);
  });
  return issues;
}

export function geoIssues(geo: GeoRules): string[] {
  const issues: string[] = [];
  if (geo.blockCountries !== undefined && geo.allowOnlyCountries !== undefined) {
    issues.push("geo: give blockCountries or allowOnlyCountries, not both (an allow-list already blocks everything else)");
  }
  if (geo.blockCountries === undefined && geo.allowOnlyCountries === undefined) issues.push("geo: give blockCountries or allowOnlyCountries, or omit geo");
  if (geo.blockCountries !== undefined) issues.push(...countryCodeIssues("geo.blockCountries", geo.blockCountries));
  if (geo.allowOnlyCountries !== undefined) issues.push(...countryCodeIssues("geo.allowOnlyCountries", geo.allowOnlyCountries));
  return issues;
}

/** The rules in priority order. Assumes checked inputs. */
export function planRules(rate: RateLimit, geo?: GeoRules): PlannedRule[] {
  const rules: PlannedRule[] = [];
  if (geo?.blockCountries !== undefined) {
    rules.push({ kind: "geoBlock", name: "geo-block", priority: PRIORITY.geo, wcu: GEO_MATCH_WCU, countries: geo.blockCountries });
  } else if (geo?.allowOnlyCountries !== undefined) {
    rules.push({ kind: "geoAllowOnly", name: "geo-allow-only", priority: PRIORITY.geo, wcu: GEO_MATCH_WCU, countries: geo.allowOnlyCountries });
  }
  rules.push({ kind: "rateLimit", name: "rate-limit-per-ip", priority: PRIORITY.rateLimit, wcu: RATE_BASED_WCU, limit: rate.limit, windowSeconds: rate.windowSeconds });
  for (const group of MANAGED_GROUPS) rules.push({ kind: "managed", name: group, priority: PRIORITY[group], wcu: WCU[group], group });
  return rules;
}

/** WAF only delivers to CloudWatch log groups whose name starts with this. */
export const WAF_LOG_GROUP_PREFIX = "aws-waf-logs-";
/** Headers that carry credentials: never written to the logs. Lower case, as WAF requires. */
export const REDACTED_HEADERS = ["authorization", "cookie"] as const;

export interface WafOptions {
  readonly environment: string;
  readonly rateLimit: RateLimit;
  readonly geo?: GeoRules;
  readonly logRetentionDays: number;
  readonly capacityBudget?: number;
  readonly tags: Tags;
}

export interface WafPlan {
  readonly rules: readonly PlannedRule[];
  readonly capacity: number;
  readonly logGroupName: string;
  readonly logRetentionDays: number;
}

export function resolveWebAcl(name: string, o: WafOptions): Resolved<WafPlan> {
  const issues: string[] = [...environmentIssues(o.environment)];
  // The name prefixes every metric name: WAF allows letters, digits, `-` and `_`, 128 at most.
  if (!/^[a-z][a-z0-9-]{0,60}$/.test(name)) issues.push(`name: "${name}" must be 1-61 lower-case letters, digits and dashes, starting with a letter`);
  issues.push(...rateLimitIssues(o.rateLimit));
  if (o.geo !== undefined) issues.push(...geoIssues(o.geo));
  if (!CLOUDWATCH_RETENTION_DAYS.includes(o.logRetentionDays)) {
    issues.push(`logRetentionDays: ${o.logRetentionDays} is not a CloudWatch Logs retention (${CLOUDWATCH_RETENTION_DAYS.join(", ")})`);
  }
  const budget = o.capacityBudget ?? DEFAULT_WCU_BUDGET;
  issues.push(...intIssues("capacityBudget", budget, 1, MAX_WCU));
  issues.push(...missingCommonTags(o.tags));
  const rules = issues.length === 0 ? planRules(o.rateLimit, o.geo) : [];
  issues.push(...checkCapacity(rules, budget));
  return resolved(issues, () => ({
    rules,
    capacity: webAclCapacity(rules),
    logGroupName: `${WAF_LOG_GROUP_PREFIX}${o.environment}-${name}`,
    logRetentionDays: o.logRetentionDays,
  }));
}
