/**
 * Container images across accounts, as config sees them: every environment runs its services from
 * the management account's repositories (`<management account>.dkr.ecr.<region>.amazonaws.com/tila/<service>:<tag>`),
 * and the management stack reads which tag each environment runs from the environments' stack
 * files, the way validation reads their address plan. Pure.
 */
import { imageTag, platformImageIssue, repositoryNameIssue } from "../components/compute/imageNames";
import type { ImageDeployment } from "../components/compute/imageRepositoryPlan";
import type { ConfigIssue } from "./errors";
import { keyPath } from "./keyPath";
import { ENVIRONMENTS, EnvironmentName, PROJECT, ServicesSettings, StackName } from "./schema";

type RawConfig = Record<string, unknown>;

/** One catalogue entry of one environment stack file, read leniently. */
export interface DeployedImage {
  readonly environment: EnvironmentName;
  /** `services.catalog[index]` in the environment's file. */
  readonly index: number;
  readonly service: string;
  readonly image: string;
  /** The environment's account, where the service's execution role lives. */
  readonly accountId: string;
}

/**
 * What the environments' stack files say they run: every catalogue entry with a string name and
 * image, in an environment with an account. Entries the environment's own validation refuses are
 * still listed; managementImageIssues names the ones management cannot use.
 */
export function deployedImages(all: Partial<Record<StackName, RawConfig>>): DeployedImage[] {
  return ENVIRONMENTS.flatMap((environment) => {
    const raw = all[environment];
    const accountId = raw?.accountId;
    const catalog = (raw?.services as { catalog?: unknown } | undefined)?.catalog;
    if (typeof accountId !== "string" || !Array.isArray(catalog)) return [];
    return catalog.flatMap((entry: unknown, index): DeployedImage[] => {
      const e = entry as { name?: unknown; image?: unknown } | null;
      return typeof e?.name === "string" && typeof e.image === "string" ? [{ environment, index, service: e.name, image: e.image, accountId }] : [];
    });
  });
}

/** The deployments the management stack builds repositories for: images whose tag can be read. */
export function imageDeployments(images: readonly DeployedImage[]): ImageDeployment[] {
  return images.flatMap((i) => {
    const tag = imageTag(i.image);
    return tag === undefined ? [] : [{ environment: i.environment, accountId: i.accountId, service: i.service, tag }];
  });
}

function siblingKey(i: DeployedImage, field: "name" | "image"): string {
  return `Pulumi.${i.environment}.yaml ${PROJECT}:services.catalog[${i.index}].${field}`;
}

/**
 * What the management stack cannot build from the environments' files: a service name ECR cannot
 * take as a repository name, or a deployed image without a tag for the lifecycle policy to keep.
 */
export function managementImageIssues(images: readonly DeployedImage[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const i of images) {
    const name = repositoryNameIssue(i.service);
    if (name) issues.push({ path: siblingKey(i, "name"), message: `${name}; the management stack creates the repository tila/<service>` });
    if (imageTag(i.image) === undefined) issues.push({ path: siblingKey(i, "image"), message: `"${i.image}" has no tag the management stack's lifecycle policy could keep` });
  }
  return issues;
}

/**
 * An environment's services must run images from the management account's repository of the same
 * service, by tag (a digest may follow). Skipped while the management account is unknown (its own
 * error is reported).
 */
export function serviceImageIssues(region: string, services: ServicesSettings, managementAccountId: string | undefined): ConfigIssue[] {
  if (managementAccountId === undefined) return [];
  return services.catalog.flatMap((s, i) => {
    const issues: ConfigIssue[] = [];
    const name = repositoryNameIssue(s.name);
    if (name) issues.push({ path: keyPath(["services", "catalog", i, "name"]), message: `${name}; its images live in the repository tila/${s.name}` });
    const image = platformImageIssue(s.image, { accountId: managementAccountId, region, service: s.name });
    if (image) issues.push({ path: keyPath(["services", "catalog", i, "image"]), message: image });
    return issues;
  });
}
