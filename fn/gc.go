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
// The size is of the text, not a count of objects, because one object can
// be large (fn/bad_test.go paths-10k: one Ingress of 10,000 paths).
const (
	smallRun     = 256 << 10
	smallRunHeap = 256 << 20
)

// Large runs collect by a memory budget proportional to their input
// instead of by the live heap alone: memoryPerByte bytes of memory per
// byte of input text, at least minBudget, with the heap otherwise let grow
// to largeRunPercent above what is live. A large run's live heap grows
// from nothing to about 23 times its input (the input's text, the
// model, the generated objects and their text; realistic and classic
// mixes, 10,000 and 50,000 Ingresses), and the default collector (GOGC=100)
// marked it again at every doubling: a fifth of the run's CPU, and at
// 50,000 Ingresses collections stealing time from the single-threaded
// model and emitter. Under the budget the early, small heap is collected
// rarely and the peak stays where the default put it: 10,000 Ingresses
// (7.6 MB of ResourceList) get 290 MiB, under the 400 MiB target, 50,000
// get 1.4 GiB, under 2 GB (bench/results.md, History). An input whose live
// heap outgrows its budget is not stopped by it: the runtime then collects
// back to back, but gives the collector at most half the CPU
// (runtime/debug.SetMemoryLimit), so such a run is slower, not killed.
const (
	memoryPerByte   = 40
	minBudget       = 256 << 20
	largeRunPercent = 400
)

// tuneGC sets the collector for a run over size bytes of input text: off
// up to smallRunHeap for a small one, a memory budget for a large one (see
// above). GOGC or GOMEMLIMIT in the environment leave it to the user.
func tuneGC(size int) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	// Both ways: the setting is the process's, and a process (a test)
	// may convert small inputs before large ones.
	if size < smallRun {
		debug.SetMemoryLimit(smallRunHeap)
		debug.SetGCPercent(-1)
		return
	}
	debug.SetMemoryLimit(largeRunBudget(size))
	debug.SetGCPercent(largeRunPercent)
}

// largeRunBudget is the memory limit of a large run over size bytes.
func largeRunBudget(size int) int64 {
	return min(max(int64(size)*memoryPerByte, minBudget), math.MaxInt64/2)
}

// textSize is the size of objs' text, what tuneGC sizes a run by.
func textSize(objs []*load.Object) int {
	size := 0
	for _, o := range objs {
		size += o.TextSize()
	}
	return size
}
