# routeshift: build, test and check. CI runs .ci/run: `make system-deps`
# (Debian packages, as root) then `make test`.
#
# `make tools` builds what the tests run into bin/ (kpt, kustomize, helm 3
# and 4, Argo CD's cmp server and client from the Go module proxy; the
# project-local podman settings; the images). Each is kept until its version
# or source changes, so a warm `make tools` does nothing. `make test` checks
# the machine for what it cannot build (check-system: it installs nothing
# and says what to install), builds the tools, then runs every test.

export GOTOOLCHAIN := local
export GOFLAGS := -mod=readonly

BIN        := $(CURDIR)/bin
VERSION    ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT     ?= $(shell git rev-parse HEAD 2>/dev/null)
# The commit too: Go stamps it only in a plain clone, not in a git worktree.
LDFLAGS    := -s -w -X main.version=$(VERSION) -X main.buildCommit=$(COMMIT)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.6.1
KPT_MODULE := github.com/GoogleContainerTools/kpt@v1.0.0-beta.49
KUSTOMIZE_VERSION := v5.8.1
HELM3_VERSION := v3.21.4
HELM4_VERSION := v4.3.2
HELM3 := $(BIN)/helm-$(HELM3_VERSION)/helm
HELM4 := $(BIN)/helm-$(HELM4_VERSION)/helm
ARGOCD_TOOLS := hack/tools/argocd
ARGOCD_VERSION := $(shell sed -n 's|^[[:space:]]*github.com/argoproj/argo-cd/v3 v\([^ ]*\).*|\1|p' $(ARGOCD_TOOLS)/go.mod)
# The image the examples name and the tests run.
ROUTESHIFT_IMAGE ?= localhost/routeshift:dev
# A project-local podman (hack/tools/podman/setup.sh): its settings, its
# image store, and the `docker` shim kustomize's container transformer calls.
PODMAN_DIR := $(BIN)/podman
PODMAN_ENV := CONTAINERS_CONF=$(PODMAN_DIR)/containers.conf CONTAINERS_STORAGE_CONF=$(PODMAN_DIR)/storage.conf

.PHONY: all build test test-only tools check-system system-deps vet lint fmt update bench image clean kustomize argocd helm egctl podman test-image argocd-image fuzz

all: build

build:
	CGO_ENABLED=0 go build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/routeshift ./cmd/routeshift

# The tests run the real kpt. A machine that has kpt on PATH uses it;
# otherwise it is built from the Go module proxy into bin/.
KPT := $(shell command -v kpt 2>/dev/null)
ifeq ($(KPT),)
KPT := $(BIN)/kpt
endif

$(BIN)/kpt:
	./hack/install-kpt.sh $(BIN) $(KPT_MODULE)

# The pipeline tests (examples/) run the real kustomize, kpt, helm,
# argocd-cmp-server and podman; a missing tool fails them with a message.
TOOLS := $(KPT) kustomize helm argocd egctl test-image
TEST_ENV = ROUTESHIFT_REQUIRE_TOOLS=1 KPT=$(KPT) KUSTOMIZE=$(BIN)/kustomize HELM3=$(HELM3) HELM4=$(HELM4) \
	EGCTL_V1_8=$(EGCTL18) EGCTL_V1_9=$(EGCTL19) \
	ARGOCD_CMP_SERVER=$(BIN)/argocd-cmp-server ARGOCD_CMPCLIENT=$(BIN)/argocd-cmpclient \
	ROUTESHIFT_IMAGE=$(ROUTESHIFT_IMAGE) ARGOCD_SIDECAR_IMAGE=$(ARGOCD_SIDECAR_IMAGE) ROUTESHIFT_IMAGE_ERROR=$(BIN)/image.err \
	PODMAN_SHIM=$(PODMAN_DIR)/shim $(PODMAN_ENV)

tools: $(TOOLS)

test: vet check-system tools
	$(TEST_ENV) go test -count=1 ./...

