/**
 * MicroserviceService: defaults and validation. `resolveService` checks every plain field of the
 * args, collects all problems (each prefixed with its field) and returns them together, or the
 * fully populated plan the component turns into resources. Pure; tested directly.
 */
import type * as pulumi from "@pulumi/pulumi";
import { missingCommonTags } from "../tags";
import type { CpuArchitecture, MicroserviceServiceArgs } from "./serviceArgs";
import { environmentIssues, intIssues, isHaEnvironment, serviceNameIssues } from "./computeChecks";
import { fargateSizeIssues } from "./fargateSizes";
import { ecrRepositoryArn, imageIssues } from "./imageRule";

export type Resolved<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly string[] };

export type { CpuArchitecture };

/** Graviton unless a service says otherwise; config validation checks the region offers it on Fargate. */
export const DEFAULT_CPU_ARCHITECTURE: CpuArchitecture = "ARM64";

/** The only retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_VALUES: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Non-root by default; see MicroserviceServiceArgs.user. */
export const DEFAULT_USER = "1000:1000";
export const DEFAULT_HEALTH_CHECK_GRACE_SECONDS = 60;

/** Scale out fast on a spike, scale in slowly so a brief dip does not shed capacity (AWS's ECS defaults). */
export const SCALE_OUT_COOLDOWN_SECONDS = 60;
export const SCALE_IN_COOLDOWN_SECONDS = 300;

/** Short enough for fast deployments; the container's stopTimeout covers the rest of a shutdown. */
export const DEREGISTRATION_DELAY_SECONDS = 30;

