/**
 * Pure validation of one stack's config against the schema and against the whole address plan
 * (every stack file plus the offices). Collects every issue with its key path; never stops at the
 * first. No Pulumi imports: tests call it directly with plain objects.
 */
import { z } from "zod";
import { CidrPlanError, findOverlaps, planSubnets } from "../components/network/cidrPlan";
import { ENGINE_PROFILES } from "../components/data/engines";
import { minNodesForAzLoss, placeNodes, survivesAzLoss } from "../components/data/placement";
import { engineInstanceTypeIssue } from "../components/data/clusterPlan";
import { imageIssues } from "../components/compute/imageRule";
import { fargateSizeIssues } from "../components/compute/fargateSizes";
import { ConfigIssue } from "./errors";
import { securityIssues } from "./security";
import { apmIssues } from "./apmIssues";
import { prometheusIssues } from "./prometheusIssues";
import { loggingIssues } from "./loggingIssues";
import { deliveryIssues } from "./deliveryIssues";
import { analyticsIssues } from "./analyticsIssues";
import { analystIssues } from "./analystIssues";
import { monitoredResources, rawAlertIssues } from "./observability";
import { HubAccessEnvironment, ProviderConfig, accountModeIssues, allowedAccountIssues, hubAccessEnvironments, hubRoleIssues } from "./accounts";
import { keyPath } from "./keyPath";
import { offeringIssues } from "./offerings";
import { DeployedImage, deployedImages, managementImageIssues, serviceImageIssues } from "./images";
import { retentionIssues } from "./retention";
import { stackZoneNames, zoneIdIssues } from "./zones";
import { explainUnknownKeys } from "./strayKeys";
import {
  ENVIRONMENTS,
  EnvironmentName,
  EnvironmentSettings,
  ManagementSettings,
  OfficeSettings,
  PROJECT,
  STACKS,
  StackName,
  environmentConfigSchema,
  managementConfigSchema,
  dataSchema,
  DataSettings,
  edgeSchema,
  MANAGED_DATA_SERVICES,
  isHaEnvironment,
  servicesSchema,
  ServicesSettings,
  networkSchema,
  officeSchema,
  transitSchema,
} from "./schema";

/** Raw `tila-platform:*` values of one stack, keyed without the namespace (`network`, `tags`, ...). */
export type RawConfig = Record<string, unknown>;

/** What every stack knows about the others: their address space and account, and the offices. */
export interface AddressPlan {
  stacks: Record<StackName, { cidr: string; accountId: string } | undefined>;
  offices: readonly OfficeSettings[];
  managementAccountId: string | undefined;
  endpointServices: readonly string[];
  /** Management only: which image each environment's services run (config/images.ts); empty for an environment. */
  images: readonly DeployedImage[];
  /** Each environment's account, public names and endpoint mode: what management scopes its hub role by. */
  hubAccess: readonly HubAccessEnvironment[];
  /** Whether management runs the service pipelines (its `delivery` key): environments then create their deploy roles. */
  delivery: boolean;
}

export type ValidatedConfig =
  | { kind: "management"; stack: "management"; region: string; settings: ManagementSettings; plan: AddressPlan }
  | { kind: "environment"; stack: EnvironmentName; region: string; settings: EnvironmentSettings; plan: AddressPlan };

export type ValidationResult = { ok: true; config: ValidatedConfig } | { ok: false; issues: ConfigIssue[] };


export { keyPath };

function zodIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): ConfigIssue[] {
  return error.issues.map((i) => {
    const keys = i.code === "unrecognized_keys" ? (i as { keys: string[] }).keys : [];
    const extra = keys.some((k) => !i.message.includes(k)) ? ` (${keys.join(", ")})` : "";
    const path = [...prefix, ...i.path];
    const message = /received undefined$/.test(i.message) ? "is required" : `${i.message}${extra}`;
    return { path: path.length === 0 ? `${PROJECT}` : keyPath(path), message };
  });
}

