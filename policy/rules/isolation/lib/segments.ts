/**
 * The Transit Gateway as the isolation rules see it, built from whatever the stack holds:
 *
 * - route tables and their segment: the `Segment` tag TransitHub sets (`management`,
 *   `environment`, `office`) and the table key, the `Name` tag less the hub's name
 *   (`hub-dev` under TransitHub `hub` -> `dev`); ids from the hub's `routeTableIds` output
 *   or, in an environment stack, the management StackReference's `transitRouteTableIds`, keyed
 *   `management`, `offices-<office>` or the environment name (transitPlan.ts);
 * - environment CIDRs: VPCs tagged with an environment's name, and the blackhole routes of the
 *   environment tables (named `<hub>-blackhole-<table>-<target>` by TransitHub; when a name does
 *   not say, the CIDR is the one environment whose own table lacks that blackhole);
 * - which environment an attachment belongs to: the `Environment` tag of its VPC attachment.
 *
 * Values unknown during preview are skipped, never guessed.
 */
import type { PolicyResource } from "@pulumi/policy";
import { parseCidr } from "../../network/lib/cidr";
import { UNKNOWN, peek, resourceId, str } from "../../network/lib/values";

export const TGW_ROUTE_TABLE = "aws:ec2transitgateway/routeTable:RouteTable";
export const TGW_ROUTE = "aws:ec2transitgateway/route:Route";
export const TGW_PROPAGATION = "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation";
export const TGW_VPC_ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment";
export const VPC = "aws:ec2/vpc:Vpc";
export const TRANSIT_HUB = "tila:network:TransitHub";
export const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/** Keys transitPlan.ts gives the non-environment tables. */
const MANAGEMENT_KEY = "management";
const OFFICE_KEY_PREFIX = "offices-";

export type Segment = "management" | "environment" | "office";

export interface Table {
  readonly id: string;
  readonly key: string;
  readonly segment: Segment;
  /** The table resource, when it is in this stack (management); absent for ids from a map. */
  readonly resource?: PolicyResource;
}

export interface TgwRoute {
  readonly resource: PolicyResource;
  readonly tableId: string;
  readonly destination: string;
  /** undefined when `blackhole` is unknown during preview. */
  readonly blackhole: boolean | undefined;
}

export interface TransitView {
  /** By table id. */
  readonly tables: ReadonlyMap<string, Table>;
  /** Keys of the environment tables, sorted. */
  readonly environments: readonly string[];
  /** CIDRs each environment is known to own. */
  readonly cidrs: ReadonlyMap<string, readonly string[]>;
  /** Static routes whose table and destination are known. */
  readonly routes: readonly TgwRoute[];
  /** Ids of tables holding a route whose destination or blackhole flag is unknown; `*` when a table id is. */
  readonly uncertainTables: ReadonlySet<string>;
  /** Environment of each VPC attachment tagged with one, by attachment id. */
  readonly attachmentEnvironment: ReadonlyMap<string, string>;
}

function known<T>(v: T | typeof UNKNOWN): T | undefined {
  return v === UNKNOWN ? undefined : v;
}

function segmentOfKey(key: string): Segment {
  if (key === MANAGEMENT_KEY) return "management";
  return key.startsWith(OFFICE_KEY_PREFIX) ? "office" : "environment";
}

function tag(r: PolicyResource, key: string): string | undefined {
  return known(peek(() => str((r.props.tags as Record<string, unknown> | undefined)?.[key])));
}

/** `{key: id}` maps: the hub's `routeTableIds`, a StackReference's `outputs.transitRouteTableIds`. */
function tableIdMaps(resources: readonly PolicyResource[]): Map<string, string> {
  const byId = new Map<string, string>();
  const add = (map: unknown): void => {
    if (map === null || typeof map !== "object") return;
    for (const key of Object.keys(map)) {
      const id = known(peek(() => str((map as Record<string, unknown>)[key])));
      if (id) byId.set(id, key);
    }
  };
  for (const r of resources) {
    if (r.type === TRANSIT_HUB) add(known(peek(() => r.props.routeTableIds)));
    if (r.type === STACK_REFERENCE) add(known(peek(() => (r.props.outputs as Record<string, unknown> | undefined)?.transitRouteTableIds)));
  }
  return byId;
}

