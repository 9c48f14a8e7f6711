/**
 * Every decision NoSqlCluster makes that needs no live resource: argument validation (all problems
 * at once, each naming its field), defaults from the engine profile, the CPU architecture and so
 * the AMI, node placement, stable DNS names, the connect string and which port ranges the security
 * group opens to whom. Pure, so it is
 * unit-tested directly and the component only turns the plan into resources.
 */
import { cidrProblem } from "../network/cidrPlan";
import { Tags, missingCommonTags } from "../tags";
import { ENGINE_NAMES, ENGINE_PROFILES, EngineName, EngineProfile, isEngineName } from "./engines";
import { AMI_PARAMETERS, ARCHITECTURE_LABELS, Architecture, instanceArchitecture, instanceTypeIssue } from "./instanceTypes";
import { AzLossVerdict, minNodesForAzLoss, placeNodes, survivesAzLoss } from "./placement";

/** The plain (non-Output) part of NoSqlClusterArgs that every decision depends on. */
export interface NoSqlClusterPlanInput {
  readonly environment: string;
  /** Typed as string so that config typos reach validation instead of being trusted. */
  readonly engine: string;
  readonly nodeCount?: number;
  readonly instanceType?: string;
  readonly dataVolumeSizeGiB?: number;
  readonly subnets: readonly { readonly az: string }[];
  readonly clients: { readonly cidrs?: readonly string[]; readonly securityGroupIds?: Readonly<Record<string, unknown>> };
  readonly dns: { readonly zoneName: string };
  /** Only presence matters here. */
  readonly zookeeper?: unknown;
  readonly adminSecretArn?: unknown;
  readonly snapshotRetentionDays: number;
  readonly protect: boolean;
  readonly tags: Tags;
}

/** Inclusive TCP port range: one security group rule. */
export interface PortRange {
  from: number;
  to: number;
}

/** Who is admitted on the client ports; `label` names the rule resources. */
export type ClientSource = { label: string; cidr: string } | { label: string; securityGroupKey: string };

export interface PlannedNode {
  index: number;
  az: string;
  /** Index into `subnets`: the data subnet of the node's AZ. */
  subnetIndex: number;
  /** `<cluster>-<index>.<zoneName>`. */
  dnsName: string;
}

export interface NoSqlClusterPlan {
  clusterName: string;
  environment: string;
  engine: EngineName;
  profile: EngineProfile;
  region: string;
  partition: string;
  nodeCount: number;
  instanceType: string;
  /** Follows `instanceType`. */
  architecture: Architecture;
  /** The SSM parameter holding the latest AL2023 AMI for `architecture`. */
  amiParameter: string;
  dataVolume: { sizeGiB: number; iops: number; throughput: number; mountPoint: string };
  nodes: PlannedNode[];
  dnsNames: string[];
  connectString: string;
  clientPortRanges: PortRange[];
  peerPortRanges: PortRange[];
  clientSources: ClientSource[];
  /** No `adminSecretArn` was given for an engine with an admin user: the component creates one. */
  createAdminSecret: boolean;
  snapshotRetentionDays: number;
  protect: boolean;
  /** Whether the placement survives an AZ loss; enforced only when `protect` is set. */
  azLoss: AzLossVerdict;
}

/** Every problem with the arguments, each prefixed with the argument path it concerns. */
export class NoSqlClusterPlanError extends Error {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(issues.join("; "));
    this.name = "NoSqlClusterPlanError";
    this.issues = issues;
  }
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Cluster and environment names: what the bootstrap accepts, and short enough for `<name>-<i>` labels. */
const NAME = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;
/** Lowercase, at least two labels, no trailing dot (the private zone's name, e.g. `prod.internal.tila.sa`). */
const ZONE_NAME = /^(?=.{1,240}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const AZ_NAME = /^([a-z]{2}(?:-[a-z0-9]+)+-\d+)([a-z])$/;
/** gp3 limits. */
const GP3_MAX_GIB = 16384;
const GP3_IOPS_PER_GIB = 500;
/** DLM keeps at most 1000 snapshots per schedule. */
const DLM_MAX_RETAIN = 1000;

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** Sorted, de-duplicated ports collapsed into contiguous ranges: one security group rule each. */
export function portRanges(ports: readonly number[]): PortRange[] {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const ranges: PortRange[] = [];
  for (const p of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && p === last.to + 1) last.to = p;
    else ranges.push({ from: p, to: p });
  }
  return ranges;
}

/** `8091-8096` or `27017`: the port part of rule names and descriptions. */
export function rangeLabel(r: PortRange): string {
  return r.from === r.to ? String(r.from) : `${r.from}-${r.to}`;
}

/** The replica-set name the bootstrap gives every MongoDB cluster (bootstrap/mongodb.ts); clients must name it. */
export const MONGODB_REPLICA_SET = "rs0";

/** What clients put in their configuration: a MongoDB URI, else `host:port` pairs of the first client port. */
export function connectString(profile: EngineProfile, dnsNames: readonly string[]): string {
  const port = profile.clientPorts[0];
  const hosts = dnsNames.map((h) => `${h}:${port}`).join(",");
  return profile.engine === "mongodb" ? `mongodb://${hosts}/?replicaSet=${MONGODB_REPLICA_SET}` : hosts;
}

