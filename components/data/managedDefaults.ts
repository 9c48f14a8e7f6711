/**
 * What the managed data services (docs/data-tier.md: RDS MySQL, ElastiCache Redis, OpenSearch)
 * share: the environment vocabulary, log retention and windows, and the checks on placement,
 * clients and tags. Pure, like the per-service plans (`mysqlPlan.ts`, `redisPlan.ts`,
 * `searchPlan.ts`): each `resolve*` there applies the environment defaults, checks every field and
 * returns all problems at once (each prefixed with its field) or the fully populated plan.
 */
import { ENVIRONMENTS, EnvironmentName, isHaEnvironment } from "../environments";
import { Tags, missingCommonTags } from "../tags";
import { cidrProblem } from "../network/cidrPlan";

export type DataEnvironment = EnvironmentName;

export type Resolved<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly string[] };

export { isHaEnvironment };

/** Days to keep engine logs in CloudWatch (values PutRetentionPolicy accepts). */
export const LOG_RETENTION_DAYS: Readonly<Record<DataEnvironment, number>> = { prod: 90, preprod: 30, stage: 14, dev: 7 };

/**
 * Windows in UTC. Saudi Arabia is UTC+3 and traffic is lowest at 03:00-06:00 local, so backups run
 * 03:00-04:00 AST and maintenance on Tuesday 04:30-05:30 AST (not the Fri/Sat weekend peak).
 */
export const BACKUP_WINDOW = "00:00-01:00";
export const MAINTENANCE_WINDOW = "tue:01:30-tue:02:30";

// ---------------------------------------------------------------------------------------------
// Shared checks

/** Network placement and clients common to the three services. */
export interface AccessShape {
  /** Number of data subnets given (one per AZ). */
  readonly subnetCount: number;
  readonly clientCidrs: readonly string[];
  /** Labels of `clientSecurityGroupIds`; they name the ingress rules. */
  readonly clientSecurityGroupLabels: readonly string[];
  readonly tags: Tags;
}

export function environmentIssues(env: string): string[] {
  return (ENVIRONMENTS as readonly string[]).includes(env) ? [] : [`environment: "${env}" must be one of ${ENVIRONMENTS.join(", ")}`];
}

/** Clients must be named explicitly: no default, no 0.0.0.0/0, no duplicates. */
export function clientIssues(access: AccessShape): string[] {
  const issues: string[] = [];
  if (access.clientCidrs.length === 0 && access.clientSecurityGroupLabels.length === 0) {
    issues.push("clientCidrs/clientSecurityGroupIds: at least one client (the app tier CIDRs or security groups) is required");
  }
  const seen = new Set<string>();
  access.clientCidrs.forEach((cidr, i) => {
    const problem = cidrProblem(`clientCidrs[${i}]`, cidr);
    if (problem !== undefined) issues.push(problem);
    else if (cidr.endsWith("/0")) issues.push(`clientCidrs[${i}]: "${cidr}" would open the port to every address`);
    if (seen.has(cidr)) issues.push(`clientCidrs[${i}]: "${cidr}" is listed twice`);
    seen.add(cidr);
  });
  for (const label of access.clientSecurityGroupLabels) {
    if (!/^[a-z][a-z0-9-]{0,30}$/.test(label)) issues.push(`clientSecurityGroupIds.${label}: label must be lower-case letters, digits and dashes (it names a rule)`);
  }
  return issues;
}

export function subnetIssues(count: number, min: number, why: string): string[] {
  return count >= min ? [] : [`subnetIds: needs at least ${min} data subnets (${why}), got ${count}`];
}

export function intIssue(field: string, value: number, min: number, max: number): string[] {
  return Number.isInteger(value) && value >= min && value <= max ? [] : [`${field}: must be an integer from ${min} to ${max}, got ${value}`];
}

/** RDS and ElastiCache identifiers: lower-case, starts with a letter, no `--`, no trailing dash. */
export function identifierIssues(field: string, value: string, maxLength: number): string[] {
  const ok = new RegExp(`^[a-z][a-z0-9-]{0,${maxLength - 1}}$`).test(value) && !value.includes("--") && !value.endsWith("-");
  return ok ? [] : [`${field}: "${value}" must be 1-${maxLength} lower-case letters, digits and single dashes, starting with a letter`];
}

export function commonIssues(env: string, access: AccessShape, minSubnets: number, why: string): string[] {
  return [...environmentIssues(env), ...subnetIssues(access.subnetCount, minSubnets, why), ...clientIssues(access), ...missingCommonTags(access.tags)];
}
