#!/usr/bin/env bash
# Scans the built image with Trivy before it leaves the agent, and fails the build on any HIGH or
# CRITICAL vulnerability. A finding accepted by the service's owners goes in the repository's
# .trivyignore, reviewed like code; nothing else lets an image through.
set -euo pipefail
source "${BASH_SOURCE[0]%/*}/lib.sh"

require SERVICE IMAGE_TAG ARTIFACTORY_REGISTRY ARTIFACTORY_DOCKER_REPO
service_dir="${SERVICE_DIR:-service}"
repository="$(artifactory_repository)"
image="${repository}:${IMAGE_TAG}"
# An exit code of its own for findings, so a scanner failure is not mistaken for a vulnerable image.
readonly FOUND=5

args=(image --scanners vuln --severity "HIGH,CRITICAL" --exit-code "${FOUND}" --no-progress --format table)
if [[ -f "${service_dir}/.trivyignore" ]]; then
  args+=(--ignorefile "${service_dir}/.trivyignore")
fi

status=0
trivy "${args[@]}" "${image}" || status=$?
case "${status}" in
  0) printf 'scan: no HIGH or CRITICAL vulnerability in %s\n' "${image}" ;;
  "${FOUND}") die "HIGH or CRITICAL vulnerabilities in ${image} (listed above): fix them (base image, dependencies) or accept one in ${service_dir}/.trivyignore" ;;
  *) die "trivy failed (exit ${status}) scanning ${image}; the image was not scanned, so it is not pushed" ;;
esac
