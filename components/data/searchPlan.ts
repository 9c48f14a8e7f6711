/**
 * OpenSearch: per-environment defaults (`searchDefaults`) and the checked plan (`resolveSearch`)
 * that `SearchDomain` turns into resources. Pure and tested directly.
 */
import { missingCommonTags } from "../tags";
import { usernameIssues } from "./credentialPolicy";
import { AccessShape, DataEnvironment, LOG_RETENTION_DAYS, Resolved, clientIssues, environmentIssues, intIssue, isHaEnvironment, subnetIssues } from "./managedDefaults";

/** One pinned 2.x line; domains upgrade in place (blue/green) when this constant moves. */
export const OPENSEARCH_ENGINE_VERSION = "OpenSearch_2.19";
/** TLS 1.2 minimum with forward-secret ciphers only. */
export const OPENSEARCH_TLS_POLICY = "Policy-Min-TLS-1-2-PFS-2023-10";
export const OPENSEARCH_PORT = 443;
/** OpenSearch off-peak window start (UTC, 02:00 AST); AWS fixes its length at 10 hours. */
export const SEARCH_OFF_PEAK_START = { hours: 23, minutes: 0 } as const;
export const SEARCH_LOG_TYPES = ["INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS", "ES_APPLICATION_LOGS"] as const;

/**
 * Who the domain access policy (the resource policy checked before fine-grained access control)
 * admits, always for this domain's ARN only:
 * - `fineGrained`: any principal. The domain is VPC-only and its security group admits only the app
 *   tier, and fine-grained access control authenticates every request (anonymous access off). AWS
 *   recommends this with fine-grained access control: a policy naming IAM principals makes every
 *   request need a SigV4 signature, and the internal master user's HTTP basic auth cannot carry one,
 *   so it would lock that user (and Dashboards login) out.
 * - `accountSigned`: principals of this account only; every client must sign with IAM credentials.
 */
export type SearchAccessPolicy = "fineGrained" | "accountSigned";

export interface SearchOptions {
  /** Selects the defaults (`searchDefaults`) and the rules prod and preprod must keep. */
  readonly environment: DataEnvironment;
  /** Domain name, 3-28 lower-case letters, digits and dashes. @default the component name */
  readonly domainName?: string;
  /** AZs the domain spans: 1, 2 or 3; 3 in prod/preprod. @default 3 prod/preprod, 2 stage, 1 dev */
  readonly availabilityZoneCount?: number;
  /** Data node type. T2 types are refused (no encryption at rest). @default r6g.large.search prod/preprod, t3.medium.search elsewhere */
  readonly dataNodeType?: string;
  /** Data nodes, a multiple of availabilityZoneCount. @default 3 prod/preprod, 2 stage, 1 dev */
  readonly dataNodeCount?: number;
  /** Dedicated master nodes: 0 (off), 3 or 5; 3 or 5 in prod/preprod. Cost: three more instances. @default 3 prod/preprod, 0 elsewhere */
  readonly dedicatedMasterCount?: number;
  /** @default m6g.large.search */
  readonly dedicatedMasterType?: string;
  /** gp3 volume per data node, GiB. @default 100 prod/preprod, 20 stage, 10 dev */
  readonly volumeSizeGiB?: number;
  /** Master user name of the internal user database, 1-64 letters, digits, `_` or `-`. @default "osadmin" */
  readonly masterUsername?: string;
  /** See SearchAccessPolicy. @default "fineGrained" */
  readonly accessPolicy?: SearchAccessPolicy;
  /** Services that get their own internal user and role, limited to the indices `<service>-*`. @default [] */
  readonly serviceUsers?: readonly string[];
  /**
   * Sinks among serviceUsers whose role writes another prefix instead of owning `<service>-*`: the
   * service's index pattern (`<prefix>-*`), with create-index and write only (no read, no delete).
   * The analytics workers writing `search-queries-*` are one. @default {}
   */
  readonly serviceWriters?: Readonly<Record<string, string>>;
}

