/**
 * Network reachability over captured resource graphs: which VPCs and offices can exchange traffic
 * through the Transit Gateway, derived only from route tables, attachments, associations,
 * propagations and TGW routes. Pure: reads `CapturedResource` records, creates nothing.
 *
 * Each allowed flow into a VPC also carries the ports that VPC's security groups admit from the
 * source's CIDRs (offline/portReachability.ts, with its approximation).
 *
 * Out of scope on purpose: NACLs, default TGW route-table association or propagation (the hub
 * disables them), main VPC route tables (every subnet is associated explicitly), and read
 * resources (`.get()` and stack-reference reads duplicate the originals).
 */
import { IPv4CidrRange } from "ip-num";
import { AdmittedPorts, admittedPorts, describeAdmitted, ingressByNetwork } from "./portReachability";
import type { CapturedResource } from "./types";

export type { AdmittedPorts } from "./portReachability";


export interface NetworkNode {
  /** Stack name for a VPC, `tags.Office` for an office. */
  name: string;
  kind: "vpc" | "office";
  cidrs: string[];
}

export interface Flow {
  from: string;
  to: string;
  allowed: boolean;
  /** Hops in order, e.g. `dev rtb-0ab12 (app) 10.0.0.0/8 -> tgw-0c3`. */
  path: string[];
  /** Where and why the flow stops, starting with its category (`blackhole: ...`); absent when allowed. */
  reason?: string;
  /**
   * Allowed flows into a VPC: what the destination's security groups admit from the source's CIDRs,
   * ordered by protocol and port (empty: routed, but no group admits the source). Absent for a
   * blocked flow and for a flow into an office (its firewalls are not captured).
   */
  ports?: AdmittedPorts[];
}

export interface ReachabilityReport {
  networks: NetworkNode[];
  /** One flow per ordered pair of distinct networks. */
  flows: Flow[];
}

const TYPE = {
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  routeTable: "aws:ec2/routeTable:RouteTable",
  route: "aws:ec2/route:Route",
  rtbAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  vpcAttachment: "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
  tgwRouteTable: "aws:ec2transitgateway/routeTable:RouteTable",
  tgwAssociation: "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
  tgwPropagation: "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
  tgwRoute: "aws:ec2transitgateway/route:Route",
  vpn: "aws:ec2/vpnConnection:VpnConnection",
} as const;

const STACK_ORDER = ["management", "dev", "stage", "preprod", "prod"];

/** VPC route targets in the order AWS lists them; the first one set is the route's target. */
const VPC_TARGETS = ["transitGatewayId", "natGatewayId", "gatewayId", "vpcEndpointId", "vpcPeeringConnectionId",
  "networkInterfaceId", "egressOnlyGatewayId", "localGatewayId", "carrierGatewayId", "coreNetworkArn"];

// Stages a blocked trace reached; when every source route table fails, the furthest one explains it.
enum Stage { NoVpcRoute, NoAttachment, NotAssociated, NoTgwRoute, Blackhole, WrongDestination, Allowed }

interface Prefix { cidr: string; net: bigint; len: number }

// Own prefix maths (not cidrPlan.ts) so this module stands alone; ip-num validates the notation.
function prefix(cidr: string): Prefix {
  let range: IPv4CidrRange;
  try {
    range = IPv4CidrRange.fromCidr(cidr);
  } catch (e) {
    throw new Error(`reachability: invalid IPv4 CIDR "${cidr}": ${(e as Error).message}`);
  }
  const len = Number(range.getPrefix().getValue());
  const shift = BigInt(32 - len);
  return { cidr, net: (range.getFirst().getValue() >> shift) << shift, len };
}

function covers(outer: Prefix, inner: Prefix): boolean {
  const shift = BigInt(32 - outer.len);
  return outer.len <= inner.len && outer.net >> shift === inner.net >> shift;
}

interface Routed { dest: Prefix }

/** Routes tied for the longest prefix containing all of `dest`, `rank` breaking ties (static > propagated). */
function bestMatch<R extends Routed>(routes: R[], dest: Prefix, rank: (r: R) => number = () => 0): R[] {
  const covering = routes.filter((r) => covers(r.dest, dest));
  const score = (r: R): number => r.dest.len * 2 + rank(r);
  const top = Math.max(...covering.map(score));
  return covering.filter((r) => score(r) === top);
}

