/**
 * Every decision EnvironmentNetwork makes that does not need a live resource: argument validation,
 * defaults, which route tables exist and what each routes where, NAT placement and the data-tier
 * NACL rules. Pure, so the decisions are unit-tested directly and the component only wires resources
 * to this plan.
 */
import { CATALOGUE_REGIONS, availabilityZonesOf } from "../aws/regionCatalogue";
import { CidrPlanError, DEFAULT_TIERS, MAX_AZS, SUBNET_TIERS, SubnetTier, TierSpec, cidrContains, cidrProblem, planSubnets } from "./cidrPlan";

export type NatStrategy = "perAz" | "single" | "none";
export type FlowLogDestination = "cloudwatch" | "s3";
export type FlowLogTrafficType = "ALL" | "REJECT" | "ACCEPT";

const NAT_STRATEGIES: readonly NatStrategy[] = ["perAz", "single", "none"];
const FLOW_LOG_DESTINATIONS: readonly FlowLogDestination[] = ["cloudwatch", "s3"];
const TRAFFIC_TYPES: readonly FlowLogTrafficType[] = ["ALL", "REJECT", "ACCEPT"];

/** The only retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** AWS's default quota of rules per NACL direction; raising it costs nothing but is an account request. */
export const NACL_RULES_PER_DIRECTION = 20;

/** Gateway endpoints are free and keep S3/DynamoDB traffic off the NAT gateways (which bill per GB). */
export const GATEWAY_ENDPOINT_SERVICES = ["s3", "dynamodb"] as const;

const AZ_NAME = /^([a-z]{2}(?:-[a-z0-9]+)+-\d+)([a-z])$/;
/** An AZ ID: the region's short code, `-az` and a number (`mes1-az1`, `use1-az4`). */
export const AZ_ID = /^[a-z]+\d+-az\d+$/;
const LABEL = /^[a-z0-9][a-z0-9-]*$/;
const ANYWHERE = "0.0.0.0/0";

/** The plain (non-Output) part of EnvironmentNetworkArgs that every decision depends on. */
export interface NetworkPlanInput {
  readonly environment: string;
  readonly cidr: string;
  /** AZ IDs (`mes1-az1`), the same physical zone in every account; see resolveAvailabilityZone. */
  readonly availabilityZoneIds: readonly string[];
  readonly natStrategy: NatStrategy;
  readonly flowLogs: { readonly destination: FlowLogDestination; readonly retentionDays: number; readonly trafficType?: FlowLogTrafficType };
  readonly tiers?: readonly TierSpec[];
  readonly dataTierNacl?: boolean;
  readonly adminCidrs?: readonly string[];
  readonly transit?: {
    readonly routes: readonly { readonly cidr: string; readonly description: string }[];
    /** Only the keys (labels) matter here; they become part of logical names. */
    readonly propagationRouteTableIds: Readonly<Record<string, unknown>>;
  };
}

export interface AzPlan {
  index: number;
  /** AZ ID (`mes1-az1`): where the subnets are placed. */
  id: string;
  /** AZ name (`me-south-1a`), for what AWS only takes by name (EBS volumes, instance placement). */
  name: string;
  /** Trailing letter of the AZ name; the suffix of per-AZ logical names, unchanged by placing by ID. */
  letter: string;
}

export interface SubnetPlanEntry {
  tier: SubnetTier;
  az: AzPlan;
  cidr: string;
  /** Role in logical names and Name tags, e.g. `app-a`. */
  role: string;
}

export type RouteTarget = { kind: "internetGateway" } | { kind: "natGateway"; azIndex: number } | { kind: "transitGateway" };

export interface RoutePlan {
  /** Stable per route table: `default` or `tgw-<cidr>`, so editing one route never renames another. */
  key: string;
  destination: string;
  target: RouteTarget;
  description?: string;
}

export interface RouteTablePlan {
  /** e.g. `public`, `app-a`, `transit`. */
  role: string;
  tier: SubnetTier;
  /** Set for the per-AZ tables (app, data). */
  az?: AzPlan;
  subnets: SubnetPlanEntry[];
  routes: RoutePlan[];
}

