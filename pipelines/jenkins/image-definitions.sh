#!/usr/bin/env bash
# Writes the source artefact of the service's pipeline: imagedefinitions.json, the file the ECS
# standard deploy action reads (`[{"name": <container>, "imageUri": <image>}]`; the container is
# named after the service, components/compute/servicePlan.ts), zipped alone as
# out/imagedefinitions.zip.
set -euo pipefail
source "${BASH_SOURCE[0]%/*}/lib.sh"

readonly IMAGE_DEFINITIONS_FILE="imagedefinitions.json"
require SERVICE IMAGE_TAG TILA_MANAGEMENT_ACCOUNT_ID TILA_AWS_REGION
repository="$(ecr_repository)"
out="$(out_dir)"

jq --null-input --arg name "${SERVICE}" --arg imageUri "${repository}:${IMAGE_TAG}" \
  '[{name: $name, imageUri: $imageUri}]' >"${out}/${IMAGE_DEFINITIONS_FILE}"
rm -f "${out}/imagedefinitions.zip"
# -j: the file at the zip's root, where the deploy action looks; -X: no owner or time extras.
zip -q -j -X "${out}/imagedefinitions.zip" "${out}/${IMAGE_DEFINITIONS_FILE}"
cat "${out}/${IMAGE_DEFINITIONS_FILE}"
