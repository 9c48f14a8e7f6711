#!/usr/bin/env bash
# First step of every build: checks every Jenkins global variable, job parameter and pinned tool the
# later stages need, and fails once listing every problem with its name, before anything is built,
# pushed or started.
set -euo pipefail
source "${BASH_SOURCE[0]%/*}/lib.sh"

# The tools the stages run, pinned: a scanner or copier that changes under the pipeline changes what
# "scanned" and "same digest" mean. Release binaries report these versions.
readonly CRANE_VERSION="0.22.0"
readonly TRIVY_VERSION="0.74.0"
readonly AWS_CLI_MAJOR="2"

issues=()
problem() { issues+=("$1"); }

# check NAME REGEX WHAT: the variable is set and matches, or one issue naming it.
check() {
  local name="$1" pattern="$2" what="$3" value="${!1}"
  if [[ -z "${value}" ]]; then
    problem "${name} is not set (${ORIGIN[${name}]})"
  elif [[ ! "${value}" =~ ${pattern} ]]; then
    problem "${name}=\"${value}\" ${what}"
  fi
}

check TILA_MANAGEMENT_ACCOUNT_ID '^[0-9]{12}$' "must be the 12-digit management account id"
check TILA_AWS_REGION '^[a-z]{2}(-gov)?-[a-z]+-[0-9]+$' "must be an AWS region name such as me-south-1"
check ARTIFACTORY_REGISTRY '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?$' "must be the registry host (and port), without a scheme or path"
check ARTIFACTORY_DOCKER_REPO '^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$' "must be the name of an Artifactory Docker repository"
check TILA_SERVICES_GIT '^(https://|ssh://|git@)[^[:space:]]+[^/]$' "must be the Git base URL of the service repositories (https://, ssh:// or git@), without a trailing /"
# components/compute/computeChecks.ts SERVICE_NAME, and one ECR path component (imageNames.ts).
check SERVICE '^[a-z][a-z0-9-]{0,24}$' "must be lower-case letters, digits and dashes (at most 25), starting with a letter"
if [[ "${SERVICE:-}" == *- ]]; then
  problem "SERVICE=\"${SERVICE}\" must not end with a dash: it names the ECR repository tila/${SERVICE}"
fi
# The ID token's subject is the job's URL: the job named after a service publishes only that service.
if [[ -n "${SERVICE:-}" && -n "${JOB_BASE_NAME:-}" && "${SERVICE}" != "${JOB_BASE_NAME}" ]]; then
  problem "SERVICE=\"${SERVICE}\" is not this job's name (\"${JOB_BASE_NAME}\"): each service has its own job, and Jenkins' OIDC subject names the job"
fi
check JOB_BASE_NAME '.' "must be set by Jenkins"
check GIT_REF '^[A-Za-z0-9._/-]+$' "must be a branch, tag or commit (letters, digits, . _ / -)"
check BUILD_NUMBER '^[0-9]+$' "must be the build number Jenkins sets"
# Registry logins stay in this build's folder outside the workspace, never in the agent's ~/.docker.
check DOCKER_CONFIG '^/[^[:space:]]+$' "must be an absolute path (the Jenkinsfile sets it under WORKSPACE_TMP)"

# tool EXPECTED COMMAND VERSION_ARGS...: installed, and reporting the pinned version when one is given.
tool() {
  local expected="$1" command="$2" reported
  shift 2
  if ! command -v "${command}" >/dev/null 2>&1; then
    problem "${command} is not installed on this agent"
    return 0
  fi
  [[ -n "${expected}" ]] || return 0
  reported="$("${command}" "$@" 2>&1 || true)"
  reported="${reported%%$'\n'*}"
  [[ "${reported}" == *"${expected}"* ]] || problem "${command} reports \"${reported}\"; this pipeline is pinned to ${expected} (pipelines/jenkins/preflight.sh)"
}

tool "" docker --version
tool "" git --version
tool "" jq --version
tool "" zip -v
tool "${CRANE_VERSION}" crane version
tool "Version: ${TRIVY_VERSION}" trivy --version
tool "aws-cli/${AWS_CLI_MAJOR}." aws --version

if ((${#issues[@]} > 0)); then
  printf 'error: this build cannot start:\n' >&2
  printf '  - %s\n' "${issues[@]}" >&2
  exit 1
fi

artifactory="$(artifactory_repository)"
ecr="$(ecr_repository)"
pipeline="$(pipeline_name)"
printf 'service %s from %s/%s.git at %s; images to %s and %s; pipeline %s in account %s (%s)\n' \
  "${SERVICE}" "${TILA_SERVICES_GIT}" "${SERVICE}" "${GIT_REF}" "${artifactory}" "${ecr}" "${pipeline}" \
  "${TILA_MANAGEMENT_ACCOUNT_ID}" "${TILA_AWS_REGION}"