/**
 * Why `profile`'s engine cannot run on `instanceType`, starting with the quoted type (callers name
 * the field), or undefined: any `instanceTypeIssue`, or an architecture the engine's bootstrap
 * cannot install on. Without the field name so that config validation can report it under its own key path.
 */
export function engineInstanceTypeIssue(profile: EngineProfile, instanceType: string): string | undefined {
  const issue = instanceTypeIssue(instanceType);
  if (issue !== undefined) return issue;
  const architecture = instanceArchitecture(instanceType)!;
  const only = profile.architectures;
  if (only === undefined || only.supported.includes(architecture)) return undefined;
  const supported = only.supported.map((a) => ARCHITECTURE_LABELS[a]).join(" or ");
  const label = ARCHITECTURE_LABELS[architecture];
  return `"${instanceType}" is ${/^[AEIOU]/.test(label) ? "an" : "a"} ${label} type, but ${profile.displayName} runs on ${supported} only: ${only.reason}; use e.g. "${profile.defaultInstanceType}"`;
}

/** Why `instanceType` cannot run nodes (of `profile`'s engine, when given), naming the field; or undefined. */
export function instanceTypeProblem(instanceType: string, profile?: EngineProfile): string | undefined {
  const issue = profile === undefined ? instanceTypeIssue(instanceType) : engineInstanceTypeIssue(profile, instanceType);
  return issue === undefined ? undefined : `instanceType: ${issue}`;
}

function regionOf(az: string): string | undefined {
  return AZ_NAME.exec(az)?.[1];
}

function subnetIssues(subnets: NoSqlClusterPlanInput["subnets"]): { issues: string[]; region?: string } {
  if (subnets.length === 0) return { issues: ["subnets: at least one data subnet is needed (one per AZ)"] };
  const issues: string[] = [];
  const regions = new Set<string>();
  const seen = new Set<string>();
  subnets.forEach((s, i) => {
    const region = regionOf(s.az);
    if (region === undefined) issues.push(`subnets[${i}].az: "${s.az}" is not an AZ name such as "me-south-1a"`);
    else regions.add(region);
    if (seen.has(s.az)) issues.push(`subnets[${i}].az: "${s.az}" appears twice; give one data subnet per AZ`);
    seen.add(s.az);
  });
  if (regions.size > 1) issues.push(`subnets: AZs span regions ${[...regions].join(", ")}`);
  return { issues, region: regions.size === 1 ? [...regions][0] : undefined };
}

function clientIssues(clients: NoSqlClusterPlanInput["clients"]): string[] {
  const issues: string[] = [];
  (clients.cidrs ?? []).forEach((cidr, i) => {
    const problem = cidrProblem(`clients.cidrs[${i}]`, cidr);
    if (problem !== undefined) issues.push(problem);
    else if (cidr.endsWith("/0")) issues.push(`clients.cidrs[${i}]: "${cidr}" would admit every address; list the app tier's subnets`);
  });
  for (const key of Object.keys(clients.securityGroupIds ?? {})) {
    if (!LABEL.test(key)) issues.push(`clients.securityGroupIds.${key}: the key names rule resources, so it must be a lowercase DNS label`);
  }
  return issues;
}

function sizeIssues(profile: EngineProfile, nodeCount: number, dataVolumeSizeGiB: number): string[] {
  const issues: string[] = [];
  if (!Number.isInteger(nodeCount) || nodeCount < profile.minNodes) {
    issues.push(`nodeCount: ${nodeCount} is below the ${profile.minNodes} node(s) ${profile.displayName} needs`);
  } else if (profile.maxNodes !== undefined && nodeCount > profile.maxNodes) {
    issues.push(`nodeCount: ${nodeCount} is above the ${profile.maxNodes} nodes this ${profile.displayName} profile supports`);
  } else if (profile.oddNodeCount && nodeCount % 2 === 0) {
    issues.push(`nodeCount: ${nodeCount} is even; ${profile.displayName} needs an odd count (an even one tolerates no more failures)`);
  }
  const minGiB = Math.ceil(profile.dataVolume.iops / GP3_IOPS_PER_GIB);
  if (!Number.isInteger(dataVolumeSizeGiB) || dataVolumeSizeGiB < minGiB || dataVolumeSizeGiB > GP3_MAX_GIB) {
    issues.push(`dataVolumeSizeGiB: ${dataVolumeSizeGiB} must be a whole number from ${minGiB} (gp3 allows ${GP3_IOPS_PER_GIB} IOPS per GiB) to ${GP3_MAX_GIB}`);
  }
  return issues;
}

