// Package parallel runs independent pieces of work on every core.
//
// A large conversion spends most of its time in per-object work that needs
// nothing from its neighbours (parsing a document, decoding an Ingress,
// encoding a generated object); on the 2-core machines render pipelines
// run on, doing that work on both cores is most of what makes a 10,000
// Ingress run fast. Ordering and error handling stay with the caller: For
// only calls f for every index, each exactly once, and returns when all
// calls have.
package parallel

import (
	"runtime"
	"sync"
)

// maxWorkers bounds the goroutines: beyond a few, the work is bound by
// memory and the collector, not by cores.
const maxWorkers = 8

// For calls f(i) for every i in [0, n), on min(GOMAXPROCS, 8) goroutines,
// and returns when every call has returned. Worker w takes w, w+workers,
// ...: callers that write results into a slice at index i need no locks.
func For(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), maxWorkers, n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				f(i)
			}
		}()
	}
	wg.Wait()
}
