#!/usr/bin/env bash
# Shared by the Jenkins stage scripts (pipelines/jenkins/*.sh), sourced by each, never run: failing
# with a message that names what is wrong, the names the delivery contract fixes
# (components/delivery/deliveryPlan.ts, components/compute/imageNames.ts) and the AWS role Jenkins
# signs in with through its OpenID Connect ID token.
set -euo pipefail

# What the build reads from Jenkins (global variables, parameters, credential bindings), empty when
# unset so that `require` names a missing one instead of bash stopping on the first reference.
: "${TILA_MANAGEMENT_ACCOUNT_ID:=}" "${TILA_AWS_REGION:=}" "${ARTIFACTORY_REGISTRY:=}" "${ARTIFACTORY_DOCKER_REPO:=}"
: "${TILA_SERVICES_GIT:=}" "${SERVICE:=}" "${GIT_REF:=}" "${JOB_BASE_NAME:=}" "${BUILD_NUMBER:=}" "${IMAGE_TAG:=}"
: "${ARTIFACTORY_USER:=}" "${ARTIFACTORY_PASSWORD:=}" "${AWS_WEB_IDENTITY_TOKEN_FILE:=}" "${DOCKER_CONFIG:=}"
# The service is the job's own name unless the SERVICE parameter says otherwise (preflight.sh
# refuses another): a build triggered by a push carries no parameters.
: "${SERVICE:=${JOB_BASE_NAME}}"

# The role Jenkins assumes in management (components/delivery/deliveryPlan.ts JENKINS_ROLE_NAME).
readonly JENKINS_ROLE_NAME="tila-delivery-jenkins"

# Where each variable comes from, for the message when it is missing.
declare -A ORIGIN=(
  [TILA_MANAGEMENT_ACCOUNT_ID]="Jenkins global variable: the management account id (12 digits)"
  [TILA_AWS_REGION]="Jenkins global variable: the region of the pipelines and image repositories, e.g. me-south-1"
  [ARTIFACTORY_REGISTRY]="Jenkins global variable: the Artifactory Docker registry host, e.g. tila.jfrog.io"
  [ARTIFACTORY_DOCKER_REPO]="Jenkins global variable: the Artifactory Docker repository images are pushed to"
  [TILA_SERVICES_GIT]="Jenkins global variable: the Git base URL of the service repositories"
  [SERVICE]="job parameter SERVICE, or else the job's name: the service to build"
  [GIT_REF]="job parameter GIT_REF: the branch, tag or commit of the service repository"
  [JOB_BASE_NAME]="set by Jenkins for every build"
  [BUILD_NUMBER]="set by Jenkins for every build"
  [IMAGE_TAG]="set by the Checkout stage from image-tag.sh"
  [ARTIFACTORY_USER]="credential artifactory-publisher (username with password), bound by withCredentials"
  [ARTIFACTORY_PASSWORD]="credential artifactory-publisher (username with password), bound by withCredentials"
  [DOCKER_CONFIG]="set by the Jenkinsfile: this build's own Docker login folder under WORKSPACE_TMP"
  [AWS_WEB_IDENTITY_TOKEN_FILE]="credential tila-jenkins-oidc (OpenID Connect id token as file), bound by withCredentials"
)

die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# require NAME...: every named variable set and non-empty, or one failure naming each missing one.
require() {
  local name missing=()
  for name in "$@"; do
    [[ -n "${!name:-}" ]] || missing+=("${name} is not set (${ORIGIN[${name}]:-required by ${0##*/}})")
  done
  ((${#missing[@]} == 0)) && return 0
  printf 'error: %s cannot run:\n' "${0##*/}" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 1
}

# Where stage scripts leave what later stages read (the digest, the version id): the workspace's out/.
out_dir() {
  local dir="${OUT_DIR:-out}"
  mkdir -p "${dir}"
  printf '%s' "${dir}"
}

# read_out FILE: a value an earlier stage wrote, or a failure naming the stage that writes it.
read_out() {
  local file
  file="$(out_dir)/$1"
  [[ -s "${file}" ]] || die "${file} is missing: the $2 stage writes it; run the stages in order"
  cat "${file}"
}

# The partition of the region (components/compute/imageNames.ts partitionOf).
partition() {
  case "${TILA_AWS_REGION}" in
    cn-*) printf 'aws-cn' ;;
    us-gov-*) printf 'aws-us-gov' ;;
    *) printf 'aws' ;;
  esac
}

# The management account's registry (imageNames.ts imageRegistry).
ecr_registry() {
  local suffix="" part
  part="$(partition)"
  [[ "${part}" != "aws-cn" ]] || suffix=".cn"
  printf '%s.dkr.ecr.%s.amazonaws.com%s' "${TILA_MANAGEMENT_ACCOUNT_ID}" "${TILA_AWS_REGION}" "${suffix}"
}

# The service's platform repository, `<registry>/tila/<service>` (imageNames.ts platformImagePrefix).
ecr_repository() {
  local registry
  registry="$(ecr_registry)"
  printf '%s/tila/%s' "${registry}" "${SERVICE}"
}

# The service's repository in Artifactory, where the image is built and scanned before AWS sees it.
artifactory_repository() {
  printf '%s/%s/%s' "${ARTIFACTORY_REGISTRY}" "${ARTIFACTORY_DOCKER_REPO}" "${SERVICE}"
}

# deliveryPlan.ts sourceBucketName, sourceObjectKey and pipelineName.
source_bucket() {
  printf 'tila-delivery-source-%s-%s' "${TILA_MANAGEMENT_ACCOUNT_ID}" "${TILA_AWS_REGION}"
}

source_key() {
  printf '%s/imagedefinitions.zip' "${SERVICE}"
}

pipeline_name() {
  printf 'tila-%s' "${SERVICE}"
}

jenkins_role_arn() {
  local part
  part="$(partition)"
  printf 'arn:%s:iam::%s:role/%s' "${part}" "${TILA_MANAGEMENT_ACCOUNT_ID}" "${JENKINS_ROLE_NAME}"
}

# Makes every later `aws` call assume the Jenkins role with the build's ID token. Static keys an
# agent may carry are dropped: the CLI would prefer them and act as someone else, unaudited.
use_jenkins_role() {
  require TILA_MANAGEMENT_ACCOUNT_ID TILA_AWS_REGION SERVICE BUILD_NUMBER AWS_WEB_IDENTITY_TOKEN_FILE
  [[ -s "${AWS_WEB_IDENTITY_TOKEN_FILE}" ]] || die "AWS_WEB_IDENTITY_TOKEN_FILE (${AWS_WEB_IDENTITY_TOKEN_FILE}) is empty: bind the tila-jenkins-oidc credential (OpenID Connect id token as file)"
  unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE
  AWS_ROLE_ARN="$(jenkins_role_arn)"
  AWS_ROLE_SESSION_NAME="jenkins-${SERVICE}-${BUILD_NUMBER}"
  AWS_REGION="${TILA_AWS_REGION}"
  AWS_DEFAULT_REGION="${TILA_AWS_REGION}"
  export AWS_ROLE_ARN AWS_ROLE_SESSION_NAME AWS_REGION AWS_DEFAULT_REGION
}
