/**
 * The names both sides of a cross-account image pull agree on: the platform's ECR repository of a
 * service (in the management account), the registry that holds it, and the task execution role of
 * a service in an environment (in that environment's account). The management stack names the roles
 * in each repository policy before they exist; the environment stacks create roles with exactly
 * these names. Pure.
 */
import { parseImage } from "./imageRule";

/** Every platform repository is `tila/<service>`. */
export const IMAGE_REPOSITORY_PREFIX = "tila";

/**
 * One path component of a repository name as ECR's CreateRepository takes it: the API model's
 * pattern `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*` per `/`-separated part, 2 to 256 characters in all
 * (botocore `data/ecr/2015-09-21/service-2.json`, shape RepositoryName).
 */
export const ECR_NAME_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;

/** IAM role names: at most 64 characters (IAM CreateRole). */
const MAX_ROLE_NAME = 64;

/** The platform repository of a service: `tila/checkout`. */
export function imageRepositoryName(service: string): string {
  return `${IMAGE_REPOSITORY_PREFIX}/${service}`;
}

/** Why `service` cannot name an ECR repository, or undefined when it can. */
export function repositoryNameIssue(service: string): string | undefined {
  return ECR_NAME_COMPONENT.test(service)
    ? undefined
    : `"${service}" cannot name an ECR repository: ECR takes lower-case letters and digits joined by dots, dashes or underscores, never at the end`;
}

/** The partition of a region: `aws-cn` for China, `aws-us-gov` for GovCloud, else `aws`. */
export function partitionOf(region: string): string {
  return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

/** The private registry of an account in a region: `111111111111.dkr.ecr.me-south-1.amazonaws.com`. */
export function imageRegistry(accountId: string, region: string): string {
  return `${accountId}.dkr.ecr.${region}.amazonaws.com${partitionOf(region) === "aws-cn" ? ".cn" : ""}`;
}

/** The image a service must run from: `<registry>/tila/<service>`, followed by `:<tag>`. */
export function platformImagePrefix(accountId: string, region: string, service: string): string {
  return `${imageRegistry(accountId, region)}/${imageRepositoryName(service)}`;
}

/**
 * The task execution role of a service in an environment: `tila-<env>-<service>-execution`. The
 * ECS agent pulls the image with it, so it is the principal the repository policy names.
 */
export function executionRoleName(environment: string, service: string): string {
  return `tila-${environment}-${service}-execution`;
}

export function executionRoleArn(partition: string, accountId: string, environment: string, service: string): string {
  return `arn:${partition}:iam::${accountId}:role/${executionRoleName(environment, service)}`;
}

/** Why the execution role of `service` in `environment` cannot be named, or undefined. */
export function executionRoleNameIssue(environment: string, service: string): string | undefined {
  const name = executionRoleName(environment, service);
  if (!/^[\w+=,.@-]+$/.test(name)) return `execution role name "${name}" has characters IAM refuses`;
  return name.length > MAX_ROLE_NAME ? `execution role name "${name}" is ${name.length} characters; IAM allows ${MAX_ROLE_NAME}` : undefined;
}

/**
 * Why `image` is not an image of the service's platform repository, or undefined when it is. The
 * tag is required (a digest may follow it): the repository's lifecycle policy keeps deployed images
 * by tag, so an image named only by digest could be expired while it runs.
 */
export function platformImageIssue(image: string, where: { accountId: string; region: string; service: string }): string | undefined {
  const expected = platformImagePrefix(where.accountId, where.region, where.service);
  const ref = parseImage(image);
  if (ref === undefined) return undefined; // imageIssues reports an unparsable reference
  const actual = ref.registry === undefined ? ref.repository : `${ref.registry}/${ref.repository}`;
  if (actual !== expected) return `"${image}" is not in the platform repository of ${where.service}: images come from ${expected}:<tag> in the management account`;
  if (ref.tag === undefined) return `"${image}" names no tag; give the tag the image was pushed with (${expected}:<tag>[@sha256:...]), which the repository's lifecycle policy keeps while it is deployed`;
  return undefined;
}

/** The tag of an image reference, or undefined when it has none or does not parse. */
export function imageTag(image: string): string | undefined {
  return parseImage(image)?.tag;
}
