/**
 * The ports a network's security groups admit from another network's CIDRs: the second half of a
 * reachability answer, after offline/reachability.ts has found a route. Pure: reads
 * `CapturedResource` records, creates nothing.
 *
 * A permission counts when it sits on a security group of the destination's VPC, its IPv4 CIDR
 * covers or overlaps one of the source's CIDRs, and the group is worn in a subnet whose route table
 * sends replies back to the source (a public load balancer open to the world is not reachable from
 * an office whose replies would leave through the internet gateway). What wears a group is read from
 * every resource's inputs that name the group's id together with subnet ids (directly or through a
 * DB or cache subnet group); a group nothing places in a subnet counts in every subnet. The rest of
 * the approximation is stated in docs/reachability.md: security-group and prefix-list sources,
 * IPv6 sources, NACLs and the source's own egress rules are left out.
 */
import { contains, overlaps, parseCidr } from "../policy/rules/network/lib/cidr";
import { INGRESS_TYPES, Ingress, Protocol, SECURITY_GROUP, ingressOf } from "../policy/rules/network/lib/ingress";
import type { CapturedResource } from "./types";

const VPC = "aws:ec2/vpc:Vpc";

/** One protocol and port range a destination admits from a source, and from which of its addresses. */
export interface AdmittedPorts {
  /** `all` is every protocol (`-1`); `other` a protocol given by a number other than TCP, UDP or ICMP (every port). */
  protocol: Protocol;
  /** `443`, `1024-2048`, or `all` (every port: protocol `all` or `other`, or a TCP/UDP rule naming no port). ICMP: `type/code`. */
  ports: string;
  /** The source addresses admitted: whole source CIDRs, or the part of one a narrower rule names. */
  from: string[];
  /** True when `from` is less than all of the source's CIDRs. */
  partial: boolean;
}

/** A permission placed on a group of a network's VPC. */
export interface Grant {
  group: string;
  ingress: Ingress;
  /** Subnets whatever wears the group sits in; undefined when that is not known (counted in every subnet). */
  subnets?: readonly string[];
}

