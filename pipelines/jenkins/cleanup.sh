#!/usr/bin/env bash
# The build's last step, whatever happened: removes the registry logins (DOCKER_CONFIG) and this
# build's local images from the agent. Never fails the build.
set -euo pipefail
source "${BASH_SOURCE[0]%/*}/lib.sh"

if [[ -n "${DOCKER_CONFIG}" && -d "${DOCKER_CONFIG}" ]]; then
  rm -rf "${DOCKER_CONFIG}"
fi
if [[ -n "${SERVICE}" && -n "${IMAGE_TAG}" ]] && command -v docker >/dev/null 2>&1; then
  images=("tila-build/${SERVICE}:${IMAGE_TAG}-build" "tila-build/${SERVICE}:${IMAGE_TAG}-test")
  if [[ -n "${ARTIFACTORY_REGISTRY}" && -n "${ARTIFACTORY_DOCKER_REPO}" ]]; then
    repository="$(artifactory_repository)"
    images+=("${repository}:${IMAGE_TAG}")
  fi
  docker image rm --force "${images[@]}" >/dev/null 2>&1 || true
fi
