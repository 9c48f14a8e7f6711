/**
 * Interface endpoints centralised in the management VPC and shared with every environment VPC
 * through Route 53 private hosted zones (docs/network.md; the Landing Zone Accelerator
 * central-endpoint pattern). Ten services in two AZs cost about $146/month here instead of
 * about $730/month duplicated in five VPCs; spoke traffic then crosses the Transit Gateway.
 *
 * Each endpoint has private DNS off, because AWS-managed private DNS only answers inside the
 * endpoint's own VPC. In its place, a zone named after the service host (`dkr.ecr.<region>...`)
 * carries an alias to the endpoint; environment stacks associate their VPCs with these zones
 * (EndpointZoneAssociations), so their SDKs resolve the ordinary service host to the endpoint.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, missingCommonTags, resourceTags } from "../tags";
import { cidrProblem } from "./cidrPlan";
import { DEFAULT_CENTRAL_ENDPOINT_SERVICES, EndpointDnsName, endpointServiceIssues, planEndpointDns, regionProblem, serviceSlug } from "./endpointNames";

/** Value of the `Service` tag on everything this component creates. */
const SERVICE_TAG = "network";

/** Interface endpoints only listen on HTTPS. */
const HTTPS = 443;

export interface CentralEndpointsArgs {
  /** Region of the management VPC; part of every endpoint service and zone name. */
  readonly region: string;
  /** The management VPC. */
  readonly vpcId: pulumi.Input<string>;
  /**
   * One subnet per AZ (the management app tier). Each interface endpoint costs about
   * $7.30/month per subnet listed, so one per AZ is both the HA floor and the ceiling.
   */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /**
   * Services to centralise, by short name (`ecr.dkr`). Unknown services are rejected: their zone
   * name cannot be guessed safely (see endpointNames.ts).
   * @default DEFAULT_CENTRAL_ENDPOINT_SERVICES (ecr.api, ecr.dkr, logs, monitoring, ssm,
   * ssmmessages, ec2messages, secretsmanager, kms, sts)
   */
  readonly services?: readonly string[];
  /** The management VPC CIDR and every environment VPC CIDR: the only sources admitted to 443. */
  readonly clientCidrs: readonly string[];
  /** Common tags (`Environment`, `Owner`, `CostCenter`, `ManagedBy`); `Service` and `Name` are set here. */
  readonly tags: Tags;
}

/** Args with defaults applied and every field checked. */
interface ResolvedCentralEndpointsArgs {
  readonly region: string;
  readonly vpcId: pulumi.Input<string>;
  readonly subnetIds: readonly pulumi.Input<string>[];
  readonly endpoints: readonly EndpointDnsName[];
  readonly clientCidrs: readonly string[];
  readonly tags: Tags;
}

/** Applies defaults and collects every problem; returns the problems or the resolved args. */
export function resolveCentralEndpointsArgs(args: CentralEndpointsArgs): ResolvedCentralEndpointsArgs | string[] {
  const services = args.services ?? DEFAULT_CENTRAL_ENDPOINT_SERVICES;
  const issues: string[] = [];
  const region = regionProblem(args.region);
  if (region !== undefined) issues.push(region);
  issues.push(...endpointServiceIssues(services));
  if (args.subnetIds.length === 0) issues.push("subnetIds: must list one subnet per AZ (at least one)");
  if (args.clientCidrs.length === 0) issues.push("clientCidrs: must list at least the management VPC CIDR");
  const seen = new Map<string, number>();
  args.clientCidrs.forEach((cidr, i) => {
    const problem = cidrProblem(`clientCidrs[${i}]`, cidr);
    if (problem !== undefined) issues.push(problem);
    const first = seen.get(cidr);
    if (first !== undefined) issues.push(`clientCidrs[${i}]: "${cidr}" is already listed at clientCidrs[${first}]`);
    else seen.set(cidr, i);
  });
  issues.push(...missingCommonTags(args.tags));
  if (issues.length > 0) return issues;
  return {
    region: args.region,
    vpcId: args.vpcId,
    subnetIds: args.subnetIds,
    endpoints: planEndpointDns(services, args.region),
    clientCidrs: args.clientCidrs,
    tags: args.tags,
  };
}

/** `10.0.0.0/16` -> `10-0-0-0-16`: rule names follow the CIDR, not its position in the list. */
function cidrSlug(cidr: string): string {
  return cidr.replace(/[./]/g, "-");
}

/** The regional DNS entry AWS lists first; the rest are per-AZ names. */
function firstDnsEntry(entries: readonly aws.types.output.ec2.VpcEndpointDnsEntry[], service: string): aws.types.output.ec2.VpcEndpointDnsEntry {
  const first = entries[0];
  if (first === undefined) throw new Error(`CentralEndpoints: the ${service} endpoint reported no DNS entries`);
  return first;
}