/** Routes strictly more specific than `dest`: they take part of its traffic elsewhere. */
function inside<R extends Routed>(routes: R[], dest: Prefix): R[] {
  return routes.filter((r) => r.dest.len > dest.len && covers(dest, r.dest));
}

interface VpcRoute extends Routed { target: string; toTgw: boolean }
interface TgwRoute extends Routed { attachmentId?: string; blackhole: boolean; propagated: boolean }
interface TgwTable { id: string; name: string; tgwId: string; routes: TgwRoute[] }
interface Attachment { id: string; tgwId: string; owner?: string; cidrs: string[] }

/** Where traffic from a network enters the TGW: a subnet route table of a VPC, or a VPN of an office. */
type Origin =
  | { kind: "vpc"; network: string; label: string; routes: VpcRoute[]; attachments: Map<string, Attachment>; subnetIds: string[] }
  | { kind: "vpn"; label: string; tgwId: string; attachment?: Attachment };

interface Graph {
  networks: NetworkNode[];
  origins: Map<string, Origin[]>;
  attachments: Map<string, Attachment>;
  associations: Map<string, TgwTable | undefined>;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const tag = (r: CapturedResource, key: string): string | undefined =>
  str((r.inputs.tags as Record<string, unknown> | undefined)?.[key]);
const input = (r: CapturedResource, key: string): string | undefined => str(r.inputs[key]);

function vpcRoute(dest: string, spec: Record<string, unknown>): VpcRoute {
  const key = VPC_TARGETS.find((k) => str(spec[k]) !== undefined);
  return { dest: prefix(dest), target: key ? String(spec[key]) : "unknown target", toTgw: key === "transitGatewayId" };
}

type Placed = { stack: string; r: CapturedResource };
type ByType = (type: string) => CapturedResource[];

function buildGraph(graphs: Record<string, CapturedResource[]>): Graph {
  const stacks = Object.keys(graphs).sort((a, b) => rank(a) - rank(b));
  const all: Placed[] = stacks.flatMap((s) => graphs[s].filter((r) => !r.read).map((r) => ({ stack: s, r })));
  const ofType: ByType = (t) => all.filter((x) => x.r.type === t).map((x) => x.r);

  const networks: NetworkNode[] = [];
  const ownerOfVpc = new Map<string, string>();
  for (const stack of stacks) {
    const vpcs = all.filter((x) => x.stack === stack && x.r.type === TYPE.vpc).map((x) => x.r);
    if (vpcs.length === 0) continue;
    vpcs.forEach((v) => v.id && ownerOfVpc.set(v.id, stack));
    networks.push({ name: stack, kind: "vpc", cidrs: vpcs.flatMap((v) => input(v, "cidrBlock") ?? []) });
  }

  const attachments = new Map<string, Attachment>();
  for (const a of ofType(TYPE.vpcAttachment)) {
    const owner = ownerOfVpc.get(input(a, "vpcId") ?? "");
    const cidrs = networks.find((n) => n.name === owner)?.cidrs ?? [];
    if (a.id) attachments.set(a.id, { id: a.id, tgwId: input(a, "transitGatewayId") ?? "", owner, cidrs });
  }
  const offices = new Map<string, { node: NetworkNode; vpns: CapturedResource[] }>();
  for (const v of ofType(TYPE.vpn)) {
    const name = tag(v, "Office") ?? `vpn ${v.name}`;
    if (networks.some((n) => n.name === name)) throw new Error(`office "${name}" (${v.urn}) has the same name as a stack`);
    const cidrs = (tag(v, "AdvertisedCidrs") ?? "").split(/\s+/).filter(Boolean);
    const office = offices.get(name) ?? { node: { name, kind: "office" as const, cidrs: [] }, vpns: [] };
    office.node.cidrs.push(...cidrs.filter((c) => !office.node.cidrs.includes(c)));
    office.vpns.push(v);
    offices.set(name, office);
    const id = str(v.outputs.transitGatewayAttachmentId);
    if (id) attachments.set(id, { id, tgwId: input(v, "transitGatewayId") ?? "", owner: name, cidrs });
  }

  const origins = new Map<string, Origin[]>();
  for (const node of networks) origins.set(node.name, vpcOrigins(node, all, ofType, ownerOfVpc, attachments));
  for (const [name, office] of offices) {
    networks.push(office.node);
    origins.set(name, office.vpns.map((v) => {
      const attachment = attachments.get(str(v.outputs.transitGatewayAttachmentId) ?? "");
      return { kind: "vpn", label: `${name} ${v.id ?? v.name}`, tgwId: input(v, "transitGatewayId") ?? "", attachment };
    }));
  }
  return { networks, origins, attachments, associations: tgwAssociations(ofType, attachments) };
}

/** TGW route tables with static and propagated routes, keyed by the attachment associated with each. */
function tgwAssociations(ofType: ByType, attachments: Map<string, Attachment>): Map<string, TgwTable | undefined> {
  const tables = new Map<string, TgwTable>();
  for (const t of ofType(TYPE.tgwRouteTable)) {
    if (t.id) tables.set(t.id, { id: t.id, name: tag(t, "Name") ?? t.name, tgwId: input(t, "transitGatewayId") ?? "", routes: [] });
  }
  for (const r of ofType(TYPE.tgwRoute)) {
    const dest = input(r, "destinationCidrBlock");
    const table = tables.get(input(r, "transitGatewayRouteTableId") ?? "");
    const attachmentId = input(r, "transitGatewayAttachmentId");
    if (!dest || !table || (!attachmentId && r.inputs.blackhole !== true)) continue;
    table.routes.push({ dest: prefix(dest), attachmentId, blackhole: r.inputs.blackhole === true, propagated: false });
  }
  for (const p of ofType(TYPE.tgwPropagation)) {
    const table = tables.get(input(p, "transitGatewayRouteTableId") ?? "");
    const att = attachments.get(input(p, "transitGatewayAttachmentId") ?? "");
    if (!table || !att) continue;
    table.routes.push(...att.cidrs.map((c) => ({ dest: prefix(c), attachmentId: att.id, blackhole: false, propagated: true })));
  }
  const associations = new Map<string, TgwTable | undefined>();
  for (const a of ofType(TYPE.tgwAssociation)) {
    associations.set(input(a, "transitGatewayAttachmentId") ?? "", tables.get(input(a, "transitGatewayRouteTableId") ?? ""));
  }
  return associations;
}

/** Route tables associated with at least one subnet of the network's VPC, with the implicit local route. */
function vpcOrigins(node: NetworkNode, all: Placed[], ofType: ByType, ownerOfVpc: Map<string, string>,
  attachments: Map<string, Attachment>): Origin[] {
  const vpcIds = [...ownerOfVpc].filter(([, owner]) => owner === node.name).map(([id]) => id);
  const cidrOf = new Map(all.filter((x) => x.r.type === TYPE.vpc && x.stack === node.name).map((x) => [x.r.id, input(x.r, "cidrBlock")]));
  const ownAttachments = new Map([...attachments.values()].filter((a) => a.owner === node.name).map((a) => [a.tgwId, a]));
  const subnets = ofType(TYPE.subnet).filter((s) => vpcIds.includes(input(s, "vpcId") ?? ""));
  const associations = ofType(TYPE.rtbAssociation);
  const routes = ofType(TYPE.route);
  const origins: Origin[] = [];
  for (const rt of ofType(TYPE.routeTable).filter((t) => vpcIds.includes(input(t, "vpcId") ?? ""))) {
    const associated = associations.filter((a) => input(a, "routeTableId") === rt.id)
      .flatMap((a) => subnets.filter((s) => s.id === input(a, "subnetId")));
    const tiers = associated.map((s) => tag(s, "Tier") ?? s.name);
    if (tiers.length === 0) continue;
    const local = cidrOf.get(input(rt, "vpcId"));
    const inline = Array.isArray(rt.inputs.routes) ? (rt.inputs.routes as Record<string, unknown>[]) : [];
    origins.push({
      kind: "vpc",
      network: node.name,
      label: `${node.name} ${rt.id} (${[...new Set(tiers)].join(", ")})`,
      attachments: ownAttachments,
      subnetIds: associated.flatMap((s) => s.id ?? []),
      routes: [
        ...(local ? [{ dest: prefix(local), target: "local", toTgw: false }] : []),
        ...inline.filter((s) => str(s.cidrBlock)).map((s) => vpcRoute(String(s.cidrBlock), s)),
        ...routes.filter((r) => input(r, "routeTableId") === rt.id && input(r, "destinationCidrBlock"))
          .map((r) => vpcRoute(input(r, "destinationCidrBlock") ?? "", r.inputs)),
      ],
    });
  }
  return origins;
}

function rank(stack: string): number {
  const i = STACK_ORDER.indexOf(stack);
  return i === -1 ? STACK_ORDER.length : i;
}

interface Trace { stage: Stage; path: string[]; reason?: string }

/** Follows traffic for one destination prefix from one origin until it is delivered or dropped. */
function trace(g: Graph, origin: Origin, to: NetworkNode, dest: Prefix): Trace {
  const path: string[] = [];
  const stop = (stage: Stage, reason: string): Trace => ({ stage, path, reason });
  let attachment: Attachment | undefined;
  let tgwId: string;
  if (origin.kind === "vpc") {
    const [route] = bestMatch(origin.routes, dest);
    if (!route) return stop(Stage.NoVpcRoute, `no VPC route: ${origin.label} has no route covering ${dest.cidr}`);
    path.push(`${origin.label} ${route.dest.cidr} -> ${route.target}`);
    if (!route.toTgw) return stop(Stage.NoVpcRoute, `no VPC route: ${origin.label} sends ${dest.cidr} to ${route.target}, not a transit gateway`);
    const diverted = inside(origin.routes, dest).find((r) => r.target !== route.target);
    if (diverted) {
      path.push(`${origin.label} ${diverted.dest.cidr} -> ${diverted.target}`);
      return stop(Stage.NoVpcRoute, `no VPC route: ${origin.label} sends ${diverted.dest.cidr}, part of ${to.name}, to ${diverted.target}`);
    }
    tgwId = route.target;
    attachment = origin.attachments.get(tgwId);
    if (!attachment) return stop(Stage.NoAttachment, `no attachment: ${origin.network} has no VPC attachment on ${tgwId}`);
  } else {
    tgwId = origin.tgwId;
    attachment = origin.attachment;
    if (!attachment) return stop(Stage.NoAttachment, `no attachment: ${origin.label} has no transit gateway attachment`);
    path.push(`${origin.label} ${attachment.id} -> ${tgwId}`);
  }
  const table = g.associations.get(attachment.id);
  if (!table || table.tgwId !== tgwId) {
    return stop(Stage.NotAssociated, `not associated: ${attachment.id} has no route table on ${tgwId}`);
  }
  path.push(`${attachment.id} associated with tgw-rtb ${table.name}`);

  const targetOf = (r: TgwRoute): string =>
    `${r.attachmentId} (${g.attachments.get(r.attachmentId ?? "")?.owner ?? "unknown attachment"}${r.propagated ? ", propagated" : ""})`;
  const describe = (r: TgwRoute): string =>
    `tgw-rtb ${table.name}: ${r.dest.cidr} ${r.blackhole ? "blackhole" : `-> ${targetOf(r)}`}`;
  const reachesTarget = (r: TgwRoute): boolean => !r.blackhole && g.attachments.get(r.attachmentId ?? "")?.owner === to.name;
  const best = bestMatch(table.routes, dest, (r) => (r.propagated ? 0 : 1));
  // A more specific route that still delivers is worth saying when the covering route drops traffic.
  const leak = inside(table.routes, dest).find(reachesTarget);
  const blocked = (stage: Stage, reason: string): Trace => {
    if (leak) path.push(`note: ${describe(leak)} still reaches ${to.name}`);
    return stop(stage, leak ? `${reason}; but ${leak.dest.cidr} still reaches ${to.name}` : reason);
  };
  if (best.length === 0) return blocked(Stage.NoTgwRoute, `no TGW route: tgw-rtb ${table.name} has no route covering ${dest.cidr}`);
  const hole = best.find((r) => r.blackhole);
  if (hole) {
    path.push(describe(hole));
    return blocked(Stage.Blackhole, `blackhole: tgw-rtb ${table.name} drops ${dest.cidr} (${hole.dest.cidr})`);
  }
  const wrong = best.find((r) => !reachesTarget(r));
  path.push(describe(wrong ?? best[0]));
  if (wrong) return blocked(Stage.WrongDestination, `wrong destination: tgw-rtb ${table.name} sends ${dest.cidr} to ${targetOf(wrong)}, not ${to.name}`);
  const diverted = inside(table.routes, dest).find((r) => !reachesTarget(r));
  if (diverted) {
    path.push(describe(diverted));
    const stage = diverted.blackhole ? Stage.Blackhole : Stage.WrongDestination;
    const why = diverted.blackhole ? "blackhole" : "wrong destination";
    return stop(stage, `${why}: tgw-rtb ${table.name} takes ${diverted.dest.cidr}, part of ${to.name}, away from it`);
  }
  return { stage: Stage.Allowed, path };
}

function analyzeFlow(g: Graph, from: NetworkNode, to: NetworkNode): Flow {
  const origins = g.origins.get(from.name) ?? [];
  if (to.cidrs.length === 0) return { from: from.name, to: to.name, allowed: false, path: [], reason: `no TGW route: ${to.name} has no CIDR to route to` };
  if (origins.length === 0) {
    return { from: from.name, to: to.name, allowed: false, path: [], reason: `no VPC route: ${from.name} has no route table associated with a subnet` };
  }
  const failures: Trace[] = [];
  for (const origin of origins) {
    const traces = to.cidrs.map((c) => trace(g, origin, to, prefix(c)));
    const failed = traces.find((t) => t.stage !== Stage.Allowed);
    if (!failed) return { from: from.name, to: to.name, allowed: true, path: traces.flatMap((t) => t.path) };
    failures.push(failed);
  }
  // The origins that got furthest explain the block; ties (say two route tables both sending to a NAT) are all named.
  const furthest = Math.max(...failures.map((t) => t.stage));
  const worst = failures.filter((t) => t.stage === furthest);
  const path = [...new Set(worst.flatMap((t) => t.path))];
  const reason = [...new Set(worst.map((t) => t.reason))].join("; ");
  return { from: from.name, to: to.name, allowed: false, path, reason };
}

/** Subnets of `network` whose route table sends every prefix of `to` back through the TGW and on to it. */
function replyingSubnets(g: Graph, network: NetworkNode, to: NetworkNode): Set<string> {
  const replying = (g.origins.get(network.name) ?? []).filter((o) => to.cidrs.every((c) => trace(g, o, to, prefix(c)).stage === Stage.Allowed));
  return new Set(replying.flatMap((o) => (o.kind === "vpc" ? o.subnetIds : [])));
}

/** Every ordered pair of networks (VPC per stack, office per `tags.Office`) with the path it takes or where it stops. */
export function analyzeReachability(graphs: Record<string, CapturedResource[]>): ReachabilityReport {
  const g = buildGraph(graphs);
  const grants = ingressByNetwork(graphs);
  const withPorts = (f: Flow, from: NetworkNode, to: NetworkNode): Flow =>
    f.allowed && to.kind === "vpc" ? { ...f, ports: admittedPorts(grants.get(to.name) ?? [], from.cidrs, replyingSubnets(g, to, from)) } : f;
  const flows = g.networks.flatMap((from) => g.networks.filter((to) => to !== from).map((to) => withPorts(analyzeFlow(g, from, to), from, to)));
  return { networks: g.networks, flows };
}

/**
 * The ports `to` admits from `from` as `tcp 443`, `all`, ... (`(part)` when from part of `from`
 * only); undefined when the flow is blocked or `to` is an office.
 */
export function openPorts(report: ReachabilityReport, from: string, to: string): string[] | undefined {
  return flow(report, from, to).ports?.map(describeAdmitted);
}

/** The flow from one network to another; throws for an unknown name so a typo never reads as "blocked". */
export function flow(report: ReachabilityReport, from: string, to: string): Flow {
  const found = report.flows.find((f) => f.from === from && f.to === to);
  if (found) return found;
  const names = report.networks.map((n) => n.name);
  const unknown = [from, to].filter((n) => !names.includes(n));
  throw new Error(unknown.length
    ? `unknown network ${unknown.map((n) => `"${n}"`).join(", ")}; known: ${names.join(", ")}`
    : `no flow from "${from}" to itself`);
}

/** True when traffic can go both ways, which is what a connection needs. */
export function canReach(report: ReachabilityReport, a: string, b: string): boolean {
  if (a === b && report.networks.some((n) => n.name === a)) return true;
  return flow(report, a, b).allowed && flow(report, b, a).allowed;
}
