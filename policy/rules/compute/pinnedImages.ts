import type { ResourceRule } from "../types";
import { TASK_DEFINITION_TYPE, containersOf, label } from "./containerDefinitions";

const DIGEST = /@sha256:[0-9a-f]{64}$/;
const SEMVER = /^v?(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;
/** A commit SHA tag, optionally `sha-` before it and the CI build number after it (`3f2a9c1d0e4b-b57`). */
const GIT_SHA = /^(?:sha-)?[0-9a-f]{7,40}(?:-b[0-9]{1,10})?$/;
const MOVING_PRERELEASE = /snapshot|latest|nightly|edge/i;

/**
 * Why `image` can change under the same reference, or undefined when it is pinned: a digest, or a
 * tag that names one build (full semantic version, git SHA). The same contract as the component's
 * image check (components/compute/imageRule.ts), restated here so the pack also guards task
 * definitions built without the component.
 */
export function unpinnedReason(image: string): string | undefined {
  if (DIGEST.test(image)) return undefined;
  const name = image.split("@")[0];
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  const tag = colon > slash ? name.slice(colon + 1) : undefined;
  if (tag === undefined || tag === "") return "has no tag, so it pulls `latest`";
  if (tag === "latest") return "uses the `latest` tag";
  // AWS for Fluent Bit publishes its init variant of release X.Y.Z as `init-X.Y.Z` (`init-latest` is not one release).
  const semver = SEMVER.exec(tag.startsWith("init-") ? tag.slice("init-".length) : tag);
  if (semver) return semver[1] !== undefined && MOVING_PRERELEASE.test(semver[1]) ? `uses the re-pushed pre-release tag "${tag}"` : undefined;
  if (GIT_SHA.test(tag)) return undefined;
  return `uses tag "${tag}", which is neither a full semantic version nor a git SHA`;
}

export const ecsContainerImagesPinned: ResourceRule = {
  name: "ecs-container-images-pinned",
  description:
    "Every container image is pinned to a digest, a full semantic version or a git SHA tag (never `latest`, no tag, or a floating tag), so a rollback or a new task runs exactly the bytes that were reviewed and deployed.",
  meta: { category: "security", domain: "compute", appliesTo: [TASK_DEFINITION_TYPE] },
  validateResource: (args, report) => {
    if (args.type !== TASK_DEFINITION_TYPE) return;
    const read = containersOf(args.props);
    if ("error" in read) return report(read.error);
    read.containers.forEach((c, i) => {
      if (typeof c.image !== "string" || c.image === "") return report(`${label(c, i)} names no image`);
      const reason = unpinnedReason(c.image);
      if (reason) report(`${label(c, i)} image "${c.image}" ${reason}; pin a digest (@sha256:...), a semantic version or a git SHA`);
    });
  },
};
