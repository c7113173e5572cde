package fn

import (
	"os"
	"runtime/debug"

	"github.com/routeshift/routeshift/internal/load"
)

// smallRun is the input size, in bytes of text, below which a run lets
// the heap grow to five times what is live before collecting (GOGC=400)
// instead of twice. A one-application render (Argo CD renders every Application on
// its own; kustomize and kpt run the function once per build) allocates
// most of its memory compiling the CRD schemas and CEL rules it validates
// against: some 80 MB of short-lived garbage over a live heap of 15 MB,
// which the default collected five times. At 400 it is collected about
// once: 20 ms less CPU of about 100 (bench/results.md, History), 5 MB more
// peak RSS. Large runs keep the default, where memory is what matters;
// the size is of the text, not a count of objects, because one object can
// be large (fn/bad_test.go paths-10k: one Ingress of 10,000 paths).
const smallRun = 256 << 10

// tuneGC sets the collector for a run over objs (400 for a small one,
// else the default 100), unless the user chose with GOGC.
func tuneGC(objs []*load.Object) {
	if os.Getenv("GOGC") != "" {
		return
	}
	size := 0
	for _, o := range objs {
		size += o.TextSize()
	}
	// Both ways: the setting is the process's, and a process (a test)
	// may convert small inputs before large ones.
	if size < smallRun {
		debug.SetGCPercent(400)
	} else {
		debug.SetGCPercent(100)
	}
}