export interface NaclRulePlan {
  ruleNumber: number;
  egress: boolean;
  /** `-1` for all protocols. */
  protocol: "-1" | "tcp";
  cidr: string;
  fromPort: number;
  toPort: number;
  /** Why the rule exists, for readers of the plan. */
  reason: string;
}

export interface NetworkPlan {
  environment: string;
  region: string;
  vpcCidr: string;
  azs: AzPlan[];
  /** Tiers present, in slot order. */
  tiers: SubnetTier[];
  subnets: SubnetPlanEntry[];
  /** AZs that get a NAT gateway (in their public subnet). */
  natAzs: AzPlan[];
  routeTables: RouteTablePlan[];
  /** Undefined when the data tier gets no NACL. */
  dataNaclRules?: NaclRulePlan[];
  flowLogs: { destination: FlowLogDestination; retentionDays: number; trafficType: FlowLogTrafficType };
  gatewayEndpoints: { service: (typeof GATEWAY_ENDPOINT_SERVICES)[number]; serviceName: string }[];
  transit?: { routes: { cidr: string; description: string; key: string }[]; propagationLabels: string[] };
}

/** Every problem with the arguments, each prefixed with the argument path it concerns. */
export class NetworkPlanError extends Error {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(issues.join("; "));
    this.name = "NetworkPlanError";
    this.issues = issues;
  }
}

/** `10.0.0.0/16` -> `10-0-0-0-16`, usable in logical names. */
export function cidrKey(cidr: string): string {
  return cidr.replace(/[./]/g, "-");
}

/** Region and letter of an AZ name, or undefined when it is not one (`me-south-1a` -> me-south-1, a). */
export function parseAzName(az: string): { region: string; letter: string } | undefined {
  const m = AZ_NAME.exec(az);
  return m ? { region: m[1], letter: m[2] } : undefined;
}

/** A zone of the region capability catalogue: its ID, its name and its region. */
export interface ResolvedZone {
  readonly id: string;
  readonly name: string;
  readonly region: string;
}

/**
 * The catalogued zone with this AZ ID, or undefined. Its name is the one every account sees only
 * in regions that map AZ names uniformly: all regions launched after November 2012 (AWS, "AZ IDs"),
 * which includes both catalogued regions (me-south-1, 2019; me-central-1, 2022). A region that maps
 * names per account must not be added to the catalogue without also resolving names per account.
 */
export function resolveAvailabilityZone(id: string): ResolvedZone | undefined {
  for (const region of CATALOGUE_REGIONS) {
    const zone = availabilityZonesOf(region).find((z) => z.zoneId === id);
    if (zone) return { id: zone.zoneId, name: zone.name, region };
  }
  return undefined;
}

/**
 * The region's first `azCount` zones by name (`<region>a`, `b`, ...) as AZ IDs, when config names
 * none: the same zones the network used before it placed subnets by ID. Empty for a region the
 * catalogue does not describe (config validation says so).
 */
export function defaultAvailabilityZoneIds(region: string, azCount: number): string[] {
  return availabilityZonesOf(region).slice(0, azCount).map((z) => z.zoneId);
}

/** The AZ names of `ids` (undefined entries for IDs the catalogue does not know). */
export function availabilityZoneNames(ids: readonly string[]): (string | undefined)[] {
  return ids.map((id) => resolveAvailabilityZone(id)?.name);
}

function azProblems(ids: readonly string[]): string[] {
  if (ids.length < 1 || ids.length > MAX_AZS) {
    return [`availabilityZoneIds: must list 1 to ${MAX_AZS} AZs (got ${ids.length})`];
  }
  const problems: string[] = [];
  ids.forEach((id, i) => {
    if (!AZ_ID.test(id)) problems.push(`availabilityZoneIds[${i}]: "${id}" is not an AZ ID such as mes1-az1`);
    else if (!resolveAvailabilityZone(id)) problems.push(`availabilityZoneIds[${i}]: "${id}" is not an AZ ID of any region in the region catalogue (${CATALOGUE_REGIONS.join(", ")})`);
    if (ids.indexOf(id) !== i) problems.push(`availabilityZoneIds[${i}]: "${id}" is listed more than once`);
  });
  const regions = new Set(ids.flatMap((id) => resolveAvailabilityZone(id)?.region ?? []));
  if (regions.size > 1) problems.push(`availabilityZoneIds: all AZs must be in one region (got ${[...regions].join(", ")})`);
  return problems;
}

