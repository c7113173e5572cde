#!/usr/bin/env bash
# pr-check.sh: does this change route traffic differently?
#
# Renders the base and the head revision of a Git repository (each checked
# out in its own worktree, so the working tree is never touched), runs
# `routeshift diff BASE HEAD --format markdown` on the renders, posts the
# report as one comment on the pull request (updated in place on every
# push), and exits non-zero when routing differs.
#
#   pr-check.sh [--base REV] [--head REV] [--] [PATH...]
#
# PATHs are directories relative to the repository root (default: .). One
# with a kustomization is rendered with `kustomize build`; any other is read
# as plain manifests (its *.yaml and *.yml files, dot directories skipped).
# A PATH missing on one side renders as nothing there (an app added or
# removed by the change).
#
# Environment:
#   ROUTESHIFT            routeshift binary (default: routeshift on PATH)
#   KUSTOMIZE             kustomize binary (default: kustomize on PATH)
#   KUSTOMIZE_BUILD_FLAGS flags for kustomize build (default:
#                         --enable-alpha-plugins --enable-exec, which
#                         kustomizations with a routeshift transformer need)
#   GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH, GITHUB_API_URL
#                         set by GitHub Actions: the pull request to comment
#                         on, and the default --base/--head (its base and
#                         head commits). PR_NUMBER overrides the event's.
#   GITHUB_STEP_SUMMARY   the report is appended here too when set.
#   ROUTESHIFT_DIFF_FLAGS extra flags for routeshift diff, such as
#                         --accept redirect-trailing-slash once a team has
#                         reviewed that difference (see docs/diff.md)
#
# Exit status: routeshift diff's: 0 equivalent, 1 routing differs, 2 could
# not run (also for bad usage and failed renders).
set -euo pipefail

readonly marker='<!-- routeshift-pr-check -->'
ROUTESHIFT=${ROUTESHIFT:-routeshift}
KUSTOMIZE=${KUSTOMIZE:-kustomize}
if [[ -z ${KUSTOMIZE_BUILD_FLAGS+set} ]]; then
  KUSTOMIZE_BUILD_FLAGS='--enable-alpha-plugins --enable-exec'
fi

die() {
  echo "pr-check: $*" >&2
  exit 2
}

event_field() {
  [[ -n ${GITHUB_EVENT_PATH:-} && -f $GITHUB_EVENT_PATH ]] || return 0
  jq -r "$1 // empty" "$GITHUB_EVENT_PATH"
}

base='' head=''
while (($#)); do
  case $1 in
  --base) base=${2:?--base needs a revision}; shift 2 ;;
  --head) head=${2:?--head needs a revision}; shift 2 ;;
  --) shift; break ;;
  -*) die "unknown flag $1 (usage: pr-check.sh [--base REV] [--head REV] [PATH...])" ;;
  *) break ;;
  esac
