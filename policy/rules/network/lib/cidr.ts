/**
 * Just enough CIDR arithmetic for the rules: parse IPv4/IPv6 CIDRs into address ranges and compare
 * them. Hand-written because the policy pack ships with its own, minimal dependencies
 * (policy/package.json) and cannot use the program's ip-num.
 */

export interface AddressRange {
  readonly version: 4 | 6;
  /** First and last address, inclusive. */
  readonly start: bigint;
  readonly end: bigint;
  readonly prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEXTET = /^[0-9a-f]{1,4}$/i;

function ipv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function ipv6(text: string): bigint | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const words = (s: string): string[] => (s === "" ? [] : s.split(":"));
  const head = words(halves[0]);
  const tail = halves.length === 2 ? words(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!all.every((w) => HEXTET.test(w))) return undefined;
  return all.reduce((acc, w) => (acc << 16n) | BigInt(parseInt(w, 16)), 0n);
}

/** The range a CIDR covers (host bits ignored), or undefined when it is not a CIDR. */
export function parseCidr(cidr: unknown): AddressRange | undefined {
  if (typeof cidr !== "string") return undefined;
  const [addr, len, extra] = cidr.trim().split("/");
  if (extra !== undefined || len === undefined || !/^\d{1,3}$/.test(len)) return undefined;
  const version = addr.includes(":") ? 6 : 4;
  const bits = version === 4 ? 32 : 128;
  const prefix = Number(len);
  const value = version === 4 ? ipv4(addr) : ipv6(addr);
  if (value === undefined || prefix > bits) return undefined;
  const size = 1n << BigInt(bits - prefix);
  const start = (value / size) * size;
  return { version, start, end: start + size - 1n, prefix };
}

export function overlaps(a: AddressRange, b: AddressRange): boolean {
  return a.version === b.version && a.start <= b.end && b.start <= a.end;
}

export function contains(outer: AddressRange, inner: AddressRange): boolean {
  return outer.version === inner.version && outer.start <= inner.start && inner.end <= outer.end;
}

/** True for `0.0.0.0/0` and `::/0` (however written): every address of the family. */
export function isWorld(cidr: unknown): boolean {
  return parseCidr(cidr)?.prefix === 0;
}

/** Address space that is not reachable from the internet. */
const NON_PUBLIC = [
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "100.64.0.0/10", // carrier-grade NAT
  "127.0.0.0/8",
  "169.254.0.0/16",
  "fc00::/7", // unique local
  "fe80::/10", // link local
  "::1/128",
].map((c) => parseCidr(c)!);

/** True when some address of the CIDR is publicly routable (an unparsable CIDR counts as public). */
export function isPublic(cidr: unknown): boolean {
  const range = parseCidr(cidr);
  return range === undefined || !NON_PUBLIC.some((p) => contains(p, range));
}