/** Tiers the component knows how to route; a new tier needs its routing decided here first. */
function tierProblems(tiers: readonly TierSpec[], input: NetworkPlanInput): string[] {
  const problems: string[] = [];
  const names = tiers.map((t) => t.tier);
  tiers.forEach((t, i) => {
    if (!(SUBNET_TIERS as readonly string[]).includes(t.tier)) {
      problems.push(`tiers[${i}].tier: "${t.tier}" has no routing in EnvironmentNetwork (known tiers: ${SUBNET_TIERS.join(", ")})`);
    }
  });
  for (const required of ["app", "data"] as const) {
    if (!names.includes(required)) problems.push(`tiers: the "${required}" tier is required`);
  }
  if (input.natStrategy !== "none" && NAT_STRATEGIES.includes(input.natStrategy) && !names.includes("public")) {
    problems.push(`natStrategy: "${input.natStrategy}" needs the "public" tier to hold the NAT gateways; use "none" or add the tier`);
  }
  if (input.transit && !names.includes("transit")) problems.push(`transit: needs the "transit" tier for the attachment's subnets`);
  return problems;
}

function flowLogProblems(flowLogs: NetworkPlanInput["flowLogs"]): string[] {
  const problems: string[] = [];
  const { destination, retentionDays, trafficType } = flowLogs;
  if (!FLOW_LOG_DESTINATIONS.includes(destination)) problems.push(`flowLogs.destination: must be one of ${FLOW_LOG_DESTINATIONS.join(", ")} (got "${destination}")`);
  if (trafficType !== undefined && !TRAFFIC_TYPES.includes(trafficType)) problems.push(`flowLogs.trafficType: must be one of ${TRAFFIC_TYPES.join(", ")} (got "${trafficType}")`);
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    problems.push(`flowLogs.retentionDays: must be a whole number of days >= 1 (got ${retentionDays})`);
  } else if (destination === "cloudwatch" && !CLOUDWATCH_RETENTION_DAYS.includes(retentionDays)) {
    problems.push(`flowLogs.retentionDays: CloudWatch Logs accepts only ${CLOUDWATCH_RETENTION_DAYS.join(", ")} (got ${retentionDays})`);
  }
  return problems;
}

/** Invalid or repeated CIDRs in a list; `at(i)` names the field of entry i. */
function cidrListProblems(at: (i: number) => string, cidrs: readonly string[]): string[] {
  const problems: string[] = [];
  cidrs.forEach((c, i) => {
    const problem = cidrProblem(at(i), c);
    if (problem !== undefined) problems.push(problem);
    if (cidrs.indexOf(c) !== i) problems.push(`${at(i)}: ${c} is listed more than once`);
  });
  return problems;
}

function transitProblems(input: NetworkPlanInput): string[] {
  if (!input.transit) return [];
  const { routes, propagationRouteTableIds } = input.transit;
  const at = (i: number): string => `transit.routes[${i}].cidr`;
  const problems = cidrListProblems(at, routes.map((r) => r.cidr));
  const vpcValid = cidrProblem("cidr", input.cidr) === undefined;
  routes.forEach((r, i) => {
    if (r.description.trim() === "") problems.push(`transit.routes[${i}].description: must say why the route exists`);
    if (r.cidr === ANYWHERE && input.natStrategy !== "none") {
      problems.push(`${at(i)}: 0.0.0.0/0 to the Transit Gateway clashes with the NAT default route; set natStrategy "none" for centralised egress`);
    } else if (vpcValid && cidrProblem(at(i), r.cidr) === undefined && cidrContains(input.cidr, r.cidr)) {
      // A wider route (10.0.0.0/8 from a /16) is fine: the VPC's local route is more specific.
      problems.push(`${at(i)}: ${r.cidr} lies inside the VPC ${input.cidr}; it would divert the VPC's own traffic to the Transit Gateway`);
    }
  });
  for (const label of Object.keys(propagationRouteTableIds)) {
    if (!LABEL.test(label)) problems.push(`transit.propagationRouteTableIds.${label}: label must be lowercase letters, digits and hyphens (it names resources)`);
  }
  return problems;
}

