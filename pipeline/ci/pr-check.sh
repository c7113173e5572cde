#!/usr/bin/env bash
# pr-check.sh: does this change route traffic differently?
#
# Checks out the base and the head revision of a Git repository (each in
# its own worktree, so the working tree is never touched), runs
# `routeshift diff BASE HEAD --format markdown` on the listed directories
# (routeshift renders kustomizations itself, in-process), posts the report
# as one comment on the pull request (updated in place on every push), and
# exits non-zero when routing differs.
#
#   pr-check.sh [--base REV] [--head REV] [--comment-file FILE] [--report-file FILE] [--] [PATH...]
#   pr-check.sh --post FILE
#
# PATHs are directories relative to the repository root (default: .). One
# with a kustomization is rendered by `routeshift diff`; any other is read
# as plain manifests (its *.yaml and *.yml files, dot directories skipped).
# A PATH missing on one side renders as nothing there (an app added or
# removed by the change).
#
# The head of a pull request is untrusted (docs/threat-model.md). By
# default nothing in it runs: no exec or container KRM function, no
# standalone kustomize (which follows git refs that can run commands), no
# token in the environment of the render, no symbolic link that leaves the
# repository. Requests whose routing cannot be verified fail the check,
# unless an entry of the accept file with outcome: unverifiable
# acknowledges them (by host or request).
#
# The converter's results mark the causes it announced as approximations
# (docs/diff.md): routeshift diff reads them from the head itself, from the
# results of its routeshift transformer when ROUTESHIFT_ENABLE_EXEC runs it
# (the render passes the function ROUTESHIFT_RESULTS_DIR), or from a head
# that commits the function's output ResourceList; no flag is needed.
#
# Intended routing changes are acknowledged in the repository: the head's
# accept file (.routeshift/accept.yaml, docs/diff.md) accepts the changes
# its entries match, and the comment lists the entries the pull request
# adds (those not in the base's file), so that a reviewer sees what the
# change declares intended. A stale entry (it matches nothing) fails.
#
# --report-file FILE keeps the whole report there (JSON for .json): the
# comment is cut to fit GitHub's limit on a large change.
#
# --comment-file FILE writes the comment to FILE instead of posting it, and
# --post FILE only posts FILE: GitHub Actions runs them as two steps, so
# that the token is in the environment of the posting step only.
#
# Environment:
#   ROUTESHIFT            routeshift binary (default: routeshift on PATH).
#                         Build it from a pinned release, never from the
#                         pull request's tree.
#   ROUTESHIFT_ENABLE_EXEC=true
#                         lets kustomizations run exec and container KRM
#                         functions (routeshift diff --enable-exec), such as
#                         the routeshift transformer. They run programs the
#                         head names: ONLY FOR TRUSTED BRANCHES, never for
#                         pull requests from forks.
#   ROUTESHIFT_ALLOW_REMOTE=true
#                         lets kustomizations fetch remote bases and http(s)
#                         files (routeshift diff --allow-remote, with git on
#                         PATH): the head chooses what is fetched, from
#                         where. For trusted branches.
#   ROUTESHIFT_ALLOW_UNVERIFIABLE=true
#                         requests whose routing cannot be verified (a
#                         configuration-snippet, ...) no longer fail the
#                         check; they are still listed in the report.
#   ROUTESHIFT_TIMEOUT    seconds routeshift diff may take (default 600)
#   ROUTESHIFT_ACCEPT_FILE
#                         the accept file, relative to the repository root
#                         (default .routeshift/accept.yaml)
#   ROUTESHIFT_DIFF_FLAGS extra flags for routeshift diff, such as
#                         --accept redirect-trailing-slash once a team has
#                         reviewed that difference (see docs/diff.md)
#   GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH, GITHUB_API_URL
#                         set by GitHub Actions: the pull request to comment
#                         on, and the default --base/--head (its base and
#                         head commits). PR_NUMBER overrides the event's.
#   ROUTESHIFT_COMMENT_AUTHOR
#                         the login the token posts as; only a comment by
#                         that login is ever updated. Default: the token's
#                         user (GET /user), else github-actions[bot].
#   GITHUB_STEP_SUMMARY   the report is appended here too when set.
#
# Needs git and jq; curl to post.
#
# Exit status: routeshift diff's: 0 equivalent, 1 routing differs (or some
# requests are unverifiable), 2 could not run (also for bad usage and
# failed renders).
set -euo pipefail

