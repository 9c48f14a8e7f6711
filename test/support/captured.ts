/**
 * Hand-built captured resources for tests of pure functions over graphs (pricers, diagrams,
 * summaries, reachability): a custom, registered resource with no inputs, outputs or options unless
 * given. Each test keeps its own naming (URN, id, parent) and passes it here.
 */
import type { CapturedOptions, CapturedResource } from "../../offline/types";

/** The options of a resource registered with none. */
export function noOptions(): CapturedOptions {
  return { protect: false, retainOnDelete: false, dependsOn: [], ignoreChanges: [], deleteBeforeReplace: false, additionalSecretOutputs: [] };
}

export function capturedResource(fields: Pick<CapturedResource, "urn" | "type" | "name"> & Partial<CapturedResource>): CapturedResource {
  return { custom: true, remote: false, read: false, inputs: {}, secretInputs: [], outputs: {}, options: noOptions(), ...fields };
}
