/**
 * Subnet CIDR planning for EnvironmentNetwork (docs/network.md), kept free of Pulumi so the
 * address plan can be reasoned about and property-tested on its own.
 *
 * The plan must never renumber a subnet that already exists: a subnet's CIDR is baked into
 * ENIs, route tables and security rules, so a change means replacing everything in it. Hence the
 * fixed tier slots and the room every tier reserves for MAX_AZS AZs up front.
 */
import { IPv4, IPv4CidrRange, IPv4Prefix, Validator } from "ip-num";

export type SubnetTier = "public" | "app" | "data" | "transit";

/** The tiers every environment VPC gets, in slot order. */
export const SUBNET_TIERS: readonly SubnetTier[] = Object.freeze(["public", "app", "data", "transit"]);

/**
 * Slots fix the order tiers are placed in, so they are part of the address plan: reordering
 * them would move tiers. A new tier takes the next free slot above these.
 */
export const TIER_SLOTS: Readonly<Record<SubnetTier, number>> = Object.freeze({ public: 0, app: 1, data: 2, transit: 3 });

/**
 * Subnet sizes for a /16 VPC. `app` is by far the largest because Fargate tasks each take an ENI;
 * `transit` only holds Transit Gateway attachment ENIs, for which AWS recommends a /28.
 */
export const DEFAULT_TIER_PREFIXES: Readonly<Record<SubnetTier, number>> = Object.freeze({ public: 24, app: 19, data: 21, transit: 28 });

/** Every tier reserves this many AZs of room, so going from 2 to 3 AZs renumbers nothing. */
export const MAX_AZS = 4;

/** log2(MAX_AZS): how many prefix bits a tier's reserved block is larger than one subnet. */
const AZ_BITS = Math.log2(MAX_AZS);

/** AWS accepts VPC and subnet blocks from /16 to /28. */
const AWS_LARGEST_PREFIX = 16;
const AWS_SMALLEST_PREFIX = 28;

const TIER_NAME = /^[a-z][a-z0-9-]*$/;

/** ip-num accepts "10.0.0.0/016"; a non-canonical spelling would defeat string comparison of CIDRs. */
const CANONICAL_PREFIX = /\/(?:0|[1-9]\d?)$/;

export interface TierSpec {
  /** Tier name; becomes part of logical resource names, so lowercase letters, digits, hyphens. */
  tier: string;
  /** Prefix length of each AZ's subnet in this tier. */
  prefixLength: number;
  /** Stable placement order; see TIER_SLOTS. */
  slot: number;
}

export interface PlannedSubnet {
  tier: string;
  /** Index into the environment's AZ list, 0-based. */
  azIndex: number;
  cidr: string;
}

export interface SubnetPlan {
  vpcCidr: string;
  /** Sorted by tier slot, then azIndex. */
  subnets: PlannedSubnet[];
}

/** A CIDR's range as plain integers (addresses as unsigned 32-bit values), cheap to compare. */
export interface ParsedCidr {
  network: bigint;
  prefix: number;
  /** Number of addresses. */
  size: bigint;
  last: bigint;
}

/** The default tiers for a /16 VPC, in slot order. */
export const DEFAULT_TIERS: readonly TierSpec[] = Object.freeze(
  SUBNET_TIERS.map((tier) => Object.freeze({ tier, prefixLength: DEFAULT_TIER_PREFIXES[tier], slot: TIER_SLOTS[tier] })),
);

/**
 * Carries every problem found, each prefixed with the config path it concerns, so the config
 * validator can report them all together rather than one per run.
 */
export class CidrPlanError extends Error {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(issues.join("; "));
    this.name = "CidrPlanError";
    this.issues = issues;
  }
}

/**
 * Parses once and either explains the problem or returns the range, so callers that only want
 * the message and callers that want the numbers share one definition of "valid". Host bits count
 * as a problem: AWS and route tables want the network address, and a typo there means a wrong plan.
 * The valid path avoids ip-num's getFirst (binary-string maths, slow) since the IP is the network.
 */
