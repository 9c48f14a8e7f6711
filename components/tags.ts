/**
 * Tagging and naming conventions shared by every component. Provider `defaultTags` are applied by the
 * provider engine-side, which the mocked runtime (and so the policy pack offline) never sees, so
 * components set tags explicitly from these helpers instead.
 */

/** Tags every resource carries. */
export interface CommonTags {
  readonly Environment: string;
  readonly Owner: string;
  readonly CostCenter: string;
  readonly ManagedBy: string;
  readonly [key: string]: string;
}

export type Tags = Readonly<Record<string, string>>;

/** Tags for one resource: the common set, its `Service`, its `Name`, and any extras. */
export function resourceTags(common: Tags, service: string, name: string, extra: Tags = {}): Record<string, string> {
  return { ...common, Service: service, Name: name, ...extra };
}

/** The tag keys the policy pack requires on every taggable resource. */
export const REQUIRED_TAG_KEYS = ["Environment", "Service", "Owner", "CostCenter", "ManagedBy"] as const;

/** The required tags a caller supplies; `Service` (and `Name`) each component sets per resource. */
const COMMON_TAG_KEYS = REQUIRED_TAG_KEYS.filter((k) => k !== "Service");

/**
 * One problem per common tag that is absent or empty in `tags`, in `REQUIRED_TAG_KEYS` order and
 * prefixed with its path (`tags.Owner: required tag is missing`), so a component can report them
 * with its other argument problems.
 */
export function missingCommonTags(tags: Tags, field = "tags"): string[] {
  return COMMON_TAG_KEYS.filter((k) => !(typeof tags[k] === "string" && tags[k].length > 0)).map((k) => `${field}.${k}: required tag is missing`);
}
