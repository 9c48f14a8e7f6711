/**
 * Reading values that may be unknown during a preview. Touching an unknown value makes the SDK turn
 * the whole validation into a "can't run during preview" note. These helpers read one value at a
 * time instead: a presence check accepts a value that will exist, and a stack rule joining
 * resources falls back to the dependency graph for one pair and still checks the rest.
 */
import type { PolicyResource } from "@pulumi/policy";

import { UNKNOWN, Unknown, peek } from "../../lib/unknown";

export { UNKNOWN };
export type Maybe<T> = T | Unknown;

/** `read()`, or UNKNOWN when it touches a value the engine does not know yet. */
export const known: <T>(read: () => T) => Maybe<T> = peek;

/** Whether `obj[key]` is set (non-null, non-empty) or will be (unknown during preview). */
export function present(obj: Record<string, unknown>, key: string): boolean {
  if (!(key in obj)) return false;
  const value = known(() => obj[key]);
  return value === UNKNOWN || (value !== null && value !== "");
}

/** The ARN and id `target` can be referred to by (known ones only). */
function identifiers(target: PolicyResource): string[] {
  return [known(() => target.props.arn), known(() => target.props.id)].filter((v): v is string => typeof v === "string" && v !== "");
}

/**
 * Whether `from.props[prop]` points at `target`: by value when both sides are known, otherwise by
 * `from` depending on `target` (which is how an output-valued reference reaches the engine).
 */
export function references(from: PolicyResource, prop: string, target: PolicyResource): boolean {
  const value = known(() => from.props[prop] as unknown);
  const ids = identifiers(target);
  if (typeof value === "string" && value !== "" && ids.length > 0) return ids.includes(value);
  if (value !== UNKNOWN && ids.length > 0) return false;
  return from.dependencies.some((d) => d.urn === target.urn);
}