/** A service's internal user, role and index pattern on the domain (`write` for a sink in serviceWriters). */
export function searchServiceAccess(service: string, writes?: string): { readonly user: string; readonly role: string; readonly indexPattern: string; readonly access: "all" | "write" } {
  return { user: service, role: `svc_${service.replace(/-/g, "_")}`, indexPattern: writes ?? `${service}-*`, access: writes === undefined ? "all" : "write" };
}

export interface SearchDefaults {
  readonly availabilityZoneCount: number;
  readonly dataNodeType: string;
  readonly dataNodeCount: number;
  readonly dedicatedMasterCount: number;
  readonly dedicatedMasterType: string;
  readonly volumeSizeGiB: number;
  readonly protect: boolean;
  readonly logRetentionDays: number;
}

const SEARCH_AZS: Readonly<Record<DataEnvironment, number>> = { prod: 3, preprod: 3, stage: 2, dev: 1 };
const SEARCH_VOLUME: Readonly<Record<DataEnvironment, number>> = { prod: 100, preprod: 100, stage: 20, dev: 10 };

export function searchDefaults(env: DataEnvironment): SearchDefaults {
  const ha = isHaEnvironment(env);
  return {
    availabilityZoneCount: SEARCH_AZS[env],
    dataNodeType: ha ? "r6g.large.search" : "t3.medium.search",
    dataNodeCount: SEARCH_AZS[env],
    dedicatedMasterCount: ha ? 3 : 0,
    dedicatedMasterType: "m6g.large.search",
    volumeSizeGiB: SEARCH_VOLUME[env],
    protect: env === "prod",
    logRetentionDays: LOG_RETENTION_DAYS[env],
  };
}

export interface SearchPlan extends SearchDefaults {
  readonly domainName: string;
  readonly masterUsername: string;
  readonly zoneAwareness: boolean;
  /** Auto-Tune does not run on T3 instance types. */
  readonly autoTune: boolean;
  readonly accessPolicy: SearchAccessPolicy;
  readonly serviceUsers: readonly string[];
  readonly serviceWriters: Readonly<Record<string, string>>;
}

