/**
 * The region capability catalogue: what each supported region and availability zone offers, read
 * from the dated snapshots in `regions/` (see docs/region-catalogue.md), and pure lookups over it.
 * Config validation and the offline engine's AWS check ask it the same questions, so a type a
 * stack may not use is refused in one voice wherever it appears.
 */
import * as fs from "fs";
import * as path from "path";
import type { FargateArchitecture, RegionEc2File, RegionServices, ServicesFile, ZoneOfferings } from "./catalogueTypes";

export type { FargateArchitecture } from "./catalogueTypes";

const DIR = path.join(__dirname, "regions");

/** Fails loudly at load: a malformed snapshot must never read as "nothing is offered". */
function loadEc2Files(): ReadonlyMap<string, RegionEc2File> {
  const out = new Map<string, RegionEc2File>();
  for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith(".ec2.json")).sort()) {
    const parsed = JSON.parse(fs.readFileSync(path.join(DIR, file), "utf8")) as RegionEc2File;
    if (typeof parsed.region !== "string" || !Array.isArray(parsed.zones) || parsed.zones.some((z) => !Array.isArray(z.instanceTypes))) {
      throw new Error(`region catalogue: ${file} is not a region offerings file`);
    }
    if (`${parsed.region}.ec2.json` !== file) throw new Error(`region catalogue: ${file} describes ${parsed.region}`);
    out.set(parsed.region, parsed);
  }
  return out;
}

const EC2 = loadEc2Files();
const SERVICES = JSON.parse(fs.readFileSync(path.join(DIR, "services.json"), "utf8")) as ServicesFile;

/** Regions the catalogue describes in full (EC2 offerings and service facts), sorted. */
export const CATALOGUE_REGIONS: readonly string[] = Object.freeze([...EC2.keys()].filter((r) => SERVICES.regions[r] !== undefined).sort());

export function isCatalogued(region: string): boolean {
  return CATALOGUE_REGIONS.includes(region);
}

/** Why `region` cannot be checked, or undefined when it can. */
export function regionIssue(region: string): string | undefined {
  return isCatalogued(region) ? undefined : `${region} is not in the region capability catalogue (${CATALOGUE_REGIONS.join(", ")}); add it with npm run catalogue:refresh and regions/services.json`;
}

/** The region's zones (name and account-independent id), in name order; empty when not catalogued. */
export function availabilityZonesOf(region: string): readonly Pick<ZoneOfferings, "name" | "zoneId">[] {
  return (EC2.get(region)?.zones ?? []).map((z) => ({ name: z.name, zoneId: z.zoneId }));
}

/** The snapshot's source and date per catalogued region, for reports and docs. */
export function catalogueSources(region: string): { ec2: { source: string; sourceDate: string }; services: RegionServices } | undefined {
  const ec2 = EC2.get(region);
  const services = SERVICES.regions[region];
  return ec2 && services ? { ec2: { source: ec2.source, sourceDate: ec2.sourceDate }, services } : undefined;
}

function zone(region: string, az: string): ZoneOfferings | undefined {
  return EC2.get(region)?.zones.find((z) => z.name === az);
}

/** Every EC2 type offered in the region (any zone), sorted. */
export function regionInstanceTypes(region: string): readonly string[] {
  return [...new Set((EC2.get(region)?.zones ?? []).flatMap((z) => z.instanceTypes))].sort();
}

/** The zones of `azs` that the catalogue does not know for `region`. */
export function unknownZones(region: string, azs: readonly string[]): string[] {
  return azs.filter((az) => zone(region, az) === undefined);
}

function offeredIn(region: string, type: string, azs: readonly string[]): boolean {
  const zones = azs.length > 0 ? azs : (EC2.get(region)?.zones ?? []).map((z) => z.name);
  return zones.length > 0 && zones.every((az) => zone(region, az)?.instanceTypes.includes(type) ?? false);
}

/** `r7i.large` -> family r, generation 7, processor/attributes i, size large. */
const TYPE = /^([a-z]+)(\d+)([a-z-]*)\.([a-z0-9]+)$/;
/** Plain processor variants: none (m5), Graviton (g), Intel (i), AMD (a); no d/n/e/z/b specialities. */
const PLAIN_ATTRIBUTES = ["", "g", "i", "a"];

/**
 * Offered types that could stand in for `type`: the same family letter and size in another
 * generation or on another processor (r7i.large -> r7g.large, r6i.large, r6g.large, r5.large),
 * offered in every zone of `azs`. Closest generation first, then the same processor, then newer.
 */
