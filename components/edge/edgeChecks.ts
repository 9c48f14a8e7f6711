/**
 * Checks and naming the edge components share: environment, edge tags, DNS names, rule labels. Pure;
 * each check returns its problems prefixed with the field so a component can report them all at
 * once (STYLE.md: validate everything first).
 */
import { ENVIRONMENTS } from "../environments";
import { Tags, resourceTags } from "../tags";

/** Value of the `Service` tag on everything the edge components create. */
export const EDGE_SERVICE_TAG = "edge";

export type Resolved<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly string[] };

export function resolved<T>(issues: readonly string[], value: () => T): Resolved<T> {
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: value() };
}

/** Tags of one edge resource: the common set, `Service: edge` and its `Name`. */
export function edgeTags(common: Tags, name: string): Record<string, string> {
  return resourceTags(common, EDGE_SERVICE_TAG, name);
}

/** The edge runs in the environment stacks only (docs/services-and-edge.md), never in management. */
export function environmentIssues(environment: string): string[] {
  return (ENVIRONMENTS as readonly string[]).includes(environment) ? [] : [`environment: "${environment}" must be one of ${ENVIRONMENTS.join(", ")}`];
}

/** Labels name resources and rules (`sg-${label}`): short, lower-case, stable. */
export function labelIssues(field: string, labels: readonly string[]): string[] {
  return labels.filter((l) => !/^[a-z][a-z0-9-]{0,30}$/.test(l)).map((l) => `${field}.${l}: label must be 1-31 lower-case letters, digits and dashes, starting with a letter (it names a resource)`);
}

export function intIssues(field: string, value: number, min: number, max: number): string[] {
  return Number.isInteger(value) && value >= min && value <= max ? [] : [`${field}: must be an integer from ${min} to ${max}, got ${value}`];
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Why `name` is not a lower-case DNS name (no trailing dot), or undefined. With `wildcard`, a
 * leading `*.` is accepted: ACM and Route 53 only allow the wildcard as the whole leftmost label.
 */
export function hostnameProblem(field: string, name: string, wildcard = false): string | undefined {
  const bare = wildcard && name.startsWith("*.") ? name.slice(2) : name;
  const labels = bare.split(".");
  const ok = labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1]) && name.length <= 253;
  if (ok) return undefined;
  const shape = wildcard ? `"api.tila.sa" or "*.tila.sa"` : `"api.tila.sa"`;
  return `${field}: "${name}" is not a lower-case DNS name such as ${shape} (no trailing dot)`;
}

/** `*.api.tila.sa` -> `wildcard-api-tila-sa`: a logical-name segment that follows the name, not its position. */
export function hostSlug(name: string): string {
  return name.replace(/^\*\./, "wildcard.").replace(/\./g, "-");
}
