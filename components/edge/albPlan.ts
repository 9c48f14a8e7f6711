/**
 * Every decision `ApplicationLoadBalancer` makes, as pure functions tested directly: the checked
 * plan (listeners, security group rules, logging), the ELB log-delivery principal of a region and
 * the access-log bucket policy.
 */
import { Validator } from "ip-num";
import { Resolved, environmentIssues, intIssues, labelIssues, resolved } from "./edgeChecks";
import { cidrProblem } from "../network/cidrPlan";
import { cidrKey } from "../network/networkPlan";
import { Tags, missingCommonTags } from "../tags";

export type Scheme = "internet-facing" | "internal";
export type IpAddressType = "ipv4" | "dualstack";

/**
 * TLS 1.3 and 1.2 only, TLS 1.2 restricted to ECDHE with AES-GCM (forward secrecy), plus hybrid
 * post-quantum key exchange (ML-KEM) for clients that offer it and classical ECDHE for the rest.
 * It is the ELB console's default and the policy AWS recommends in "Security policies for your
 * Application Load Balancer" (2025-09 policies). The API's own default, ELBSecurityPolicy-2016-08,
 * still accepts TLS 1.0. If a legacy client needs CBC ciphers, ...-TLS13-1-2-Ext1-PQ-2025-09
 * keeps the TLS 1.2 floor.
 */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";

/** The policy families whose floor is TLS 1.2 (`TLS13-1-2-*`) or TLS 1.3 (`TLS13-1-3-*`). */
const MODERN_SSL_POLICY = /^ELBSecurityPolicy-TLS13-1-[23]-[A-Za-z0-9-]+$/;

export const HTTPS_PORT = 443;
export const HTTP_PORT = 80;
/** ALB's default; long-polling clients may need more, at the cost of idle connections held open. */
export const DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
/** Noncurrent log versions only exist after a delete or an overwrite: a month is enough to notice. */
export const NONCURRENT_VERSION_DAYS = 30;
export const ABORT_MULTIPART_DAYS = 7;

/**
 * Elastic Load Balancing's log-delivery account per region, for regions that opened before August
 * 2022 (ALB user guide, "Enable access logs", step "Attach a policy to your S3 bucket"; the same
 * table as terraform-provider-aws `internal/service/elb/service_account_data_source.go`).
 * Regions opened later have no account and take the service principal instead.
 */
export const ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = Object.freeze({
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-southeast-3": "589379963580",
  "ap-south-1": "718504428378",
  "ap-northeast-3": "383597477331",
  "ap-northeast-2": "600734575887",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-northeast-1": "582318560864",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-south-1": "635631232127",
  "eu-west-3": "009996457667",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
  "us-gov-west-1": "048591011584",
  "us-gov-east-1": "190560391635",
  "cn-north-1": "638102146993",
  "cn-northwest-1": "037604701340",
});

export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

export type LogDeliveryPrincipal = { readonly AWS: string } | { readonly Service: string };

/** Who writes the access logs in `region`: the regional ELB account, or the service principal. */
export function elbLogDeliveryPrincipal(region: string, partition = "aws"): LogDeliveryPrincipal {
  const account = ELB_LOG_ACCOUNTS[region];
  return account === undefined ? { Service: ELB_LOG_DELIVERY_SERVICE } : { AWS: `arn:${partition}:iam::${account}:root` };
}

export interface AccessLogPolicyInput {
  readonly bucketArn: string;
  readonly prefix: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
}

/**
 * The access-log bucket's policy: ELB may only put objects under this load balancer's prefix for
 * this account, and nobody may use the bucket without TLS.
 */
