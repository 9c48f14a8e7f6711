/**
 * DNS names for centralised interface endpoints (docs/network.md), free of Pulumi so the
 * mapping can be tested on its own.
 *
 * With private DNS off on a central endpoint, a private hosted zone named after the service's
 * public endpoint host stands in for the zone AWS would otherwise manage inside the VPC. The zone
 * name has to be exactly the host the SDKs and agents call, and that is not always
 * `<service>.<region>.amazonaws.com`: the ECR services reverse their labels, Kinesis and Firehose
 * drop a suffix. A wrong name fails silently (clients resolve the public IPs and go out through
 * NAT, or nowhere), so only services listed here are accepted; adding one means checking its
 * host in the AWS endpoint list first.
 */

/** What a central endpoint for one service needs: the endpoint service and the zone to create. */
export interface EndpointDnsName {
  /** Short service name as used in config, e.g. `ecr.dkr`. */
  readonly service: string;
  /** VPC endpoint service name, e.g. `com.amazonaws.me-south-1.ecr.dkr`. */
  readonly serviceName: string;
  /** Private hosted zone (and apex record) name, e.g. `dkr.ecr.me-south-1.amazonaws.com`. */
  readonly zoneName: string;
  /** True when clients call subdomains of the zone name, so the zone also needs `*.<zoneName>`. */
  readonly wildcard: boolean;
}

interface KnownService {
  /** Host labels in front of `<region>.amazonaws.com`. */
  readonly host: string;
  readonly wildcard: boolean;
}

/**
 * Services whose host is not simply the service name, or that need a wildcard record:
 * - `ecr.dkr`: image layers are pulled from `<account-id>.dkr.ecr.<region>.amazonaws.com`, a
 *   subdomain of the zone, so the apex record alone would leave `docker pull` on the public
 *   endpoint. The apex is kept too: AWS's own private DNS for this endpoint answers both.
 * - `execute-api`: private REST APIs are called at `<api-id>.execute-api.<region>.amazonaws.com`.
 */
const KNOWN_SERVICES: Readonly<Record<string, KnownService>> = Object.freeze({
  "ecr.api": { host: "api.ecr", wildcard: false },
  "ecr.dkr": { host: "dkr.ecr", wildcard: true },
  "kinesis-streams": { host: "kinesis", wildcard: false },
  "kinesis-firehose": { host: "firehose", wildcard: false },
  "execute-api": { host: "execute-api", wildcard: true },
  ...Object.fromEntries(
    [
      "application-autoscaling",
      "autoscaling",
      "ec2",
      "ec2messages",
      "ecs",
      "elasticfilesystem",
      "elasticloadbalancing",
      "events",
      "kms",
      "lambda",
      "logs",
      "monitoring",
      "rds",
      "secretsmanager",
      "sns",
      "sqs",
      "ssm",
      "ssmmessages",
      "states",
      "sts",
      "xray",
    ].map((s) => [s, { host: s, wildcard: false }]),
  ),
});

/**
 * Services that must never be centralised, with the reason. Global services have no regional
 * host to shadow; S3 and DynamoDB have free gateway endpoints in every VPC, and a central
 * interface endpoint would pull their traffic over the Transit Gateway at a per-GB charge.
 */
const REJECTED_SERVICES: Readonly<Record<string, string>> = Object.freeze({
  iam: "a global service with no regional endpoint; keep it on its public endpoint",
  organizations: "a global service with no regional endpoint; keep it on its public endpoint",
  route53: "a global service with no regional endpoint; keep it on its public endpoint",
  cloudfront: "a global service with no regional endpoint; keep it on its public endpoint",
  s3: "served by the gateway endpoint in every VPC; a central interface endpoint would route S3 traffic over the Transit Gateway",
  dynamodb: "served by the gateway endpoint in every VPC; a central interface endpoint would route DynamoDB traffic over the Transit Gateway",
});

/**
 * The interface endpoints the management VPC serves to every environment: what ECS on Fargate
 * needs to pull images and ship logs and metrics, what SSM Session Manager needs, and the
 * secrets, KMS and STS calls every workload makes. STS only covers the regional
 * `sts.<region>.amazonaws.com` host; clients must not use the global `sts.amazonaws.com`.
 */
