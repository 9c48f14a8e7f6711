#!/usr/bin/env bash
# Posts a Markdown report as the merge request's comment, or updates the comment an earlier run
# of this script posted (found by the marker line it starts with), through GitLab's notes API:
# POST/PUT /projects/:id/merge_requests/:iid/notes. The token is a project access token in the
# masked variable TILA_MR_NOTE_TOKEN (CI_JOB_TOKEN cannot write notes); it is sent from a private
# header file, never on a command line, and never printed.
# Usage: pipelines/gitlab/post-mr-note.sh <report.md>
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ $# -ne 1 ]]; then
  echo "post-mr-note.sh: usage: post-mr-note.sh <report.md>" >&2
  exit 2
fi
report="$1"
if [[ ! -f ${report} ]]; then
  echo "post-mr-note.sh: ${report}: no such file (did the plan job write its report?)" >&2
  exit 2
fi
"${here}/require-vars.sh" CI_API_V4_URL CI_PROJECT_ID CI_MERGE_REQUEST_IID TILA_MR_NOTE_TOKEN

marker="<!-- tila-platform:plan-report -->"
api_var=CI_API_V4_URL project_var=CI_PROJECT_ID iid_var=CI_MERGE_REQUEST_IID token_var=TILA_MR_NOTE_TOKEN
notes="${!api_var}/projects/${!project_var}/merge_requests/${!iid_var}/notes"

work="$(umask 077 && mktemp -d "${TMPDIR:-/tmp}/mr-note.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
(umask 077 && printf 'PRIVATE-TOKEN: %s\n' "${!token_var}" >"${work}/header")

# The note's JSON body: the marker line, then the report.
MARKER="${marker}" node -e '
  const fs = require("fs");
  const body = process.env.MARKER + "\n" + fs.readFileSync(process.argv[1], "utf8");
  fs.writeFileSync(process.argv[2], JSON.stringify({ body }));
' "${report}" "${work}/body.json"

# Stops with a message and the start of GitLab's answer (its error message; never the token).
fail() {
  local answer
  answer="$(head -c 300 "$2" || true)"
  echo "post-mr-note.sh: $1: ${answer}" >&2
  exit 1
}

api() {
  curl --silent --show-error --fail-with-body --location --header "@${work}/header" "$@"
}

# The newest 100 notes; the bot's earlier report is among them unless the discussion has grown
# past that, and then a new note is posted instead.
if ! api "${notes}?sort=desc&order_by=updated_at&per_page=100" >"${work}/notes.json"; then
  fail "could not list the notes of merge request !${!iid_var} (is TILA_MR_NOTE_TOKEN a project access token with the api scope and at least the Reporter role?)" "${work}/notes.json"
fi
previous="$(MARKER="${marker}" node -e '
  const notes = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const mine = Array.isArray(notes) ? notes.find((n) => n && n.system !== true && typeof n.body === "string" && n.body.startsWith(process.env.MARKER)) : undefined;
  process.stdout.write(mine !== undefined ? String(mine.id) : "");
' "${work}/notes.json")"

if [[ -n ${previous} ]]; then
  if ! api --request PUT --header "Content-Type: application/json" --data "@${work}/body.json" "${notes}/${previous}" >"${work}/response.json"; then
    fail "could not update note ${previous} of merge request !${!iid_var}" "${work}/response.json"
  fi
  echo "post-mr-note.sh: updated the plan report (note ${previous}) on merge request !${!iid_var}"
else
  if ! api --request POST --header "Content-Type: application/json" --data "@${work}/body.json" "${notes}" >"${work}/response.json"; then
    fail "could not post the plan report on merge request !${!iid_var}" "${work}/response.json"
  fi
  echo "post-mr-note.sh: posted the plan report on merge request !${!iid_var}"
fi
