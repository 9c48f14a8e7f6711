/**
 * What the security-baseline rules share: finding the stack's SecurityBaseline and whether it holds
 * its account's controls (a stack in a shared account defers to the one that does), and reading
 * props through `peek` so a value unknown during preview never becomes a violation.
 */
import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { UNKNOWN, peek } from "../network/lib/values";

export const BASELINE = "tila:security:SecurityBaseline";

/**
 * False (and the rule marked not applicable) when the stack's baseline says another stack holds
 * the account's controls; true otherwise, including when there is no baseline at all (then the
 * account controls are simply missing, and each rule says which).
 */
export function holdsAccountControls(args: StackValidationArgs): boolean {
  const elsewhere = args.resources
    .filter((r) => r.type === BASELINE)
    .map((r) => ({ stack: peek(() => r.props.stack), controls: peek(() => r.props.accountControlsIn) }))
    .find((b) => typeof b.stack === "string" && typeof b.controls === "string" && b.controls !== b.stack)?.controls as string | undefined;
  if (elsewhere !== undefined) {
    args.notApplicable(`this stack's account controls are in the ${elsewhere} stack's baseline`);
    return false;
  }
  return true;
}

export function ofType(args: StackValidationArgs, type: string): PolicyResource[] {
  return args.resources.filter((r) => r.type === type);
}

/** A prop, or UNKNOWN during preview. */
export function prop(r: PolicyResource, key: string): unknown {
  return peek(() => {
    const v: unknown = r.props[key];
    return v === undefined || v === null ? v : JSON.parse(JSON.stringify(v));
  });
}

/** True when `value` is what is wanted, or not known yet. */
export function isOr(value: unknown, wanted: unknown): boolean {
  return value === UNKNOWN || value === wanted;
}

/** The ids a resource can be referred to by, for matching a child's `detectorId`-style input. */
export function refersTo(child: PolicyResource, key: string, parent: PolicyResource): boolean {
  const v = prop(child, key);
  if (v === UNKNOWN) return true;
  const id = peek(() => parent.props.id);
  return child.dependencies.includes(parent) || (typeof v === "string" && v === id);
}
