/**
 * Pure decisions behind OfficeVpn (docs/network.md): how office VPN tunnels are numbered
 * (inside CIDRs) and configured (IKEv2, strong algorithms, DPD), and which tables an office's
 * attachments use. No Pulumi resources here, so every rule is unit-tested directly.
 */
import { createHash } from "crypto";
import { Tags, missingCommonTags } from "../tags";
import { cidrContains, cidrProblem, findOverlaps } from "./cidrPlan";
import { TransitPlanError, asnProblem, nameProblem, uniqueNameIssues } from "./transitPlan";

/** Inside addresses of VPN tunnels come from link-local space, a /30 per tunnel. */
export const TUNNEL_INSIDE_RANGE = "169.254.0.0/16";

/** /30s AWS refuses as tunnel inside CIDRs. */
export const RESERVED_INSIDE_CIDRS: readonly string[] = [
  "169.254.0.0/30",
  "169.254.1.0/30",
  "169.254.2.0/30",
  "169.254.3.0/30",
  "169.254.4.0/30",
  "169.254.5.0/30",
  "169.254.169.252/30",
];

const BLOCKS = 4096; // /28s in a /16: each office gets one, holding 2 devices x 2 tunnels x /30

/** Index of the /28 holding each reserved /30 (third octet x 16 + fourth octet / 16). */
const RESERVED_BLOCKS = new Set(
  RESERVED_INSIDE_CIDRS.map((c) => {
    const [, , third, fourth] = c.split("/")[0].split(".").map(Number);
    return third * 16 + Math.floor(fourth / 16);
  }),
);

function blockCidr(block: number): string {
  return `169.254.${block >> 4}.${(block & 15) * 16}/28`;
}

/**
 * The /28 an office's four tunnels are numbered from. It hashes the office name, so it never
 * depends on which other offices exist or their order (renumbering replaces VPN connections),
 * and steps past blocks holding an AWS-reserved /30. Two offices may share a block (about 1 in
 * 4,000 per pair): AWS only requires unique inside CIDRs per virtual private gateway, not per
 * Transit Gateway, and offices terminate on different devices, so a shared block is harmless.
 */
export function officeInsideCidrBlock(office: string): string {
  let block = createHash("sha256").update(`tila-vpn-inside|${office}`).digest().readUInt32BE(0) % BLOCKS;
  while (RESERVED_BLOCKS.has(block)) block = (block + 1) % BLOCKS;
  return blockCidr(block);
}

/** Inside CIDR of one tunnel: slot 0 or 1 (the device), tunnel 1 or 2. */
export function tunnelInsideCidr(office: string, slot: 0 | 1, tunnel: 1 | 2): string {
  const [base] = officeInsideCidrBlock(office).split("/");
  const octets = base.split(".").map(Number);
  return `${octets[0]}.${octets[1]}.${octets[2]}.${octets[3] + (slot * 2 + (tunnel - 1)) * 4}/30`;
}

/**
 * Inside CIDRs for an office's devices. Slots follow the sorted device names, so reordering the
 * devices in config changes nothing.
 */
export function planTunnelInsideCidrs(office: string, deviceNames: readonly string[]): Record<string, readonly [string, string]> {
  const sorted = [...deviceNames].sort();
  return Object.fromEntries(
    deviceNames.map((d) => {
      const slot = sorted.indexOf(d) === 0 ? 0 : 1;
      return [d, [tunnelInsideCidr(office, slot, 1), tunnelInsideCidr(office, slot, 2)] as const];
    }),
  );
}

/** True when `cidr` is a usable tunnel inside CIDR: a /30 in 169.254.0.0/16, not reserved. */
export function isUsableInsideCidr(cidr: string): boolean {
  return cidrProblem("cidr", cidr) === undefined && cidr.endsWith("/30") && cidrContains(TUNNEL_INSIDE_RANGE, cidr) && !RESERVED_INSIDE_CIDRS.includes(cidr);
}

export type IkeVersion = "ikev2";
export type EncryptionAlgorithm = "AES256" | "AES256-GCM-16";
export type IntegrityAlgorithm = "SHA2-256" | "SHA2-384" | "SHA2-512";
export type DhGroup = 19 | 20 | 21;

/**
 * IPsec settings applied to both tunnels of every connection. Only strong values are accepted:
 * IKEv1, AES128, SHA1 and the MODP Diffie-Hellman groups (2, 5, 14-18, 22-24) are rejected even
 * though AWS allows them, and so is any value outside AWS's ranges. Override only to match what
 * an office device supports.
 */
