/**
 * The network picture's model from the captured graphs of every stack: each VPC with its subnet
 * tiers per AZ, NAT gateways and endpoints; the Transit Gateway's route tables with their
 * associations, propagations, static and blackhole routes; the office VPNs. Pure: reads
 * `CapturedResource` records (read resources excluded: they duplicate the originals).
 */
import type { CapturedResource } from "../types";
import type { NetworkModel, OfficeModel, RouteTableModel, TierModel, VpcModel } from "./types";

const T = {
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  nat: "aws:ec2/natGateway:NatGateway",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  zone: "aws:route53/zone:Zone",
  zoneAssociation: "aws:route53/zoneAssociation:ZoneAssociation",
  tgw: "aws:ec2transitgateway/transitGateway:TransitGateway",
  attachment: "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
  routeTable: "aws:ec2transitgateway/routeTable:RouteTable",
  association: "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
  propagation: "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
  route: "aws:ec2transitgateway/route:Route",
  vpn: "aws:ec2/vpnConnection:VpnConnection",
  customerGateway: "aws:ec2/customerGateway:CustomerGateway",
} as const;

/** Platform order (offline/stackConfig.ts holds the same; not imported, so drawing never loads the config schema). */
const STACK_ORDER = ["management", "dev", "stage", "preprod", "prod"];
const TIER_ORDER = ["public", "app", "data", "transit"];

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const tag = (r: CapturedResource, key: string): string | undefined => str((r.inputs.tags as Record<string, unknown> | undefined)?.[key]);
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const uniqSorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort(byName);

/** Stacks in platform order, unknown ones after by name. */
export function stackRank(stack: string): number {
  const i = STACK_ORDER.indexOf(stack);
  return i < 0 ? STACK_ORDER.length : i;
}
export const byStack = (a: string, b: string): number => stackRank(a) - stackRank(b) || byName(a, b);

/** `me-south-1a` -> `a`; else the name's last `-x` part; else `?`. */
function azLetter(subnet: CapturedResource): string {
  const az = str(subnet.outputs.availabilityZone) ?? str(subnet.inputs.availabilityZone);
  if (az) return az.slice(-1);
  const m = /-([a-z])$/.exec(subnet.name);
  return m ? m[1] : "?";
}

function tierRank(t: string): number {
  const i = TIER_ORDER.indexOf(t);
  return i < 0 ? TIER_ORDER.length : i;
}

/** A route table's short label: `hub-rt-offices-riyadh` -> `offices-riyadh`. */
export function routeTableLabel(name: string): string {
  const i = name.indexOf("-rt-");
  return i >= 0 ? name.slice(i + 4) : name;
}

/** `com.amazonaws.me-south-1.ecr.api` -> `ecr.api`. */
function endpointService(serviceName: string): string {
  const m = /^com\.amazonaws\.[a-z0-9-]+\.(.+)$/.exec(serviceName);
  return m ? m[1] : serviceName;
}

function ipToNumber(ip: string): number {
  return ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
}
/** Whether `outer` covers `inner` (both IPv4 CIDRs). */
function covers(outer: string, inner: string): boolean {
  const [oa, ol] = outer.split("/");
  const [ia, il] = inner.split("/");
  const olen = Number(ol);
  if (!(olen <= Number(il))) return false;
  const size = 2 ** (32 - olen);
  return Math.floor(ipToNumber(oa) / size) === Math.floor(ipToNumber(ia) / size);
}

type Placed = { stack: string; r: CapturedResource };

export interface NetworkModelInput {
  /** Captured resources by stack. */
  graphs: Record<string, readonly CapturedResource[]>;
  /** Office CIDRs by office name (from the reachability report); offices without are drawn without. */
  officeCidrs?: Record<string, readonly string[]>;
}

