#!/usr/bin/env bash
# Builds one target of the service's multi-stage Dockerfile: `build` (compile), `test` (the unit
# tests run while the stage builds; a failing test fails it, and its /reports folder is copied to
# out/test-reports for Jenkins) or `image` (the final stage, tagged with the build's immutable tag in
# the Artifactory repository, labelled with the commit it was built from).
set -euo pipefail
source "${BASH_SOURCE[0]%/*}/lib.sh"

target="${1:-}"
service_dir="${SERVICE_DIR:-service}"
require SERVICE IMAGE_TAG
[[ "${IMAGE_TAG}" != "latest" ]] || die "IMAGE_TAG must be the build's immutable tag, never latest"
[[ -f "${service_dir}/Dockerfile" ]] || die "${service_dir}/Dockerfile is missing: every service repository builds from a multi-stage Dockerfile with the stages build and test"
commit="$(git -C "${service_dir}" rev-parse HEAD)"
local_name="tila-build/${SERVICE}"

case "${target}" in
  build)
    docker build --file "${service_dir}/Dockerfile" --target build --tag "${local_name}:${IMAGE_TAG}-build" "${service_dir}"
    ;;
  test)
    docker build --file "${service_dir}/Dockerfile" --target test --tag "${local_name}:${IMAGE_TAG}-test" "${service_dir}"
    reports="$(out_dir)/test-reports"
    mkdir -p "${reports}"
    container="$(docker create "${local_name}:${IMAGE_TAG}-test")"
    if ! docker cp "${container}:/reports/." "${reports}"; then
      printf 'warning: the test stage has no /reports folder; Jenkins shows no test results\n' >&2
    fi
    docker rm "${container}" >/dev/null
    ;;
  image)
    require ARTIFACTORY_REGISTRY ARTIFACTORY_DOCKER_REPO
    repository="$(artifactory_repository)"
    docker build --file "${service_dir}/Dockerfile" --pull \
      --label "org.opencontainers.image.revision=${commit}" \
      --label "org.opencontainers.image.version=${IMAGE_TAG}" \
      --label "org.opencontainers.image.title=${SERVICE}" \
      --tag "${repository}:${IMAGE_TAG}" "${service_dir}"
    ;;
  *)
    die "docker-build.sh takes one target: build, test or image (got \"${target}\")"
    ;;
esac
