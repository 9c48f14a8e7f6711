/**
 * The policy engine's resources as the cost estimate reads them: a PolicyResource (real `pulumi
 * preview` or the offline runner) becomes a CapturedResource with its known props as inputs and
 * outputs; values unknown during a preview are left out rather than stopping the estimate.
 */
import type { PolicyResource } from "@pulumi/policy";
import type { CapturedResource } from "../../../offline/types";
import { UNKNOWN, peek } from "../../lib/unknown";

/** The known part of a value: unknown leaves (and the keys holding them) dropped, arrays and objects copied. */
export function knownValue(value: unknown, depth = 0): unknown {
  if (depth > 32 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const v = peek(() => value[i] as unknown);
      out.push(v === UNKNOWN ? undefined : knownValue(v, depth + 1));
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = peek(() => (value as Record<string, unknown>)[key]);
    if (v !== UNKNOWN && v !== undefined) out[key] = knownValue(v, depth + 1);
  }
  return out;
}

/** A provider's resource has a module path in its type (`aws:ec2/vpc:Vpc`); components (`tila:network:X`) and the stack do not. */
function isCustom(type: string): boolean {
  return /^[^:]+:[^:]*\/[^:]*:[^:]+$/.test(type);
}

/**
 * Every resource of the stack as the estimate reads it; the provider id is the `id` prop when known. The
 * props are copied out of the policy engine's unknown-checking proxies only when a pricer reads them (its
 * own resource's, or one it looks up): copying every resource's would cost more than the estimate.
 */
export function capturedFromPolicy(resources: readonly PolicyResource[]): CapturedResource[] {
  return resources.map((r) => {
    const parent = peek(() => r.parent?.urn);
    let props: Record<string, unknown> | undefined;
    const known = (): Record<string, unknown> => (props ??= knownValue(peek(() => r.props) === UNKNOWN ? {} : r.props) as Record<string, unknown>);
    const captured = {
      urn: r.urn,
      type: r.type,
      name: r.name,
      ...(typeof parent === "string" ? { parent } : {}),
      custom: isCustom(r.type),
      remote: false,
      read: r.type === "pulumi:pulumi:StackReference",
      secretInputs: [],
      options: { protect: false, retainOnDelete: false, dependsOn: [], ignoreChanges: [], deleteBeforeReplace: false, additionalSecretOutputs: [] },
    };
    // The id alone, without copying the rest: a lookup by id reads every resource's.
    Object.defineProperty(captured, "id", {
      get: () => {
        const id = peek(() => r.props.id as unknown);
        return typeof id === "string" ? id : undefined;
      },
      enumerable: true,
    });
    Object.defineProperty(captured, "inputs", { get: known, enumerable: true });
    Object.defineProperty(captured, "outputs", { get: known, enumerable: true });
    return captured as unknown as CapturedResource;
  });
}