/** Parse a sibling stack leniently: only what the address plan needs. */
function siblingEntry(raw: RawConfig | undefined): { cidr: string; accountId: string } | undefined {
  const network = raw?.network as { cidr?: unknown } | undefined;
  if (typeof network?.cidr !== "string" || typeof raw?.accountId !== "string") return undefined;
  return { cidr: network.cidr, accountId: raw.accountId };
}

/**
 * Validate `raw` (this stack's config) given the raw config of every stack file. `others[stack]` is
 * undefined when that file does not exist; `others[self]` is ignored in favour of `raw`. `provider`
 * carries this stack's `aws:` keys (config/load.ts always passes it; a caller checking only the
 * `tila-platform:` keys may leave it out, and the `aws:` checks are then skipped).
 */
export function validateStackConfig(stack: string, region: string, raw: RawConfig, others: Partial<Record<StackName, RawConfig>>, provider?: ProviderConfig): ValidationResult {
  if (!(STACKS as readonly string[]).includes(stack)) {
    return { ok: false, issues: [{ path: "stack", message: `"${stack}" is not a stack of this project (${STACKS.join(", ")})` }] };
  }
  const issues: ConfigIssue[] = [];
  const isManagement = stack === "management";
  const parsed = isManagement ? managementConfigSchema.safeParse(raw) : environmentConfigSchema.safeParse(raw);
  const knownKeys = Object.keys((isManagement ? managementConfigSchema : environmentConfigSchema).shape);
  if (!parsed.success) issues.push(...explainUnknownKeys(zodIssues(parsed.error), Object.keys(raw), knownKeys));

  const all: Partial<Record<StackName, RawConfig>> = { ...others, [stack]: raw };
  const mgmtRaw = all.management;
  const mgmtParsed = mgmtRaw ? managementConfigSchema.safeParse(mgmtRaw) : undefined;
  if (!isManagement && !mgmtRaw) issues.push({ path: "Pulumi.management.yaml", message: "the management stack file is missing; every environment depends on it" });
  if (!isManagement && mgmtParsed && !mgmtParsed.success) {
    issues.push({ path: "Pulumi.management.yaml", message: "the management stack config is invalid; run `npm run plan -- --stack management` to see why" });
  }
  const offices = mgmtParsed?.success ? mgmtParsed.data.offices : [];

  const plan: AddressPlan = {
    stacks: Object.fromEntries(STACKS.map((s) => [s, siblingEntry(all[s])])) as AddressPlan["stacks"],
    offices,
    managementAccountId: typeof mgmtRaw?.accountId === "string" ? mgmtRaw.accountId : undefined,
    endpointServices: mgmtParsed?.success ? mgmtParsed.data.endpoints.services : [],
    images: isManagement ? deployedImages(all) : [],
    // Only management scopes hub roles by them; an environment's key stays its siblings' CIDR and account.
    hubAccess: isManagement ? hubAccessEnvironments(all) : [],
    delivery: mgmtParsed?.success === true && mgmtParsed.data.delivery !== undefined,
  };

  issues.push(...overlapIssues(stack as StackName, plan));
  issues.push(...accountModeIssues(stack as StackName, raw, all), ...(provider ? allowedAccountIssues(raw, provider) : []));
  issues.push(...securityIssues(stack as StackName, raw, all));
  issues.push(...apmIssues(stack, raw, all));
  issues.push(...prometheusIssues(stack, raw));
  issues.push(...loggingIssues(stack, region, raw, all));

  // Cross-field rules run on every section that parsed on its own, so one typo elsewhere in the
  // file does not hide them.
  const network = networkSchema.safeParse(raw.network);
  if (network.success) issues.push(...networkIssues(stack, network.data), ...zoneIdIssues(region, network.data, isManagement));
  if (isManagement) {
    const offices = z.array(officeSchema).safeParse(raw.offices ?? []);
    const transit = transitSchema.safeParse(raw.transit ?? {});
    if (offices.success && transit.success) issues.push(...officeIssues(offices.data, transit.data.amazonSideAsn));
    issues.push(...managementImageIssues(plan.images));
    issues.push(...rawAlertIssues(raw.observability, []));
    issues.push(...deliveryIssues(raw));
  } else {
    issues.push(...environmentIssues(stack as StackName, raw, plan));
    const data = dataSchema.safeParse(raw.data);
    if (data.success && network.success) {
      const azs = stackZoneNames(region, network.data);
      // Duplicate zones are reported by networkIssues; placement cannot spread over them.
      if (new Set(azs).size === azs.length) issues.push(...dataIssues(stack, data.data, azs));
    }
    const services = servicesSchema.safeParse(raw.services);
    if (services.success && data.success) issues.push(...serviceIssues(stack, services.data, data.data));
    if (services.success) issues.push(...serviceImageIssues(region, services.data, plan.managementAccountId));
    issues.push(...rawAlertIssues(raw.observability, services.success && data.success ? monitoredResources(services.data, data.data) : undefined));
    if (network.success) {
      const azs = stackZoneNames(region, network.data);
      const sections = { data: data.success ? data.data : undefined, services: services.success ? services.data : undefined };
      issues.push(...offeringIssues({ stack: stack as EnvironmentName, region, network: network.data, azs, ...sections }));
    }
    const edge = edgeSchema.safeParse(raw.edge);
    issues.push(...retentionIssues(stack, {
      network: network.success ? network.data : undefined,
      data: data.success ? data.data : undefined,
      services: services.success ? services.data : undefined,
      edge: edge.success ? edge.data : undefined,
    }));
    issues.push(...analyticsIssues(stack, raw));
    issues.push(...analystIssues(raw));
  }
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  return {
    ok: true,
    config: isManagement
      ? { kind: "management", stack: "management", region, settings: parsed.data as ManagementSettings, plan }
      : { kind: "environment", stack: stack as EnvironmentName, region, settings: parsed.data as EnvironmentSettings, plan },
  };
}

