/**
 * Checks the compute components share (EcsCluster, ServiceSecurityGroups, MicroserviceService):
 * the environment vocabulary, service names and integers in range; the common tags are checked by
 * `missingCommonTags` in ../tags. Pure; each returns problems prefixed with the field they concern,
 * so a component can report them all at once.
 */
import { ENVIRONMENTS, EnvironmentName, isHaEnvironment } from "../environments";

export { isHaEnvironment };

export function isEnvironment(env: string): env is EnvironmentName {
  return (ENVIRONMENTS as readonly string[]).includes(env);
}

export function environmentIssues(env: string): string[] {
  return isEnvironment(env) ? [] : [`environment: "${env}" must be one of ${ENVIRONMENTS.join(", ")}`];
}

/**
 * The same rule as `services.catalog[].name` in the config schema: at most 25 characters. The
 * target group name does not rely on it: targetGroupName cuts `<env>-<service>` to fit 32.
 */
export const SERVICE_NAME = /^[a-z][a-z0-9-]{0,24}$/;

export function serviceNameIssues(field: string, name: string): string[] {
  return SERVICE_NAME.test(name) ? [] : [`${field}: "${name}" must be lower-case letters, digits and dashes (at most 25), starting with a letter`];
}

export function intIssues(field: string, value: number, min: number, max: number): string[] {
  return Number.isInteger(value) && value >= min && value <= max ? [] : [`${field}: must be an integer from ${min} to ${max}, got ${value}`];
}