export class CentralEndpoints extends pulumi.ComponentResource {
  /** Endpoint id per service. */
  readonly endpointIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** Private hosted zone id per service: what environment stacks associate their VPCs with. */
  readonly zoneIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** Zone name per service, e.g. `dkr.ecr.me-south-1.amazonaws.com`. */
  readonly zoneNames: Readonly<Record<string, string>>;
  /** The security group on every endpoint. */
  readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: CentralEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:network:CentralEndpoints", name, {}, opts);
    const resolved = resolveCentralEndpointsArgs(args);
    if (Array.isArray(resolved)) {
      throw new pulumi.ResourceError(`CentralEndpoints "${name}": ${resolved.join("; ")}`, this);
    }
    const { region, vpcId, subnetIds, endpoints, clientCidrs, tags } = resolved;
    const parent = { parent: this };

    // Separate rule resources rather than inline rules: one CIDR per rule keeps a description on
    // each and lets a new environment add a rule without rewriting the others. No egress rule:
    // the provider strips AWS's default allow-all egress, and an endpoint only answers, which the
    // group's connection tracking allows without one.
    const sg = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        vpcId,
        description: "Central interface endpoints: HTTPS from management and environment VPCs",
        tags: resourceTags(tags, SERVICE_TAG, `${name}-sg`),
      },
      parent,
    );
    for (const cidr of clientCidrs) {
      const ruleName = `${name}-https-${cidrSlug(cidr)}`;
      new aws.vpc.SecurityGroupIngressRule(
        ruleName,
        {
          securityGroupId: sg.id,
          ipProtocol: "tcp",
          fromPort: HTTPS,
          toPort: HTTPS,
          cidrIpv4: cidr,
          description: `HTTPS to the central interface endpoints from ${cidr}`,
          tags: resourceTags(tags, SERVICE_TAG, ruleName),
        },
        parent,
      );
    }

    const endpointIds: Record<string, pulumi.Output<string>> = {};
    const zoneIds: Record<string, pulumi.Output<string>> = {};
    const zoneNames: Record<string, string> = {};
    for (const ep of endpoints) {
      const slug = serviceSlug(ep.service);
      const endpoint = new aws.ec2.VpcEndpoint(
        `${name}-endpoint-${slug}`,
        {
          vpcId,
          serviceName: ep.serviceName,
          vpcEndpointType: "Interface",
          // On, AWS would attach its own zone for this host to the management VPC only, and the
          // association of ours would fail there with ConflictingDomainExists.
          privateDnsEnabled: false,
          subnetIds: [...subnetIds],
          securityGroupIds: [sg.id],
          tags: resourceTags(tags, SERVICE_TAG, `${name}-${slug}`),
        },
        parent,
      );

      // ignoreChanges on vpcs: environment stacks add their VPCs with ZoneAssociation resources,
      // which this stack cannot see. Inline `vpcs` is exclusive, so without ignoreChanges the next
      // `up` here would detach every environment VPC (the provider documents the perpetual diff).
      // The management VPC stays inline because a private zone cannot exist without a VPC.
      const zone = new aws.route53.Zone(
        `${name}-zone-${slug}`,
        {
          name: ep.zoneName,
          comment: `Central ${ep.service} interface endpoint (private DNS off on the endpoint)`,
          vpcs: [{ vpcId, vpcRegion: region }],
          tags: resourceTags(tags, SERVICE_TAG, ep.zoneName),
        },
        { parent: this, ignoreChanges: ["vpcs"] },
      );

      const regional = endpoint.dnsEntries.apply((entries) => firstDnsEntry(entries, ep.service));
      const alias = [{ name: regional.dnsName, zoneId: regional.hostedZoneId, evaluateTargetHealth: false }];
      new aws.route53.Record(`${name}-record-${slug}`, { zoneId: zone.zoneId, name: ep.zoneName, type: "A", aliases: alias }, parent);
      if (ep.wildcard) {
        new aws.route53.Record(`${name}-wildcard-${slug}`, { zoneId: zone.zoneId, name: `*.${ep.zoneName}`, type: "A", aliases: alias }, parent);
      }

      endpointIds[ep.service] = endpoint.id;
      zoneIds[ep.service] = zone.zoneId;
      zoneNames[ep.service] = ep.zoneName;
    }

    this.endpointIds = endpointIds;
    this.zoneIds = zoneIds;
    this.zoneNames = zoneNames;
    this.securityGroupId = sg.id;
    this.registerOutputs({ endpointIds, zoneIds, zoneNames, securityGroupId: sg.id });
  }
}