function networkIssues(stack: string, n: ManagementSettings["network"]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (isHaEnvironment(stack) && n.azCount < 3) {
    issues.push({ path: keyPath(["network", "azCount"]), message: `${stack} requires at least 3 (got ${n.azCount})` });
  }
  if (isHaEnvironment(stack) && n.natStrategy !== "perAz") {
    issues.push({ path: keyPath(["network", "natStrategy"]), message: `${stack} requires perAz so that losing one AZ does not cut egress for the others (got ${n.natStrategy})` });
  }
  try {
    planSubnets(n.cidr, n.azCount);
  } catch (e) {
    if (!(e instanceof CidrPlanError)) throw e;
    issues.push({ path: keyPath(["network"]), message: `subnet plan does not fit: ${e.message}` });
  }
  return issues;
}

function overlapIssues(stack: StackName, plan: AddressPlan): ConfigIssue[] {
  const entries: { label: string; cidr: string }[] = [];
  for (const s of STACKS) {
    const e = plan.stacks[s];
    if (e) entries.push({ label: s === stack ? keyPath(["network", "cidr"]) : `Pulumi.${s}.yaml ${PROJECT}:network.cidr`, cidr: e.cidr });
  }
  plan.offices.forEach((o, i) =>
    o.cidrs.forEach((c, j) => {
      const label = stack === "management" ? keyPath(["offices", i, "cidrs", j]) : `Pulumi.management.yaml ${PROJECT}:offices[${i}].cidrs[${j}] (${o.name})`;
      entries.push({ label, cidr: c });
    }),
  );
  const cidrOf = new Map(entries.map((e) => [e.label, e.cidr]));
  let overlaps: { a: string; b: string }[];
  try {
    overlaps = findOverlaps(entries);
  } catch {
    return []; // malformed CIDRs are reported by the schema
  }
  return overlaps.map(({ a, b }) => {
    const [mine, theirs] = a.startsWith(`${PROJECT}:`) ? [a, b] : [b, a];
    return { path: mine, message: `${cidrOf.get(mine)} overlaps ${cidrOf.get(theirs)} at ${theirs}` };
  });
}

