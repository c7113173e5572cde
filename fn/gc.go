package fn

import (
	"os"
	"runtime/debug"
)

// smallRun is the input size, in objects, below which a run lets the heap
// grow to five times what is live before collecting (GOGC=400) instead of
// twice. A one-application render (Argo CD renders every Application on
// its own; kustomize and kpt run the function once per build) allocates
// most of its memory compiling the CRD schemas and CEL rules it validates
// against: some 80 MB of short-lived garbage over a live heap of 15 MB,
// which the default collected five times. At 400 it is collected about
// once: 20 ms less CPU of about 100 (bench/results.md, History), 5 MB more
// peak RSS. Large runs keep the default, where memory is what matters.
const smallRun = 1000

// tuneGC sets the collector for a run over n input objects, unless the
// user chose with GOGC.
func tuneGC(n int) {
	if n < smallRun && os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}