function readCidr(field: string, value: string): ParsedCidr | string {
  const canonical = CANONICAL_PREFIX.test(value);
  if (canonical && Validator.isValidIPv4CidrRange(value)[0]) {
    const [ip, prefixText] = value.split("/");
    const network = new IPv4(ip).getValue();
    const size = IPv4Prefix.fromNumber(BigInt(prefixText)).toRangeSize();
    return { network, prefix: Number(prefixText), size, last: network + size - 1n };
  }
  if (!canonical || !Validator.isValidIPv4CidrNotation(value)[0]) return `${field}: "${value}" is not a valid IPv4 CIDR`;
  const range = IPv4CidrRange.fromCidr(value);
  return `${field}: "${value}" has host bits set; the network address should be ${range.getFirst().toString()}/${range.cidrPrefix.getValue()}`;
}

/** Why `value` is not a usable IPv4 network CIDR, or undefined; returns so validators can collect. */
export function cidrProblem(field: string, value: string): string | undefined {
  const read = readCidr(field, value);
  return typeof read === "string" ? read : undefined;
}

/** True for a canonical IPv4 network CIDR such as "10.0.0.0/16" (host bits clear). */
export function isValidCidr(value: string): boolean {
  return cidrProblem("cidr", value) === undefined;
}

/** Parses a network CIDR; throws CidrPlanError naming `field` when it is not one. */
export function parseCidr(cidr: string, field = "cidr"): ParsedCidr {
  const read = readCidr(field, cidr);
  if (typeof read === "string") throw new CidrPlanError([read]);
  return read;
}

/**
 * The one overlap test, shared by the planner and the public helpers so they cannot disagree.
 * Plain integer comparison: ip-num's range comparisons go through binary strings (~40 us each),
 * too slow for the planner's loop and the property tests.
 */
function rangesOverlap(a: ParsedCidr, b: ParsedCidr): boolean {
  return a.network <= b.last && b.network <= a.last;
}

/** True when the two CIDRs share at least one address (nesting counts). */
export function cidrsOverlap(a: string, b: string): boolean {
  return rangesOverlap(parseCidr(a), parseCidr(b));
}

/** True when every address of `inner` is in `outer` (a CIDR contains itself). */
export function cidrContains(outer: string, inner: string): boolean {
  const [o, i] = [parseCidr(outer), parseCidr(inner)];
  return o.network <= i.network && i.last <= o.last;
}

/**
 * Every overlapping pair, in input order, so one validation pass reports all clashes between the
 * stacks' VPCs and the offices. Labels double as field names when a CIDR is invalid.
 */
export function findOverlaps(entries: readonly { label: string; cidr: string }[]): { a: string; b: string }[] {
  const read = entries.map((e) => readCidr(e.label, e.cidr));
  const problems = read.filter((r): r is string => typeof r === "string");
  if (problems.length > 0) throw new CidrPlanError(problems);
  const ranges = read as ParsedCidr[];
  return entries.flatMap((x, i) =>
    entries.slice(i + 1).flatMap((y, k) => (rangesOverlap(ranges[i], ranges[i + 1 + k]) ? [{ a: x.label, b: y.label }] : [])),
  );
}

function vpcSizeProblem({ prefix }: ParsedCidr): string | undefined {
  if (prefix < AWS_LARGEST_PREFIX || prefix > AWS_SMALLEST_PREFIX) {
    return `network.cidr: AWS VPCs must be /${AWS_LARGEST_PREFIX} to /${AWS_SMALLEST_PREFIX} (got /${prefix})`;
  }
  return undefined;
}

function azCountProblem(azCount: number): string | undefined {
  if (!Number.isInteger(azCount)) return `network.azCount: must be a whole number (got ${azCount})`;
  if (azCount < 1 || azCount > MAX_AZS) return `network.azCount: must be between 1 and ${MAX_AZS} (got ${azCount})`;
  return undefined;
}