function officeIssues(offices: readonly OfficeSettings[], amazonSideAsn: number): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const names = new Set<string>();
  offices.forEach((o, i) => {
    if (names.has(o.name)) issues.push({ path: keyPath(["offices", i, "name"]), message: `duplicate office "${o.name}"` });
    names.add(o.name);
    o.allowedEnvironments.forEach((env, j) => {
      if (!(ENVIRONMENTS as readonly string[]).includes(env)) {
        issues.push({ path: keyPath(["offices", i, "allowedEnvironments", j]), message: `"${env}" is not an environment (${ENVIRONMENTS.join(", ")})` });
      }
    });
    const [a, b] = o.devices;
    if (a && b && a.ipAddress === b.ipAddress) {
      issues.push({ path: keyPath(["offices", i, "devices", 1, "ipAddress"]), message: "the two devices must have different public IPs, or one device failure takes the office down" });
    }
    o.devices.forEach((d, j) => {
      if (d.bgpAsn === amazonSideAsn) {
        issues.push({ path: keyPath(["offices", i, "devices", j, "bgpAsn"]), message: `must differ from the transit gateway's ASN ${amazonSideAsn}` });
      }
    });
  });
  return issues;
}

/** The only organization a DIY (self-managed: S3, file, GCS, Azure Blob) Pulumi backend accepts. */
export const DIY_ORGANIZATION = "organization";

function environmentIssues(stack: StackName, s: RawConfig, plan: AddressPlan): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (typeof s.managementStack === "string") {
    const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(s.managementStack);
    if (!m || m[2] !== PROJECT || m[3] !== "management") {
      issues.push({ path: keyPath(["managementStack"]), message: `must be "<org>/${PROJECT}/management" (got "${s.managementStack}")` });
    } else if (m[1] !== DIY_ORGANIZATION && (s.security as { stateBackend?: unknown } | undefined)?.stateBackend !== undefined) {
      // pulumi/pulumi pkg/backend/diy/store.go: a DIY backend refuses every organization but this one.
      issues.push({ path: keyPath(["managementStack"]), message: `must be "${DIY_ORGANIZATION}/${PROJECT}/management": security.stateBackend names a DIY (S3) backend, which accepts no organization but "${DIY_ORGANIZATION}" (got "${s.managementStack}")` });
    }
  }
  issues.push(...hubRoleIssues(stack, s, plan.managementAccountId));
  return issues;
}

/**
 * Clusters: names unique, ZooKeeper present for the engines that keep state in it, node counts the
 * engine accepts, and in prod/preprod a placement that keeps a quorum through the loss of any AZ.
 */
