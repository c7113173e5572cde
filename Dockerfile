# The routeshift function image: the statically linked binary on an empty
# base, run as a numeric non-root user, with function mode (a ResourceList on
# stdin) as the entrypoint. That is what kustomize's container transformer,
# kpt's `image:` functions and the pipelines in examples/ run.
#
# `make image` compiles bin/image/routeshift (CGO_ENABLED=0, so it needs no
# libc) and writes bin/image/passwd before building; .dockerignore sends only
# that directory as the build context. The base is scratch because nothing
# has to be pulled to build it.
#
# A CI without make can build the same image in two stages, e.g.
#   FROM golang:1.26 AS build
#   COPY . /src
#   RUN cd /src && CGO_ENABLED=0 go build -trimpath -o /out/routeshift ./cmd/routeshift
# and COPY --from=build instead of from bin/image.
FROM scratch
# kpt runs functions with `--user nobody`; without a passwd entry for it the
# runtime fails before the function starts ("unable to find user nobody").
COPY bin/image/passwd /etc/passwd
COPY bin/image/routeshift /usr/local/bin/routeshift
# 65532 ("nonroot" in the passwd file): never root, and numeric so that
# Kubernetes' runAsNonRoot check can verify it without reading the image.
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/routeshift"]