# The tests alone, with the tools as they are in bin/ (after `make tools`).
test-only:
	$(TEST_ENV) go test -count=1 ./...

# What the tests need and Go cannot build: Chromium (the HTML report
# screenshot), podman and runc (the images), static bash and busybox (the
# Argo CD sidecar image). check-system says what is missing and how to get
# it; system-deps installs it with apt-get on Debian (root; CI runs it).
missing_packages = $(strip \
	$(if $(shell command -v chromium),,chromium) \
	$(if $(shell command -v podman),,podman) \
	$(if $(shell command -v runc),,runc) \
	$(if $(wildcard /bin/bash-static),,bash-static) \
	$(if $(wildcard /bin/busybox),,busybox-static))

check-system:
	@missing="$(missing_packages)"; if [ -n "$$missing" ]; then \
		echo "missing on this machine: $$missing"; \
		echo "install them, e.g. on Debian: apt-get install $$missing (or, as root: make system-deps)"; \
		exit 1; \
	fi

system-deps:
	@missing="$(missing_packages)"; if [ -n "$$missing" ]; then \
		echo "installing $$missing (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# The standalone kustomize: `kubectl kustomize` silently skips exec
# functions. Static, because the Argo CD sidecar image (FROM scratch) holds
# it too. Reinstalled only when bin/ holds another version or build.
kustomize:
	@if [ "$$($(BIN)/kustomize version 2>/dev/null)" != $(KUSTOMIZE_VERSION) ] || \
		! go version -m $(BIN)/kustomize | grep -q 'CGO_ENABLED=0'; then \
		echo CGO_ENABLED=0 GOBIN=$(BIN) go install sigs.k8s.io/kustomize/kustomize/v5@$(KUSTOMIZE_VERSION); \
		CGO_ENABLED=0 GOBIN=$(BIN) go install sigs.k8s.io/kustomize/kustomize/v5@$(KUSTOMIZE_VERSION); \
	fi

# Argo CD's config management plugin server and a client that talks to it
# as the repo server does, from the separate module in hack/tools/argocd
# (Argo CD's dependencies stay out of go.mod). Both in one `go build`: they
# share nearly all of Argo CD's ~1,500 packages, which are compiled once.
# go vet gets the same flags (CGO_ENABLED=0, -trimpath): with others, as it
# had before, it compiled all of Argo CD a second time (6 of the 16 minutes
# a cold `make test` spent on Argo CD). Kept in bin/ until that module
# changes.
ARGOCD_SOURCES := $(ARGOCD_TOOLS)/go.mod $(ARGOCD_TOOLS)/go.sum $(ARGOCD_TOOLS)/argocd-cmp-server/main.go $(ARGOCD_TOOLS)/cmpclient/main.go
argocd: $(BIN)/argocd-cmp-server $(BIN)/argocd-cmpclient

$(BIN)/argocd-cmp-server $(BIN)/argocd-cmpclient &: $(ARGOCD_SOURCES)
	@mkdir -p $(BIN)
	cd $(ARGOCD_TOOLS) && CGO_ENABLED=0 go build -trimpath \
		-ldflags '-X github.com/argoproj/argo-cd/v3/common.version=$(ARGOCD_VERSION)' -o $(BIN)/ ./argocd-cmp-server ./cmpclient
	mv $(BIN)/cmpclient $(BIN)/argocd-cmpclient
	cd $(ARGOCD_TOOLS) && CGO_ENABLED=0 go vet -trimpath ./...

# Helm 3 and 4 for the post-renderer tests (examples/helm_test.go), from
# the Go module proxy, each in a directory named by its version. The -X is
# what Helm's own Makefile sets: without it `helm version` says only v3.21.
helm: $(HELM3) $(HELM4)

$(HELM3):
	CGO_ENABLED=0 GOBIN=$(dir $@) go install -trimpath \
		-ldflags '-X helm.sh/helm/v3/internal/version.version=$(HELM3_VERSION)' helm.sh/helm/v3/cmd/helm@$(HELM3_VERSION)

