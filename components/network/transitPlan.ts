/**
 * Pure decisions behind TransitHub and OfficeVpn (docs/network.md): which Transit Gateway
 * route tables exist, which blackholes they carry, which tables each attachment associates with
 * and propagates into, and which accounts the hub is shared with. Office VPN tunnels are planned in
 * officeVpnPlan.ts. No Pulumi resources here, so every rule is unit-tested directly.
 */
import { Tags, missingCommonTags } from "../tags";
import { cidrProblem, findOverlaps } from "./cidrPlan";

/** Carries every problem found, each prefixed with the argument path it concerns. */
export class TransitPlanError extends Error {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(issues.join("; "));
    this.name = "TransitPlanError";
    this.issues = issues;
  }
}

/** Key of the management segment's route table. */
export const MANAGEMENT_TABLE = "management";

/** AWS default quota of route tables per Transit Gateway (adjustable, but a plan past it fails). */
export const MAX_ROUTE_TABLES = 20;

/** Key of an office's own route table. */
export function officeTableKey(office: string): string {
  return `offices-${office}`;
}

/** Segment, device and label names end up in logical names, `Name` tags and table keys. */
const NAME = /^[a-z][a-z0-9-]{0,31}$/;

export function nameProblem(field: string, value: string): string | undefined {
  return NAME.test(value) ? undefined : `${field}: "${value}" must be 1-32 lowercase letters, digits or hyphens, starting with a letter`;
}

/** Private ASN ranges AWS accepts for a Transit Gateway and recommends for customer gateways. */
export const PRIVATE_ASN_RANGES: readonly (readonly [number, number])[] = [
  [64512, 65534],
  [4200000000, 4294967294],
];

export function asnProblem(field: string, asn: number): string | undefined {
  const ok = Number.isInteger(asn) && PRIVATE_ASN_RANGES.some(([lo, hi]) => asn >= lo && asn <= hi);
  return ok ? undefined : `${field}: ${asn} is not a private ASN (64512-65534 or 4200000000-4294967294)`;
}

const ACCOUNT_ID = /^\d{12}$/;

export interface HubEnvironment {
  readonly name: string;
  readonly cidr: string;
  readonly accountId?: string;
}

export interface HubOffice {
  readonly name: string;
  readonly cidrs: readonly string[];
}

export interface HubInput {
  readonly amazonSideAsn: number;
  readonly management: { readonly cidr: string };
  readonly environments: readonly HubEnvironment[];
  readonly offices: readonly HubOffice[];
  readonly managementAccountId?: string;
  readonly tags: Tags;
}

export type Segment = "management" | "environment" | "office";

export interface PlannedRouteTable {
  /** Key in `TransitHub.routeTableIds` and suffix of the table's logical name. */
  readonly key: string;
  readonly segment: Segment;
}

export interface PlannedBlackhole {
  /** Key of the environment table the route lives in. */
  readonly table: string;
  /** The environment whose CIDR is dropped. */
  readonly target: string;
  readonly cidr: string;
}

export interface HubPlan {
  readonly routeTables: readonly PlannedRouteTable[];
  readonly blackholes: readonly PlannedBlackhole[];
  /** Distinct accounts other than management's, sorted; the hub is shared with each via RAM. */
  readonly foreignAccounts: readonly string[];
  readonly autoAcceptSharedAttachments: "enable" | "disable";
}

export function uniqueNameIssues(field: string, names: readonly string[]): string[] {
  const issues: string[] = [];
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    const at = `${field}[${i}].name`;
    const problem = nameProblem(at, n);
    if (problem !== undefined) issues.push(problem);
    const first = seen.get(n);
    if (first !== undefined) issues.push(`${at}: "${n}" is already used by ${field}[${first}]`);
    else seen.set(n, i);
  });
  return issues;
}