/** Every problem with `input`, each naming its argument; empty when the input is usable. */
export function validateNetworkInput(input: NetworkPlanInput): string[] {
  const problems: string[] = [];
  if (!LABEL.test(input.environment)) problems.push(`environment: "${input.environment}" must be lowercase letters, digits and hyphens`);
  problems.push(...azProblems(input.availabilityZoneIds));
  if (!NAT_STRATEGIES.includes(input.natStrategy)) problems.push(`natStrategy: must be one of ${NAT_STRATEGIES.join(", ")} (got "${input.natStrategy}")`);
  problems.push(...tierProblems(input.tiers ?? DEFAULT_TIERS, input));
  problems.push(...flowLogProblems(input.flowLogs));
  problems.push(...cidrListProblems((i) => `adminCidrs[${i}]`, input.adminCidrs ?? []));
  problems.push(...transitProblems(input));
  const azCount = input.availabilityZoneIds.length;
  if (input.dataTierNacl !== false && azCount <= MAX_AZS) {
    const inbound = 2 * azCount + (input.adminCidrs ?? []).length + 1;
    if (inbound > NACL_RULES_PER_DIRECTION) {
      problems.push(`adminCidrs: the data NACL would need ${inbound} inbound rules, over the default quota of ${NACL_RULES_PER_DIRECTION}; summarise the CIDRs`);
    }
  }
  try {
    planSubnets(input.cidr, Math.min(Math.max(azCount, 1), MAX_AZS), input.tiers ?? DEFAULT_TIERS);
  } catch (e) {
    if (!(e instanceof CidrPlanError)) throw e;
    // The planner speaks in config paths (`network.cidr`); these are the component's arguments.
    problems.push(...e.issues.map((issue) => issue.replace(/^network\./, "")));
  }
  return [...new Set(problems)];
}

/** Where each private (app/data) route table's default route goes, per NAT strategy. */
export function natAzIndexes(strategy: NatStrategy, azCount: number): number[] {
  switch (strategy) {
    case "perAz":
      return Array.from({ length: azCount }, (_, i) => i);
    case "single":
      return [0];
    case "none":
      return [];
  }
}

/** The NAT gateway a private subnet in AZ `azIndex` egresses through, or undefined for none. */
export function natFor(strategy: NatStrategy, azIndex: number): number | undefined {
  if (strategy === "perAz") return azIndex;
  if (strategy === "single") return 0;
  return undefined;
}

function privateRoutes(input: NetworkPlanInput, azIndex: number): RoutePlan[] {
  const routes: RoutePlan[] = [];
  const nat = natFor(input.natStrategy, azIndex);
  if (nat !== undefined) routes.push({ key: "default", destination: ANYWHERE, target: { kind: "natGateway", azIndex: nat } });
  for (const r of input.transit?.routes ?? []) {
    routes.push({ key: `tgw-${cidrKey(r.cidr)}`, destination: r.cidr, target: { kind: "transitGateway" }, description: r.description });
  }
  return routes;
}

/**
 * One public table (shared: every public subnet has the same route), one per AZ for app and for
 * data (so a `single` NAT can become `perAz` by changing routes, never associations), and one for
 * transit with only the local route: the attachment's ENIs need no egress of their own.
 */
export function planRouteTables(input: NetworkPlanInput, subnets: readonly SubnetPlanEntry[], azs: readonly AzPlan[]): RouteTablePlan[] {
  const inTier = (tier: SubnetTier, az?: AzPlan): SubnetPlanEntry[] => subnets.filter((s) => s.tier === tier && (az === undefined || s.az.index === az.index));
  const tables: RouteTablePlan[] = [];
  if (inTier("public").length > 0) {
    tables.push({ role: "public", tier: "public", subnets: inTier("public"), routes: [{ key: "default", destination: ANYWHERE, target: { kind: "internetGateway" } }] });
  }
  for (const tier of ["app", "data"] as const) {
    for (const az of azs) {
      tables.push({ role: `${tier}-${az.letter}`, tier, az, subnets: inTier(tier, az), routes: privateRoutes(input, az.index) });
    }
  }
  if (inTier("transit").length > 0) tables.push({ role: "transit", tier: "transit", subnets: inTier("transit"), routes: [] });
  return tables;
}