function tablesOf(resources: readonly PolicyResource[]): Map<string, Table> {
  const tables = new Map<string, Table>();
  for (const [id, key] of tableIdMaps(resources)) tables.set(id, { id, key, segment: segmentOfKey(key) });
  for (const r of resources.filter((x) => x.type === TGW_ROUTE_TABLE)) {
    const id = known(resourceId(r));
    const segment = tag(r, "Segment");
    if (!id || (segment !== "management" && segment !== "environment" && segment !== "office")) continue;
    const name = tag(r, "Name");
    const hub = r.parent?.type === TRANSIT_HUB ? r.parent.name : undefined;
    const key = tables.get(id)?.key ?? (name && hub && name.startsWith(`${hub}-`) ? name.slice(hub.length + 1) : name);
    if (key) tables.set(id, { id, key, segment, resource: r });
  }
  return tables;
}

function routesOf(resources: readonly PolicyResource[]): { routes: TgwRoute[]; uncertainTables: Set<string> } {
  const routes: TgwRoute[] = [];
  const uncertainTables = new Set<string>();
  for (const r of resources.filter((x) => x.type === TGW_ROUTE)) {
    const tableId = peek(() => str(r.props.transitGatewayRouteTableId));
    const destination = peek(() => str(r.props.destinationCidrBlock));
    const blackhole = peek(() => r.props.blackhole === true);
    if (tableId === UNKNOWN) uncertainTables.add("*");
    if (!tableId || tableId === UNKNOWN) continue;
    if (destination === UNKNOWN || blackhole === UNKNOWN) uncertainTables.add(tableId);
    if (destination && destination !== UNKNOWN) routes.push({ resource: r, tableId, destination, blackhole: blackhole === UNKNOWN ? undefined : blackhole });
  }
  return { routes, uncertainTables };
}

/** The environment a blackhole's logical name ends with (`...-prod`), the longest that fits. */
function targetByName(name: string, table: string, environments: readonly string[]): string | undefined {
  return environments
    .filter((e) => e !== table && name.endsWith(`-${e}`))
    .sort((a, b) => b.length - a.length)[0];
}

function environmentCidrs(resources: readonly PolicyResource[], tables: ReadonlyMap<string, Table>, routes: readonly TgwRoute[], environments: readonly string[]): Map<string, string[]> {
  const cidrs = new Map<string, Set<string>>(environments.map((e) => [e, new Set<string>()]));
  for (const vpc of resources.filter((r) => r.type === VPC)) {
    const env = tag(vpc, "Environment");
    const cidr = known(peek(() => str(vpc.props.cidrBlock)));
    if (env && cidr && cidrs.has(env)) cidrs.get(env)!.add(cidr);
  }
  const holders = new Map<string, Set<string>>(); // blackholed CIDR -> environment tables holding it
  for (const route of routes) {
    const table = tables.get(route.tableId);
    if (route.blackhole !== true || table?.segment !== "environment") continue;
    const byName = targetByName(route.resource.name, table.key, environments);
    if (byName) cidrs.get(byName)!.add(route.destination);
    holders.set(route.destination, (holders.get(route.destination) ?? new Set()).add(table.key));
  }
  // Unnamed blackholes: the CIDR belongs to the environment whose own table lacks it. When a
  // missing blackhole leaves two candidates, the one with no CIDR yet is taken: every
  // environment owns at least one.
  const attributed = new Set([...cidrs.values()].flatMap((s) => [...s]));
  const ambiguous: [string, string[]][] = [];
  for (const [cidr, holding] of holders) {
    if (attributed.has(cidr)) continue;
    const lacking = environments.filter((e) => !holding.has(e));
    if (lacking.length === 1) cidrs.get(lacking[0])!.add(cidr);
    else ambiguous.push([cidr, lacking]);
  }
  for (const [cidr, lacking] of ambiguous) {
    const empty = lacking.filter((e) => cidrs.get(e)!.size === 0);
    if (empty.length === 1) cidrs.get(empty[0])!.add(cidr);
  }
  return new Map([...cidrs].map(([e, s]) => [e, [...s].filter((c) => parseCidr(c) !== undefined).sort()]));
}

function attachmentEnvironments(resources: readonly PolicyResource[], environments: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of resources.filter((r) => r.type === TGW_VPC_ATTACHMENT)) {
    const id = known(resourceId(a));
    const env = tag(a, "Environment");
    if (id && env && environments.includes(env)) out.set(id, env);
  }
  return out;
}

export function transitView(resources: readonly PolicyResource[]): TransitView {
  const tables = tablesOf(resources);
  const environments = [...new Set([...tables.values()].filter((t) => t.segment === "environment").map((t) => t.key))].sort();
  const { routes, uncertainTables } = routesOf(resources);
  return {
    tables,
    environments,
    cidrs: environmentCidrs(resources, tables, routes, environments),
    routes,
    uncertainTables,
    attachmentEnvironment: attachmentEnvironments(resources, environments),
  };
}