function prefixProblem(field: string, prefix: number, vpcPrefix: number | undefined): string | undefined {
  const at = `${field}.prefixLength`;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return `${at}: must be a whole number from 0 to 32 (got ${prefix})`;
  if (vpcPrefix !== undefined && prefix < vpcPrefix) return `${at}: /${prefix} is larger than the VPC /${vpcPrefix}`;
  if (prefix < AWS_LARGEST_PREFIX) return `${at}: /${prefix} is larger than /${AWS_LARGEST_PREFIX}, the largest subnet AWS allows`;
  if (prefix > AWS_SMALLEST_PREFIX) return `${at}: /${prefix} is smaller than /${AWS_SMALLEST_PREFIX}, the smallest subnet AWS allows`;
  if (vpcPrefix !== undefined && prefix - AZ_BITS < vpcPrefix) {
    return `${at}: /${prefix} reserves a /${prefix - AZ_BITS} (room for ${MAX_AZS} AZs), which is larger than the VPC /${vpcPrefix}`;
  }
  return undefined;
}

function slotProblem(field: string, spec: TierSpec, slotOwners: Map<number, string>): string | undefined {
  const at = `${field}.slot`;
  const { tier, slot } = spec;
  if (!Number.isInteger(slot) || slot < 0) return `${at}: must be a whole number >= 0 (got ${slot})`;
  if ((SUBNET_TIERS as readonly string[]).includes(tier)) {
    const fixed = TIER_SLOTS[tier as SubnetTier];
    if (slot !== fixed) return `${at}: tier "${tier}" has the fixed slot ${fixed} (got ${slot}); moving it would renumber subnets`;
  } else if (slot < SUBNET_TIERS.length) {
    return `${at}: slots 0-${SUBNET_TIERS.length - 1} belong to ${SUBNET_TIERS.join(", ")}; a new tier takes slot ${SUBNET_TIERS.length} or higher (got ${slot})`;
  }
  const owner = slotOwners.get(slot);
  if (owner !== undefined) return `${at}: slot ${slot} is already used by tier "${owner}"`;
  slotOwners.set(slot, tier);
  return undefined;
}

function tierProblems(tiers: readonly TierSpec[], vpcPrefix: number | undefined): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const slotOwners = new Map<number, string>();
  tiers.forEach((spec, i) => {
    if (!TIER_NAME.test(spec.tier)) {
      problems.push(`network.tiers[${i}].tier: "${spec.tier}" is not a valid tier name (lowercase letters, digits, hyphens)`);
      return;
    }
    const field = `network.tiers.${spec.tier}`;
    if (names.has(spec.tier)) {
      problems.push(`${field}: tier "${spec.tier}" is listed more than once`);
      return;
    }
    names.add(spec.tier);
    problems.push(...[slotProblem(field, spec, slotOwners), prefixProblem(field, spec.prefixLength, vpcPrefix)].flatMap((p) => p ?? []));
  });
  if (tiers.length === 0) problems.push("network.tiers: at least one tier is required");
  return problems;
}

function blockPrefixOf(spec: TierSpec): number {
  return spec.prefixLength - AZ_BITS;
}

function sizeOf(prefix: number): bigint {
  return IPv4Prefix.fromNumber(BigInt(prefix)).toRangeSize();
}

/** Checked up front so the error states the whole budget rather than naming whichever tier came last. */
function assertFits(vpcCidr: string, vpc: ParsedCidr, ordered: readonly TierSpec[]): void {
  const needed = ordered.reduce((sum, spec) => sum + sizeOf(blockPrefixOf(spec)), 0n);
  if (needed <= vpc.size) return;
  const parts = ordered.map((s) => `${s.tier} ${MAX_AZS} x /${s.prefixLength}`).join(" + ");
  throw new CidrPlanError([
    `network.tiers: the subnet plan needs ${needed} addresses (${parts}) but the VPC ${vpcCidr} has only ${vpc.size}`,
  ]);
}