/** ALB limit: condition values per rule, summed over all conditions. */
const MAX_CONDITION_VALUES = 5;

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const LABEL = /^[a-z][a-z0-9-]{0,30}$/;
const USER = /^(?:\d+|[a-z_][a-z0-9_-]*)(?::(?:\d+|[a-z_][a-z0-9_-]*))?$/;
const PATH_PATTERN = /^\/[A-Za-z0-9_\-./*?~%+]*$/;
const HOST_PATTERN = /^[A-Za-z0-9*?][A-Za-z0-9*?.-]*$/;

export interface CapacityProviderStrategy {
  readonly capacityProvider: "FARGATE" | "FARGATE_SPOT";
  readonly base: number;
  readonly weight: number;
}

/**
 * With Spot, one task is always on-demand (`base: 1`) so a Spot reclaim never takes the service to
 * zero, and three of every four further tasks run on Spot (about 70% cheaper, two minutes' notice).
 * Spot runs ARM64 tasks on platform 1.4.0 or later (ECS API reference, CapacityProviderStrategyItem;
 * older guide pages still say x86 only); the service pins LATEST, which is 1.4.0.
 */
export function capacityStrategy(fargateSpot: boolean): CapacityProviderStrategy[] {
  return fargateSpot
    ? [{ capacityProvider: "FARGATE", base: 1, weight: 1 }, { capacityProvider: "FARGATE_SPOT", base: 0, weight: 3 }]
    : [{ capacityProvider: "FARGATE", base: 0, weight: 1 }];
}

export interface ListenerCondition {
  readonly pathPattern?: { readonly values: string[] };
  readonly hostHeader?: { readonly values: string[] };
}

export interface EgressPlan {
  /** Names the rule: `${label}-${port}`. */
  readonly key: string;
  readonly label: string;
  readonly port: number;
  /** Index into `args.egress`. */
  readonly index: number;
}

export interface ServicePlan {
  readonly environment: string;
  readonly service: string;
  /** Task definition family `<env>-<service>`: revisions of one service stay together. */
  readonly family: string;
  readonly containerName: string;
  readonly logGroupName: string;
  readonly logRetentionDays: number;
  readonly image: string;
  readonly ecrRepositoryArn?: string;
  readonly cpu: number;
  readonly memory: number;
  readonly cpuArchitecture: CpuArchitecture;
  readonly user: string;
  readonly containerPort: number;
  readonly healthCheckPath: string;
  readonly healthCheckGracePeriodSeconds: number;
  /** Values may be outputs (a database endpoint); the component resolves them. */
  readonly environmentVariables: readonly { readonly name: string; readonly value: pulumi.Input<string> }[];
  /** Sorted by name. */
  readonly secrets: readonly { readonly name: string; readonly jsonKey?: string }[];
  readonly scaling: MicroserviceServiceArgs["scaling"];
  readonly deployment: MicroserviceServiceArgs["deployment"];
  readonly capacityProviderStrategies: readonly CapacityProviderStrategy[];
  readonly priority: number;
  readonly listenerConditions: readonly ListenerCondition[];
  readonly egress: readonly EgressPlan[];
  /** FireLens to Graylog (undefined: awslogs only); logRetentionDays is then the CloudWatch copy's. */
  readonly shipping?: { readonly host: string; readonly port: number; readonly managementCidr: string };
}

/** Can a rolling deployment make progress: start one new task above, or stop one old task below? */
export function deploymentCanProgress(desired: number, minimumHealthyPercent: number, maximumPercent: number): boolean {
  return Math.floor((desired * maximumPercent) / 100) > desired || Math.ceil((desired * minimumHealthyPercent) / 100) < desired;
}

function isRoot(user: string): boolean {
  const uid = user.split(":")[0];
  return uid === "root" || /^0+$/.test(uid);
}

function envNameIssues(field: string, names: readonly string[]): string[] {
  return names.filter((n) => !ENV_NAME.test(n)).map((n) => `${field}.${n}: must match [A-Z_][A-Z0-9_]*`);
}

function routingIssues(routing: MicroserviceServiceArgs["routing"]): string[] {
  const issues = intIssues("routing.priority", routing.priority, 1, 50000);
  const paths = routing.pathPatterns ?? [];
  const hosts = routing.hostHeaders ?? [];
  if (paths.length === 0 && hosts.length === 0) issues.push("routing: needs at least one of pathPatterns or hostHeaders, or the rule would match every request");
  if (paths.length + hosts.length > MAX_CONDITION_VALUES) issues.push(`routing: at most ${MAX_CONDITION_VALUES} path and host values per listener rule, got ${paths.length + hosts.length}`);
  paths.forEach((p, i) => {
    if (!PATH_PATTERN.test(p) || p.length > 128) issues.push(`routing.pathPatterns[${i}]: "${p}" must be a path pattern starting with / (at most 128 characters)`);
  });
  hosts.forEach((h, i) => {
    if (!HOST_PATTERN.test(h) || h.length > 128) issues.push(`routing.hostHeaders[${i}]: "${h}" must be a host name pattern (at most 128 characters)`);
  });
  return issues;
}

function scalingIssues(env: string, s: MicroserviceServiceArgs["scaling"]): string[] {
  // Both metrics come from running tasks, so a service at 0 would never scale out again.
  const issues = [...intIssues("scaling.min", s.min, 1, 1000), ...intIssues("scaling.max", s.max, 1, 1000)];
  if (s.min > s.max) issues.push(`scaling.min: ${s.min} is above scaling.max ${s.max}`);
  if (isHaEnvironment(env) && s.min < 2) issues.push(`scaling.min: ${env} needs at least 2 tasks, in different AZs, got ${s.min}`);
  issues.push(...intIssues("scaling.cpuTargetPercent", s.cpuTargetPercent, 10, 95));
  issues.push(...intIssues("scaling.requestsPerTarget", s.requestsPerTarget, 1, 100000));
  return issues;
}

function deploymentIssues(env: string, d: MicroserviceServiceArgs["deployment"], min: number): string[] {
  const issues = [...intIssues("deployment.minimumHealthyPercent", d.minimumHealthyPercent, 0, 100), ...intIssues("deployment.maximumPercent", d.maximumPercent, 100, 200)];
  if (isHaEnvironment(env) && d.minimumHealthyPercent !== 100) {
    issues.push(`deployment.minimumHealthyPercent: ${env} requires 100 so a deployment never drops below the running capacity, got ${d.minimumHealthyPercent}`);
  }
  if (issues.length === 0 && Number.isInteger(min) && min >= 1 && !deploymentCanProgress(min, d.minimumHealthyPercent, d.maximumPercent)) {
    issues.push(`deployment.maximumPercent: with ${min} task(s) and minimumHealthyPercent ${d.minimumHealthyPercent}, ${d.maximumPercent} leaves no room to start a new task, so a deployment could never progress`);
  }
  return issues;
}

function egressPlan(egress: MicroserviceServiceArgs["egress"]): { plan: EgressPlan[]; issues: string[] } {
  const plan: EgressPlan[] = [];
  const issues: string[] = [];
  const labels = new Set<string>();
  (egress ?? []).forEach((e, index) => {
    if (!LABEL.test(e.label)) issues.push(`egress[${index}].label: "${e.label}" must be lower-case letters, digits and dashes (it names the rule)`);
    if (labels.has(e.label)) issues.push(`egress[${index}].label: "${e.label}" is declared twice`);
    labels.add(e.label);
    if (e.ports.length === 0) issues.push(`egress[${index}].ports: at least one port`);
    const seen = new Set<number>();
    e.ports.forEach((port, j) => {
      issues.push(...intIssues(`egress[${index}].ports[${j}]`, port, 1, 65535));
      if (seen.has(port)) issues.push(`egress[${index}].ports[${j}]: ${port} is listed twice`);
      seen.add(port);
      plan.push({ key: `${e.label}-${port}`, label: e.label, port, index });
    });
  });
  return { plan, issues };
}

export function resolveService(args: MicroserviceServiceArgs): Resolved<ServicePlan> {
  const env = args.environment;
  const issues = [...environmentIssues(env), ...serviceNameIssues("service", args.service), ...missingCommonTags(args.tags)];
  issues.push(...imageIssues("image", args.image));
  issues.push(...fargateSizeIssues(args.cpu, args.memory));

  const user = args.user ?? DEFAULT_USER;
  if (!USER.test(user)) issues.push(`user: "${user}" must be uid[:gid] or name[:group]`);
  else if (isRoot(user)) issues.push(`user: "${user}" is root; tasks run as a non-root user`);
  // A non-root process cannot bind below 1024 (no NET_BIND_SERVICE: every capability is dropped).
  issues.push(...intIssues("containerPort", args.containerPort, 1024, 65535));
  const arch = args.cpuArchitecture ?? DEFAULT_CPU_ARCHITECTURE;
  if (arch !== "ARM64" && arch !== "X86_64") issues.push(`cpuArchitecture: must be ARM64 or X86_64, got "${arch}"`);
  if (!args.healthCheckPath.startsWith("/") || args.healthCheckPath.length > 1024) issues.push(`healthCheckPath: "${args.healthCheckPath}" must start with / (at most 1024 characters)`);
  const grace = args.healthCheckGracePeriodSeconds ?? DEFAULT_HEALTH_CHECK_GRACE_SECONDS;
  issues.push(...intIssues("healthCheckGracePeriodSeconds", grace, 0, 3600));
  if (args.subnetIds.length === 0) issues.push("subnetIds: at least one app subnet");
  else if (isHaEnvironment(env) && args.subnetIds.length < 2) issues.push(`subnetIds: ${env} spreads tasks over at least 2 AZs, got ${args.subnetIds.length} subnet(s)`);

  const envVars = Object.entries(args.environmentVariables ?? {}).map(([name, value]) => ({ name, value }));
  const secrets = Object.entries(args.secrets ?? {}).map(([name, s]) => ({ name, jsonKey: s.jsonKey })).sort((a, b) => (a.name < b.name ? -1 : 1));
  issues.push(...envNameIssues("environmentVariables", envVars.map((v) => v.name)));
  issues.push(...envNameIssues("secrets", secrets.map((s) => s.name)));
  for (const s of secrets) {
    if (s.jsonKey !== undefined && !/^[A-Za-z0-9_.-]{1,256}$/.test(s.jsonKey)) issues.push(`secrets.${s.name}.jsonKey: "${s.jsonKey}" must be a non-empty JSON key without ':'`);
    if (args.environmentVariables?.[s.name] !== undefined) issues.push(`secrets.${s.name}: also set in environmentVariables; a variable comes from one place`);
  }
  if ((args.secretKmsKeyArns ?? []).length > 0 && secrets.length === 0) issues.push("secretKmsKeyArns: keys given but no secrets to decrypt");

  if (!LOG_RETENTION_VALUES.includes(args.logRetentionDays)) issues.push(`logRetentionDays: ${args.logRetentionDays} is not a CloudWatch Logs retention (${LOG_RETENTION_VALUES.join(", ")})`);
  issues.push(...scalingIssues(env, args.scaling));
  issues.push(...deploymentIssues(env, args.deployment, args.scaling.min));
  if (args.capacity.fargateSpot && env === "prod") issues.push("capacity.fargateSpot: prod runs on on-demand Fargate only (Spot tasks can be reclaimed with two minutes' notice)");
  issues.push(...routingIssues(args.routing));
  const egress = egressPlan(args.egress);
  issues.push(...egress.issues);
  const shipping = args.logShipping;
  if (shipping !== undefined) {
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(shipping.host)) issues.push(`logShipping.host: "${shipping.host}" must be a DNS name the load balancer's certificate covers`);
    issues.push(...intIssues("logShipping.port", shipping.port, 1, 65535));
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(shipping.managementCidr)) issues.push(`logShipping.managementCidr: "${shipping.managementCidr}" must be an IPv4 CIDR`);
    if (!LOG_RETENTION_VALUES.includes(shipping.fallbackRetentionDays)) issues.push(`logShipping.fallbackRetentionDays: ${shipping.fallbackRetentionDays} is not a CloudWatch Logs retention (${LOG_RETENTION_VALUES.join(", ")})`);
  }
  if (issues.length > 0) return { ok: false, issues };

  const conditions: ListenerCondition[] = [];
  if ((args.routing.pathPatterns ?? []).length > 0) conditions.push({ pathPattern: { values: [...args.routing.pathPatterns!] } });
  if ((args.routing.hostHeaders ?? []).length > 0) conditions.push({ hostHeader: { values: [...args.routing.hostHeaders!] } });
  return {
    ok: true,
    value: {
      environment: env,
      service: args.service,
      family: `${env}-${args.service}`,
      containerName: args.service,
      logGroupName: `/tila/${env}/${args.service}`,
      logRetentionDays: shipping?.fallbackRetentionDays ?? args.logRetentionDays,
      image: args.image,
      ecrRepositoryArn: ecrRepositoryArn(args.image),
      cpu: args.cpu,
      memory: args.memory,
      cpuArchitecture: arch,
      user,
      containerPort: args.containerPort,
      healthCheckPath: args.healthCheckPath,
      healthCheckGracePeriodSeconds: grace,
      environmentVariables: envVars.sort((a, b) => (a.name < b.name ? -1 : 1)),
      secrets,
      scaling: { ...args.scaling },
      deployment: { ...args.deployment },
      capacityProviderStrategies: capacityStrategy(args.capacity.fargateSpot),
      priority: args.routing.priority,
      listenerConditions: conditions,
      egress: egress.plan,
      ...(shipping ? { shipping: { host: shipping.host, port: shipping.port, managementCidr: shipping.managementCidr } } : {}),
    },
  };
}