function dataIssues(stack: string, data: DataSettings, azs: readonly string[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  const azCount = azs.length;
  const hasZookeeper = data.clusters.some((c) => c.engine === "zookeeper");
  data.clusters.forEach((c, i) => {
    const profile = ENGINE_PROFILES[c.engine];
    const clusterName = c.name ?? c.engine;
    if (seen.has(clusterName)) issues.push({ path: keyPath(["data", "clusters", i, "name"]), message: `duplicate cluster name "${clusterName}"` });
    seen.add(clusterName);
    if (profile.needsZookeeper && !hasZookeeper) {
      issues.push({ path: keyPath(["data", "clusters", i, "engine"]), message: `${profile.displayName} keeps its state in ZooKeeper: add a zookeeper cluster to this environment` });
    }
    if (c.instanceType !== undefined) {
      const problem = engineInstanceTypeIssue(profile, c.instanceType);
      if (problem) issues.push({ path: keyPath(["data", "clusters", i, "instanceType"]), message: problem });
    }
    const nodes = c.nodes ?? profile.defaultNodes;
    if (nodes < profile.minNodes) {
      issues.push({ path: keyPath(["data", "clusters", i, "nodes"]), message: `${profile.displayName} needs at least ${profile.minNodes} nodes (got ${nodes})` });
    } else if (profile.oddNodeCount && nodes % 2 === 0) {
      issues.push({ path: keyPath(["data", "clusters", i, "nodes"]), message: `${profile.displayName} needs an odd node count: ${nodes} tolerates no more failures than ${nodes - 1}` });
    } else if (isHaEnvironment(stack)) {
      const verdict = survivesAzLoss(profile, placeNodes(nodes, azs));
      if (!verdict.ok) {
        const min = minNodesForAzLoss(profile, azCount);
        const hint = min === undefined ? `no node count on ${azCount} AZs does` : `use at least ${min}`;
        issues.push({
          path: keyPath(["data", "clusters", i, "nodes"]),
          message: `${nodes} ${profile.displayName} nodes over ${azCount} AZs do not survive losing one AZ in ${stack} (${verdict.reason}); ${hint}`,
        });
      }
    }
  });
  return issues;
}

/**
 * Services: unique names and listener priorities, routing that fits the exposure, `uses` naming
 * real data resources of this environment, immutable images, and prod-grade scaling in prod.
 */
function serviceIssues(stack: string, svc: ServicesSettings, data: DataSettings): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const at = (i: number, ...rest: PropertyKey[]): string => keyPath(["services", "catalog", i, ...rest]);
  const dataNames = new Set<string>([...data.clusters.map((c) => c.name ?? c.engine), ...MANAGED_DATA_SERVICES]);
  const names = new Set<string>();
  const priorities = new Map<string, string>();
  if (stack === "prod" && svc.fargateSpot) issues.push({ path: keyPath(["services", "fargateSpot"]), message: "prod runs on on-demand Fargate only: Spot tasks can be reclaimed with two minutes' notice" });
  if (isHaEnvironment(stack) && svc.minimumHealthyPercent < 100) {
    issues.push({ path: keyPath(["services", "minimumHealthyPercent"]), message: `${stack} requires 100 so that a deployment never drops below the running capacity (got ${svc.minimumHealthyPercent})` });
  }
  svc.catalog.forEach((s, i) => {
    if (names.has(s.name)) issues.push({ path: at(i, "name"), message: `duplicate service "${s.name}"` });
    names.add(s.name);
    for (const problem of imageIssues("image", s.image)) issues.push({ path: at(i, "image"), message: problem.replace(/^image: /, "") });
    for (const problem of fargateSizeIssues(s.cpu, s.memory)) {
      const [key, ...message] = problem.split(": ");
      issues.push({ path: at(i, key), message: message.join(": ") });
    }
    const key = `${s.exposure}:${s.routing.priority}`;
    const other = priorities.get(key);
    if (other) issues.push({ path: at(i, "routing", "priority"), message: `${s.routing.priority} is already used by "${other}" on the ${s.exposure} ALB` });
    priorities.set(key, s.name);
    if (s.exposure === "public" && !s.routing.paths === !s.routing.host) {
      issues.push({ path: at(i, "routing"), message: "a public service routes by exactly one of paths (on the API host) or host" });
    }
    if (s.exposure === "internal" && (s.routing.paths || s.routing.host)) {
      issues.push({ path: at(i, "routing"), message: `an internal service is routed by its own host ${s.name}.${stack}.internal.<domain>; remove paths and host` });
    }
    s.uses.forEach((u, j) => {
      if (!dataNames.has(u)) issues.push({ path: at(i, "uses", j), message: `"${u}" is not a data resource of this environment (${[...dataNames].join(", ")})` });
    });
    const min = s.scaling?.min ?? svc.scaling.min;
    const max = s.scaling?.max ?? svc.scaling.max;
    if (min > max) issues.push({ path: at(i, "scaling"), message: `min ${min} is above max ${max}` });
    if (isHaEnvironment(stack) && min < 2) {
      issues.push({ path: s.scaling?.min !== undefined ? at(i, "scaling", "min") : keyPath(["services", "scaling", "min"]), message: `${stack} needs at least 2 tasks per service, in different AZs (got ${min})` });
    }
  });
  return issues;
}