/**
 * Lowest aligned start for a block of `prefix` that clashes with nothing reserved. Aligned blocks
 * either nest or are disjoint, so jumping past the end of the clash (or of the candidate, if the
 * clash is smaller) lands on the next aligned candidate.
 */
function firstFreeBlock(vpc: ParsedCidr, prefix: number, reserved: readonly ParsedCidr[]): ParsedCidr | undefined {
  const size = sizeOf(prefix);
  for (let network = vpc.network; network + size - 1n <= vpc.last; ) {
    const candidate = { network, prefix, size, last: network + size - 1n };
    const clash = reserved.find((r) => rangesOverlap(r, candidate));
    if (clash === undefined) return candidate;
    network = (clash.last > candidate.last ? clash.last : candidate.last) + 1n;
  }
  return undefined;
}

function reserveBlocks(vpcCidr: string, vpc: ParsedCidr, ordered: readonly TierSpec[]): ParsedCidr[] {
  const reserved: ParsedCidr[] = [];
  for (const spec of ordered) {
    const prefix = blockPrefixOf(spec);
    const block = firstFreeBlock(vpc, prefix, reserved);
    // Not expected once assertFits passes (aligned first fit of power-of-two blocks packs fully);
    // a property test holds the planner to that.
    if (block === undefined) {
      throw new CidrPlanError([`network.tiers.${spec.tier}: no free aligned /${prefix} is left in the VPC ${vpcCidr} for ${MAX_AZS} x /${spec.prefixLength}`]);
    }
    reserved.push(block);
  }
  return reserved;
}

/** Same result as ip-num's splitInto(...)[index], without building all MAX_AZS ranges (~80 us each call). */
function nthSubnet(block: ParsedCidr, prefix: number, index: number): string {
  const start = block.network + BigInt(index) * sizeOf(prefix);
  return new IPv4CidrRange(IPv4.fromNumber(start), IPv4Prefix.fromNumber(BigInt(prefix))).toCidrString();
}

/**
 * Plans one subnet per AZ for each tier. Tiers are placed in slot order, each reserving an aligned
 * block of MAX_AZS subnets at the lowest free position; AZ i gets the i-th subnet of its tier's
 * block. So adding an AZ only fills reserved room, and adding a tier with a higher slot never
 * moves an existing one. Changing an existing tier's prefixLength, or removing a tier that has
 * tiers after it, can move later tiers: treat both as a migration.
 *
 * @param tiers @default DEFAULT_TIERS (sized for a /16)
 * @throws CidrPlanError listing every problem with its config path
 */
export function planSubnets(vpcCidr: string, azCount: number, tiers: readonly TierSpec[] = DEFAULT_TIERS): SubnetPlan {
  const read = readCidr("network.cidr", vpcCidr);
  const vpc = typeof read === "string" ? undefined : read;
  const vpcIssue = typeof read === "string" ? read : vpcSizeProblem(read);
  const problems = [vpcIssue, azCountProblem(azCount)].flatMap((p) => p ?? []);
  problems.push(...tierProblems(tiers, vpc?.prefix));
  if (vpc === undefined || problems.length > 0) throw new CidrPlanError(problems);

  const ordered = [...tiers].sort((a, b) => a.slot - b.slot);
  assertFits(vpcCidr, vpc, ordered);
  const blocks = reserveBlocks(vpcCidr, vpc, ordered);
  const subnets = ordered.flatMap((spec, i) =>
    Array.from({ length: azCount }, (_, azIndex) => ({ tier: spec.tier, azIndex, cidr: nthSubnet(blocks[i], spec.prefixLength, azIndex) })),
  );
  return { vpcCidr, subnets };
}
