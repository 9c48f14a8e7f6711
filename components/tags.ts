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