function hubIssues(input: HubInput): string[] {
  const issues = [asnProblem("amazonSideAsn", input.amazonSideAsn), ...missingCommonTags(input.tags)].flatMap((p) => p ?? []);
  issues.push(
    ...uniqueNameIssues("environments", input.environments.map((e) => e.name)),
    ...uniqueNameIssues("offices", input.offices.map((o) => o.name)),
  );
  input.environments.forEach((e, i) => {
    if (e.name === MANAGEMENT_TABLE || e.name.startsWith("offices-")) issues.push(`environments[${i}].name: "${e.name}" clashes with a management or office route table key`);
  });
  if (input.environments.length === 0) issues.push("environments: at least one environment is required");
  const tables = 1 + input.environments.length + input.offices.length;
  if (tables > MAX_ROUTE_TABLES) issues.push(`offices: ${tables} route tables exceed the Transit Gateway quota of ${MAX_ROUTE_TABLES}`);

  const cidrs = [
    { label: "management.cidr", cidr: input.management.cidr },
    ...input.environments.map((e, i) => ({ label: `environments[${i}].cidr`, cidr: e.cidr })),
    ...input.offices.flatMap((o, i) => o.cidrs.map((cidr, j) => ({ label: `offices[${i}].cidrs[${j}]`, cidr }))),
  ];
  input.offices.forEach((o, i) => o.cidrs.length === 0 && issues.push(`offices[${i}].cidrs: at least one CIDR is required`));
  const invalid = cidrs.flatMap((c) => cidrProblem(c.label, c.cidr) ?? []);
  issues.push(...invalid);
  if (invalid.length === 0) issues.push(...findOverlaps(cidrs).map(({ a, b }) => `${b}: overlaps ${a}`));

  const mgmt = input.managementAccountId;
  if (mgmt !== undefined && !ACCOUNT_ID.test(mgmt)) issues.push(`managementAccountId: "${mgmt}" is not a 12-digit AWS account id`);
  input.environments.forEach((e, i) => {
    if (e.accountId !== undefined && !ACCOUNT_ID.test(e.accountId)) issues.push(`environments[${i}].accountId: "${e.accountId}" is not a 12-digit AWS account id`);
  });
  const withAccount = input.environments.findIndex((e) => e.accountId !== undefined);
  if (mgmt === undefined && withAccount >= 0) {
    issues.push(`managementAccountId: required when an environment sets accountId (environments[${withAccount}]), to tell shared accounts from this one`);
  }
  return issues;
}

/**
 * Plans the hub: one table for management, one per environment and one per office; in every
 * environment table a blackhole for each other environment's CIDR; RAM sharing with every
 * environment account other than management's.
 * @throws TransitPlanError listing every problem with its argument path
 */
export function planTransitHub(input: HubInput): HubPlan {
  const issues = hubIssues(input);
  if (issues.length > 0) throw new TransitPlanError(issues);
  const envs = input.environments;
  const routeTables: PlannedRouteTable[] = [
    { key: MANAGEMENT_TABLE, segment: "management" },
    ...envs.map((e) => ({ key: e.name, segment: "environment" as const })),
    ...input.offices.map((o) => ({ key: officeTableKey(o.name), segment: "office" as const })),
  ];
  const blackholes = envs.flatMap((from) => envs.filter((to) => to.name !== from.name).map((to) => ({ table: from.name, target: to.name, cidr: to.cidr })));
  const foreignAccounts = [...new Set(envs.flatMap((e) => (e.accountId !== undefined && e.accountId !== input.managementAccountId ? [e.accountId] : [])))].sort();
  return { routeTables, blackholes, foreignAccounts, autoAcceptSharedAttachments: foreignAccounts.length > 0 ? "enable" : "disable" };
}

/** Where one attachment is associated and which tables learn its routes. */
export interface AttachmentWiring {
  readonly associate: string;
  readonly propagateTo: readonly string[];
}

export interface SegmentWiringInput {
  readonly environments: readonly string[];
  /** Each office with the environments it may reach; management is always reachable. */
  readonly offices: readonly { readonly name: string; readonly allowedEnvironments: readonly string[] }[];
}

export interface SegmentWiring {
  readonly management: AttachmentWiring;
  readonly environments: Readonly<Record<string, AttachmentWiring>>;
  readonly offices: Readonly<Record<string, AttachmentWiring>>;
}

/**
 * Associations and propagations for every attachment kind. Management reaches everything; an
 * environment reaches management and the offices allowed into it; an office reaches management
 * and its allowed environments. No environment ever propagates into another environment's table.
 * @throws TransitPlanError when an office allows an unknown environment
 */
export function planSegmentWiring(input: SegmentWiringInput): SegmentWiring {
  const issues: string[] = [];
  input.offices.forEach((o, i) =>
    o.allowedEnvironments.forEach((e, j) => {
      if (!input.environments.includes(e)) issues.push(`offices[${i}].allowedEnvironments[${j}]: "${e}" is not an environment`);
    }),
  );
  if (issues.length > 0) throw new TransitPlanError(issues);
  const officesInto = (env: string): string[] => input.offices.filter((o) => o.allowedEnvironments.includes(env)).map((o) => officeTableKey(o.name));
  return {
    management: { associate: MANAGEMENT_TABLE, propagateTo: [...input.environments, ...input.offices.map((o) => officeTableKey(o.name))] },
    environments: Object.fromEntries(input.environments.map((e) => [e, { associate: e, propagateTo: [MANAGEMENT_TABLE, ...officesInto(e)] }])),
    offices: Object.fromEntries(
      input.offices.map((o) => [o.name, { associate: officeTableKey(o.name), propagateTo: [MANAGEMENT_TABLE, ...new Set(o.allowedEnvironments)] }]),
    ),
  };
}
