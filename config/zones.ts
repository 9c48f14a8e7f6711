/**
 * The availability zones of a stack, named by AZ ID in config (`network.availabilityZoneIds`) or
 * defaulted from the region catalogue: the IDs subnets are placed by, the names the data tier and
 * the offering checks read, and the validation of an explicit list. Pure.
 */
import { availabilityZonesOf } from "../components/aws/regionCatalogue";
import { defaultAvailabilityZoneIds, resolveAvailabilityZone } from "../components/network/networkPlan";
import type { ConfigIssue } from "./errors";
import { keyPath } from "./keyPath";
import type { NetworkSettings } from "./schema";

/** The stack's AZ IDs: `network.availabilityZoneIds`, or the region's first `azCount` zones. */
export function stackZoneIds(region: string, network: Pick<NetworkSettings, "azCount" | "availabilityZoneIds">): string[] {
  return network.availabilityZoneIds ?? defaultAvailabilityZoneIds(region, network.azCount);
}

/**
 * The stack's AZ names in the same order; an ID the catalogue does not know stands for itself, so
 * that placement and offering checks still see distinct zones (zoneIdIssues reports it).
 */
export function stackZoneNames(region: string, network: Pick<NetworkSettings, "azCount" | "availabilityZoneIds">): string[] {
  return stackZoneIds(region, network).map((id) => resolveAvailabilityZone(id)?.name ?? id);
}

/**
 * Problems with the stack's zones: an explicit list must have `azCount` distinct AZ IDs of the
 * stack's region that the catalogue knows; the default needs the region to have `azCount` zones.
 * `reportUncatalogued`: say so when the region is not catalogued at all (environment stacks leave
 * that to the offering checks, which report it once at `aws:region`).
 */
export function zoneIdIssues(region: string, n: Pick<NetworkSettings, "azCount" | "availabilityZoneIds">, reportUncatalogued: boolean): ConfigIssue[] {
  const zones = availabilityZonesOf(region);
  const issues: ConfigIssue[] = [];
  if (zones.length === 0) {
    if (reportUncatalogued) issues.push({ path: "aws:region", message: `${region} is not in the region capability catalogue, which subnets are placed by (AZ IDs)` });
    return issues;
  }
  const ids = n.availabilityZoneIds;
  if (ids === undefined) {
    if (zones.length < n.azCount) {
      issues.push({ path: keyPath(["network", "azCount"]), message: `${region} has ${zones.length} zones in the region catalogue (${zones.map((z) => z.zoneId).join(", ")}); ${n.azCount} is too many` });
    }
    return issues;
  }
  if (ids.length !== n.azCount) issues.push({ path: keyPath(["network", "availabilityZoneIds"]), message: `lists ${ids.length} zones but azCount is ${n.azCount}` });
  ids.forEach((id, i) => {
    const zone = resolveAvailabilityZone(id);
    const known = zones.map((z) => `${z.zoneId} (${z.name})`).join(", ");
    if (zone === undefined) issues.push({ path: keyPath(["network", "availabilityZoneIds", i]), message: `${id} is not an AZ ID of ${region}; it has ${known}` });
    else if (zone.region !== region) issues.push({ path: keyPath(["network", "availabilityZoneIds", i]), message: `${id} is in ${zone.region}, not in ${region}; ${region} has ${known}` });
  });
  if (new Set(ids).size !== ids.length) issues.push({ path: keyPath(["network", "availabilityZoneIds"]), message: "zones must be distinct" });
  return issues;
}