$(HELM4):
	CGO_ENABLED=0 GOBIN=$(dir $@) go install -trimpath \
		-ldflags '-X helm.sh/helm/v4/internal/version.version=$(HELM4_VERSION)' helm.sh/helm/v4/cmd/helm@$(HELM4_VERSION)

# Envoy Gateway's egctl of each supported release, for the test that runs
# its translator (`egctl x translate`) over the envoy-gateway golden output
# and checks diff's Envoy Gateway model against the routes it generates
# (internal/proof/gateway/egctl_test.go). From the Go module proxy, each in
# a directory named by its version, kept until the version changes. The
# tags drop the container-storage drivers that need cgo or C headers
# (btrfs, devicemapper, gpgme), which egctl never uses for translation.
EG18_VERSION := v1.8.0
EG19_VERSION := v1.9.1
EGCTL18 := $(BIN)/egctl-$(EG18_VERSION)/egctl
EGCTL19 := $(BIN)/egctl-$(EG19_VERSION)/egctl
EGCTL_TAGS := exclude_graphdriver_btrfs exclude_graphdriver_devicemapper containers_image_openpgp
egctl: $(EGCTL18) $(EGCTL19)

$(EGCTL18) $(EGCTL19): $(BIN)/egctl-%/egctl:
	CGO_ENABLED=0 GOBIN=$(dir $@) go install -trimpath -tags '$(EGCTL_TAGS)' \
		github.com/envoyproxy/gateway/cmd/egctl@$*

# The project-local podman settings (podman and runc themselves come from
# the system: check-system). Fails with podman's own words where it cannot
# run.
podman:
	@command -v podman >/dev/null && command -v runc >/dev/null || { \
		echo "podman and runc are missing: install them (Debian: apt-get install podman runc, or make system-deps)"; exit 1; }
	./hack/tools/podman/setup.sh $(PODMAN_DIR)
	@# The image store holds the layers of every image built here, Go
	@# sources too (the Dockerfile's build stage copies the repository): a
	@# go.mod makes it a module of its own, which `go test ./...` skips.
	@printf '%s\n' 'module podman-store // not routeshift: see the Makefile' >$(PODMAN_DIR)/go.mod

# For `make test`: build the images, or keep why they could not be built in
# bin/image.err, which the image tests report as their failure; every other
# test still runs. The images they replace are pruned, or bin/podman would
# grow by a copy on every run.
test-image:
	@mkdir -p $(BIN)
	@if $(MAKE) --no-print-directory image argocd-image >$(BIN)/image.log 2>&1; then \
		rm -f $(BIN)/image.err; echo "images $(ROUTESHIFT_IMAGE) and $(ARGOCD_SIDECAR_IMAGE) built"; \
		$(PODMAN_ENV) podman image prune -f >/dev/null; \
	else \
		mv $(BIN)/image.log $(BIN)/image.err; \
		echo "make image failed; the image tests will fail with its output ($(BIN)/image.err):"; cat $(BIN)/image.err; \
	fi

vet:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	go vet ./...

lint: vet
	go run $(STATICCHECK) ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

# Rewrite golden files; read every diff before committing it.
# The images are rebuilt first: the pipeline tests' golden files are
# written by the exec and the image runs alike.
update: check-system tools
	$(TEST_ENV) go test -count=1 ./... -update

# Benchmarks are measured here, never asserted in tests: whole-process
# runs against the decode-only floor (writes bench/results.md), then the
# Go benchmarks.
bench:
	go run ./hack/bench -out bench/results.md
	go test -run '^$$' -bench . -benchmem ./fn ./internal/load ./internal/validate

