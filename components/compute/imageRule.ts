/**
 * Container image references: parsing, the immutability rule and the ECR repository they pull from.
 *
 * The rule is an allow-list, not a deny-list of words like `latest`: a task definition must name
 * exactly one image for ever, so that a rollback (by the circuit breaker or by hand) restarts the
 * bytes that ran before and a hot fix is traceable to a commit. Accepted:
 * - a digest, `repo@sha256:<64 hex>` (with or without a tag in front): immutable by construction;
 * - a full semantic version tag, `1.4.2` or `v1.4.2`, optionally with a pre-release (`1.4.2-rc.1`),
 *   but not one that announces it moves (`-snapshot`, `-latest`, `-nightly`, `-edge`);
 * - a git commit SHA tag, 7 to 40 lower-case hex digits, optionally as `sha-<hex>`, optionally with
 *   the CI build number after it (`3f2a9c1d0e4b-b57`: the shared Jenkinsfile's tag, pipelines/jenkins/image-tag.sh).
 * Everything else is refused, including `latest`, no tag at all (which pulls `latest`), and
 * floating versions (`1`, `1.4`, `main`, `stable`). A tag is only as immutable as the registry
 * makes it: the ECR repositories must have tag immutability on (checked where they are created).
 */

export interface ImageReference {
  /** `111111111111.dkr.ecr.me-south-1.amazonaws.com`; undefined for Docker Hub short names. */
  readonly registry?: string;
  /** Path in the registry, e.g. `tila/checkout`. */
  readonly repository: string;
  readonly tag?: string;
  /** `sha256:<64 hex>` */
  readonly digest?: string;
}

const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const REPOSITORY = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const REGISTRY = /^(?:localhost|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::\d{1,5})?)$/;

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;
const GIT_SHA = /^(?:sha-)?[0-9a-f]{7,40}(?:-b[0-9]{1,10})?$/;
const MOVING_PRERELEASE = /snapshot|latest|nightly|edge/i;

/** Parse `[registry/]repository[:tag][@digest]`; undefined when it is not a valid reference. */
export function parseImage(image: string): ImageReference | undefined {
  const at = image.indexOf("@");
  const named = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  if (digest !== undefined && !DIGEST.test(digest)) return undefined;
  const slash = named.lastIndexOf("/");
  const colon = named.lastIndexOf(":");
  const tag = colon > slash ? named.slice(colon + 1) : undefined;
  const path = colon > slash ? named.slice(0, colon) : named;
  if (tag !== undefined && !TAG.test(tag)) return undefined;
  const first = path.split("/")[0];
  const hasRegistry = path.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  const registry = hasRegistry ? first : undefined;
  const repository = hasRegistry ? path.slice(first.length + 1) : path;
  if (registry !== undefined && !REGISTRY.test(registry)) return undefined;
  if (!REPOSITORY.test(repository)) return undefined;
  return { registry, repository, tag, digest };
}

/** Why `tag` could move, or undefined when it names one build for ever. */
export function mutableTagReason(tag: string | undefined): string | undefined {
  if (tag === undefined) return "has no tag or digest, so it pulls whatever `latest` is";
  if (tag === "latest") return "uses the `latest` tag, which moves with every push";
  const semver = SEMVER.exec(tag);
  if (semver) return semver[4] !== undefined && MOVING_PRERELEASE.test(semver[4]) ? `tag "${tag}" is a pre-release that is re-pushed` : undefined;
  if (GIT_SHA.test(tag)) return undefined;
  return `tag "${tag}" is neither a full semantic version (1.4.2) nor a git commit SHA (7-40 hex), so it can be re-pointed`;
}

/** Problems with `image` for `field`; empty when the image is a valid, immutable reference. */
export function imageIssues(field: string, image: string): string[] {
  const ref = parseImage(image);
  if (ref === undefined) return [`${field}: "${image}" is not a valid image reference`];
  if (ref.digest !== undefined) return [];
  const reason = mutableTagReason(ref.tag);
  return reason === undefined ? [] : [`${field}: "${image}" ${reason}; pin a digest (@sha256:<64 hex>), a semantic version tag or a git SHA tag`];
}

export function isImmutableImage(image: string): boolean {
  return imageIssues("image", image).length === 0;
}

const ECR_REGISTRY = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(\.cn)?$/;

/** The private ECR repository the image is pulled from (possibly in another account), if any. */
export function ecrRepositoryArn(image: string): string | undefined {
  const ref = parseImage(image);
  const m = ref?.registry !== undefined ? ECR_REGISTRY.exec(ref.registry) : null;
  if (!ref || !m) return undefined;
  const [, account, region, china] = m;
  const partition = china ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  return `arn:${partition}:ecr:${region}:${account}:repository/${ref.repository}`;
}