readonly marker='<!-- routeshift-pr-check -->'
ROUTESHIFT=${ROUTESHIFT:-routeshift}

# Strings from the pull request (file names, error messages quoting its
# manifests) reach the job log and the comment. The log runner reads a line
# as a workflow command when it starts with "::" after leading whitespace,
# or holds "##[" anywhere (actions/runner, src/Runner.Common/
# ActionCommand.cs); a comment would render HTML and Markdown. These jq
# filters show control and invisible characters as \n, \uXXXX, ..., break
# both command forms, and (html) escape for a <pre> block. They are the
# shell side of internal/proof/report's escape.go.
readonly jq_defs='
def hex: . as $n | "0123456789abcdef"[$n % 16:$n % 16 + 1] as $d | if $n < 16 then $d else ($n / 16 | floor | hex) + $d end;
def hex4: hex | ("000" + .) | .[length - ([4, length - 3] | max):];
def hidden: . < 32 or . == 127 or (. >= 128 and . <= 160) or (. >= 8192 and . <= 8207) or (. >= 8232 and . <= 8239)
  or (. >= 8287 and . <= 8303) or . == 5760 or . == 12288 or . == 65279 or (. >= 65529 and . <= 65531)
  or (. >= 64976 and . <= 65007) or (. % 65536 >= 65534) or . == 1564 or . == 173 or (. >= 917504 and . <= 917631);
def visible: [explode[] | if . == 10 then "\\n" elif . == 13 then "\\r" elif . == 9 then "\\t"
  elif hidden then "\\u" + hex4 else [.] | implode end] | join("")
  | gsub("##\\["; "##\\x5b") | if test("^ *::") then sub(":"; "\\x3a") else . end;
def html: [explode[] | if . == 60 then "&lt;" elif . == 62 then "&gt;" elif . == 38 then "&amp;"
  elif (. as $c | [34, 39, 58, 35, 64, 96, 42, 95, 91, 93, 33, 124, 126, 36, 92] | index([$c])) != null then "&#\(.);"
  else [.] | implode end] | join("");
'
# log_safe: stdin, one visible line per line, for the job log.
log_safe() { jq -Rr "$jq_defs visible"; }
# html_safe: stdin, for the inside of a <pre> block in the comment.
html_safe() { jq -Rr "$jq_defs visible | html"; }

die() {
  printf 'pr-check: %s\n' "$*" | log_safe >&2
  exit 2
}

command -v jq >/dev/null || { echo "pr-check: jq is needed (to read the event and to escape what the pull request writes)" >&2; exit 2; }

event_field() {
  [[ -n ${GITHUB_EVENT_PATH:-} && -f $GITHUB_EVENT_PATH ]] || return 0
  jq -r "$1 // empty" "$GITHUB_EVENT_PATH"
}

is_true() { [[ ${1:-} == true || ${1:-} == 1 ]]; }

