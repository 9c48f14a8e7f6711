#!/usr/bin/env bash
# Prints the immutable tag of this build's image, `<12-character commit>-b<build number>` (never
# `latest`): the commit says what is in it, the build number keeps a rebuild of the same commit
# from reusing a tag that ECR's immutable tags would refuse. The checkout's details go to stderr.
set -euo pipefail
source "${BASH_SOURCE[0]%/*}/lib.sh"

require BUILD_NUMBER
[[ "${BUILD_NUMBER}" =~ ^[0-9]+$ ]] || die "BUILD_NUMBER=\"${BUILD_NUMBER}\" must be the build number Jenkins sets"
service_dir="${SERVICE_DIR:-service}"
[[ -d "${service_dir}/.git" ]] || die "${service_dir} is not a Git checkout: the Checkout stage clones the service repository there"

commit="$(git -C "${service_dir}" rev-parse --short=12 HEAD)"
subject="$(git -C "${service_dir}" log -1 --format='%an, %cI: %s')"
printf 'commit %s (%s)\n' "${commit}" "${subject}" >&2

tag="${commit}-b${BUILD_NUMBER}"
# A Docker tag: word characters, dots and dashes, at most 128, not starting with . or -.
[[ "${tag}" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "\"${tag}\" is not a valid image tag"
printf '%s\n' "${tag}"
