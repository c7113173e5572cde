#!/usr/bin/env bash
# setup.sh DIR: a project-local podman for the image tests, and a check that
# it runs containers on this machine.
#
# Writes into DIR:
#   containers.conf  runc with cgroupfs and no default ulimits: the defaults
#                    (crun, systemd cgroups, RLIMIT_NOFILE) fail in sandboxes
#                    like the development machines ("setrlimit RLIMIT_NOFILE:
#                    Operation not permitted", "cgroups in hybrid mode not
#                    supported")
#   storage.conf     the vfs driver (no overlay mounts needed) with its
#                    images and state under DIR, never the machine's
#   shim/docker      `exec podman "$@"`: kustomize's container transformer
#                    runs `docker`
# Podman reads the first two through CONTAINERS_CONF and
# CONTAINERS_STORAGE_CONF, which the Makefile sets for the image build and
# the tests. Podman and runc themselves come from Debian (the Makefile
# installs them when they are missing).
set -euo pipefail
dir=${1:?usage: setup.sh DIR}
mkdir -p "$dir/shim" "$dir/storage" "$dir/run"
dir=$(cd "$dir" && pwd)

cat >"$dir/containers.conf" <<'CONF'
[containers]
default_ulimits = []

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
CONF

cat >"$dir/storage.conf" <<CONF
[storage]
driver = "vfs"
runroot = "$dir/run"
graphroot = "$dir/storage"
CONF

cat >"$dir/shim/docker" <<'SHIM'
#!/bin/sh
# kustomize runs container functions with `docker`; podman takes the same
# arguments.
exec podman "$@"
SHIM
chmod +x "$dir/shim/docker"

export CONTAINERS_CONF="$dir/containers.conf" CONTAINERS_STORAGE_CONF="$dir/storage.conf"
if ! out=$(podman info 2>&1); then
  echo "podman cannot run on this machine with $dir's settings:" >&2
  echo "$out" >&2
  exit 1
fi
