/**
 * The ports a network's security groups admit from another network's CIDRs: the second half of a
 * reachability answer, after offline/reachability.ts has found a route. Pure: reads
 * `CapturedResource` records, creates nothing.
 *
 * An approximation, stated in docs/reachability.md: a permission counts when it sits on any security
 * group of the destination's VPC (which interface wears which group is not followed), and its IPv4
 * CIDR covers or overlaps one of the source's CIDRs. Security-group and prefix-list sources, IPv6
 * sources, NACLs and the source's own egress rules are left out.
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
  const grants = new Map<string, Grant[]>();
  for (const r of all.filter((x) => INGRESS_TYPES.includes(x.type))) {
    const groupId = r.type === SECURITY_GROUP ? r.id : str(r.inputs.securityGroupId);
    const group = groupOwner.get(groupId ?? "");
    if (!group) continue;
    const list = grants.get(group.owner) ?? [];
    list.push(...ingressOf(r.type, r.inputs).map((ingress) => ({ group: group.name, ingress })));
    grants.set(group.owner, list);
  }
  return grants;
}

/**
 * What `grants` admit from `sourceCidrs`, one entry per protocol and port range, ordered by protocol
 * (all, tcp, udp, icmp, other) then by first and last port; empty when nothing is admitted.
 */
export function admittedPorts(grants: readonly Grant[], sourceCidrs: readonly string[]): AdmittedPorts[] {
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
