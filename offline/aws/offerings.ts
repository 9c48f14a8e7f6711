/**
 * Region offerings on the captured graph: every instance type, class, node type, engine version
 * and Fargate architecture a stack creates must be offered in its region and in the zones of the
 * subnets it lands in (components/aws/regionCatalogue.ts). Defence in depth behind config
 * validation, which cannot see component defaults changed in code or hand-built resources.
 */
import {
  FargateArchitecture,
  ManagedService,
  ec2Offering,
  fargateOffering,
  isCatalogued,
  isMysqlVersionOffered,
  managedNearby,
  managedOffering,
  mysqlMajorVersions,
  offeredNearby,
  openSearchVersions,
} from "../../components/aws/regionCatalogue";
import type { CapturedResource } from "../types";
import type { AwsCheck, AwsContext, AwsFinding } from "./rules";

const T = {
  instance: "aws:ec2/instance:Instance",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  subnet: "aws:ec2/subnet:Subnet",
  rds: "aws:rds/instance:Instance",
  rdsSubnetGroup: "aws:rds/subnetGroup:SubnetGroup",
  replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
  cacheCluster: "aws:elasticache/cluster:Cluster",
  cacheSubnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
  domain: "aws:opensearch/domain:Domain",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  service: "aws:ecs/service:Service",
  clusterProviders: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
} as const;

