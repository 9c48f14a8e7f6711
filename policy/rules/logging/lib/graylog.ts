/**
 * What the Graylog rules share: which resources are Graylog's (by name), and the index sets the
 * provisioning step's Invocation input carries (key `indexSets`, IndexSetSpec[] of
 * components/observability/logging/graylogPlan.ts). Not a rule: the domain index lists the rules.
 */
import type { PolicyResource } from "@pulumi/policy";
import { UNKNOWN, Unknown, peek } from "../../../lib/unknown";

export const INVOCATION = "aws:lambda/invocation:Invocation";

/** Graylog's resources carry `graylog` in their Name tag or logical name (components/observability/logging). */
export function isGraylog(r: PolicyResource): boolean {
  const name = peek(() => (r.props.tags as Record<string, unknown> | undefined)?.Name);
  return /graylog/i.test(r.name) || (typeof name === "string" && /graylog/i.test(name));
}

/** The `indexSets` of an Invocation's JSON input, undefined when it has none, UNKNOWN during preview. */
export function indexSetsOf(invocation: PolicyResource): unknown[] | undefined | Unknown {
  const input = peek(() => invocation.props.input);
  if (input === UNKNOWN) return UNKNOWN;
  if (typeof input !== "string") return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(input);
  } catch {
    return undefined;
  }
  const sets = doc !== null && typeof doc === "object" ? (doc as Record<string, unknown>).indexSets : undefined;
  return Array.isArray(sets) ? sets : undefined;
}

/** Every provisioning input of the stack (Invocations whose input has indexSets), with its index sets. */
export function provisioningInputs(resources: readonly PolicyResource[]): { invocation: PolicyResource; sets: unknown[] | Unknown }[] {
  return resources.filter((r) => r.type === INVOCATION).flatMap((invocation) => {
    const sets = indexSetsOf(invocation);
    return sets === undefined ? [] : [{ invocation, sets }];
  });
}