export function resolveSearch(name: string, options: SearchOptions, access: AccessShape): Resolved<SearchPlan> {
  const env = options.environment;
  const issues = [...environmentIssues(env), ...clientIssues(access), ...missingCommonTags(access.tags)];
  if (issues.some((i) => i.startsWith("environment:"))) return { ok: false, issues };
  const d = searchDefaults(env);
  const azs = options.availabilityZoneCount ?? d.availabilityZoneCount;
  const plan: SearchPlan = {
    ...d,
    availabilityZoneCount: azs,
    dataNodeType: options.dataNodeType ?? d.dataNodeType,
    dataNodeCount: options.dataNodeCount ?? d.dataNodeCount,
    dedicatedMasterCount: options.dedicatedMasterCount ?? d.dedicatedMasterCount,
    dedicatedMasterType: options.dedicatedMasterType ?? d.dedicatedMasterType,
    volumeSizeGiB: options.volumeSizeGiB ?? d.volumeSizeGiB,
    domainName: options.domainName ?? name,
    masterUsername: options.masterUsername ?? "osadmin",
    zoneAwareness: azs > 1,
    autoTune: !/^t3\./.test(options.dataNodeType ?? d.dataNodeType),
    accessPolicy: options.accessPolicy ?? "fineGrained",
    serviceUsers: [...(options.serviceUsers ?? [])],
    serviceWriters: { ...(options.serviceWriters ?? {}) },
  };
  const ha = isHaEnvironment(env);
  if (!/^[a-z][a-z0-9-]{2,27}$/.test(plan.domainName)) issues.push(`domainName: "${plan.domainName}" must be 3-28 lower-case letters, digits and dashes, starting with a letter`);
  if (![1, 2, 3].includes(azs)) issues.push(`availabilityZoneCount: must be 1, 2 or 3, got ${azs}`);
  else if (ha && azs !== 3) issues.push(`availabilityZoneCount: ${env} domains span 3 AZs, got ${azs}`);
  issues.push(...subnetIssues(access.subnetCount, azs, `one per AZ the domain spans`));
  issues.push(...intIssue("dataNodeCount", plan.dataNodeCount, 1, 80));
  if (Number.isInteger(azs) && azs > 0 && plan.dataNodeCount % azs !== 0) {
    issues.push(`dataNodeCount: ${plan.dataNodeCount} must be a multiple of availabilityZoneCount (${azs}) so every AZ holds the same share`);
  }
  if (![0, 3, 5].includes(plan.dedicatedMasterCount)) issues.push(`dedicatedMasterCount: must be 0, 3 or 5 (a quorum survives one loss), got ${plan.dedicatedMasterCount}`);
  else if (ha && plan.dedicatedMasterCount === 0) issues.push(`dedicatedMasterCount: ${env} domains need dedicated masters (3 or 5)`);
  for (const [field, type] of [["dataNodeType", plan.dataNodeType], ["dedicatedMasterType", plan.dedicatedMasterType]] as const) {
    if (!/^[a-z0-9-]+\.[a-z0-9]+\.search$/.test(type)) issues.push(`${field}: "${type}" is not an OpenSearch instance type`);
    else if (type.startsWith("t2.")) issues.push(`${field}: "${type}" has no encryption at rest`);
  }
  issues.push(...intIssue("volumeSizeGiB", plan.volumeSizeGiB, 10, 24576));
  issues.push(...usernameIssues("opensearch", plan.masterUsername, "masterUsername"));
  plan.serviceUsers.forEach((svc, i) => {
    if (!/^[a-z][a-z0-9-]{0,27}$/.test(svc) || svc === plan.masterUsername) issues.push(`serviceUsers[${i}]: "${svc}" must be 1-28 lower-case letters, digits and dashes, starting with a letter, and not the master user`);
  });
  if (new Set(plan.serviceUsers).size !== plan.serviceUsers.length) issues.push("serviceUsers: a service is listed twice");
  for (const [svc, pattern] of Object.entries(plan.serviceWriters)) {
    if (!plan.serviceUsers.includes(svc)) issues.push(`serviceWriters.${svc}: not one of serviceUsers`);
    if (!/^[a-z][a-z0-9_-]*-\*$/.test(pattern)) issues.push(`serviceWriters.${svc}: "${pattern}" must be one index prefix ending in "-*"`);
  }
  if (plan.accessPolicy !== "fineGrained" && plan.accessPolicy !== "accountSigned") issues.push(`accessPolicy: must be "fineGrained" or "accountSigned", got "${plan.accessPolicy}"`);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: plan };
}

/** `arn:aws:es:me-south-1:444444444444:domain/x` -> `444444444444`. */
export function accountOfArn(arn: string): string {
  const account = arn.split(":")[4];
  if (account === undefined || !/^\d{12}$/.test(account)) throw new Error(`"${arn}" is not an ARN with an account id`);
  return account;
}

/** The domain access policy document for `mode` (see SearchAccessPolicy). */
export function searchAccessPolicy(mode: SearchAccessPolicy, domainArn: string): object {
  const principal = mode === "fineGrained" ? { AWS: "*" } : { AWS: `arn:aws:iam::${accountOfArn(domainArn)}:root` };
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "DomainHttp", Effect: "Allow", Principal: principal, Action: "es:ESHttp*", Resource: `${domainArn}/*` }],
  };
}

/**
 * The CloudWatch Logs resource policy letting OpenSearch write to these log groups and no others,
 * and only on behalf of this account (confused-deputy guard).
 */
export function searchLogPolicy(logGroupArns: readonly string[]): object {
  const accounts = [...new Set(logGroupArns.map(accountOfArn))];
  return {
    Version: "2012-10-17",
    Statement: [{
      Sid: "OpenSearchLogDelivery",
      Effect: "Allow",
      Principal: { Service: "es.amazonaws.com" },
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: logGroupArns.map((arn) => `${arn}:*`),
      Condition: { StringEquals: { "aws:SourceAccount": accounts } },
    }],
  };
}