# post_comment BODY PR: create the marked comment, or update the one an
# earlier run made, so a pull request carries one report however often it
# is pushed. Only a comment written by the identity that posts is updated:
# anyone can write a comment that starts with the marker.
post_comment() {
  local body=$1 pr=$2 api=${GITHUB_API_URL:-https://api.github.com} page=1 id='' ids me payload
  local -a auth=(-H "Authorization: Bearer $GITHUB_TOKEN" -H "Accept: application/vnd.github+json" -H "X-GitHub-Api-Version: 2022-11-28")
  me=${ROUTESHIFT_COMMENT_AUTHOR:-}
  # The Actions token is an installation token: GET /user refuses it, and
  # its comments are github-actions[bot]'s.
  [[ -n $me ]] || me=$(curl -fsS "${auth[@]}" "$api/user" 2>/dev/null | jq -r '.login // empty') || true
  [[ -n $me ]] || me='github-actions[bot]'
  while [[ -z $id ]]; do
    ids=$(curl -fsS "${auth[@]}" "$api/repos/$GITHUB_REPOSITORY/issues/$pr/comments?per_page=100&page=$page") || return 1
    [[ $(jq length <<<"$ids") -gt 0 ]] || break
    id=$(jq -r --arg m "$marker" --arg me "$me" '[.[] | select(.user.login == $me and (.body | startswith($m)))][0].id // empty' <<<"$ids")
    page=$((page + 1))
  done
  payload=$(mktemp)
  jq -Rs '{body: .}' <"$body" >"$payload"
  if [[ -n $id ]]; then
    curl -fsS -X PATCH "${auth[@]}" --data-binary "@$payload" "$api/repos/$GITHUB_REPOSITORY/issues/comments/$id" >/dev/null || { rm -f "$payload"; return 1; }
    echo "pr-check: updated comment $id (by $me) on pull request #$pr" | log_safe >&2
  else
    curl -fsS -X POST "${auth[@]}" --data-binary "@$payload" "$api/repos/$GITHUB_REPOSITORY/issues/$pr/comments" >/dev/null || { rm -f "$payload"; return 1; }
    echo "pr-check: commented on pull request #$pr as $me" | log_safe >&2
  fi
  rm -f "$payload"
}

# post FILE: post, or say why not. A comment that cannot be posted (a
# fork's read-only token) must not hide the verdict: it is in the log and
# the job summary.
post() {
  local pr
  pr=${PR_NUMBER:-$(event_field .pull_request.number)}
  if [[ -n ${GITHUB_TOKEN:-} && -n ${GITHUB_REPOSITORY:-} && -n $pr ]]; then
    post_comment "$1" "$pr" || echo "pr-check: could not post the comment on pull request #$pr" >&2
  else
    echo "pr-check: not in a GitHub pull request (GITHUB_TOKEN, GITHUB_REPOSITORY and a pull request number are needed): no comment posted" >&2
  fi
}

base='' head='' comment_file='' post_file='' report_file=''
while (($#)); do
  case $1 in
  --base) base=${2:?--base needs a revision}; shift 2 ;;
  --head) head=${2:?--head needs a revision}; shift 2 ;;
  --comment-file) comment_file=${2:?--comment-file needs a file}; shift 2 ;;
  --report-file) report_file=$(realpath -m -- "${2:?--report-file needs a file}"); shift 2 ;;
  --post) post_file=${2:?--post needs a file}; shift 2 ;;
  --) shift; break ;;
  -*) die "unknown flag $1 (usage: pr-check.sh [--base REV] [--head REV] [--comment-file FILE] [--report-file FILE] [PATH...] | --post FILE)" ;;
  *) break ;;
  esac
done
if [[ -n $post_file ]]; then
  [[ -f $post_file ]] || die "--post $post_file: no such file"
  post "$post_file"
  exit 0
fi
for v in KUSTOMIZE KUSTOMIZE_BUILD_FLAGS; do
  [[ -z ${!v:-} ]] || echo "pr-check: $v is no longer used: routeshift diff renders kustomizations itself (ROUTESHIFT_ENABLE_EXEC=true runs exec functions, for trusted branches only)" >&2
