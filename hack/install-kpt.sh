#!/usr/bin/env bash
# Builds kpt from the Go module proxy into $1 (used when kpt is not on PATH).
# `go install module@version` cannot be used: the proxy refuses kpt's
# version list, which go install reads for deprecation notices. Building
# from a scratch module needs only the version itself. Newer kpt versions
# (kptdev/kpt beta.61) depend on module versions the proxy refuses; the
# GoogleContainerTools/kpt beta.49 build works (about 5 minutes cold).
set -euo pipefail
bin=$1 module=$2
mkdir -p "$bin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
printf 'module kptbuild\n\ngo 1.26.0\n' > go.mod
# kpt's own module versions are missing from the checksum database that the
# proxy serves, so they are fetched without it.
export GOFLAGS=-mod=mod GONOSUMDB=github.com/kptdev,github.com/GoogleContainerTools
go get "$module"
go build -o "$bin/kpt" "${module%@*}"
"$bin/kpt" version
