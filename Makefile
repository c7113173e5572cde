# routeshift: build, test and check. `make test` is what CI runs (.ci/run).
# Everything the tests need is fetched here, never installed by hand.

export GOTOOLCHAIN := local
export GOFLAGS := -mod=readonly

BIN        := $(CURDIR)/bin
VERSION    ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS    := -s -w -X main.version=$(VERSION)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.6.1
KPT_MODULE := github.com/GoogleContainerTools/kpt@v1.0.0-beta.49
KUSTOMIZE_VERSION := v5.8.1
ARGOCD_TOOLS := hack/tools/argocd
ARGOCD_VERSION := $(shell sed -n 's|^[[:space:]]*github.com/argoproj/argo-cd/v3 v\([^ ]*\).*|\1|p' $(ARGOCD_TOOLS)/go.mod)
# The image the examples name and the tests run.
ROUTESHIFT_IMAGE ?= localhost/routeshift:dev
# A project-local podman (hack/tools/podman/setup.sh): its settings, its
# image store, and the `docker` shim kustomize's container transformer calls.
PODMAN_DIR := $(BIN)/podman
PODMAN_ENV := CONTAINERS_CONF=$(PODMAN_DIR)/containers.conf CONTAINERS_STORAGE_CONF=$(PODMAN_DIR)/storage.conf

.PHONY: all build test vet lint fmt update bench image clean kustomize argocd podman test-image argocd-image chromium fuzz

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

# The pipeline tests (examples/) run the real kustomize, kpt,
# argocd-cmp-server and podman; a missing tool fails them with a message.
TEST_TOOLS := $(KPT) kustomize argocd test-image chromium
TEST_ENV = ROUTESHIFT_REQUIRE_TOOLS=1 KPT=$(KPT) KUSTOMIZE=$(BIN)/kustomize \
	ARGOCD_CMP_SERVER=$(BIN)/argocd-cmp-server ARGOCD_CMPCLIENT=$(BIN)/argocd-cmpclient \
	ROUTESHIFT_IMAGE=$(ROUTESHIFT_IMAGE) ARGOCD_SIDECAR_IMAGE=$(ARGOCD_SIDECAR_IMAGE) ROUTESHIFT_IMAGE_ERROR=$(BIN)/image.err \
	PODMAN_SHIM=$(PODMAN_DIR)/shim $(PODMAN_ENV)
test: vet $(TEST_TOOLS)
	$(TEST_ENV) go test -count=1 ./...

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
# (Argo CD's dependencies stay out of go.mod). Minutes cold; kept in bin/
# until that module changes.
argocd: $(BIN)/argocd-cmp-server $(BIN)/argocd-cmpclient

$(BIN)/argocd-cmp-server: $(ARGOCD_TOOLS)/go.mod $(ARGOCD_TOOLS)/go.sum $(ARGOCD_TOOLS)/argocd-cmp-server/main.go
	cd $(ARGOCD_TOOLS) && CGO_ENABLED=0 go build -trimpath \
		-ldflags '-X github.com/argoproj/argo-cd/v3/common.version=$(ARGOCD_VERSION)' -o $@ ./argocd-cmp-server

$(BIN)/argocd-cmpclient: $(ARGOCD_TOOLS)/go.mod $(ARGOCD_TOOLS)/go.sum $(ARGOCD_TOOLS)/cmpclient/main.go $(ARGOCD_TOOLS)/argocd-cmp-server/main.go
	cd $(ARGOCD_TOOLS) && go vet ./... && CGO_ENABLED=0 go build -trimpath -o $@ ./cmpclient

# Headless Chromium for the HTML report test (internal/inventory), from Debian.
chromium:
	@command -v chromium >/dev/null || { \
		echo "installing chromium (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Podman and runc from Debian when they are missing, then the project-local
# settings. Fails with podman's own words where it cannot run.
podman:
	@command -v podman >/dev/null && command -v runc >/dev/null || { \
		echo "installing podman and runc (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc >/dev/null; }
	./hack/tools/podman/setup.sh $(PODMAN_DIR)

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
update: $(TEST_TOOLS)
	$(TEST_ENV) go test -count=1 ./... -update

# Benchmarks are measured here, never asserted in tests: whole-process
# runs against the decode-only floor (writes bench/results.md), then the
# Go benchmarks.
bench:
	go run ./hack/bench -out bench/results.md
	go test -run '^$$' -bench . -benchmem ./fn ./internal/load ./internal/validate

# The function image (Dockerfile): FROM scratch, so nothing is pulled. The
# static binary and the passwd file are made here, then podman builds it
# with the project-local settings. CONTAINER_ENGINE=docker builds it with
# Docker instead.
CONTAINER_ENGINE ?= podman
image: $(if $(filter podman,$(CONTAINER_ENGINE)),podman)
	@mkdir -p $(BIN)/image
	CGO_ENABLED=0 go build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/image/routeshift ./cmd/routeshift
	printf '%s\n' 'root:x:0:0:root:/:/sbin/nologin' 'nobody:x:65534:65534:nobody:/:/sbin/nologin' \
		'nonroot:x:65532:65532:nonroot:/:/sbin/nologin' >$(BIN)/image/passwd
	$(if $(filter podman,$(CONTAINER_ENGINE)),$(PODMAN_ENV) podman build --isolation chroot,$(CONTAINER_ENGINE) build) \
		-t $(ROUTESHIFT_IMAGE) -t localhost/routeshift:$(VERSION) .

# The Argo CD sidecar image (pipeline/argocd/Dockerfile), FROM scratch too:
# static bash and busybox from Debian, kustomize, routeshift, the plugin.
ARGOCD_SIDECAR_IMAGE ?= localhost/routeshift-argocd:dev
SIDECAR := $(BIN)/argocd-sidecar
argocd-image: podman kustomize
	@dpkg -s bash-static busybox-static >/dev/null 2>&1 || { \
		echo "installing bash-static and busybox-static (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bash-static busybox-static >/dev/null; }
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
	./internal/convert/ingressnginx:FuzzBuild \
	./internal/convert/ingressnginx:FuzzSnippet \
	./internal/status:FuzzRun \
	./internal/proof/check:FuzzEvaluators \
	./internal/proof/report:FuzzReportWriters \
	./internal/proof/internal/differential:FuzzReaders \
	./fn:FuzzConvert \
	./fn:FuzzFunction

fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; target=$${t##*:}; \
		echo "fuzzing $$target in $$pkg for $(FUZZTIME)"; \
		go test $$pkg -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 10s || exit 1; \
	done

clean:
	rm -rf $(BIN)
