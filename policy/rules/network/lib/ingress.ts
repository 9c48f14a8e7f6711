/**
 * Security-group ingress in one shape, whichever of the three ways it is declared: inline
 * `ingress` blocks on `aws:ec2/securityGroup:SecurityGroup`, the legacy
 * `aws:ec2/securityGroupRule:SecurityGroupRule` (type `ingress`) and the current
 * `aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule`.
 */
import { str } from "./values";

export const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
export const SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
export const SECURITY_GROUP_INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const INGRESS_TYPES: readonly string[] = [SECURITY_GROUP, SECURITY_GROUP_RULE, SECURITY_GROUP_INGRESS_RULE];

export type Protocol = "all" | "tcp" | "udp" | "icmp" | "other";

export interface Ingress {
  /** Where in the resource, for messages: `ingress[2]`, or `rule`. */
  readonly where: string;
  readonly protocol: Protocol;
  /** Undefined means every port (protocol `all`, or a rule that names none). */
  readonly fromPort?: number;
  readonly toPort?: number;
  /** IPv4 and IPv6 CIDR sources; security-group and prefix-list sources are not listed. */
  readonly cidrs: readonly string[];
}

function protocolOf(p: unknown): Protocol {
  const s = String(p ?? "").toLowerCase();
  if (s === "-1" || s === "all") return "all";
  if (s === "tcp" || s === "6") return "tcp";
  if (s === "udp" || s === "17") return "udp";
  if (s === "icmp" || s === "1" || s === "icmpv6" || s === "58") return "icmp";
  return "other";
}

function port(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.flatMap((x) => str(x) ?? []) : [];
}

function ingress(where: string, r: Record<string, unknown>, protocolKey: string, cidrs: string[]): Ingress {
  const protocol = protocolOf(r[protocolKey]);
  const ports = protocol === "all" ? {} : { fromPort: port(r.fromPort), toPort: port(r.toPort) };
  return { where, protocol, ...ports, cidrs };
}

/** Every ingress permission a resource of `type` declares (none for egress or other types). */
export function ingressOf(type: string, props: Record<string, unknown>): Ingress[] {
  switch (type) {
    case SECURITY_GROUP: {
      const blocks = Array.isArray(props.ingress) ? (props.ingress as Record<string, unknown>[]) : [];
      return blocks.map((b, i) => ingress(`ingress[${i}]`, b, "protocol", [...strings(b.cidrBlocks), ...strings(b.ipv6CidrBlocks)]));
    }
    case SECURITY_GROUP_RULE:
      return props.type === "ingress" ? [ingress("rule", props, "protocol", [...strings(props.cidrBlocks), ...strings(props.ipv6CidrBlocks)])] : [];
    case SECURITY_GROUP_INGRESS_RULE:
      return [ingress("rule", props, "ipProtocol", [str(props.cidrIpv4), str(props.cidrIpv6)].flatMap((c) => c ?? []))];
    default:
      return [];
  }
}

/** True when the permission admits `port` over TCP or UDP (all-protocol rules admit every port). */
export function admitsPort(i: Ingress, p: number): boolean {
  if (i.protocol === "all") return true;
  if (i.protocol !== "tcp" && i.protocol !== "udp") return false;
  return (i.fromPort ?? 0) <= p && p <= (i.toPort ?? 65535);
}

/** `tcp 443`, `tcp 1024-2048`, `all traffic`: how a permission reads in a message. */
export function describePorts(i: Ingress): string {
  if (i.protocol === "all") return "all traffic";
  if (i.fromPort === undefined && i.toPort === undefined) return `${i.protocol} (every port)`;
  return i.fromPort === i.toPort ? `${i.protocol} ${i.fromPort}` : `${i.protocol} ${i.fromPort ?? 0}-${i.toPort ?? 65535}`;
}
