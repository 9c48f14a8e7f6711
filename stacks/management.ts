/**
 * The management stack: the hub every environment hangs off. Transit Gateway with one route table per
 * segment, the management VPC, office VPNs, central interface endpoints, the public zone, and one hub
 * role per environment that lives in its own account.
 */
import * as pulumi from "@pulumi/pulumi";
import { ENVIRONMENTS } from "../config/schema";
import { ValidatedConfig } from "../config/validate";
import { CentralEndpoints } from "../components/network/CentralEndpoints";
import { DnsZones } from "../components/network/DnsZones";
import { EnvironmentNetwork } from "../components/network/EnvironmentNetwork";
import { OfficeVpn } from "../components/network/OfficeVpn";
import { TransitHub } from "../components/network/TransitHub";
import { ImageRepositories } from "../components/compute/ImageRepositories";
import { partitionOf } from "../components/compute/imageNames";
import { imageDeployments } from "../config/images";
import { HubAccessRole } from "../components/security/HubAccessRole";
import { PreviewHubRole } from "../components/security/baseline/PreviewHubRole";
import { hubRecordGrants } from "../components/security/hubAccessPolicy";
import { availabilityZoneIds, commonTags, officeTableKey } from "./shared";
import { buildSecurityAndIncidentResponse } from "./incident";
import { buildObservability } from "./observability";
import { buildPrometheus } from "./prometheus";
import { buildApm } from "./apm";
import { buildLogging } from "./logging";
import { buildDelivery } from "./delivery";

type ManagementConfig = Extract<ValidatedConfig, { kind: "management" }>;

