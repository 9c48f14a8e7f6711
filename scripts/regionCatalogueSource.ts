/**
 * Turns DescribeInstanceTypeOfferings / DescribeAvailabilityZones answers (from the AWS CLI, or as
 * moto keeps them) into one region's EC2 catalogue file. Pure: the refresh script does the I/O, and
 * the tests feed small fixtures through these functions without any network.
 */
import { EC2_FILE_MARKER, RegionEc2File, ZoneOfferings } from "../components/aws/catalogueTypes";

/** What a source answer could not be read as, naming the input. */
export class SourceFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SourceFormatError";
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Location -> instance types from a DescribeInstanceTypeOfferings answer: the CLI's
 * `{"InstanceTypeOfferings": [...]}` or moto's bare array of the same items.
 */
export function parseOfferings(input: unknown, label: string): Map<string, Set<string>> {
  const items = Array.isArray(input) ? input : isRecord(input) ? input.InstanceTypeOfferings : undefined;
  if (!Array.isArray(items)) throw new SourceFormatError(`${label}: expected an InstanceTypeOfferings list`);
  const out = new Map<string, Set<string>>();
  items.forEach((item, i) => {
    if (!isRecord(item) || typeof item.InstanceType !== "string" || typeof item.Location !== "string") {
      throw new SourceFormatError(`${label}: item ${i} has no InstanceType and Location strings`);
    }
    let set = out.get(item.Location);
    if (!set) out.set(item.Location, (set = new Set()));
    set.add(item.InstanceType);
  });
  if (out.size === 0) throw new SourceFormatError(`${label}: no offerings (wrong region, or a region not enabled for the account?)`);
  return out;
}

/** AZ name -> zone id from a DescribeAvailabilityZones answer (`{"AvailabilityZones": [...]}`). */
export function parseZones(input: unknown, label: string): Map<string, string> {
  const items = isRecord(input) ? input.AvailabilityZones : undefined;
  if (!Array.isArray(items)) throw new SourceFormatError(`${label}: expected an AvailabilityZones list`);
  const out = new Map<string, string>();
  items.forEach((item, i) => {
    if (!isRecord(item) || typeof item.ZoneName !== "string" || typeof item.ZoneId !== "string") {
      throw new SourceFormatError(`${label}: item ${i} has no ZoneName and ZoneId strings`);
    }
    // Local Zones and Wavelength Zones carry other ZoneTypes; the platform places nothing there.
    if (item.ZoneType === undefined || item.ZoneType === "availability-zone") out.set(item.ZoneName, item.ZoneId);
  });
  return out;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/**
 * moto keeps the same offerings once by AZ name and once by AZ id but never states which name is
 * which id. The two answers came from one account, so a name and an id with the identical type set
 * are the same zone; any name that does not match exactly one id is an error, never a guess.
 */
export function matchZoneIds(byName: ReadonlyMap<string, ReadonlySet<string>>, byId: ReadonlyMap<string, ReadonlySet<string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, types] of byName) {
    const ids = [...byId].filter(([, t]) => sameSet(t, types)).map(([id]) => id);
    if (ids.length !== 1) {
      throw new SourceFormatError(`cannot tell the zone id of ${name}: ${ids.length === 0 ? "no" : ids.length} zone id list${ids.length === 1 ? "" : "s"} match its offerings`);
    }
    out.set(name, ids[0]);
  }
  return out;
}

export interface BuildInput {
  region: string;
  byZone: ReadonlyMap<string, ReadonlySet<string>>;
  zoneIds: ReadonlyMap<string, string>;
  source: string;
  sourceDate: string;
}

/** The catalogue file for one region: zones in name order, each with its sorted types. */
export function buildRegionFile(input: BuildInput): RegionEc2File {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.sourceDate)) throw new SourceFormatError(`source date "${input.sourceDate}" is not YYYY-MM-DD`);
  const zones: ZoneOfferings[] = [...input.byZone.keys()].sort().map((name) => {
    if (!name.startsWith(input.region) || !/^[a-z]$/.test(name.slice(input.region.length))) {
      throw new SourceFormatError(`${name} is not an availability zone of ${input.region}`);
    }
    const zoneId = input.zoneIds.get(name);
    if (zoneId === undefined) throw new SourceFormatError(`no zone id for ${name}`);
    return { name, zoneId, instanceTypes: [...(input.byZone.get(name) ?? [])].sort() };
  });
  return { generatedBy: EC2_FILE_MARKER, region: input.region, source: input.source, sourceDate: input.sourceDate, zones };
}

/** JSON with each type list on one line: small diffs when AWS adds a type, short files. */
export function formatRegionFile(file: RegionEc2File): string {
  const zones = file.zones.map(
    (z) => `    { "name": ${JSON.stringify(z.name)}, "zoneId": ${JSON.stringify(z.zoneId)},\n      "instanceTypes": ${JSON.stringify(z.instanceTypes)} }`,
  );
  return [
    "{",
    `  "generatedBy": ${JSON.stringify(file.generatedBy)},`,
    `  "region": ${JSON.stringify(file.region)},`,
    `  "source": ${JSON.stringify(file.source)},`,
    `  "sourceDate": ${JSON.stringify(file.sourceDate)},`,
    `  "zones": [\n${zones.join(",\n")}\n  ]`,
    "}",
    "",
  ].join("\n");
}

/** Whether existing file content was written by the refresh script (it never touches other files). */
export function isGeneratedFile(content: string): boolean {
  try {
    const parsed: unknown = JSON.parse(content);
    return isRecord(parsed) && parsed.generatedBy === EC2_FILE_MARKER;
  } catch {
    return false;
  }
}
