/**
 * The platform's vocabulary of stacks: which environments exist and which of them are highly
 * available. Components shape themselves by it and config validates against it; it lives here,
 * below both, so that components never import config/.
 */

export const ENVIRONMENTS = ["dev", "stage", "preprod", "prod"] as const;
export const STACKS = ["management", ...ENVIRONMENTS] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];
export type StackName = (typeof STACKS)[number];

/** prod carries customers and preprod rehearses prod: both get the highly available shape. */
export const HA_ENVIRONMENTS: readonly EnvironmentName[] = ["prod", "preprod"];

export function isHaEnvironment(env: string): boolean {
  return (HA_ENVIRONMENTS as readonly string[]).includes(env);
}