export function offeredNearby(region: string, type: string, azs: readonly string[], accept: (t: string) => boolean = () => true): string[] {
  const want = TYPE.exec(type);
  if (!want) return [];
  const [, family, gen, attrs, size] = want;
  const scored = regionInstanceTypes(region).flatMap((t) => {
    const m = TYPE.exec(t);
    if (!m || t === type || m[1] !== family || m[4] !== size || !PLAIN_ATTRIBUTES.includes(m[3])) return [];
    if (!offeredIn(region, t, azs) || !accept(t)) return [];
    const g = Number(m[2]);
    return [{ t, key: [Math.abs(g - Number(gen)), m[3] === attrs ? 0 : 1, -g] }];
  });
  scored.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2] || a.t.localeCompare(b.t));
  return scored.slice(0, 6).map((s) => s.t);
}

export interface OfferingVerdict {
  readonly ok: boolean;
  /** Zones of `azs` (or the region, when the type is offered nowhere) where it is missing. */
  readonly missingIn: readonly string[];
  /** A sentence for a message when not ok: where it is missing. */
  readonly reason?: string;
}

/** Whether EC2 offers `type` in `region` and in every zone of `azs` (all the region's zones when empty). */
export function ec2Offering(region: string, type: string, azs: readonly string[] = []): OfferingVerdict {
  const zones = azs.length > 0 ? azs : availabilityZonesOf(region).map((z) => z.name);
  const missing = zones.filter((az) => !(zone(region, az)?.instanceTypes.includes(type) ?? false));
  if (missing.length === 0 && zones.length > 0) return { ok: true, missingIn: [] };
  const anywhere = regionInstanceTypes(region).includes(type);
  const reason = anywhere ? `offered in ${region} but not in ${missing.join(", ")}` : `not offered in ${region}`;
  return { ok: false, missingIn: anywhere ? missing : [region], reason };
}

export type ManagedService = "rds" | "elasticache" | "opensearch";

const PREFIX: Record<ManagedService, string> = { rds: "db.", elasticache: "cache.", opensearch: "" };
const SUFFIX: Record<ManagedService, string> = { rds: "", elasticache: "", opensearch: ".search" };

/** The EC2 type a managed class is named after (`db.r7g.large`, `cache.r7g.large`, `r7g.large.search` -> `r7g.large`). */
export function ec2TwinOf(service: ManagedService, name: string): string | undefined {
  const p = PREFIX[service];
  const s = SUFFIX[service];
  if (!name.startsWith(p) || !name.endsWith(s)) return undefined;
  const twin = name.slice(p.length, name.length - s.length);
  return TYPE.test(twin) ? twin : undefined;
}

function managedName(service: ManagedService, ec2Type: string): string {
  return `${PREFIX[service]}${ec2Type}${SUFFIX[service]}`;
}

/**
 * AWS publishes no per-region class list for RDS, ElastiCache or OpenSearch (services.json), so
 * the check is the sourced necessary condition: the EC2 type the class is named after is offered
 * in the region and zones. A class that passes may still be refused; one that fails cannot run.
 */
export function managedOffering(region: string, service: ManagedService, name: string, azs: readonly string[] = []): OfferingVerdict {
  const twin = ec2TwinOf(service, name);
  if (twin === undefined) return { ok: false, missingIn: [region], reason: `not a ${service} class name the catalogue can read` };
  const v = ec2Offering(region, twin, azs);
  return v.ok ? v : { ...v, reason: `its hardware, EC2 ${twin}, is ${v.reason}` };
}

/** Managed classes offered near `name`, named as the service names them. */
export function managedNearby(region: string, service: ManagedService, name: string, azs: readonly string[]): string[] {
  const twin = ec2TwinOf(service, name);
  return twin === undefined ? [] : offeredNearby(region, twin, azs).map((t) => managedName(service, t));
}

/** RDS for MySQL major versions (X.Y) of the region; empty when not catalogued. */
export function mysqlMajorVersions(region: string): readonly string[] {
  return SERVICES.regions[region]?.rds.mysqlMajorVersions ?? [];
}

/** Whether RDS for MySQL `version` (`8.0` or `8.0.39`) belongs to a major version the region offers. */
export function isMysqlVersionOffered(region: string, version: string): boolean {
  const major = /^(\d+\.\d+)(?:\.\d+)?$/.exec(version)?.[1];
  return major !== undefined && mysqlMajorVersions(region).includes(major);
}

export function openSearchVersions(region: string): readonly string[] {
  return SERVICES.regions[region]?.opensearch.engineVersions ?? [];
}

export interface FargateOffering {
  readonly architectures: readonly FargateArchitecture[];
  readonly spotArchitectures: readonly FargateArchitecture[];
}

/** Fargate in `region`: empty lists when not catalogued (nothing can be confirmed). */
export function fargateOffering(region: string): FargateOffering {
  const f = SERVICES.regions[region]?.fargate;
  return { architectures: f?.architectures ?? [], spotArchitectures: f?.spotArchitectures ?? [] };
}
