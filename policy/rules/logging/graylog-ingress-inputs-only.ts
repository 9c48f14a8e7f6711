import type { PolicyResource } from "@pulumi/policy";
import type { StackRule } from "../types";
import { GRAYLOG_INPUT_PORTS } from "../../../components/observability/logging/graylogPlan";
import { AddressRange, contains, parseCidr } from "../network/lib/cidr";
import { INGRESS_TYPES, Ingress, SECURITY_GROUP, describePorts, ingressOf } from "../network/lib/ingress";
import { UNKNOWN, peek, resourceId, str, tagsOf } from "../network/lib/values";
import { isGraylog } from "./lib/graylog";

const VPC = "aws:ec2/vpc:Vpc";
const VPN = "aws:ec2/vpnConnection:VpnConnection";
const LOAD_BALANCERS = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];

function ids(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x !== "") : [];
}

/** The ids of Graylog's security groups: those named for it and those its load balancers wear. */
function graylogGroups(resources: readonly PolicyResource[]): Set<string> {
  const out = new Set<string>();
  for (const g of resources.filter((r) => r.type === SECURITY_GROUP && isGraylog(r))) {
    const id = resourceId(g);
    if (typeof id === "string") out.add(id);
  }
  for (const lb of resources.filter((r) => LOAD_BALANCERS.includes(r.type) && isGraylog(r))) {
    const worn = peek(() => ids(lb.props.securityGroups));
    if (worn !== UNKNOWN) worn.forEach((id) => out.add(id));
  }
  return out;
}

/** Where Graylog may be reached from on any port: the stack's own VPCs and the offices its VPNs advertise. */
function trustedRanges(resources: readonly PolicyResource[]): AddressRange[] {
  const cidrs: string[] = [];
  for (const vpc of resources.filter((r) => r.type === VPC)) {
    const cidr = peek(() => str(vpc.props.cidrBlock));
    if (typeof cidr === "string") cidrs.push(cidr);
  }
  for (const vpn of resources.filter((r) => r.type === VPN)) {
    const advertised = peek(() => str(tagsOf(vpn.props).AdvertisedCidrs));
    if (typeof advertised === "string") cidrs.push(...advertised.split(/\s+/).filter(Boolean));
  }
  return cidrs.flatMap((c) => parseCidr(c) ?? []);
}

function isInputPort(i: Ingress): boolean {
  return i.protocol === "tcp" && i.fromPort !== undefined && i.fromPort === i.toPort && GRAYLOG_INPUT_PORTS.includes(i.fromPort);
}

/**
 * The environments reach Graylog to ship their logs, and for nothing else: its web interface and
 * REST API (443 on the load balancer, 9000 on the nodes), its MongoDB and its search back end
 * answer management and the offices only (docs/observability-logging.md#reachability). Any
 * CIDR-sourced ingress on a Graylog group from outside management's VPC and the offices' advertised
 * prefixes must be TCP on one of GRAYLOG_INPUT_PORTS. The offline reachability matrix shows the
 * same from the other side (each environment -> management).
 */
export const graylogIngressInputsOnly: StackRule = {
  name: "graylog-ingress-inputs-only",
  description:
    "Graylog's security groups (its load balancer's and every group named for Graylog) admit CIDRs outside the stack's own VPC and the offices' advertised prefixes only on TCP GELF input ports (12201), so an environment can ship logs to Graylog but never reach its web interface, REST API, MongoDB or search back end.",
  meta: { category: "security", domain: "logging", appliesTo: [...INGRESS_TYPES, VPC, VPN, ...LOAD_BALANCERS] },
  validateStack: (args, report) => {
    const groups = graylogGroups(args.resources);
    if (groups.size === 0) args.notApplicable("no Graylog security group in this stack");
    const trusted = trustedRanges(args.resources);
    for (const r of args.resources.filter((x) => INGRESS_TYPES.includes(x.type))) {
      const group = r.type === SECURITY_GROUP ? resourceId(r) : peek(() => str(r.props.securityGroupId));
      if (typeof group !== "string" || !groups.has(group)) continue;
      const permissions = peek(() => ingressOf(r.type, r.props));
      if (permissions === UNKNOWN) continue;
      for (const i of permissions.filter((p) => !isInputPort(p))) {
        const outside = i.cidrs.filter((c) => {
          const range = parseCidr(c);
          return range === undefined || !trusted.some((t) => contains(t, range));
        });
        if (outside.length === 0) continue;
        report(
          `${r.name} ${i.where} admits ${outside.join(", ")} on ${describePorts(i)} into Graylog's group ${group}; ` +
            `from outside the stack's VPC and the offices Graylog admits only TCP ${GRAYLOG_INPUT_PORTS.join(", ")} (its inputs)`,
          r.urn,
        );
      }
    }
  },
};
