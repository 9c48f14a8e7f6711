#!/usr/bin/env bash
# Copies the image pushed to Artifactory, by digest, to the service's ECR repository in the
# management account under the same immutable tag, without rebuilding (crane copy keeps the
# manifest, so the digest), then checks ECR holds that same digest. Signs in to AWS as the Jenkins
# role with the build's OIDC ID token.
set -euo pipefail
source "${BASH_SOURCE[0]%/*}/lib.sh"

require SERVICE IMAGE_TAG ARTIFACTORY_REGISTRY ARTIFACTORY_DOCKER_REPO ARTIFACTORY_USER ARTIFACTORY_PASSWORD
use_jenkins_role
digest="$(read_out image.digest "Push to Artifactory")"
source_repository="$(artifactory_repository)"
registry="$(ecr_registry)"
target_repository="$(ecr_repository)"
source_image="${source_repository}@${digest}"
target_image="${target_repository}:${IMAGE_TAG}"

printf '%s' "${ARTIFACTORY_PASSWORD}" | crane auth login "${ARTIFACTORY_REGISTRY}" --username "${ARTIFACTORY_USER}" --password-stdin
ecr_password="$(aws ecr get-login-password --region "${TILA_AWS_REGION}")"
printf '%s' "${ecr_password}" | crane auth login "${registry}" --username AWS --password-stdin

if existing="$(crane digest "${target_image}" 2>/dev/null)"; then
  # A re-run of this build: the tag is already there, and must be this very image.
  [[ "${existing}" == "${digest}" ]] || die "${target_image} already holds ${existing}, not ${digest}: ECR tags are immutable"
  printf '%s already holds %s\n' "${target_image}" "${digest}"
else
  crane copy "${source_image}" "${target_image}"
fi

copied="$(crane digest "${target_image}")"
[[ "${copied}" == "${digest}" ]] || die "ECR holds ${copied} for ${target_image}, Artifactory ${digest}: the copy changed the image"

out="$(out_dir)"
printf '%s\n' "${target_image}" >"${out}/ecr-image"
printf 'replicated %s to %s (%s)\n' "${source_image}" "${target_image}" "${digest}"
