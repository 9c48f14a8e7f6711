#!/usr/bin/env bash
# Installs the program's and the policy pack's npm dependencies from their lockfiles for a GitLab
# job. The job cache (keyed on both lockfiles) restores node_modules/ and policy/node_modules/:
# a restored tree was installed from these very lockfiles, so it is kept; otherwise `npm ci` runs
# (it deletes node_modules first, so running it on a restored tree would waste the cache).
# Usage: pipelines/gitlab/install.sh [--with-policy]
set -euo pipefail

with_policy=false
case "${1:-}" in
  "") ;;
  --with-policy) with_policy=true ;;
  *)
    echo "install.sh: usage: install.sh [--with-policy]" >&2
    exit 2
    ;;
esac

# npm writes node_modules/.package-lock.json when an install completes: a tree without it is redone.
install_in() {
  local dir="$1"
  if [[ -f ${dir}/node_modules/.package-lock.json ]]; then
    echo "install.sh: ${dir}/node_modules restored from the cache of this lockfile"
  else
    (cd "${dir}" && npm ci --no-audit --no-fund --cache "${CI_PROJECT_DIR:-${PWD}}/.npm" --prefer-offline)
  fi
}

install_in .
if [[ ${with_policy} == true ]]; then
  install_in policy
fi