# The function image from a binary compiled here: the Dockerfile's
# runtime-local stage (FROM scratch, so nothing is pulled), with the
# project-local podman. `docker build .` builds the same runtime with Go in
# a build stage instead. CONTAINER_ENGINE=docker builds it with Docker.
CONTAINER_ENGINE ?= podman
image: $(if $(filter podman,$(CONTAINER_ENGINE)),podman)
	@mkdir -p $(BIN)/image
	CGO_ENABLED=0 go build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/image/routeshift ./cmd/routeshift
	$(if $(filter podman,$(CONTAINER_ENGINE)),$(PODMAN_ENV) podman build --isolation chroot,$(CONTAINER_ENGINE) build) \
		--target runtime-local -t $(ROUTESHIFT_IMAGE) -t localhost/routeshift:$(VERSION) .

# The Argo CD sidecar image (pipeline/argocd/Dockerfile), FROM scratch too:
# static bash and busybox from Debian, kustomize, routeshift, the plugin.
ARGOCD_SIDECAR_IMAGE ?= localhost/routeshift-argocd:dev
SIDECAR := $(BIN)/argocd-sidecar
argocd-image: podman kustomize
	@[ -x /bin/bash-static ] && [ -x /bin/busybox ] || { \
		echo "bash-static and busybox-static are missing: install them (Debian: apt-get install bash-static busybox-static, or make system-deps)"; exit 1; }
	rm -rf $(SIDECAR)
	mkdir -p $(SIDECAR)/bin $(SIDECAR)/etc $(SIDECAR)/tmp $(SIDECAR)/usr/local/bin $(SIDECAR)/home/argocd/cmp-server/config
	chmod 1777 $(SIDECAR)/tmp
	CGO_ENABLED=0 go build -trimpath -ldflags '$(LDFLAGS)' -o $(SIDECAR)/usr/local/bin/routeshift ./cmd/routeshift
	cp $(BIN)/kustomize pipeline/argocd/routeshift-argocd $(SIDECAR)/usr/local/bin/
	cp pipeline/argocd/plugin.yaml $(SIDECAR)/home/argocd/cmp-server/config/
	cp /bin/bash-static $(SIDECAR)/bin/bash
	cp /bin/busybox $(SIDECAR)/bin/busybox
	cd $(SIDECAR)/bin && for applet in $$(./busybox --list); do [ -e $$applet ] || ln -s busybox $$applet; done
	printf '%s\n' 'root:x:0:0:root:/:/sbin/nologin' 'argocd:x:999:999:argocd:/home/argocd:/bin/bash' >$(SIDECAR)/etc/passwd
	$(PODMAN_ENV) podman build --isolation chroot -f pipeline/argocd/Dockerfile -t $(ARGOCD_SIDECAR_IMAGE) $(SIDECAR)

# Fuzz each target for FUZZTIME (go test -fuzz takes one target at a time).
# A failing input is written to the package's testdata/fuzz/<Target>/;
# `make test` runs it as a seed from then on, failing until it is fixed.
# -fuzzminimizetime bounds the minimisation of each new input, which
# otherwise stalls the slower targets for up to a minute at a time.
FUZZTIME ?= 3m
FUZZ_TARGETS := \
	./internal/load:FuzzReadStream \
	./internal/load:FuzzReadResourceList \
	./internal/load:FuzzEncodeJSON \
	./internal/load:FuzzParseFast \
	./internal/load:FuzzNewObjectFromValue \
	./internal/convert/gatewayapi:FuzzEncode \
	./internal/convert/ingressnginx:FuzzBuild \
	./internal/convert/ingressnginx:FuzzSnippet \
	./internal/convert/ingressnginx:FuzzDecodeCommon \
	./internal/status:FuzzRun \
	./internal/proof/check:FuzzEvaluators \
	./internal/proof/report:FuzzReportWriters \
	./internal/proof/report:FuzzReplaceObjectRefs \
	./internal/proof/internal/differential:FuzzReaders \
	./fn:FuzzConvert \
	./fn:FuzzFunction \
	./fn:FuzzControllerProfileAgreement

fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; target=$${t##*:}; \
		echo "fuzzing $$target in $$pkg for $(FUZZTIME)"; \
		go test $$pkg -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 10s || exit 1; \
	done

clean:
	rm -rf $(BIN)