done
paths=("$@")
((${#paths[@]})) || paths=(.)
for path in "${paths[@]}"; do
  case /$path/ in
  //* | */../*) die "PATH $path: want a directory inside the repository, relative to its root" ;;
  esac
done
accept_rel=${ROUTESHIFT_ACCEPT_FILE:-.routeshift/accept.yaml}
case /$accept_rel/ in
//* | */../*) die "ROUTESHIFT_ACCEPT_FILE $accept_rel: want a file inside the repository, relative to its root" ;;
esac
[[ -n $base ]] || base=$(event_field .pull_request.base.sha)
[[ -n $head ]] || head=$(event_field .pull_request.head.sha)
[[ -n $base ]] || die "no base revision: pass --base REV (or run in a pull_request workflow)"
[[ -n $head ]] || head=HEAD

# A pull request from a fork never runs its programs here, whatever the
# workflow says: with pull_request_target its head would run with a token
# that can write.
if is_true "${ROUTESHIFT_ENABLE_EXEC:-}"; then
  from=$(event_field .pull_request.head.repo.full_name) to=$(event_field .pull_request.base.repo.full_name)
  [[ $from == "$to" ]] || die "enable-exec is refused for a pull request from another repository ($from): it would run that repository's programs"
fi

root=$(git rev-parse --show-toplevel) || die "not in a Git repository"
routeshift_path=$(command -v "$ROUTESHIFT") || die "routeshift not found (set ROUTESHIFT)"
routeshift_dir=$(cd "$(dirname "$routeshift_path")" && pwd)
routeshift_path="$routeshift_dir/$(basename "$routeshift_path")"
base_sha=$(git -C "$root" rev-parse --short "$base^{commit}") || die "no such base revision: $base"
head_sha=$(git -C "$root" rev-parse --short "$head^{commit}") || die "no such head revision: $head"

work=$(mktemp -d)
# Canonical, so that links are judged against the real path of the trees.
work=$(cd "$work" && pwd -P)
mkdir "$work/trees"
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  # Worktrees are registered in the repository: remove them, not just
  # their directories.
  git -C "$root" worktree remove --force "$work/trees/base-$base_sha" 2>/dev/null || true
  git -C "$root" worktree remove --force "$work/trees/head-$head_sha" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# checkout SIDE REV: the tree of REV in $work/trees/SIDE-SHA (no "@":
# kustomize reads a path with one as a remote URL); prints SIDE-SHA, which
# is how the report names the side. A symbolic link that leaves the
# tree (another checkout, /proc/self/environ, the runner's credentials) is
# refused: it is listed in $work/refused, the check then reads neither
# side and reports why.
checkout() {
  local side=$1 rev=$2 name tree link target
  name="$side-$(git -C "$root" rev-parse --short "$rev^{commit}")"
  tree="$work/trees/$name"
  git -C "$root" worktree add --quiet --detach "$tree" "$rev" >&2 || die "cannot check out the $side revision $rev"
  while IFS= read -r -d '' link; do
    target=$(realpath -m "$link")
    case $target/ in
    "$tree"/*) ;;
    *) echo "${link#"$tree"/} at the $side revision is a symbolic link that leaves the repository: refused" >>"$work/refused" ;;
    esac
  done < <(find "$tree" -path "$tree/.git" -prune -o -type l -print0)
  echo "$name"
}

# side NAME: the argument routeshift diff reads for one side, relative to
# $work/trees: the one PATH itself (a kustomization routeshift renders, or a
# directory of manifests), or, for several PATHs, a kustomization made
# here that holds them all, so that routes and the Gateways they attach
# to are compared together as before.
side() {
  local name=$1 tree="$work/trees/$1" path i=0 all="$1/.routeshift-pr-check" file
  local -a present=()
  for path in "${paths[@]}"; do
    if [[ -d $tree/$path ]]; then
      present+=("$path")
    else
      echo "pr-check: $path does not exist at the ${name%-*} revision; it renders as nothing there" | log_safe >&2
    fi
  done
  if ((${#present[@]} == 0)); then
    : >"$work/trees/$name.empty.yaml"
    echo "$name.empty.yaml"
    return
  fi
  if ((${#paths[@]} == 1)); then
    echo "$name/${present[0]#./}"
    return
  fi
  mkdir -p "$work/trees/$all"
  echo "resources:" >"$work/trees/$all/kustomization.yaml"
  for path in "${present[@]}"; do
    [[ $path != . && $path != ./ ]] || die "PATH . cannot be listed with other PATHs: it holds them"
    if [[ -f $tree/$path/kustomization.yaml || -f $tree/$path/kustomization.yml || -f $tree/$path/Kustomization ]]; then
      printf -- '- %s\n' "$(jq -Rn --arg p "../$path" '$p')" >>"$work/trees/$all/kustomization.yaml"
    else
      # kustomize reads files only below the kustomization's root: copy
      # the manifests (regular files, no links) in.
      i=$((i + 1))
      while IFS= read -r -d '' file; do
        file=${file#./}
        mkdir -p "$work/trees/$all/$i/$(dirname "$file")"
        cp "$tree/$path/$file" "$work/trees/$all/$i/$file"
        printf -- '- %s\n' "$(jq -Rn --arg p "$i/$file" '$p')" >>"$work/trees/$all/kustomization.yaml"
      done < <(cd "$tree/$path" && find . -mindepth 1 -name '.*' -prune -o -type f \( -name '*.yaml' -o -name '*.yml' \) -print0 | sort -z)
    fi
  done
  echo "$all"
}

base_name=$(checkout base "$base")
head_name=$(checkout head "$head")
base_arg=$(side "$base_name")
head_arg=$(side "$head_name")

flags=()
is_true "${ROUTESHIFT_ALLOW_UNVERIFIABLE:-}" || flags+=(--fail-on-unverifiable)
# A routeshift whose rendering reads nothing outside --root (issue 13) is
# given the two checkouts (the working directory of the diff): overlays
# may use ../ bases within them.
diff_help=$("$routeshift_path" diff -h 2>&1 || true)
# Flags are listed as "-name" (older) or "--name NAME" (routeshift's help).
supports() { grep -qE -- "^ +--?$1( |\$)" <<<"$diff_help"; }
if supports root; then
  flags+=(--root .)
fi
# The head's accept file, the pull request's own (reviewed with it); the
# base's says which entries the pull request adds. Without one at the head,
# none is read.
if supports accept-file; then
  if [[ -f $work/trees/$head_name/$accept_rel ]]; then
    flags+=(--accept-file "$head_name/$accept_rel" --accept-base "$base_name/$accept_rel")
  else
    flags+=(--accept-file none)
  fi
fi
if [[ -n $report_file ]] && supports report-file; then
  mkdir -p "$(dirname "$report_file")"
  flags+=(--report-file "$report_file")
fi
# The render runs with an empty environment: no token, no credentials, no
# PATH (an older routeshift's kustomize ran git from PATH for remote bases,
# and git reads a ref such as --upload-pack=CMD as an option). Only a
# trusted branch may run its exec functions, which find routeshift on PATH,
# or fetch remote bases with git.
rpath=$work/no-programs
mkdir -p "$work/home" "$work/tmp" "$work/no-programs"
if is_true "${ROUTESHIFT_ALLOW_REMOTE:-}"; then
  # An older routeshift fetches remote bases whenever git is on PATH.
  if supports allow-remote; then flags+=(--allow-remote); fi
  rpath=$PATH
fi
if is_true "${ROUTESHIFT_ENABLE_EXEC:-}"; then
  flags+=(--enable-exec)
  rpath=$routeshift_dir:$PATH
fi
renv=(env -i "HOME=$work/home" "TMPDIR=$work/tmp" "PATH=$rpath")
# A head that makes rendering take forever (a base included twice per level
# of thirty overlays) must not hold the runner: the check gives up after
# ROUTESHIFT_TIMEOUT seconds.
limit=${ROUTESHIFT_TIMEOUT:-600}
[[ $limit =~ ^[1-9][0-9]*$ ]] || die "ROUTESHIFT_TIMEOUT=$limit: want a number of seconds"
if command -v timeout >/dev/null; then
  renv=(timeout -k 10 "$limit" "${renv[@]}")
fi

status=0
if [[ -s $work/refused ]]; then
  cp "$work/refused" "$work/diff.err"
  status=2
else
  # shellcheck disable=SC2086 # ROUTESHIFT_DIFF_FLAGS are words on purpose
  (cd "$work/trees" && "${renv[@]}" "$routeshift_path" diff --format markdown "${flags[@]}" ${ROUTESHIFT_DIFF_FLAGS:-} "$base_arg" "$head_arg") >"$work/report.md" 2>"$work/diff.err" || status=$?
fi
if ((status == 124)); then
  echo "routeshift diff did not finish in ${limit}s (ROUTESHIFT_TIMEOUT)" >>"$work/diff.err"
fi
log_safe <"$work/diff.err" >&2
case $status in
0 | 1) ;;
*)
  {
    if [[ -s $work/refused ]]; then
      echo "**The check refused to read the pull request:**"
    else
      echo "**routeshift diff could not run** (exit $status):"
    fi
    echo
    echo '<pre>'
    html_safe <"$work/diff.err"
    echo '</pre>'
    if grep -qE 'external plugins disabled|only with --enable-exec' "$work/diff.err" && ! is_true "${ROUTESHIFT_ENABLE_EXEC:-}"; then
      echo
      echo 'A kustomization names a KRM function (a transformer or generator program). The check does not run'
      echo 'programs from the pull request; a repository owner can turn them on (`enable-exec`) for trusted branches only.'
    fi
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
  echo "<sub>routeshift pr-check: <code>$base_sha</code> → <code>$head_sha</code>, paths: <code>$(printf '%s ' "${paths[@]}" | html_safe)</code></sub>"
} >"$body"

# The body is log-safe line by line (the report's writer and the filters
# above see to it); in GitHub Actions, commands are also stopped while it
# is printed, with a token no one could have put in it.
if [[ ${GITHUB_ACTIONS:-} == true ]]; then
  token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  echo "::stop-commands::$token"
  cat "$body"
  echo "::$token::"
else
  cat "$body"
fi
if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then
  cat "$body" >>"$GITHUB_STEP_SUMMARY"
fi

if [[ -n $comment_file ]]; then
  cp "$body" "$comment_file"
else
  post "$body"
fi
exit "$status"