export function networkModel(input: NetworkModelInput): NetworkModel {
  const stacks = Object.keys(input.graphs).sort(byStack);
  const all = stacks.flatMap((stack) => input.graphs[stack].filter((r) => !r.read).map((r) => ({ stack, r })));
  const ofType = (type: string): Placed[] => all.filter((p) => p.r.type === type);
  const zoneById = new Map(ofType(T.zone).map((p) => [p.r.id, p]));

  const vpcs: VpcModel[] = [];
  const networkOfVpc = new Map<string, string>();
  for (const { stack, r: vpc } of ofType(T.vpc)) {
    if (!vpc.id) continue;
    networkOfVpc.set(vpc.id, stack);
    const subnets = ofType(T.subnet).map((p) => p.r).filter((s) => s.inputs.vpcId === vpc.id);
    const subnetIds = new Set(subnets.map((s) => s.id));
    const tiers = new Map<string, TierModel>();
    for (const s of subnets) {
      const tier = tag(s, "Tier") ?? "subnets";
      const entry = tiers.get(tier) ?? tiers.set(tier, { tier, cells: [] }).get(tier)!;
      entry.cells.push({ az: azLetter(s), cidr: String(s.inputs.cidrBlock ?? "?") });
    }
    for (const t of tiers.values()) t.cells.sort((a, b) => byName(a.az, b.az));
    const endpoints = ofType(T.endpoint).map((p) => p.r).filter((e) => e.inputs.vpcId === vpc.id);
    const endpointNames = (kind: string): string[] =>
      uniqSorted(endpoints.filter((e) => (str(e.inputs.vpcEndpointType) ?? "Gateway") === kind).map((e) => endpointService(String(e.inputs.serviceName))));
    // Private zones of AWS service names (`kms.me-south-1.amazonaws.com`) that another stack holds
    // and associates with this VPC: that stack's interface endpoints answer here.
    const sharedZones = ofType(T.zoneAssociation).filter((p) => p.r.inputs.vpcId === vpc.id)
      .map((p) => zoneById.get(str(p.r.inputs.zoneId)))
      .filter((z): z is Placed => z !== undefined && z.stack !== stack && /\.amazonaws\.com\.?$/.test(String(z.r.inputs.name)));
    const from = uniqSorted(sharedZones.map((z) => z.stack)).sort(byStack);
    vpcs.push({
      stack,
      name: vpc.name,
      cidr: String(vpc.inputs.cidrBlock ?? "?"),
      azs: uniqSorted(subnets.map(azLetter)),
      tiers: [...tiers.values()].sort((a, b) => tierRank(a.tier) - tierRank(b.tier) || byName(a.tier, b.tier)),
      natGateways: ofType(T.nat).filter((p) => subnetIds.has(str(p.r.inputs.subnetId))).length,
      interfaceEndpoints: endpointNames("Interface"),
      gatewayEndpoints: endpointNames("Gateway"),
      ...(from.length > 0 ? { sharedEndpoints: { from: from.join(", "), zones: sharedZones.length } } : {}),
    });
  }
  vpcs.sort((a, b) => byStack(a.stack, b.stack) || byName(a.name, b.name));

  // Which network each TGW attachment stands for.
  const networkOfAttachment = new Map<string, string>();
  for (const { r } of ofType(T.attachment)) {
    const net = networkOfVpc.get(String(r.inputs.vpcId));
    if (r.id && net) networkOfAttachment.set(r.id, net);
  }
  const gateways = new Map(ofType(T.customerGateway).map((p) => [p.r.id, p.r]));
  const offices = new Map<string, OfficeModel>();
  for (const { r } of ofType(T.vpn)) {
    const office = tag(r, "Office") ?? r.name;
    const entry = offices.get(office) ?? offices.set(office, { name: office, cidrs: [...(input.officeCidrs?.[office] ?? [])], vpnConnections: 0, asns: [] }).get(office)!;
    entry.vpnConnections += 1;
    const asn = str(gateways.get(str(r.inputs.customerGatewayId))?.inputs.bgpAsn);
    if (asn && !entry.asns.includes(asn)) entry.asns.push(asn);
    const att = str(r.outputs.transitGatewayAttachmentId);
    if (att) networkOfAttachment.set(att, office);
  }
  const networkCidrs: { network: string; cidr: string }[] = [
    ...vpcs.map((v) => ({ network: v.stack, cidr: v.cidr })),
    ...[...offices.values()].flatMap((o) => o.cidrs.map((cidr) => ({ network: o.name, cidr }))),
  ];
  const networkOfCidr = (cidr: string): string => networkCidrs.find((n) => covers(cidr, n.cidr) || covers(n.cidr, cidr))?.network ?? cidr;
  const networkOf = (attachmentId: unknown): string => networkOfAttachment.get(String(attachmentId)) ?? String(attachmentId);

  const routeTables: RouteTableModel[] = [];
  for (const { r } of ofType(T.routeTable)) {
    const onTable = (type: string): CapturedResource[] => ofType(type).map((p) => p.r).filter((x) => x.inputs.transitGatewayRouteTableId === r.id);
    const routes = onTable(T.route);
    routeTables.push({
      name: r.name,
      label: routeTableLabel(r.name),
      associated: uniqSorted(onTable(T.association).map((a) => networkOf(a.inputs.transitGatewayAttachmentId))).sort(byStack),
      propagated: uniqSorted(onTable(T.propagation).map((a) => networkOf(a.inputs.transitGatewayAttachmentId))).sort(byStack),
      staticRoutes: routes.filter((x) => x.inputs.blackhole !== true && str(x.inputs.transitGatewayAttachmentId))
        .map((x) => ({ cidr: String(x.inputs.destinationCidrBlock), to: networkOf(x.inputs.transitGatewayAttachmentId) }))
        .sort((a, b) => byName(a.cidr, b.cidr)),
      blackholes: uniqSorted(routes.filter((x) => x.inputs.blackhole === true).map((x) => networkOfCidr(String(x.inputs.destinationCidrBlock)))).sort(byStack),
    });
  }
  // Environments' tables in platform order, then the offices'.
  routeTables.sort((a, b) => byStack(a.label, b.label));

  const tgw = ofType(T.tgw)[0]?.r;
  return {
    ...(tgw ? { tgw: { name: tgw.name, ...(typeof tgw.inputs.amazonSideAsn === "number" ? { asn: tgw.inputs.amazonSideAsn } : {}) } } : {}),
    vpcs,
    routeTables,
    offices: [...offices.values()].map((o) => ({ ...o, asns: o.asns.sort(byName) })).sort((a, b) => byName(a.name, b.name)),
  };
}