export interface TunnelOptions {
  /** @default ["ikev2"] */
  readonly ikeVersions?: readonly IkeVersion[];
  /** @default ["AES256", "AES256-GCM-16"] */
  readonly phase1EncryptionAlgorithms?: readonly EncryptionAlgorithm[];
  /** @default ["SHA2-256", "SHA2-384"] */
  readonly phase1IntegrityAlgorithms?: readonly IntegrityAlgorithm[];
  /** Elliptic-curve groups only. @default [19, 20, 21] */
  readonly phase1DhGroupNumbers?: readonly DhGroup[];
  /** AWS range 900-28800. @default 28800 */
  readonly phase1LifetimeSeconds?: number;
  /** @default ["AES256", "AES256-GCM-16"] */
  readonly phase2EncryptionAlgorithms?: readonly EncryptionAlgorithm[];
  /** @default ["SHA2-256", "SHA2-384"] */
  readonly phase2IntegrityAlgorithms?: readonly IntegrityAlgorithm[];
  /** Perfect forward secrecy groups. @default [19, 20, 21] */
  readonly phase2DhGroupNumbers?: readonly DhGroup[];
  /** AWS range 900-3600. @default 3600 */
  readonly phase2LifetimeSeconds?: number;
  /** At least 30. @default 30 */
  readonly dpdTimeoutSeconds?: number;
  /** `restart` has AWS renegotiate a dead tunnel instead of waiting for the office. @default "restart" */
  readonly dpdTimeoutAction?: "restart" | "clear" | "none";
  /** `add`: the office device initiates IKE (AWS's default). @default "add" */
  readonly startupAction?: "add" | "start";
  /** 60 to half the phase 2 lifetime. @default 540 */
  readonly rekeyMarginTimeSeconds?: number;
  /** 0-100. @default 100 */
  readonly rekeyFuzzPercentage?: number;
  /** 64-2048 packets. @default 1024 */
  readonly replayWindowSize?: number;
}

export type ResolvedTunnelOptions = { readonly [K in keyof TunnelOptions]-?: NonNullable<TunnelOptions[K]> };

export const DEFAULT_TUNNEL_OPTIONS: ResolvedTunnelOptions = Object.freeze({
  ikeVersions: ["ikev2"],
  phase1EncryptionAlgorithms: ["AES256", "AES256-GCM-16"],
  phase1IntegrityAlgorithms: ["SHA2-256", "SHA2-384"],
  phase1DhGroupNumbers: [19, 20, 21],
  phase1LifetimeSeconds: 28800,
  phase2EncryptionAlgorithms: ["AES256", "AES256-GCM-16"],
  phase2IntegrityAlgorithms: ["SHA2-256", "SHA2-384"],
  phase2DhGroupNumbers: [19, 20, 21],
  phase2LifetimeSeconds: 3600,
  dpdTimeoutSeconds: 30,
  dpdTimeoutAction: "restart",
  startupAction: "add",
  rekeyMarginTimeSeconds: 540,
  rekeyFuzzPercentage: 100,
  replayWindowSize: 1024,
} as const);

const STRONG: Record<string, readonly (string | number)[]> = {
  ikeVersions: ["ikev2"],
  EncryptionAlgorithms: ["AES256", "AES256-GCM-16"],
  IntegrityAlgorithms: ["SHA2-256", "SHA2-384", "SHA2-512"],
  DhGroupNumbers: [19, 20, 21],
};

const RANGES: Partial<Record<keyof TunnelOptions, readonly [number, number]>> = {
  phase1LifetimeSeconds: [900, 28800],
  phase2LifetimeSeconds: [900, 3600],
  dpdTimeoutSeconds: [30, 2 ** 31 - 1],
  rekeyFuzzPercentage: [0, 100],
  replayWindowSize: [64, 2048],
};

function tunnelIssues(t: ResolvedTunnelOptions): string[] {
  const issues: string[] = [];
  for (const [key, value] of Object.entries(t) as [keyof TunnelOptions, unknown][]) {
    const at = `tunnel.${key}`;
    const strong = STRONG[key] ?? STRONG[key.replace(/^phase[12]/, "")];
    if (strong !== undefined) {
      const list = value as readonly (string | number)[];
      if (list.length === 0) issues.push(`${at}: at least one value is required`);
      const weak = list.filter((v) => !strong.includes(v));
      if (weak.length > 0) issues.push(`${at}: ${weak.join(", ")} not allowed; use ${strong.join(", ")}`);
    }
    const range = RANGES[key];
    const n = value as number;
    if (range !== undefined && !(Number.isInteger(n) && n >= range[0] && n <= range[1])) issues.push(`${at}: ${n} is outside ${range[0]}-${range[1]}`);
  }
  const maxMargin = Math.floor(t.phase2LifetimeSeconds / 2);
  if (!(Number.isInteger(t.rekeyMarginTimeSeconds) && t.rekeyMarginTimeSeconds >= 60 && t.rekeyMarginTimeSeconds <= maxMargin)) {
    issues.push(`tunnel.rekeyMarginTimeSeconds: ${t.rekeyMarginTimeSeconds} is outside 60-${maxMargin} (half the phase 2 lifetime)`);
  }
  if (!["restart", "clear", "none"].includes(t.dpdTimeoutAction)) issues.push(`tunnel.dpdTimeoutAction: "${t.dpdTimeoutAction}" must be restart, clear or none`);
  if (!["add", "start"].includes(t.startupAction)) issues.push(`tunnel.startupAction: "${t.startupAction}" must be add or start`);
  return issues;
}

