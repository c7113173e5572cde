package fn

import (
	"math"
	"os"
	"runtime/debug"

	"github.com/routeshift/routeshift/internal/load"
)

// smallRun is the input size, in bytes of text, below which a run does
// not collect garbage until its heap reaches smallRunHeap. A
// one-application render (Argo CD renders every Application on its own;
// kustomize and kpt run the function once per build) allocates most of its
// memory compiling the CEL rules it validates against: tens of MB of
// short-lived garbage over a live heap of a few, which the default
// collected five times and GOGC=400 once. Not collecting at all saves
// 4-6 ms of a 50 ms run (bench/results.md, History); the limit keeps a
// small input that allocates unexpectedly much from growing without bound.
// Large runs keep the default, where memory is what matters; the size is
// of the text, not a count of objects, because one object can be large
// (fn/bad_test.go paths-10k: one Ingress of 10,000 paths).
const (
	smallRun     = 256 << 10
	smallRunHeap = 256 << 20
)

// tuneGC sets the collector for a run over objs: off up to smallRunHeap
// for a small one, else the default. GOGC or GOMEMLIMIT in the
// environment leave it to the user.
func tuneGC(objs []*load.Object) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	size := 0
	for _, o := range objs {
		size += o.TextSize()
	}
	// Both ways: the setting is the process's, and a process (a test)
	// may convert small inputs before large ones.
	if size < smallRun {
		debug.SetMemoryLimit(smallRunHeap)
		debug.SetGCPercent(-1)
	} else {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	}
}
