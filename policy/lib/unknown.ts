/**
 * Values unknown during a preview, for every rule domain. Touching one through the SDK's
 * unknown-checking proxy throws `UnknownValueError`; the CLI turns that into an advisory "can't run
 * policy during preview" note. Stack rules read through `peek` so one unknown value skips one
 * comparison instead of silencing the rule for the whole stack.
 */

/** What `peek` returns for a value not known until apply. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Unknown = typeof UNKNOWN;

/**
 * The SDK's `UnknownValueError`, recognised by shape rather than `instanceof`: the pack and the
 * offline runner may load different copies of `@pulumi/policy` (policy/node_modules and the root's).
 */
export function isUnknownValueError(e: unknown): boolean {
  return e instanceof Error && (e.constructor?.name === "UnknownValueError" || "unknownTypeSentinel" in e);
}

/** `read()`, or UNKNOWN when it touches a value unknown during preview. */
export function peek<T>(read: () => T): T | Unknown {
  try {
    return read();
  } catch (e) {
    if (isUnknownValueError(e)) return UNKNOWN;
    throw e;
  }
}
