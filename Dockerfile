# The routeshift function image: the statically linked binary on an empty
# base, run as a numeric non-root user, with function mode (a ResourceList on
# stdin) as the entrypoint. That is what kustomize's container transformer,
# kpt's `image:` functions and the pipelines in examples/ run, and what
# `kpt fn doc --image` asks for --help.
#
#   docker build -t routeshift .            # or podman build: any machine, any CI
#
# builds the binary in the Go stage and copies it into the scratch runtime
# stage (the default target, last in this file). The project's own tests
# build the same runtime from a binary compiled on the host, without pulling
# anything: `make image` runs
#
#   podman build --target runtime-local .   # needs bin/image/routeshift
#
# Both runtimes are the same three lines; keep them in step.

# The Go stage. GO_IMAGE is any image with the Go toolchain of go.mod's
# `go` line (the image test checks that the default matches it).
ARG GO_IMAGE=docker.io/library/golang:1.26
FROM ${GO_IMAGE} AS build
WORKDIR /src
# Modules first, so that a source change reuses the downloaded modules.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# VERSION and COMMIT: what `routeshift version` prints, e.g.
#   --build-arg VERSION=$(git describe --tags) --build-arg COMMIT=$(git rev-parse HEAD)
# (the build context has no .git, so Go cannot stamp the commit itself);
# without them, "(devel)" and "unknown".
ARG VERSION=
ARG COMMIT=
RUN CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath \
      -ldflags "-s -w -X main.version=${VERSION} -X main.buildCommit=${COMMIT}" \
      -o /out/usr/local/bin/routeshift ./cmd/routeshift \
 && mkdir -p /out/etc && cp hack/image/passwd /out/etc/passwd

# runtime-local: the runtime from a binary built outside, for `make image`
# and the image tests (a machine without a registry). Only built when named
# with --target: BuildKit and buildah build the stages a target needs.
FROM scratch AS runtime-local
# kpt runs functions with `--user nobody`; without a passwd entry for it the
# runtime fails before the function starts ("unable to find user nobody").
COPY hack/image/passwd /etc/passwd
COPY bin/image/routeshift /usr/local/bin/routeshift
# 65532 ("nonroot" in the passwd file): never root, and numeric so that
# Kubernetes' runAsNonRoot check can verify it without reading the image.
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/routeshift"]

# runtime: the default target.
FROM scratch AS runtime
COPY --from=build /out/ /
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/routeshift"]
