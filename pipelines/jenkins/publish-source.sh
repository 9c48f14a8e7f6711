#!/usr/bin/env bash
# Puts out/imagedefinitions.zip to the service's source object in the management account,
# s3://tila-delivery-source-<account>-<region>/<service>/imagedefinitions.zip, and records the
# object version S3 gives it (out/source.version): the pipeline is started on exactly that version,
# so two builds publishing at once cannot deploy each other's image.
set -euo pipefail
source "${BASH_SOURCE[0]%/*}/lib.sh"

require SERVICE IMAGE_TAG BUILD_NUMBER
use_jenkins_role
out="$(out_dir)"
[[ -s "${out}/imagedefinitions.zip" ]] || die "${out}/imagedefinitions.zip is missing: the Source artefact stage writes it"
bucket="$(source_bucket)"
key="$(source_key)"

version="$(aws s3api put-object --bucket "${bucket}" --key "${key}" --body "${out}/imagedefinitions.zip" \
  --expected-bucket-owner "${TILA_MANAGEMENT_ACCOUNT_ID}" --content-type application/zip \
  --metadata "image-tag=${IMAGE_TAG},jenkins-build=${BUILD_NUMBER}" \
  --query VersionId --output text)"
if [[ -z "${version}" || "${version}" == "None" || "${version}" == "null" ]]; then
  die "S3 returned no VersionId for s3://${bucket}/${key}: the source bucket must have versioning enabled"
fi

printf '%s\n' "${version}" >"${out}/source.version"
printf 'published s3://%s/%s version %s\n' "${bucket}" "${key}" "${version}"