/** Addresses a customer gateway's outside interface cannot have on the internet. */
const NON_PUBLIC = ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3"];
const DOTTED_QUAD = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** CloudWatch Logs accepts only these retention periods. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** AWS caps tag values at 256 characters. */
const MAX_TAG_VALUE = 256;

export interface OfficeDevice {
  readonly name: string;
  readonly ipAddress: string;
  readonly bgpAsn: number;
}

export interface OfficeVpnInput {
  readonly office: string;
  readonly cidrs: readonly string[];
  readonly devices: readonly OfficeDevice[];
  readonly propagationLabels: readonly string[];
  readonly tunnel?: TunnelOptions;
  readonly logRetentionDays: number;
  readonly tags: Tags;
}

export interface PlannedDevice extends OfficeDevice {
  /** ASNs above 2^31-1 go in the customer gateway's `bgpAsnExtended` field. */
  readonly asnField: "bgpAsn" | "bgpAsnExtended";
  readonly insideCidrs: readonly [string, string];
}

export interface OfficeVpnPlan {
  readonly devices: readonly PlannedDevice[];
  readonly tunnel: ResolvedTunnelOptions;
  /** Value of the `AdvertisedCidrs` tag the reachability analysis reads. */
  readonly advertisedCidrs: string;
}

function deviceIssues(devices: readonly OfficeDevice[]): string[] {
  if (devices.length !== 2) return [`devices: exactly two devices are required, one customer gateway each (got ${devices.length})`];
  const issues = uniqueNameIssues("devices", devices.map((d) => d.name));
  devices.forEach((d, i) => {
    const at = `devices[${i}]`;
    if (!DOTTED_QUAD.test(d.ipAddress)) issues.push(`${at}.ipAddress: "${d.ipAddress}" is not an IPv4 address`);
    else if (NON_PUBLIC.some((r) => cidrContains(r, `${d.ipAddress}/32`))) issues.push(`${at}.ipAddress: ${d.ipAddress} is not a public address`);
    if (i > 0 && d.ipAddress === devices[0].ipAddress) issues.push(`${at}.ipAddress: ${d.ipAddress} is also devices[0].ipAddress; two devices need two addresses`);
    const asn = asnProblem(`${at}.bgpAsn`, d.bgpAsn);
    if (asn !== undefined) issues.push(asn);
  });
  return issues;
}

/**
 * Checks an office VPN's arguments and works out its devices' tunnels.
 * @throws TransitPlanError listing every problem with its argument path
 */
export function planOfficeVpn(input: OfficeVpnInput): OfficeVpnPlan {
  const overrides = Object.entries(input.tunnel ?? {}).filter(([, v]) => v !== undefined);
  const tunnel: ResolvedTunnelOptions = { ...DEFAULT_TUNNEL_OPTIONS, ...Object.fromEntries(overrides) };
  const advertisedCidrs = input.cidrs.join(" ");
  const issues = [nameProblem("office", input.office), ...missingCommonTags(input.tags)].flatMap((p) => p ?? []);
  if (input.cidrs.length === 0) issues.push("cidrs: at least one CIDR is required");
  const bad = input.cidrs.flatMap((c, i) => cidrProblem(`cidrs[${i}]`, c) ?? []);
  issues.push(...bad);
  if (bad.length === 0) issues.push(...findOverlaps(input.cidrs.map((cidr, i) => ({ label: `cidrs[${i}]`, cidr }))).map(({ a, b }) => `${b}: overlaps ${a}`));
  if (advertisedCidrs.length > MAX_TAG_VALUE) issues.push(`cidrs: ${advertisedCidrs.length} characters joined exceed the ${MAX_TAG_VALUE}-character AdvertisedCidrs tag; summarise them`);
  issues.push(...deviceIssues(input.devices));
  if (input.propagationLabels.length === 0) issues.push("propagationRouteTableIds: at least the management table is required");
  input.propagationLabels.forEach((l) => {
    const problem = nameProblem(`propagationRouteTableIds.${l}`, l);
    if (problem !== undefined) issues.push(problem);
  });
  if (!LOG_RETENTION_DAYS.includes(input.logRetentionDays)) issues.push(`logRetentionDays: ${input.logRetentionDays} is not a CloudWatch Logs retention period`);
  issues.push(...tunnelIssues(tunnel));
  if (issues.length > 0) throw new TransitPlanError(issues);

  const inside = planTunnelInsideCidrs(input.office, input.devices.map((d) => d.name));
  const devices = input.devices.map((d) => ({ ...d, asnField: d.bgpAsn > 2 ** 31 - 1 ? ("bgpAsnExtended" as const) : ("bgpAsn" as const), insideCidrs: inside[d.name] }));
  return { devices, tunnel, advertisedCidrs };
}