function profileIssues(input: NoSqlClusterPlanInput, profile: EngineProfile): string[] {
  const issues: string[] = [];
  if (profile.needsZookeeper && input.zookeeper === undefined) {
    issues.push(`zookeeper: ${profile.displayName} keeps its cluster state in ZooKeeper; pass the environment's ensemble`);
  }
  if (!profile.needsZookeeper && input.zookeeper !== undefined) {
    issues.push(`zookeeper: ${profile.displayName} does not use ZooKeeper; only ${ENGINE_NAMES.filter((e) => ENGINE_PROFILES[e].needsZookeeper).join(" and ")} do`);
  }
  if (!profile.needsAdminSecret && input.adminSecretArn !== undefined) {
    issues.push(`adminSecretArn: ${profile.displayName} has no admin user in this profile`);
  }
  return issues;
}

function commonIssues(name: string, input: NoSqlClusterPlanInput): string[] {
  const issues: string[] = [];
  if (!NAME.test(name)) issues.push(`name: "${name}" starts the nodes' DNS labels: 2 to 40 lowercase letters, digits and hyphens, starting with a letter`);
  if (!NAME.test(input.environment)) issues.push(`environment: "${input.environment}" must be 2 to 40 lowercase letters, digits and hyphens, starting with a letter`);
  if (!ZONE_NAME.test(input.dns.zoneName)) issues.push(`dns.zoneName: "${input.dns.zoneName}" is not a lowercase zone name such as "prod.internal.tila.sa"`);
  const days = input.snapshotRetentionDays;
  if (!Number.isInteger(days) || days < 1 || days > DLM_MAX_RETAIN) {
    issues.push(`snapshotRetentionDays: ${days} must be a whole number from 1 to ${DLM_MAX_RETAIN}`);
  }
  issues.push(...missingCommonTags(input.tags));
  return issues;
}

/** Validates everything, then resolves defaults into a complete plan; throws NoSqlClusterPlanError listing every problem. */
export function planNoSqlCluster(name: string, input: NoSqlClusterPlanInput): NoSqlClusterPlan {
  const issues = commonIssues(name, input);
  const subnets = subnetIssues(input.subnets);
  issues.push(...subnets.issues, ...clientIssues(input.clients));
  if (!isEngineName(input.engine)) {
    issues.push(`engine: "${input.engine}" is not one of ${ENGINE_NAMES.join(", ")}`);
    throw new NoSqlClusterPlanError(issues);
  }
  const engine = input.engine;
  const profile = ENGINE_PROFILES[engine];
  const nodeCount = input.nodeCount ?? profile.defaultNodes;
  const instanceType = input.instanceType ?? profile.defaultInstanceType;
  const sizeGiB = input.dataVolumeSizeGiB ?? profile.dataVolume.defaultSizeGiB;
  issues.push(...sizeIssues(profile, nodeCount, sizeGiB), ...profileIssues(input, profile));
  const typeProblem = instanceTypeProblem(instanceType, profile);
  if (typeProblem !== undefined) issues.push(typeProblem);

  const azs = input.subnets.map((s) => s.az);
  const placeable = subnets.issues.length === 0 && Number.isInteger(nodeCount) && nodeCount >= 0;
  const placement = placeable ? placeNodes(nodeCount, azs) : [];
  const azLoss = placeable ? survivesAzLoss(profile, placement) : { ok: false, reason: "no valid placement" };
  if (placeable && input.protect && !azLoss.ok) {
    const needed = minNodesForAzLoss(profile, azs.length);
    const fix = needed === undefined ? `no node count survives on ${azs.length} AZ(s); add AZs` : `use at least ${needed} nodes`;
    issues.push(`nodeCount: ${nodeCount} ${profile.displayName} node(s) over ${azs.length} AZ(s) do not survive an AZ loss (${azLoss.reason}); ${fix}`);
  }
  if (issues.length > 0) throw new NoSqlClusterPlanError(issues);

  const nodes = placement.map((p) => ({ index: p.index, az: p.az, subnetIndex: azs.indexOf(p.az), dnsName: `${name}-${p.index}.${input.dns.zoneName}` }));
  const dnsNames = nodes.map((n) => n.dnsName);
  const region = subnets.region!;
  const architecture = instanceArchitecture(instanceType)!;
  return {
    clusterName: name,
    environment: input.environment,
    engine,
    profile,
    region,
    partition: partitionOf(region),
    nodeCount,
    instanceType,
    architecture,
    amiParameter: AMI_PARAMETERS[architecture],
    dataVolume: { sizeGiB, iops: profile.dataVolume.iops, throughput: profile.dataVolume.throughput, mountPoint: profile.dataVolume.mountPoint },
    nodes,
    dnsNames,
    connectString: connectString(profile, dnsNames),
    clientPortRanges: portRanges(profile.clientPorts),
    peerPortRanges: portRanges(profile.peerPorts),
    clientSources: [
      ...(input.clients.cidrs ?? []).map((cidr) => ({ label: `cidr-${cidr.replace(/[./]/g, "-")}`, cidr })),
      ...Object.keys(input.clients.securityGroupIds ?? {}).map((key) => ({ label: `sg-${key}`, securityGroupKey: key })),
    ],
    createAdminSecret: profile.needsAdminSecret && input.adminSecretArn === undefined,
    snapshotRetentionDays: input.snapshotRetentionDays,
    protect: input.protect,
    azLoss,
  };
}