/**
 * Inbound: everything from the app and data subnets and the admin CIDRs, TCP return traffic from
 * anywhere (replies to package downloads through NAT, S3 via the gateway endpoint); the rest is
 * dropped by the implicit deny. Outbound: everything, because security groups already decide what
 * data hosts may open, and a stateless egress list would have to repeat every client's ephemeral
 * ports. Rule numbers are fixed per source (app 100+AZ, data 110+AZ, admin 200+i) so growing the
 * VPC by an AZ renumbers nothing.
 */
export function planDataNaclRules(subnets: readonly SubnetPlanEntry[], adminCidrs: readonly string[]): NaclRulePlan[] {
  const all = (ruleNumber: number, cidr: string, reason: string): NaclRulePlan => ({ ruleNumber, egress: false, protocol: "-1", cidr, fromPort: 0, toPort: 0, reason });
  const rules: NaclRulePlan[] = [
    ...subnets.filter((s) => s.tier === "app").map((s) => all(100 + s.az.index, s.cidr, `app tier ${s.role}`)),
    ...subnets.filter((s) => s.tier === "data").map((s) => all(110 + s.az.index, s.cidr, `data tier ${s.role} (replication, quorum)`)),
    ...adminCidrs.map((cidr, i) => all(200 + i, cidr, "admin network")),
    { ruleNumber: 900, egress: false, protocol: "tcp", cidr: ANYWHERE, fromPort: 1024, toPort: 65535, reason: "return traffic for outbound connections (NAT, gateway endpoints)" },
    { ruleNumber: 100, egress: true, protocol: "-1", cidr: ANYWHERE, fromPort: 0, toPort: 0, reason: "egress is governed by security groups" },
  ];
  return rules;
}

/** Validates `input` and resolves every default and decision; throws NetworkPlanError listing all problems. */
export function planNetwork(input: NetworkPlanInput): NetworkPlan {
  const problems = validateNetworkInput(input);
  if (problems.length > 0) throw new NetworkPlanError(problems);

  const zones = input.availabilityZoneIds.map((id) => resolveAvailabilityZone(id)!);
  const azs: AzPlan[] = zones.map((z, index) => ({ index, id: z.id, name: z.name, letter: parseAzName(z.name)!.letter }));
  const region = zones[0].region;
  const planned = planSubnets(input.cidr, azs.length, input.tiers ?? DEFAULT_TIERS);
  const subnets: SubnetPlanEntry[] = planned.subnets.map((s) => {
    const az = azs[s.azIndex];
    return { tier: s.tier as SubnetTier, az, cidr: s.cidr, role: `${s.tier}-${az.letter}` };
  });
  const tiers = SUBNET_TIERS.filter((t) => subnets.some((s) => s.tier === t));

  return {
    environment: input.environment,
    region,
    vpcCidr: input.cidr,
    azs,
    tiers,
    subnets,
    natAzs: natAzIndexes(input.natStrategy, azs.length).map((i) => azs[i]),
    routeTables: planRouteTables(input, subnets, azs),
    dataNaclRules: input.dataTierNacl === false ? undefined : planDataNaclRules(subnets, input.adminCidrs ?? []),
    flowLogs: { destination: input.flowLogs.destination, retentionDays: input.flowLogs.retentionDays, trafficType: input.flowLogs.trafficType ?? "ALL" },
    gatewayEndpoints: GATEWAY_ENDPOINT_SERVICES.map((service) => ({ service, serviceName: `com.amazonaws.${region}.${service}` })),
    transit: input.transit && {
      routes: input.transit.routes.map((r) => ({ cidr: r.cidr, description: r.description, key: `tgw-${cidrKey(r.cidr)}` })),
      propagationLabels: Object.keys(input.transit.propagationRouteTableIds),
    },
  };
}