export function accessLogBucketPolicy(p: AccessLogPolicyInput): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ElbAccessLogDelivery",
        Effect: "Allow",
        Principal: elbLogDeliveryPrincipal(p.region, p.partition),
        Action: "s3:PutObject",
        Resource: `${p.bucketArn}/${p.prefix}/AWSLogs/${p.accountId}/*`,
      },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [p.bucketArn, `${p.bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

export interface AlbOptions {
  readonly environment: string;
  readonly scheme: Scheme;
  readonly vpcCidr: string;
  readonly subnetCount: number;
  readonly sslPolicy?: string;
  readonly ipAddressType?: IpAddressType;
  readonly ingress: {
    readonly cidrs?: readonly string[];
    readonly ipv6Cidrs?: readonly string[];
    /** Labels of the security groups admitted. */
    readonly securityGroupLabels?: readonly string[];
  };
  readonly targetPorts: readonly number[];
  readonly deletionProtection: boolean;
  readonly accessLogs: { readonly retentionDays: number };
  readonly idleTimeoutSeconds?: number;
  readonly tags: Tags;
}

/** Where an ingress rule admits traffic from. */
export type IngressSource =
  | { readonly kind: "ipv4"; readonly cidr: string }
  | { readonly kind: "ipv6"; readonly cidr: string }
  | { readonly kind: "securityGroup"; readonly label: string };

export interface IngressRulePlan {
  /** Logical-name suffix: `https-0-0-0-0-0`, `http-sg-storefront`. */
  readonly key: string;
  readonly port: number;
  readonly source: IngressSource;
  readonly description: string;
}

export interface AlbPlan {
  readonly internal: boolean;
  readonly ipAddressType: IpAddressType;
  readonly sslPolicy: string;
  /** Only internet-facing load balancers listen on 80, and only to redirect. */
  readonly httpRedirect: boolean;
  readonly ingress: readonly IngressRulePlan[];
  readonly egressPorts: readonly number[];
  readonly idleTimeoutSeconds: number;
  readonly logPrefix: string;
  readonly logRetentionDays: number;
  /** A dev bucket may go with its stack; a protected load balancer's logs may not. */
  readonly forceDestroyLogs: boolean;
}

function sourceKey(source: IngressSource): string {
  if (source.kind === "securityGroup") return `sg-${source.label}`;
  return source.kind === "ipv4" ? cidrKey(source.cidr) : `ipv6-${source.cidr.replace(/[:/]+/g, "-").replace(/^-|-$/g, "")}`;
}

function sourceText(source: IngressSource): string {
  return source.kind === "securityGroup" ? `the ${source.label} security group` : source.cidr;
}

/** One rule per source and port: 443 always, 80 only where it exists to redirect. */
export function planIngress(sources: readonly IngressSource[], httpRedirect: boolean): IngressRulePlan[] {
  return sources.flatMap((source) => [
    { key: `https-${sourceKey(source)}`, port: HTTPS_PORT, source, description: `HTTPS from ${sourceText(source)}` },
    ...(httpRedirect
      ? [{ key: `http-${sourceKey(source)}`, port: HTTP_PORT, source, description: `HTTP from ${sourceText(source)}, redirected to HTTPS only` }]
      : []),
  ]);
}

function isWorld(cidr: string): boolean {
  return cidr.endsWith("/0");
}

function ingressIssues(o: AlbOptions, ipAddressType: IpAddressType): string[] {
  const issues: string[] = [];
  const cidrs = o.ingress.cidrs ?? [];
  const ipv6 = o.ingress.ipv6Cidrs ?? [];
  const labels = o.ingress.securityGroupLabels ?? [];
  if (cidrs.length + ipv6.length + labels.length === 0) issues.push("ingress: at least one source (cidrs, ipv6Cidrs or securityGroupIds) is required");
  cidrs.forEach((c, i) => {
    const p = cidrProblem(`ingress.cidrs[${i}]`, c);
    if (p !== undefined) issues.push(p);
    if (cidrs.indexOf(c) !== i) issues.push(`ingress.cidrs[${i}]: "${c}" is listed twice`);
  });
  ipv6.forEach((c, i) => {
    if (!Validator.isValidIPv6CidrRange(c)[0]) issues.push(`ingress.ipv6Cidrs[${i}]: "${c}" is not an IPv6 network CIDR`);
    if (ipv6.indexOf(c) !== i) issues.push(`ingress.ipv6Cidrs[${i}]: "${c}" is listed twice`);
  });
  if (ipv6.length > 0 && ipAddressType === "ipv4") {
    issues.push(`ingress.ipv6Cidrs: the load balancer is IPv4-only, so IPv6 rules would admit nothing; set ipAddressType "dualstack" (subnets with IPv6 CIDRs) or drop them`);
  }
  if (o.scheme === "internal") {
    [...cidrs, ...ipv6].filter(isWorld).forEach((c) => issues.push(`ingress: an internal load balancer admits named callers only, not "${c}"`));
  }
  issues.push(...labelIssues("ingress.securityGroupIds", labels));
  return issues;
}

export function resolveAlb(name: string, o: AlbOptions): Resolved<AlbPlan> {
  const issues: string[] = [...environmentIssues(o.environment)];
  // The name is also the access-log prefix. Its length is AWS's rule on the load balancer name that
  // Pulumi generates from it; the engine's name-limit check (offline/aws/nameRules.ts) owns that.
  if (!/^[a-z][a-z0-9-]*$/.test(name)) issues.push(`name: "${name}" must be lower-case letters, digits and dashes, starting with a letter`);
  if (o.scheme !== "internet-facing" && o.scheme !== "internal") issues.push(`scheme: "${String(o.scheme)}" must be "internet-facing" or "internal"`);
  const ipAddressType = o.ipAddressType ?? "ipv4";
  if (ipAddressType !== "ipv4" && ipAddressType !== "dualstack") issues.push(`ipAddressType: "${String(ipAddressType)}" must be "ipv4" or "dualstack"`);
  const vpc = cidrProblem("vpcCidr", o.vpcCidr);
  if (vpc !== undefined) issues.push(vpc);
  if (o.subnetCount < 2) issues.push(`subnetIds: an Application Load Balancer needs subnets in at least 2 AZs, got ${o.subnetCount}`);
  const sslPolicy = o.sslPolicy ?? DEFAULT_SSL_POLICY;
  if (!MODERN_SSL_POLICY.test(sslPolicy)) {
    issues.push(`sslPolicy: "${sslPolicy}" must be an ELBSecurityPolicy-TLS13-1-2-* or -TLS13-1-3-* policy (TLS 1.2 floor); default ${DEFAULT_SSL_POLICY}`);
  }
  issues.push(...ingressIssues(o, ipAddressType));
  if (o.targetPorts.length === 0) issues.push("targetPorts: at least one target port is required (egress reaches nothing else)");
  o.targetPorts.forEach((p, i) => {
    issues.push(...intIssues(`targetPorts[${i}]`, p, 1, 65535));
    if (o.targetPorts.indexOf(p) !== i) issues.push(`targetPorts[${i}]: ${p} is listed twice`);
  });
  if (o.environment === "prod" && !o.deletionProtection) issues.push("deletionProtection: must be true in prod");
  issues.push(...intIssues("accessLogs.retentionDays", o.accessLogs.retentionDays, 1, 3653));
  const idle = o.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_SECONDS;
  issues.push(...intIssues("idleTimeoutSeconds", idle, 1, 4000));
  issues.push(...missingCommonTags(o.tags));

  return resolved(issues, () => {
    const httpRedirect = o.scheme === "internet-facing";
    const sources: IngressSource[] = [
      ...(o.ingress.cidrs ?? []).map((cidr) => ({ kind: "ipv4" as const, cidr })),
      ...(o.ingress.ipv6Cidrs ?? []).map((cidr) => ({ kind: "ipv6" as const, cidr })),
      ...(o.ingress.securityGroupLabels ?? []).map((label) => ({ kind: "securityGroup" as const, label })),
    ];
    return {
      internal: o.scheme === "internal",
      ipAddressType,
      sslPolicy,
      httpRedirect,
      ingress: planIngress(sources, httpRedirect),
      egressPorts: [...o.targetPorts],
      idleTimeoutSeconds: idle,
      logPrefix: name,
      logRetentionDays: o.accessLogs.retentionDays,
      forceDestroyLogs: !o.deletionProtection,
    };
  });
}
