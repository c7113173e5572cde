# The function image: a static binary on distroless, run as non-root. Its
# entrypoint is function mode (a ResourceList on stdin), which is what
# kustomize, kpt and Argo CD run.
FROM golang:1.26 AS build
ARG VERSION=dev
ENV GOTOOLCHAIN=local CGO_ENABLED=0
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/routeshift ./cmd/routeshift

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/routeshift /usr/local/bin/routeshift
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/routeshift"]
