# routeshift: build, test and check. `make test` is what CI runs (.ci/run).
# Everything the tests need is fetched here, never installed by hand.

export GOTOOLCHAIN := local
export GOFLAGS := -mod=readonly

BIN        := $(CURDIR)/bin
VERSION    ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS    := -s -w -X main.version=$(VERSION)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.6.1
KPT_MODULE := github.com/GoogleContainerTools/kpt@v1.0.0-beta.49

.PHONY: all build test vet lint fmt update bench image clean

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

test: $(KPT) vet
	KPT=$(KPT) go test -count=1 ./...

vet:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	go vet ./...

lint: vet
	go run $(STATICCHECK) ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

# Rewrite golden files; read every diff before committing it.
update:
	go test ./... -update

# Benchmarks are measured here, never asserted in tests.
bench:
	go test -run '^$$' -bench . -benchmem ./...

# Needs a container engine (none runs on the development machines).
image:
	docker build --build-arg VERSION=$(VERSION) -t routeshift:$(VERSION) .

clean:
	rm -rf $(BIN)
