/**
 * An environment stack (dev, stage, preprod, prod): its VPC attached to the management hub, its
 * DNS zones and its use of the central endpoints. Everything it needs from management comes through
 * the StackReference named in its config; the offices that may reach it come from the address plan.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ValidatedConfig } from "../config/validate";
import { CentralEndpoints } from "../components/network/CentralEndpoints";
import { DnsZones } from "../components/network/DnsZones";
import { EndpointZoneAssociations } from "../components/network/EndpointZoneAssociations";
import { EnvironmentNetwork } from "../components/network/EnvironmentNetwork";
import { ServiceSecurityGroups } from "../components/compute/ServiceSecurityGroups";
import { hubSessionName } from "../components/security/hubIdentity";
import { hubRoleForCaller } from "../components/security/baseline/roleNames";
import { buildDataTier } from "./data";
import { buildServices, clientsByDataResource } from "./services";
import { ManagementReference, availabilityZoneIds, commonTags, officeTableKey } from "./shared";
import { buildSecurityAndIncidentResponse } from "./incident";
import { buildAlertChannels, buildObservability } from "./observability";
import { buildPrometheus } from "./prometheus";
import { apmForServices, buildApm } from "./apm";
import { buildLogging, logShippingTarget } from "./logging";
import { buildEnvironmentDelivery } from "./delivery";
import { analyticsGroupNames, buildAnalytics, withAnalyticsClients } from "./analytics";
import { analyticsSearchWriters } from "./analyticsSearch";

type EnvironmentConfig = Extract<ValidatedConfig, { kind: "environment" }>;

export function buildEnvironment(cfg: EnvironmentConfig): Record<string, pulumi.Input<unknown>> {
  const env = cfg.stack;
  const s = cfg.settings;
  const tags = commonTags(env, s.tags);
  const mgmt = new ManagementReference(s.managementStack);
  const managementCidr = cfg.plan.stacks.management?.cidr;
  if (!managementCidr) throw new Error("management stack has no network.cidr in the address plan");

  // Resources that live in the hub account (TGW associations, zone authorisations, the management
  // VPC's association with the private zone) go through a provider assuming this environment's hub
  // role when it is in its own account: `tila-platform-hub-<env>`, which management creates and
  // config validation holds hubRoleArn to (docs/architecture.md#identity).
  // A merge request's preview runs as the stack's read-only preview role, which the hub role does
  // not trust: its hub provider assumes management's preview-hub role instead, which allows nothing
  // (docs/security.md#the-preview-role). Every deploy, and the offline plan, uses the hub role.
  const hubRoleArn = s.hubRoleArn;
  const hubProvider =
    hubRoleArn && s.accountId !== cfg.plan.managementAccountId
      ? new aws.Provider("hub", {
          region: cfg.region as aws.Region,
          assumeRoles: [{
            roleArn: aws.getCallerIdentityOutput({}).arn.apply((caller) => hubRoleForCaller(caller, env, hubRoleArn, hubRoleArn.split(":")[4]!)),
            sessionName: hubSessionName(env),
          }],
          allowedAccountIds: cfg.plan.managementAccountId ? [cfg.plan.managementAccountId] : undefined,
        })
      : undefined;

  const offices = cfg.plan.offices.filter((o) => o.allowedEnvironments.includes(env));
  const propagations: Record<string, pulumi.Input<string>> = { management: mgmt.entry("transitRouteTableIds", "management") };
  for (const o of offices) propagations[officeTableKey(o.name)] = mgmt.entry("transitRouteTableIds", officeTableKey(o.name));

  const network = new EnvironmentNetwork(env, {
    environment: env,
    cidr: s.network.cidr,
    availabilityZoneIds: availabilityZoneIds(cfg.region, s.network),
    natStrategy: s.network.natStrategy,
    flowLogs: s.network.flowLogs,
    adminCidrs: [managementCidr],
    tags,
    transit: {
      transitGatewayId: mgmt.output("transitGatewayId"),
      routes: [
        { cidr: managementCidr, description: "management" },
        ...offices.flatMap((o) => o.cidrs.map((c) => ({ cidr: c, description: `${o.name} office` }))),
      ],
      associationRouteTableId: mgmt.entry("transitRouteTableIds", env),
      propagationRouteTableIds: propagations,
      hubProvider,
    },
  });

  if (s.network.endpoints === "central") {
    const zoneIds: Record<string, pulumi.Input<string>> = {};
    for (const svc of cfg.plan.endpointServices) zoneIds[svc] = mgmt.entry("endpointZoneIds", svc);
    new EndpointZoneAssociations(`${env}-endpoints`, { vpcId: network.vpcId, zoneIds, hubProvider, tags });
  } else {
    // Same services and the same private-zone pattern as the hub, but in this VPC only: no
    // dependency on the hub's endpoints, at the price of ten more endpoints per AZ.
    new CentralEndpoints(`${env}-endpoints`, {
      region: cfg.region,
      vpcId: network.vpcId,
      subnetIds: network.subnetIds.app,
      services: cfg.plan.endpointServices,
      clientCidrs: [s.network.cidr],
      tags,
    });
  }

  const dns = new DnsZones(`${env}-dns`, {
    environment: env,
    domain: s.dns.domain,
    publicZone: env === "prod" ? { mode: "none" } : { mode: "delegated", parentZoneId: mgmt.output("publicZoneId"), parentProvider: hubProvider },
    // Also answered in the management VPC, where operators resolve environment names: associated
    // from the hub account when the environment has its own, directly when it shares management's.
    privateZone: hubProvider
      ? { vpcIds: [network.vpcId], crossAccountVpcs: [{ label: "management", vpcId: mgmt.output("managementVpcId"), provider: hubProvider }] }
      : { vpcIds: [network.vpcId, mgmt.output("managementVpcId")] },
    tags,
  });

  const privateZoneName = dns.privateZoneName;
  if (!dns.privateZoneId || !privateZoneName) throw new Error(`${env}: the private zone is required for the data tier`);
  // Service security groups exist before the data tier, so that each data resource admits exactly
  // the services that declared it, and before the services themselves.
  // The analytics lake's Kafka Connect workers are a client of the data tier like any service.
  const groups = new ServiceSecurityGroups(`${env}-services`, { environment: env, vpcId: network.vpcId, services: [...s.services.catalog.map((x) => x.name), ...analyticsGroupNames(cfg)], tags });
  // The alert topics come first: the data tier's own alarms (EC2 auto-recovery) notify on them.
  const alerts = buildAlertChannels(cfg);
  // Graylog's name here, before the data nodes and the services that ship their logs to it.
  const logTarget = logShippingTarget(cfg, mgmt, { zoneId: dns.privateZoneId, name: privateZoneName });
  const data = buildDataTier({
    environment: env,
    data: s.data,
    network,
    privateZone: { zoneId: dns.privateZoneId, zoneName: privateZoneName },
    clients: withAnalyticsClients(cfg, clientsByDataResource(s.services.catalog, groups.ids), groups.ids),
    searchWriters: analyticsSearchWriters(cfg),
    alarmTopicArn: alerts.topics.warning,
    ...(logTarget ? { logShipping: logTarget } : {}),
    tags,
  });
  const apexZone = { zoneId: mgmt.output("publicZoneId"), name: s.dns.domain, provider: hubProvider };
  const publicZone = env === "prod" || !dns.publicZoneId || !dns.publicZoneName ? apexZone : { zoneId: dns.publicZoneId, name: dns.publicZoneName };
  const services = buildServices({
    apm: apmForServices(cfg, { management: mgmt, privateZone: { zoneId: dns.privateZoneId, name: privateZoneName }, serviceGroups: groups.ids }),
    environment: env,
    settings: s.services,
    edge: s.edge,
    network,
    data,
    groups,
    publicZone,
    apexZone,
    privateZone: { zoneId: dns.privateZoneId, name: privateZoneName },
    ...(logTarget ? { logShipping: logTarget } : {}),
    tags,
  });

  const security = buildSecurityAndIncidentResponse(cfg, mgmt, { [env]: network.vpcId });
  const parts = {
    network,
    data,
    services: services.parts,
    securityTopic: security.securityTopic,
    privateZone: { zoneId: dns.privateZoneId, name: privateZoneName },
    alerts,
    transitGatewayId: mgmt.output("transitGatewayId"),
    monitoringSinkArn: mgmt.output("monitoringSinkArn"),
    ...(logTarget ? { logTarget } : {}),
  };
  const observability = buildObservability(cfg, parts);

  return {
    ...security.outputs,
    ...observability.outputs,
    ...buildPrometheus(cfg, parts, observability.topics),
    ...buildApm(cfg, parts, observability.topics),
    ...buildLogging(cfg, parts, observability.topics),
    ...buildEnvironmentDelivery(cfg, mgmt, services.parts),
    ...buildAnalytics(cfg, {
      network,
      data,
      services: services.parts,
      privateZone: { zoneId: dns.privateZoneId, name: privateZoneName },
      topics: observability.topics,
      tags,
    }),
    environment: env,
    data: data.outputs,
    ...services.outputs,
    vpcId: network.vpcId,
    vpcCidr: s.network.cidr,
    subnetIds: network.subnetIds,
    transitAttachmentId: network.attachmentId,
    publicZoneId: env === "prod" ? mgmt.output("publicZoneId") : dns.publicZoneId,
    privateZoneId: dns.privateZoneId,
    privateZoneName: dns.privateZoneName,
  };
}
