/**
 * Config validation against the region capability catalogue: every instance type, class, node type
 * and engine version an environment would run (set in config or left to a component default) must
 * be offered in the stack's region and chosen AZs. Each issue names the key path and what is
 * offered nearby, so `pulumi up` never learns it first.
 */
import {
  ManagedService,
  ec2Offering,
  fargateOffering,
  isMysqlVersionOffered,
  managedNearby,
  managedOffering,
  mysqlMajorVersions,
  offeredNearby,
  openSearchVersions,
  regionIssue,
  unknownZones,
} from "../components/aws/regionCatalogue";
import { ENGINE_PROFILES } from "../components/data/engines";
import { instanceArchitecture } from "../components/data/instanceTypes";
import { MYSQL_ENGINE_VERSION, mysqlDefaults } from "../components/data/mysqlPlan";
import { redisDefaults } from "../components/data/redisPlan";
import { OPENSEARCH_ENGINE_VERSION, searchDefaults } from "../components/data/searchPlan";
import { DEFAULT_CPU_ARCHITECTURE } from "../components/compute/servicePlan";
import type { ConfigIssue } from "./errors";
import type { DataSettings, EnvironmentName, NetworkSettings, ServicesSettings } from "./schema";
import { keyPath } from "./keyPath";

/** What the offering checks read: the parsed sections (each undefined when it did not parse). */
export interface OfferingInput {
  stack: EnvironmentName;
  region: string;
  network: NetworkSettings;
  /** The names of the zones the stack uses (config/zones.ts: `network.availabilityZoneIds`, or the region's default). */
  azs: readonly string[];
  data?: DataSettings;
  services?: ServicesSettings;
}

function alternatives(list: readonly string[]): string {
  return list.length > 0 ? `; offered nearby: ${list.join(", ")}` : "; no type of the same family and size is offered there, in any generation";
}

/** `(the prod default)` when the value came from a component default rather than this key. */
function origin(fromConfig: boolean, stack: string): string {
  return fromConfig ? "" : ` (the ${stack} default)`;
}

function managedIssue(input: OfferingInput, service: ManagedService, path: PropertyKey[], name: string, fromConfig: boolean): ConfigIssue[] {
  const v = managedOffering(input.region, service, name, input.azs);
  if (v.ok) return [];
  const where = input.azs.join(", ");
  return [{
    path: keyPath(path),
    message: `"${name}"${origin(fromConfig, input.stack)} cannot run in ${input.region} (${where}): ${v.reason}${alternatives(managedNearby(input.region, service, name, input.azs))}`,
  }];
}

function zoneIssues(input: OfferingInput): ConfigIssue[] {
  // A zone of another region is already reported by validate.ts (networkIssues).
  const unknown = unknownZones(input.region, input.azs.filter((az) => az.startsWith(input.region)));
  if (unknown.length === 0) return [];
  // Explicit AZ IDs the catalogue does not know are named by config/zones.ts (zoneIdIssues).
  if (input.network.availabilityZoneIds) return [];
  return [{ path: keyPath(["network", "azCount"]), message: `${input.network.azCount} zones need ${unknown.join(", ")}, which ${input.region} does not have in the region catalogue` }];
}

function clusterIssues(input: OfferingInput, data: DataSettings): ConfigIssue[] {
  return data.clusters.flatMap((c, i) => {
    const profile = ENGINE_PROFILES[c.engine];
    const type = c.instanceType ?? profile.defaultInstanceType;
    const v = ec2Offering(input.region, type, input.azs);
    if (v.ok) return [];
    // Suggest only what the engine can boot: ArangoDB is limited to x86_64 (engines.ts).
    const supported = profile.architectures?.supported;
    const accept = (t: string): boolean => supported === undefined || supported.some((a) => a === instanceArchitecture(t));
    return [{
      path: keyPath(["data", "clusters", i, "instanceType"]),
      message: `"${type}"${origin(c.instanceType !== undefined, `${profile.displayName}`)} is ${v.reason} (zones ${input.azs.join(", ")})${alternatives(offeredNearby(input.region, type, input.azs, accept))}`,
    }];
  });
}

