#!/usr/bin/env bash
# Fails a GitLab job before it starts work when CI variables it needs are unset or empty: exit 2
# and one line naming every missing variable and where to set it. Never prints a value.
# Usage: pipelines/gitlab/require-vars.sh VAR...
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "require-vars.sh: name the variables to check (usage: require-vars.sh VAR...)" >&2
  exit 2
fi

missing=()
for name in "$@"; do
  if [[ ! ${name} =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
    echo "require-vars.sh: \"${name}\" is not a variable name" >&2
    exit 2
  fi
  # Indirect expansion reads the variable without ever writing its value anywhere.
  if [[ -z ${!name-} ]]; then
    missing+=("${name}")
  fi
done

if [[ ${#missing[@]} -gt 0 ]]; then
  list="$(IFS=,; echo "${missing[*]}")"
  echo "missing CI variable(s): ${list//,/, } (set them in GitLab: Settings > CI/CD > Variables, or when running a manual job; see docs/delivery.md#gitlab-ci-for-this-repository)" >&2
  exit 2
fi
