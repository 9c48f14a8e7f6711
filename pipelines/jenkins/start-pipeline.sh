#!/usr/bin/env bash
# Starts the service's CodePipeline (tila-<service>, V2) on the source object version this build
# published, with the pipeline variable IMAGE_TAG set to the image's tag (the approvals show it), and
# prints the execution id, its status and a console link. The request token makes a retried step
# return the same execution instead of starting a second one.
set -euo pipefail
source "${BASH_SOURCE[0]%/*}/lib.sh"

# The pipeline's source action and its tag variable (components/delivery/deliveryPlan.ts
# SOURCE_ACTION_NAME, IMAGE_TAG_VARIABLE).
readonly SOURCE_ACTION_NAME="Source"
readonly IMAGE_TAG_VARIABLE="IMAGE_TAG"
require SERVICE IMAGE_TAG
use_jenkins_role
version="$(read_out source.version "Publish source")"
name="$(pipeline_name)"
revisions="$(jq --null-input --compact-output --arg action "${SOURCE_ACTION_NAME}" --arg version "${version}" \
  '[{actionName: $action, revisionType: "S3_OBJECT_VERSION_ID", revisionValue: $version}]')"
variables="$(jq --null-input --compact-output --arg name "${IMAGE_TAG_VARIABLE}" --arg value "${IMAGE_TAG}" \
  '[{name: $name, value: $value}]')"
# ClientRequestToken: [a-zA-Z0-9-], 1 to 128 characters.
token="jenkins-${SERVICE}-${IMAGE_TAG//[^a-zA-Z0-9-]/-}"
token="${token:0:128}"

execution="$(aws codepipeline start-pipeline-execution --name "${name}" --source-revisions "${revisions}" \
  --variables "${variables}" --client-request-token "${token}" --query pipelineExecutionId --output text)"
[[ "${execution}" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]] \
  || die "CodePipeline returned \"${execution}\" as the execution id of ${name}"
status="$(aws codepipeline get-pipeline-execution --pipeline-name "${name}" --pipeline-execution-id "${execution}" \
  --query pipelineExecution.status --output text)"

out="$(out_dir)"
printf '%s\n' "${execution}" >"${out}/pipeline.execution"
printf 'started %s execution %s (%s) on source version %s\n' "${name}" "${execution}" "${status}" "${version}"
part="$(partition)"
if [[ "${part}" == "aws" ]]; then
  printf 'https://%s.console.aws.amazon.com/codesuite/codepipeline/pipelines/%s/executions/%s/timeline?region=%s\n' \
    "${TILA_AWS_REGION}" "${name}" "${execution}" "${TILA_AWS_REGION}"
fi
