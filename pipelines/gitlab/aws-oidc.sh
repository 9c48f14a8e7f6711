# shellcheck shell=bash
# Sourced by a GitLab job that touches AWS: hands the job's OIDC ID token to the AWS SDK and the
# Pulumi AWS provider as web identity for one stack's role. Writes the token ($AWS_ID_TOKEN, from
# the job's id_tokens) to a private file and exports AWS_ROLE_ARN (the stack's deploy or preview
# role, read from Pulumi.<stack>.yaml by `npm run ci:role`), AWS_WEB_IDENTITY_TOKEN_FILE,
# AWS_ROLE_SESSION_NAME and AWS_REGION. Prints the role it will assume, never the token.
# Usage: source pipelines/gitlab/aws-oidc.sh <stack> <deploy|preview>

if ! (return 0 2>/dev/null); then
  echo "aws-oidc.sh: source it (source pipelines/gitlab/aws-oidc.sh <stack> <deploy|preview>); run on its own it cannot export anything" >&2
  exit 2
fi

tila_aws_oidc() {
  # `local -` keeps these options to this function: the job's shell is not ours to change.
  local -
  set -euo pipefail
  if [[ $# -ne 2 ]]; then
    echo "aws-oidc.sh: usage: source pipelines/gitlab/aws-oidc.sh <stack> <deploy|preview>" >&2
    return 2
  fi
  local stack="$1" kind="$2" here role region role_arn token_file
  # GitLab sets these for the job; read by name, as require-vars.sh checked them.
  local token_var=AWS_ID_TOKEN pipeline_var=CI_PIPELINE_ID job_var=CI_JOB_ID
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  "${here}/require-vars.sh" AWS_ID_TOKEN CI_PIPELINE_ID CI_JOB_ID || return 2
  # One call (a Node start is about a second): the role's ARN on the first line, the region on the second.
  role="$(npm run -s ci:role -- --stack "${stack}" --kind "${kind}" --print arn --print region)" || return 2
  role_arn="${role%%$'\n'*}"
  region="${role#*$'\n'}"
  if [[ -z "${role_arn}" || -z "${region}" || "${region}" == *$'\n'* ]]; then
    echo "aws-oidc.sh: npm run ci:role answered something other than an ARN and a region" >&2
    return 2
  fi
  # mktemp creates the file 0600, and the subshell's umask covers the write too without changing
  # the job's. printf is a builtin: the token never appears in a process's arguments.
  token_file="$(umask 077 && mktemp "${TMPDIR:-/tmp}/aws-id-token.XXXXXX")"
  (umask 077 && printf '%s' "${!token_var}" >"${token_file}")
  export AWS_ROLE_ARN="${role_arn}"
  export AWS_WEB_IDENTITY_TOKEN_FILE="${token_file}"
  # STS session names: 2-64 of [A-Za-z0-9_=,.@-]; CloudTrail then names the pipeline and job.
  export AWS_ROLE_SESSION_NAME="gitlab-${!pipeline_var}-${!job_var}"
  export AWS_REGION="${region}"
  echo "aws-oidc.sh: ${stack}: assuming ${AWS_ROLE_ARN} as ${AWS_ROLE_SESSION_NAME} through the job's ID token"
}

tila_aws_oidc "$@"
