#!/usr/bin/env bash
# Pushes the scanned image to JFrog Artifactory, the company's registry, under its immutable tag,
# and records the digest the registry holds (out/image.digest): the later stages copy and deploy
# exactly that digest. A tag that already exists is never overwritten.
set -euo pipefail
source "${BASH_SOURCE[0]%/*}/lib.sh"

require SERVICE IMAGE_TAG ARTIFACTORY_REGISTRY ARTIFACTORY_DOCKER_REPO ARTIFACTORY_USER ARTIFACTORY_PASSWORD
repository="$(artifactory_repository)"
image="${repository}:${IMAGE_TAG}"

# The password goes through stdin, never the command line (ps, the console log).
printf '%s' "${ARTIFACTORY_PASSWORD}" | docker login --username "${ARTIFACTORY_USER}" --password-stdin "${ARTIFACTORY_REGISTRY}"

if existing="$(crane digest "${image}" 2>/dev/null)"; then
  die "${image} already exists (${existing}): tags are immutable; build again for a new tag"
fi

docker push "${image}"

digest="$(crane digest "${image}")"
[[ "${digest}" =~ ^sha256:[0-9a-f]{64}$ ]] || die "the registry returned \"${digest}\" as the digest of ${image}"
pushed="$(docker image inspect --format '{{join .RepoDigests "\n"}}' "${image}" | grep -F "${repository}@" | head -n 1 || true)"
[[ "${pushed}" == "${repository}@${digest}" ]] || die "Artifactory holds ${digest} for ${image}, but docker pushed \"${pushed}\""

out="$(out_dir)"
printf '%s\n' "${digest}" >"${out}/image.digest"
printf 'pushed %s@%s\n' "${image}" "${digest}"