export function buildManagement(cfg: ManagementConfig): Record<string, pulumi.Input<unknown>> {
  const s = cfg.settings;
  const tags = commonTags("management", s.tags);
  const environments = ENVIRONMENTS.flatMap((name) => {
    const e = cfg.plan.stacks[name];
    return e ? [{ name, cidr: e.cidr, accountId: e.accountId }] : [];
  });

  const hub = new TransitHub("hub", {
    amazonSideAsn: s.transit.amazonSideAsn,
    management: { cidr: s.network.cidr },
    environments,
    offices: s.offices.map((o) => ({ name: o.name, cidrs: o.cidrs })),
    managementAccountId: s.accountId,
    tags,
  });
  const table = (key: string): pulumi.Output<string> => hub.routeTableIds[key]!;

  // Management reaches every environment and every office, and propagates into all their tables
  // so that each of them has a route back.
  const propagations: Record<string, pulumi.Input<string>> = {};
  for (const e of environments) propagations[e.name] = table(e.name);
  for (const o of s.offices) propagations[officeTableKey(o.name)] = table(officeTableKey(o.name));

  const network = new EnvironmentNetwork("management", {
    environment: "management",
    cidr: s.network.cidr,
    availabilityZoneIds: availabilityZoneIds(cfg.region, s.network),
    natStrategy: s.network.natStrategy,
    flowLogs: s.network.flowLogs,
    tags,
    transit: {
      transitGatewayId: hub.transitGatewayId,
      routes: [
        ...environments.map((e) => ({ cidr: e.cidr, description: `${e.name} environment` })),
        ...s.offices.flatMap((o) => o.cidrs.map((c) => ({ cidr: c, description: `${o.name} office` }))),
      ],
      associationRouteTableId: table("management"),
      propagationRouteTableIds: propagations,
    },
  });

  const officeVpns: OfficeVpn[] = [];
  for (const o of s.offices) {
    const officePropagations: Record<string, pulumi.Input<string>> = { management: table("management") };
    for (const env of o.allowedEnvironments) officePropagations[env] = table(env);
    const vpn = new OfficeVpn(`office-${o.name}`, {
      office: o.name,
      cidrs: o.cidrs,
      devices: o.devices,
      transitGatewayId: hub.transitGatewayId,
      associationRouteTableId: table(officeTableKey(o.name)),
      propagationRouteTableIds: officePropagations,
      tags,
    });
    officeVpns.push(vpn);
  }

  const endpoints = new CentralEndpoints("endpoints", {
    region: cfg.region,
    vpcId: network.vpcId,
    subnetIds: network.subnetIds.app,
    services: s.endpoints.services,
    clientCidrs: [s.network.cidr, ...environments.map((e) => e.cidr)],
    tags,
  });

  const dns = new DnsZones("dns", {
    environment: "management",
    domain: s.dns.domain,
    publicZone: { mode: "apex" },
    privateZone: { vpcIds: [network.vpcId] },
    tags,
  });

  // One role per environment in its own account, scoped to that environment's tables, endpoint
  // zones, names and private zone (docs/architecture.md#identity). The environment's stack names it
  // in tila-platform:hubRoleArn, which config validation holds to the same convention.
  const hubRoleArns: Record<string, pulumi.Output<string>> = {};
  for (const e of cfg.plan.hubAccess) {
    if (e.accountId === s.accountId) continue;
    const officeTables = s.offices.filter((o) => o.allowedEnvironments.includes(e.name)).map((o) => table(officeTableKey(o.name)));
    const role = new HubAccessRole(`hub-${e.name}`, {
      environment: e.name,
      environmentAccountId: e.accountId,
      managementAccountId: s.accountId,
      region: cfg.region,
      transit: { associationTableId: table(e.name), propagationTableIds: [table("management"), ...officeTables] },
      endpointZoneIds: e.centralEndpoints ? Object.keys(endpoints.zoneIds).sort().map((k) => endpoints.zoneIds[k]!) : [],
      publicZoneId: dns.publicZoneId!,
      // prod publishes its hostnames in the apex zone; every other environment in its delegated subdomain.
      records: hubRecordGrants({
        environment: e.name,
        domain: e.domain,
        delegatedSubdomain: e.name !== "prod",
        apexHostnames: e.name === "prod" ? [`${e.apiHost}.${e.domain}`, `${e.webHost}.${e.domain}`] : [],
      }),
      managementVpcId: network.vpcId,
      tags,
    });
    hubRoleArns[e.name] = role.roleArn;
    // Its merge-request previews configure the same hub provider with a role that may do nothing.
    new PreviewHubRole(`preview-hub-${e.name}`, { environment: e.name, environmentAccountId: e.accountId, tags });
  }

  // The services' images, one repository per service any environment runs, pulled across accounts
  // by exactly that service's execution roles (docs/services-and-edge.md#images).
  const images = new ImageRepositories("images", {
    environment: "management",
    partition: partitionOf(cfg.region),
    deployments: imageDeployments(cfg.plan.images),
    tags,
  });

  const security = buildSecurityAndIncidentResponse(cfg, undefined, { management: network.vpcId });
  const parts = {
    network,
    transit: hub,
    officeVpns,
    transitGatewayId: hub.transitGatewayId,
    securityTopic: security.securityTopic,
    ...(dns.privateZoneId && dns.privateZoneName ? { privateZone: { zoneId: dns.privateZoneId, name: dns.privateZoneName } } : {}),
    ...(dns.publicZoneId && dns.publicZoneName ? { publicZone: { zoneId: dns.publicZoneId, name: dns.publicZoneName } } : {}),
  };
  const observability = buildObservability(cfg, parts);

  return {
    ...security.outputs,
    ...observability.outputs,
    ...buildPrometheus(cfg, parts, observability.topics),
    ...buildApm(cfg, parts, observability.topics),
    ...buildLogging(cfg, parts, observability.topics),
    ...buildDelivery(cfg, observability.topics),
    accountId: s.accountId,
    region: cfg.region,
    managementCidr: s.network.cidr,
    managementVpcId: network.vpcId,
    transitGatewayId: hub.transitGatewayId,
    transitRouteTableIds: hub.routeTableIds,
    endpointZoneIds: endpoints.zoneIds,
    publicZoneId: dns.publicZoneId,
    publicZoneName: dns.publicZoneName,
    privateZoneName: dns.privateZoneName,
    hubRoleArns,
    imageRepositoryUrls: images.repositoryUrls,
    vpcId: network.vpcId,
    subnetIds: network.subnetIds,
  };
}
