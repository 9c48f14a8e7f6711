/** Hand-built captured resources for the AWS checks' direct tests. */
import type { CapturedResource } from "../../../offline/types";

export function resource(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<CapturedResource> = {}): CapturedResource {
  return {
    urn: `urn:pulumi:test::proj::${type}::${name}`,
    type,
    name,
    custom: true,
    remote: false,
    read: false,
    id: `${name}-id`,
    inputs,
    secretInputs: [],
    outputs: { ...inputs },
    options: { protect: false, retainOnDelete: false, dependsOn: [], ignoreChanges: [], deleteBeforeReplace: false, additionalSecretOutputs: [] },
    ...extra,
  };
}