export const DEFAULT_CENTRAL_ENDPOINT_SERVICES: readonly string[] = Object.freeze([
  "ecr.api",
  "ecr.dkr",
  "logs",
  "monitoring",
  "ssm",
  "ssmmessages",
  "ec2messages",
  "secretsmanager",
  "kms",
  "sts",
]);

/** Every service this module can name, sorted. */
export const KNOWN_ENDPOINT_SERVICES: readonly string[] = Object.freeze(Object.keys(KNOWN_SERVICES).sort());

/** Commercial-partition regions only: China and other partitions use other domains. */
const AWS_REGION = /^(?:[a-z]{2}|us-gov)-[a-z]+-\d{1,2}$/;

/** Why `region` is not usable here, or undefined. */
export function regionProblem(region: string, field = "region"): string | undefined {
  if (!AWS_REGION.test(region) || region.startsWith("cn-")) {
    return `${field}: "${region}" is not an AWS region of the aws partition (e.g. "me-south-1")`;
  }
  return undefined;
}

/** Why `service` cannot be centralised, or undefined. */
export function endpointServiceProblem(service: string, field: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(KNOWN_SERVICES, service)) return undefined;
  const rejected = REJECTED_SERVICES[service];
  if (rejected !== undefined) return `${field}: "${service}" cannot be a central endpoint: it is ${rejected}`;
  return `${field}: "${service}" is not a known interface endpoint service (known: ${KNOWN_ENDPOINT_SERVICES.join(", ")})`;
}

/**
 * Every problem with a list of services, each naming its position (`services[3]: ...`), so one
 * run reports all of them. An empty list is a problem: a central endpoint set with no endpoints
 * is a configuration mistake, not a way to turn the feature off.
 */
export function endpointServiceIssues(services: readonly string[], field = "services"): string[] {
  if (services.length === 0) return [`${field}: must list at least one service`];
  const issues: string[] = [];
  const seen = new Map<string, number>();
  services.forEach((service, i) => {
    const problem = endpointServiceProblem(service, `${field}[${i}]`);
    if (problem !== undefined) issues.push(problem);
    const first = seen.get(service);
    if (first !== undefined) issues.push(`${field}[${i}]: "${service}" is already listed at ${field}[${first}]`);
    else seen.set(service, i);
  });
  return issues;
}

/** Thrown by the functions below with every problem found. */
export class EndpointNameError extends Error {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(issues.join("; "));
    this.name = "EndpointNameError";
    this.issues = issues;
  }
}

function dnsNameOf(service: string, region: string): EndpointDnsName {
  const known = KNOWN_SERVICES[service];
  return {
    service,
    serviceName: `com.amazonaws.${region}.${service}`,
    zoneName: `${known.host}.${region}.amazonaws.com`,
    wildcard: known.wildcard,
  };
}

/** The endpoint service and zone name of one service; throws EndpointNameError when unknown. */
export function endpointDnsName(service: string, region: string): EndpointDnsName {
  const issues = [regionProblem(region), endpointServiceProblem(service, "service")].filter((p): p is string => p !== undefined);
  if (issues.length > 0) throw new EndpointNameError(issues);
  return dnsNameOf(service, region);
}

/** Names for every service in order; throws EndpointNameError listing every problem at once. */
export function planEndpointDns(services: readonly string[], region: string, field = "services"): EndpointDnsName[] {
  const issues = [regionProblem(region), ...endpointServiceIssues(services, field)].filter((p): p is string => p !== undefined);
  if (issues.length > 0) throw new EndpointNameError(issues);
  return services.map((s) => dnsNameOf(s, region));
}

/**
 * The part of a logical resource name that identifies the service (`ecr.dkr` -> `ecr-dkr`).
 * Derived from the service alone, so adding or removing another service renames nothing.
 */
export function serviceSlug(service: string): string {
  return service.replace(/[^a-z0-9-]/g, "-");
}