function managedIssues(input: OfferingInput, data: DataSettings): ConfigIssue[] {
  const { stack, region } = input;
  const issues: ConfigIssue[] = [];
  const mysqlClass = data.mysql?.instanceClass ?? mysqlDefaults(stack).instanceClass;
  issues.push(...managedIssue(input, "rds", ["data", "mysql", "instanceClass"], mysqlClass, data.mysql?.instanceClass !== undefined));
  if (!isMysqlVersionOffered(region, MYSQL_ENGINE_VERSION)) {
    issues.push({ path: keyPath(["data", "mysql"]), message: `RDS for MySQL ${MYSQL_ENGINE_VERSION} (MySqlDatabase's engine version) is not offered in ${region}; offered: ${mysqlMajorVersions(region).join(", ") || "none catalogued"}` });
  }
  const nodeType = data.redis?.nodeType ?? redisDefaults(stack).nodeType;
  issues.push(...managedIssue(input, "elasticache", ["data", "redis", "nodeType"], nodeType, data.redis?.nodeType !== undefined));
  const search = searchDefaults(stack);
  const o = data.opensearch;
  issues.push(...managedIssue(input, "opensearch", ["data", "opensearch", "dataNodeType"], o?.dataNodeType ?? search.dataNodeType, o?.dataNodeType !== undefined));
  if ((o?.dedicatedMasterCount ?? search.dedicatedMasterCount) > 0) {
    issues.push(...managedIssue(input, "opensearch", ["data", "opensearch", "dedicatedMasterType"], o?.dedicatedMasterType ?? search.dedicatedMasterType, o?.dedicatedMasterType !== undefined));
  }
  if (!openSearchVersions(region).includes(OPENSEARCH_ENGINE_VERSION)) {
    issues.push({ path: keyPath(["data", "opensearch"]), message: `${OPENSEARCH_ENGINE_VERSION} (SearchDomain's engine version) is not offered in ${region}; offered: ${openSearchVersions(region).join(", ") || "none catalogued"}` });
  }
  return issues;
}

function fargateIssues(input: OfferingInput, services: ServicesSettings): ConfigIssue[] {
  const f = fargateOffering(input.region);
  const issues: ConfigIssue[] = [];
  if (!f.architectures.includes(DEFAULT_CPU_ARCHITECTURE)) {
    issues.push({ path: keyPath(["services", "catalog"]), message: `services run on Fargate ${DEFAULT_CPU_ARCHITECTURE}, which ${input.region} does not offer (offered: ${f.architectures.join(", ") || "none catalogued"})` });
  }
  if (services.fargateSpot && !f.spotArchitectures.includes(DEFAULT_CPU_ARCHITECTURE)) {
    issues.push({ path: keyPath(["services", "fargateSpot"]), message: `Fargate Spot in ${input.region} does not run ${DEFAULT_CPU_ARCHITECTURE} tasks (Spot architectures: ${f.spotArchitectures.join(", ") || "none"}); set false` });
  }
  return issues;
}

/** Every offering problem of one environment stack; one `aws:region` issue when the region is not catalogued. */
export function offeringIssues(input: OfferingInput): ConfigIssue[] {
  const unknownRegion = regionIssue(input.region);
  if (unknownRegion) return [{ path: "aws:region", message: unknownRegion }];
  const zones = zoneIssues(input);
  // Offerings are per zone: with a zone the catalogue does not know, every check would misfire.
  if (zones.length > 0) return zones;
  return [
    ...(input.data ? [...clusterIssues(input, input.data), ...managedIssues(input, input.data)] : []),
    ...(input.services ? fargateIssues(input, input.services) : []),
  ];
}
