/** Hand-built captured resources for the AWS checks' direct tests. */
import type { CapturedResource } from "../../../offline/types";
import { capturedResource } from "../../support/captured";

export function resource(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<CapturedResource> = {}): CapturedResource {
  return capturedResource({ urn: `urn:pulumi:test::proj::${type}::${name}`, type, name, id: `${name}-id`, inputs, outputs: { ...inputs }, ...extra });
}
