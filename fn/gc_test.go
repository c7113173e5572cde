package fn

import (
	"fmt"
	"math"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/load"
)

// TestTuneGC: a small input runs without collections up to smallRunHeap, a
// large one with the defaults, and either way the process is set back
// when a large run follows a small one; GOGC or GOMEMLIMIT from the user
// win.
func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	read := func(n int) []*load.Object {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c%d}\ndata: {k: %q}\n", i, strings.Repeat("v", 1000))
		}
		objs, err := load.ReadStream(strings.NewReader(b.String()), "in.yaml")
		if err != nil {
			t.Fatal(err)
		}
		return objs
	}
	small, large := read(10), read(400)
	settings := func() (int, int64) {
		gc := debug.SetGCPercent(0)
		debug.SetGCPercent(gc)
		return gc, debug.SetMemoryLimit(-1)
	}
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	tuneGC(small)
	if gc, limit := settings(); gc != -1 || limit != smallRunHeap {
		t.Errorf("small run: GOGC %d, limit %d; want off up to %d", gc, limit, smallRunHeap)
	}
	tuneGC(large)
	if gc, limit := settings(); gc != 100 || limit != math.MaxInt64 {
		t.Errorf("large run after a small one: GOGC %d, limit %d; want the defaults", gc, limit)
	}
	t.Setenv("GOMEMLIMIT", "1GiB")
	tuneGC(small)
	if gc, _ := settings(); gc != 100 {
		t.Errorf("with GOMEMLIMIT set: GOGC %d, want it left alone", gc)
	}
}
