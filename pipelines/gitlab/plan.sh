#!/usr/bin/env bash
# The plan job: plans every stack offline (npm run plan) and writes out/plan/ (the plan),
# out/plan.json (--json) and out/report.md (the merge-request comment). On a branch it plans as
# is, and the job keeps out/plan/ as the artefact later merge requests compare with. In a merge
# request it first downloads the target branch's latest `plan` artefact with the job token
# (GET /projects/:id/jobs/artifacts/:ref/download?job=plan) and plans with --diff against it;
# without one (no successful plan job on that branch yet, the artefact expired, a tier whose job
# tokens cannot read artefacts) it plans without --diff and the report says so in its first
# lines: not a failure. Exit status: npm run plan's (0 clean; 1 a stack failed or a mandatory
# policy violation; 2 a usage error).
# Usage: pipelines/gitlab/plan.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p out
args=(--json --out out/plan --report out/report.md)

if [[ -z ${CI_MERGE_REQUEST_IID-} ]]; then
  npm run -s plan -- "${args[@]}" >out/plan.json
  exit 0
fi

"${here}/require-vars.sh" CI_API_V4_URL CI_PROJECT_ID CI_MERGE_REQUEST_TARGET_BRANCH_NAME CI_JOB_TOKEN
api_var=CI_API_V4_URL project_var=CI_PROJECT_ID target_var=CI_MERGE_REQUEST_TARGET_BRANCH_NAME token_var=CI_JOB_TOKEN
target="${!target_var}"

base=out/plan-base
rm -rf "${base}"
work="$(umask 077 && mktemp -d "${TMPDIR:-/tmp}/plan-base.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
(umask 077 && printf 'JOB-TOKEN: %s\n' "${!token_var}" >"${work}/header")

ref="$(node -p 'encodeURIComponent(process.argv[1])' "${target}")"
# search_recent_successful_pipelines: the latest successful plan job even when its pipeline is
# still waiting on the manual preprod promotion (older GitLab ignores it and takes the plan of the
# latest pipeline that succeeded as a whole).
url="${!api_var}/projects/${!project_var}/jobs/artifacts/${ref}/download?job=plan&search_recent_successful_pipelines=true"
missing=""
status="$(curl --silent --show-error --location --header "@${work}/header" --output "${work}/base.zip" --write-out '%{http_code}' "${url}" || true)"
if [[ ${status} != 200 ]]; then
  missing="no plan artefact of ${target} could be downloaded (HTTP ${status:-none}: the branch has no successful plan job yet, its artefact expired, or job tokens cannot read artefacts on this tier)"
elif ! unzip -q "${work}/base.zip" -d "${work}/base" 2>"${work}/unzip.err"; then
  missing="the plan artefact of ${target} is not a readable zip"
elif [[ ! -f ${work}/base/out/plan/index.json ]]; then
  missing="the plan artefact of ${target} holds no out/plan/index.json"
else
  mv "${work}/base/out/plan" "${base}"
fi

if [[ -z ${missing} ]]; then
  args+=(--diff "${base}")
  echo "plan.sh: comparing with the latest plan of ${target}"
else
  echo "plan.sh: ${missing}; planning without --diff" >&2
fi

code=0
npm run -s plan -- "${args[@]}" >out/plan.json || code=$?

if [[ -n ${missing} && -f out/report.md ]]; then
  {
    printf '> **No plan of <code>%s</code> to compare with**: %s. This report shows the whole plan of this branch, not its changes.\n\n' "${target}" "${missing}"
    cat out/report.md
  } >"${work}/report.md"
  mv "${work}/report.md" out/report.md
fi
exit "${code}"