function rec(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** Looks up captured resources of this stack (and, through the context, of stacks run before it). */
class Graph {
  constructor(private readonly resources: readonly CapturedResource[], private readonly ctx: AwsContext) {}

  byId(id: unknown): CapturedResource | undefined {
    if (typeof id !== "string") return undefined;
    return this.resources.find((r) => r.id === id) ?? this.ctx.lookup?.(id)?.resource;
  }

  /** The zones of the given subnet ids; a subnet the run does not know adds nothing (unknown, not wrong). */
  zonesOfSubnets(ids: readonly string[]): string[] {
    // A subnet placed by AZ ID has its zone's name only as read back (the mocks resolve it from the catalogue).
    const zoneOf = (s: CapturedResource): unknown => s.outputs.availabilityZone ?? s.inputs.availabilityZone;
    const zones = ids.map((id) => this.byId(id)).flatMap((s) => (s?.type === T.subnet && typeof zoneOf(s) === "string" ? [zoneOf(s) as string] : []));
    return [...new Set(zones)].sort();
  }

  /** A subnet group's zones, found by the name the database or cache refers to it by. */
  zonesOfSubnetGroup(type: string, name: unknown): string[] {
    const group = this.resources.find((r) => r.type === type && r.inputs.name === name);
    return group ? this.zonesOfSubnets(strings(group.inputs.subnetIds)) : [];
  }

  of(type: string): CapturedResource[] {
    return this.resources.filter((r) => r.type === type && !r.read);
  }
}

function finding(r: CapturedResource, message: string): AwsFinding {
  return { check: "region-offering", urn: r.urn, name: r.name, type: r.type, message };
}

function nearby(list: readonly string[]): string {
  return list.length > 0 ? ` Offered nearby: ${list.join(", ")}.` : "";
}

function zonesLabel(zones: readonly string[], region: string): string {
  return zones.length > 0 ? zones.join(", ") : `any zone of ${region}`;
}

function ec2Findings(r: CapturedResource, field: string, type: unknown, zones: string[], region: string): AwsFinding[] {
  if (typeof type !== "string") return [];
  const v = ec2Offering(region, type, zones);
  return v.ok ? [] : [finding(r, `${field} "${type}" is ${v.reason} (placed in ${zonesLabel(zones, region)}).${nearby(offeredNearby(region, type, zones))}`)];
}

function managedFindings(r: CapturedResource, service: ManagedService, field: string, name: unknown, zones: string[], region: string): AwsFinding[] {
  if (typeof name !== "string") return [];
  const v = managedOffering(region, service, name, zones);
  return v.ok ? [] : [finding(r, `${field} "${name}" cannot run in ${zonesLabel(zones, region)}: ${v.reason}.${nearby(managedNearby(region, service, name, zones))}`)];
}

function instanceFindings(g: Graph, region: string): AwsFinding[] {
  const instances = g.of(T.instance).flatMap((r) => {
    const zones = typeof r.inputs.availabilityZone === "string" ? [r.inputs.availabilityZone] : g.zonesOfSubnets(strings([r.inputs.subnetId]));
    return ec2Findings(r, "instanceType", r.inputs.instanceType, zones, region);
  });
  const templates = g.of(T.launchTemplate).flatMap((r) => {
    const placed = rec(r.inputs.placement).availabilityZone;
    const nics = Array.isArray(r.inputs.networkInterfaces) ? r.inputs.networkInterfaces.map((n) => rec(n).subnetId) : [];
    const zones = typeof placed === "string" ? [placed] : g.zonesOfSubnets(strings(nics));
    return ec2Findings(r, "instanceType", r.inputs.instanceType, zones, region);
  });
  return [...instances, ...templates];
}

function databaseFindings(g: Graph, region: string): AwsFinding[] {
  return g.of(T.rds).flatMap((r) => {
    const zones = typeof r.inputs.availabilityZone === "string" ? [r.inputs.availabilityZone] : g.zonesOfSubnetGroup(T.rdsSubnetGroup, r.inputs.dbSubnetGroupName);
    const out = managedFindings(r, "rds", "instanceClass", r.inputs.instanceClass, zones, region);
    const version = r.inputs.engineVersion;
    if (r.inputs.engine === "mysql" && typeof version === "string" && !isMysqlVersionOffered(region, version)) {
      out.push(finding(r, `engineVersion "${version}" is not an RDS for MySQL major version offered in ${region} (offered: ${mysqlMajorVersions(region).join(", ")}).`));
    }
    return out;
  });
}

function cacheFindings(g: Graph, region: string): AwsFinding[] {
  return [...g.of(T.replicationGroup), ...g.of(T.cacheCluster)].flatMap((r) => {
    const preferred = strings(r.inputs.preferredCacheClusterAzs ?? (typeof r.inputs.availabilityZone === "string" ? [r.inputs.availabilityZone] : []));
    const zones = preferred.length > 0 ? preferred : g.zonesOfSubnetGroup(T.cacheSubnetGroup, r.inputs.subnetGroupName);
    return managedFindings(r, "elasticache", "nodeType", r.inputs.nodeType, zones, region);
  });
}

function searchFindings(g: Graph, region: string): AwsFinding[] {
  return g.of(T.domain).flatMap((r) => {
    const cluster = rec(r.inputs.clusterConfig);
    const zones = g.zonesOfSubnets(strings(rec(r.inputs.vpcOptions).subnetIds));
    const out = managedFindings(r, "opensearch", "clusterConfig.instanceType", cluster.instanceType, zones, region);
    if (cluster.dedicatedMasterEnabled === true) out.push(...managedFindings(r, "opensearch", "clusterConfig.dedicatedMasterType", cluster.dedicatedMasterType, zones, region));
    const version = r.inputs.engineVersion;
    if (typeof version === "string" && !openSearchVersions(region).includes(version)) {
      out.push(finding(r, `engineVersion "${version}" is not offered in ${region} (catalogued: ${openSearchVersions(region).join(", ")}).`));
    }
    return out;
  });
}

/** A task definition's architecture; ECS's default is X86_64 when runtimePlatform says nothing. */
function architectureOf(td: CapturedResource): FargateArchitecture | string {
  const a = rec(td.inputs.runtimePlatform).cpuArchitecture;
  return typeof a === "string" ? a : "X86_64";
}

function usesSpot(strategies: unknown): boolean {
  return Array.isArray(strategies) && strategies.some((s) => rec(s).capacityProvider === "FARGATE_SPOT");
}

function fargateFindings(g: Graph, region: string): AwsFinding[] {
  const f = fargateOffering(region);
  const tasks = g.of(T.taskDefinition).filter((r) => strings(r.inputs.requiresCompatibilities).includes("FARGATE"));
  const out = tasks.flatMap((r) => {
    const arch = architectureOf(r);
    return (f.architectures as readonly string[]).includes(arch) ? [] : [finding(r, `runtimePlatform.cpuArchitecture ${arch} is not offered on Fargate in ${region} (offered: ${f.architectures.join(", ") || "none catalogued"}).`)];
  });
  for (const r of g.of(T.service)) {
    if (!usesSpot(r.inputs.capacityProviderStrategies)) continue;
    const td = tasks.find((t) => t.outputs.arn === r.inputs.taskDefinition || t.id === r.inputs.taskDefinition);
    const arch = td ? architectureOf(td) : undefined;
    if (f.spotArchitectures.length === 0) out.push(finding(r, `uses FARGATE_SPOT, which ${region} does not offer.`));
    else if (arch !== undefined && !(f.spotArchitectures as readonly string[]).includes(arch)) {
      out.push(finding(r, `puts ${arch} tasks on FARGATE_SPOT, which runs only ${f.spotArchitectures.join(", ")} in ${region}.`));
    }
  }
  for (const r of g.of(T.clusterProviders)) {
    if (strings(r.inputs.capacityProviders).includes("FARGATE_SPOT") && f.spotArchitectures.length === 0) out.push(finding(r, `registers FARGATE_SPOT, which ${region} does not offer.`));
  }
  return out;
}

export const regionOfferingCheck: AwsCheck = (resources, ctx) => {
  // An uncatalogued region is refused by config validation with the list of catalogued ones;
  // here it would only repeat that as one finding per resource.
  if (!isCatalogued(ctx.region)) return [];
  const g = new Graph(resources, ctx);
  return [...instanceFindings(g, ctx.region), ...databaseFindings(g, ctx.region), ...cacheFindings(g, ctx.region), ...searchFindings(g, ctx.region), ...fargateFindings(g, ctx.region)];
};
