/**
 * Validation and resolution of `observability.alerts` (docs/observability.md#thresholds): every
 * threshold key must exist and hold the kind of number it measures, every override must name a
 * resource this stack's config creates and use only keys of that resource's kind. Also resolves the
 * per-environment defaults (thresholds, Teams routing) the stack builds with.
 */
import { MonitoredKind, THRESHOLDS, ThresholdKey, Thresholds, ResolvedThresholds, resolveThresholds, thresholdProblem } from "../components/observability/thresholds";
import { AlertsSettings, alertsSchema } from "./alertsSchema";
import { ConfigIssue } from "./errors";
import { keyPath } from "./keyPath";
import { DataSettings, ServicesSettings, StackName, isHaEnvironment } from "./schema";

/** A resource alarms watch that an override may name. */
export interface MonitoredResource {
  readonly name: string;
  readonly kind: MonitoredKind;
}

/** The ALBs of every environment, by the names overrides use. */
export const LOAD_BALANCER_NAMES = ["public", "internal"] as const;

/** What an environment's config creates that has thresholds: ALBs, services, clusters and the managed data services. */
export function monitoredResources(services: Pick<ServicesSettings, "catalog">, data: Pick<DataSettings, "clusters">): MonitoredResource[] {
  return [
    ...LOAD_BALANCER_NAMES.map((name) => ({ name, kind: "loadBalancer" as const })),
    ...services.catalog.map((s) => ({ name: s.name, kind: "service" as const })),
    ...data.clusters.map((c) => ({ name: c.name ?? c.engine, kind: "cluster" as const })),
    { name: "mysql", kind: "mysql" },
    { name: "redis", kind: "redis" },
    { name: "opensearch", kind: "opensearch" },
  ];
}

const isKey = (k: string): k is ThresholdKey => Object.prototype.hasOwnProperty.call(THRESHOLDS, k);

function valueIssues(values: Readonly<Record<string, number>>, at: (key: string) => string, fits: (key: ThresholdKey) => string | undefined): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (!isKey(key)) {
      issues.push({ path: at(key), message: `is not a threshold (${Object.keys(THRESHOLDS).join(", ")})` });
      continue;
    }
    const misfit = fits(key);
    if (misfit) issues.push({ path: at(key), message: misfit });
    const problem = thresholdProblem(THRESHOLDS[key].kind, value);
    if (problem) issues.push({ path: at(key), message: problem });
  }
  return issues;
}

/**
 * Every problem in `observability.alerts` given what the stack creates (`resources`; undefined when
 * the sections that say so did not parse, and then only the values are checked).
 */
export function alertIssues(alerts: AlertsSettings, resources: readonly MonitoredResource[] | undefined): ConfigIssue[] {
  const base = ["observability", "alerts"];
  const issues = valueIssues(alerts.thresholds, (k) => keyPath([...base, "thresholds", k]), () => undefined);
  for (const [resource, values] of Object.entries(alerts.overrides)) {
    const at = (k: string) => keyPath([...base, "overrides", resource, k]);
    const found = resources?.find((r) => r.name === resource);
    if (resources && !found) {
      const names = resources.map((r) => r.name);
      issues.push({
        path: keyPath([...base, "overrides", resource]),
        message: names.length > 0 ? `"${resource}" is not a monitored resource of this stack (${names.join(", ")})` : `this stack has no resources with thresholds to override`,
      });
      continue;
    }
    issues.push(...valueIssues(values, at, (key) => (found && THRESHOLDS[key].appliesTo !== found.kind ? `applies to ${THRESHOLDS[key].appliesTo} resources; "${resource}" is a ${found.kind}` : undefined)));
  }
  return issues;
}

/**
 * The cross-key issues of a stack file's raw `observability.alerts`: thresholds and overrides are
 * checked even when another alerts key (an e-mail) is invalid, which the schema reports itself.
 */
export function rawAlertIssues(rawObservability: unknown, resources: readonly MonitoredResource[] | undefined): ConfigIssue[] {
  const raw = (rawObservability as { alerts?: Record<string, unknown> } | undefined)?.alerts ?? {};
  const values = alertsSchema.safeParse({ thresholds: raw.thresholds, overrides: raw.overrides });
  return values.success ? alertIssues(values.data, resources) : [];
}

/** Thresholds are strict (pages early) in the environments customers use or rehearse on. */
export function strictThresholds(stack: StackName): boolean {
  return stack !== "management" && isHaEnvironment(stack);
}

/** The thresholds a stack builds with: its environment's defaults, its own values, its overrides. */
export function stackThresholds(stack: StackName, alerts: AlertsSettings): ResolvedThresholds {
  return resolveThresholds(strictThresholds(stack), alerts.thresholds as Partial<Thresholds>, alerts.overrides as Record<string, Partial<Thresholds>>);
}

/** Which topics go to Teams. Prod, preprod and management: critical and security; dev and stage: everything. */
export function teamsRouting(stack: StackName, alerts: AlertsSettings): { critical: boolean; warning: boolean; security: boolean } {
  const quiet = stack === "management" || isHaEnvironment(stack);
  return {
    critical: alerts.teams.critical ?? true,
    warning: alerts.teams.warning ?? !quiet,
    security: alerts.teams.security ?? true,
  };
}
