package fn

import (
	"fmt"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/load"
)

// TestTuneGC: a small input runs without collections up to smallRunHeap, a
// large one by its memory budget, and either way the process is set back
// when one follows the other; GOGC or GOMEMLIMIT from the user win.
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
	tuneGC(textSize(small))
	if gc, limit := settings(); gc != -1 || limit != smallRunHeap {
		t.Errorf("small run: GOGC %d, limit %d; want off up to %d", gc, limit, smallRunHeap)
	}
	tuneGC(textSize(large))
	if gc, limit := settings(); gc != largeRunPercent || limit != minBudget {
		t.Errorf("large run after a small one: GOGC %d, limit %d; want %d up to %d", gc, limit, largeRunPercent, minBudget)
	}
	tuneGC(textSize(small))
	const huge = 100 << 20 // a 100 MB input: its budget is 40 times that
	tuneGC(huge)
	if gc, limit := settings(); gc != largeRunPercent || limit != huge*memoryPerByte {
		t.Errorf("huge run after a small one: GOGC %d, limit %d; want %d up to %d", gc, limit, largeRunPercent, int64(huge*memoryPerByte))
	}
	if textSize(large) < smallRun || textSize(small) >= smallRun {
		t.Fatalf("the inputs are %d and %d bytes; the test needs one on each side of %d", textSize(small), textSize(large), smallRun)
	}
	t.Setenv("GOMEMLIMIT", "1GiB")
	tuneGC(textSize(small))
	if gc, _ := settings(); gc != largeRunPercent {
		t.Errorf("with GOMEMLIMIT set: GOGC %d, want it left alone (%d)", gc, largeRunPercent)
	}
}