/** Types that name groups without wearing them. */
const NOT_WEARERS: readonly string[] = [...INGRESS_TYPES, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"];
const SUBNET = "aws:ec2/subnet:Subnet";
const SUBNET_GROUPS: readonly string[] = ["aws:rds/subnetGroup:SubnetGroup", "aws:elasticache/subnetGroup:SubnetGroup"];

function strings(v: unknown, out: Set<string>): Set<string> {
  if (typeof v === "string") out.add(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v !== null && typeof v === "object") Object.values(v).forEach((x) => strings(x, out));
  return out;
}

/**
 * Per group id, the subnets of whatever wears it: undefined for a group something wears without a
 * subnet the graph shows (a launch template, say), and for a group nothing names.
 */
function placements(all: readonly CapturedResource[], groups: ReadonlySet<string>): Map<string, Set<string> | undefined> {
  const subnets = new Set(all.filter((r) => r.type === SUBNET && r.id).map((r) => r.id!));
  const bySubnetGroup = new Map<string, string[]>();
  for (const g of all.filter((r) => SUBNET_GROUPS.includes(r.type))) {
    const ids = Array.isArray(g.inputs.subnetIds) ? (g.inputs.subnetIds as unknown[]).filter((x): x is string => typeof x === "string") : [];
    for (const key of [g.id, str(g.inputs.name)]) if (key) bySubnetGroup.set(key, ids);
  }
  const placed = new Map<string, Set<string> | undefined>();
  const untied = new Set<string>();
  for (const r of all.filter((x) => x.custom && x.type !== SECURITY_GROUP && !NOT_WEARERS.includes(x.type))) {
    const named = strings(r.inputs, new Set<string>());
    const worn = [...named].filter((v) => groups.has(v));
    if (worn.length === 0) continue;
    const where = [...named].flatMap((v) => (subnets.has(v) ? [v] : bySubnetGroup.get(v) ?? []));
    for (const group of worn) {
      if (where.length === 0) untied.add(group);
      const set = placed.get(group) ?? new Set<string>();
      where.forEach((w) => set.add(w));
      placed.set(group, set);
    }
  }
  untied.forEach((group) => placed.set(group, undefined));
  return placed;
}

const PROTOCOL_ORDER: readonly Protocol[] = ["all", "tcp", "udp", "icmp", "other"];

function portsOf(i: Ingress): string {
  if (i.protocol === "all" || i.protocol === "other") return "all";
  if (i.fromPort === undefined && i.toPort === undefined) return "all";
  if (i.protocol === "icmp") return `${i.fromPort ?? -1}/${i.toPort ?? -1}`;
  const from = i.fromPort ?? 0;
  const to = i.toPort ?? 65535;
  if (from <= 0 && to >= 65535) return "all";
  return from === to ? String(from) : `${from}-${to}`;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * Every CIDR-sourced ingress permission of every security group, keyed by the stack that owns the
 * group's VPC. Groups outside a captured VPC (no `vpcId`, or another account's default VPC) and read
 * copies are left out.
 */
export function ingressByNetwork(graphs: Record<string, CapturedResource[]>): Map<string, Grant[]> {
  const ownerOfVpc = new Map<string, string>();
  for (const [stack, resources] of Object.entries(graphs)) {
    for (const v of resources) if (!v.read && v.type === VPC && v.id) ownerOfVpc.set(v.id, stack);
  }
  const all = Object.values(graphs).flat().filter((r) => !r.read);
  const groupOwner = new Map<string, { owner: string; name: string }>();
  for (const g of all) {
    const owner = ownerOfVpc.get(str(g.inputs.vpcId) ?? "");
    if (g.type === SECURITY_GROUP && g.id && owner) groupOwner.set(g.id, { owner, name: g.name });
  }
  const placed = placements(all, new Set(groupOwner.keys()));
  const grants = new Map<string, Grant[]>();
  for (const r of all.filter((x) => INGRESS_TYPES.includes(x.type))) {
    const groupId = r.type === SECURITY_GROUP ? r.id : str(r.inputs.securityGroupId);
    const group = groupOwner.get(groupId ?? "");
    if (!group) continue;
    const where = placed.get(groupId!);
    const list = grants.get(group.owner) ?? [];
    list.push(...ingressOf(r.type, r.inputs).map((ingress) => ({ group: group.name, ingress, ...(where ? { subnets: [...where].sort() } : {}) })));
    grants.set(group.owner, list);
  }
  return grants;
}

/**
 * What `grants` admit from `sourceCidrs`, one entry per protocol and port range, ordered by protocol
 * (all, tcp, udp, icmp, other) then by first and last port; empty when nothing is admitted. With
 * `replying`, a grant whose group is placed only in other subnets counts for nothing.
 */
export function admittedPorts(all: readonly Grant[], sourceCidrs: readonly string[], replying?: ReadonlySet<string>): AdmittedPorts[] {
  const grants = replying === undefined ? all : all.filter((g) => g.subnets === undefined || g.subnets.some((s) => replying.has(s)));
  const sources = sourceCidrs.flatMap((c) => {
    const range = parseCidr(c);
    return range && range.version === 4 ? [{ cidr: c, range }] : [];
  });
  const byKey = new Map<string, { protocol: Protocol; ports: string; first: number; last: number; from: Set<string> }>();
  for (const { ingress } of grants) {
    for (const ruleCidr of ingress.cidrs) {
      const rule = parseCidr(ruleCidr);
      if (!rule) continue;
      for (const s of sources.filter((x) => overlaps(rule, x.range))) {
        const ports = portsOf(ingress);
        const key = `${ingress.protocol} ${ports}`;
        const entry = byKey.get(key) ?? {
          protocol: ingress.protocol, ports,
          first: ports === "all" ? -1 : ingress.fromPort ?? 0, last: ports === "all" ? -1 : ingress.toPort ?? 65535, from: new Set<string>(),
        };
        entry.from.add(contains(rule, s.range) ? s.cidr : ruleCidr);
        byKey.set(key, entry);
      }
    }
  }
  const whole = new Set(sources.map((s) => s.cidr));
  return [...byKey.values()]
    .map((e) => {
      // A narrower rule adds nothing to a source CIDR another rule of the same ports admits whole.
      const from = [...e.from].filter((c) => whole.has(c) || !sources.some((s) => e.from.has(s.cidr) && contains(s.range, parseCidr(c)!)));
      from.sort(compareCidrs);
      return { ...e, from, partial: !sources.every((s) => from.includes(s.cidr)) };
    })
    .sort((a, b) => PROTOCOL_ORDER.indexOf(a.protocol) - PROTOCOL_ORDER.indexOf(b.protocol) || a.first - b.first || a.last - b.last)
    .map(({ protocol, ports, from, partial }) => ({ protocol, ports, from, partial }));
}

function compareCidrs(a: string, b: string): number {
  const x = parseCidr(a)!;
  const y = parseCidr(b)!;
  return x.start < y.start ? -1 : x.start > y.start ? 1 : x.prefix - y.prefix;
}

/** `tcp 443`, `udp 53`, `all`, `icmp 8/0`, with ` (part)` when only part of the source is admitted: for tests and messages. */
export function describeAdmitted(p: AdmittedPorts): string {
  const text = p.protocol === "all" ? "all" : p.ports === "all" ? `${p.protocol} all` : `${p.protocol} ${p.ports}`;
  return p.partial ? `${text} (part)` : text;
}