done
paths=("$@")
((${#paths[@]})) || paths=(.)
[[ -n $base ]] || base=$(event_field .pull_request.base.sha)
[[ -n $head ]] || head=$(event_field .pull_request.head.sha)
[[ -n $base ]] || die "no base revision: pass --base REV (or run in a pull_request workflow)"
[[ -n $head ]] || head=HEAD

root=$(git rev-parse --show-toplevel) || die "not in a Git repository"
routeshift_path=$(command -v "$ROUTESHIFT") || die "routeshift not found (set ROUTESHIFT)"
routeshift_dir=$(cd "$(dirname "$routeshift_path")" && pwd)
routeshift_path="$routeshift_dir/$(basename "$routeshift_path")"
# kustomize's exec transformers name routeshift by its bare name: let them
# find the same binary the check runs.
PATH="$routeshift_dir:$PATH"
base_sha=$(git -C "$root" rev-parse --short "$base^{commit}") || die "no such base revision: $base"
head_sha=$(git -C "$root" rev-parse --short "$head^{commit}") || die "no such head revision: $head"

work=$(mktemp -d)
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  # Worktrees are registered in the repository: remove them, not just
  # their directories.
  git -C "$root" worktree remove --force "$work/base" 2>/dev/null || true
  git -C "$root" worktree remove --force "$work/head" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# render SIDE REV OUT: every PATH of REV, concatenated into $work/OUT.
render() {
  local side=$1 rev=$2 tree="$work/$1" out="$work/$3" path dir file
  git -C "$root" worktree add --quiet --detach "$tree" "$rev" ||
    die "cannot check out $side revision $rev"
  : >"$out"
  for path in "${paths[@]}"; do
    dir="$tree/$path"
    if [[ ! -d $dir ]]; then
      echo "pr-check: $path does not exist at the $side revision; it renders as nothing there" >&2
      continue
    fi
    if [[ -f $dir/kustomization.yaml || -f $dir/kustomization.yml || -f $dir/Kustomization ]]; then
      command -v "$KUSTOMIZE" >/dev/null || die "kustomize not found (set KUSTOMIZE)"
      # Word splitting of the flags is intended.
      # shellcheck disable=SC2086
      { echo "---"; "$KUSTOMIZE" build $KUSTOMIZE_BUILD_FLAGS "$dir"; } >>"$out" ||
        die "kustomize build $path failed at the $side revision"
    else
      while IFS= read -r -d '' file; do
        { echo "---"; cat "$file"; echo; } >>"$out"
      done < <(find "$dir" -mindepth 1 -name '.*' -prune -o -type f \( -name '*.yaml' -o -name '*.yml' \) -print0 | sort -z)
    fi
  done
}

# The report names the renders: short names that say which commit.
base_out="base@$base_sha.yaml" head_out="head@$head_sha.yaml"
render base "$base" "$base_out"
render head "$head" "$head_out"

status=0
# shellcheck disable=SC2086 # the flags are words on purpose
(cd "$work" && "$routeshift_path" diff --format markdown ${ROUTESHIFT_DIFF_FLAGS:-} "$base_out" "$head_out") >"$work/report.md" 2>"$work/diff.err" || status=$?
cat "$work/diff.err" >&2
case $status in
0 | 1) ;;
*)
  {
    echo "**routeshift diff could not run** (exit $status):"
    echo
    echo '```'
    cat "$work/diff.err"
    echo '```'
  } >"$work/report.md"
  status=2
  ;;
esac

body="$work/comment.md"
{
  echo "$marker"
  # GitHub refuses comments over 65536 characters.
  if (($(wc -c <"$work/report.md") > 60000)); then
    head -c 60000 "$work/report.md"
    echo
    echo
    echo "*The report is cut here; the whole report is in the job's log.*"
  else
    cat "$work/report.md"
  fi
  echo
  echo "<sub>routeshift pr-check: \`$base_sha\` → \`$head_sha\`, paths: ${paths[*]}</sub>"
} >"$body"

cat "$body"
if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then
  cat "$body" >>"$GITHUB_STEP_SUMMARY"
fi

# post_comment: create the marked comment, or update it if an earlier run
# made one, so a pull request carries one report however often it is pushed.
post_comment() {
  local api=${GITHUB_API_URL:-https://api.github.com} pr=$1 page=1 id='' ids
  local -a auth=(-H "Authorization: Bearer $GITHUB_TOKEN" -H "Accept: application/vnd.github+json" -H "X-GitHub-Api-Version: 2022-11-28")
  while [[ -z $id ]]; do
    ids=$(curl -fsS "${auth[@]}" "$api/repos/$GITHUB_REPOSITORY/issues/$pr/comments?per_page=100&page=$page") || return 1
    [[ $(jq length <<<"$ids") -gt 0 ]] || break
    id=$(jq -r --arg m "$marker" '[.[] | select(.body | startswith($m))][0].id // empty' <<<"$ids")
    page=$((page + 1))
  done
  jq -Rs '{body: .}' <"$body" >"$work/payload.json"
  if [[ -n $id ]]; then
    curl -fsS -X PATCH "${auth[@]}" --data-binary "@$work/payload.json" "$api/repos/$GITHUB_REPOSITORY/issues/comments/$id" >/dev/null || return 1
    echo "pr-check: updated comment $id on pull request #$pr" >&2
  else
    curl -fsS -X POST "${auth[@]}" --data-binary "@$work/payload.json" "$api/repos/$GITHUB_REPOSITORY/issues/$pr/comments" >/dev/null || return 1
    echo "pr-check: commented on pull request #$pr" >&2
  fi
}

pr=${PR_NUMBER:-$(event_field .pull_request.number)}
if [[ -n ${GITHUB_TOKEN:-} && -n ${GITHUB_REPOSITORY:-} && -n $pr ]]; then
  # A comment that cannot be posted (a fork's read-only token) must not hide
  # the verdict: the report is above and in the job summary.
  post_comment "$pr" || echo "pr-check: could not post the comment on pull request #$pr" >&2
else
  echo "pr-check: not in a GitHub pull request (GITHUB_TOKEN, GITHUB_REPOSITORY and a pull request number are needed): no comment posted" >&2
fi
exit "$status"
