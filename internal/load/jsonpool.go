package load

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// What the JSON-to-YAML writers (jsonyaml.go, valuetok.go) keep from one
// object to the next.

// tokenPool keeps token lists between objects. A token list is several
// times the size of its JSON (a jtok is 24 bytes, one per eight bytes of
// JSON or so), and a large run encodes tens of thousands of objects on
// every core: allocating and clearing a fresh list for each was a tenth
// of encoding them, and garbage the collector then had to sweep.
var tokenPool = sync.Pool{New: func() any { return new(tokens) }}

// maxPooledTokens is the largest token list kept for reuse (and eight
// times it the largest arena and scratch buffer), so that one huge object
// does not pin its buffers for the rest of the run.
const maxPooledTokens = 1 << 16

// release hands t back to tokenPool; t must not be used afterwards.
func (t *tokens) release() {
	if cap(t.toks) > maxPooledTokens || cap(t.arena) > maxPooledTokens*8 || cap(t.scratch) > maxPooledTokens*8 {
		return
	}
	t.data = nil
	tokenPool.Put(t)
}

// splitDrops turns "metadata.creationTimestamp" into its keys. The last
// answer is kept: every generated object of a run drops the same fields,
// and the emitter only reads what it is given.
func splitDrops(drop []string) [][]string {
	if last := lastDrops.Load(); last != nil && slices.Equal(last.drop, drop) {
		return last.split
	}
	out := make([][]string, 0, len(drop))
	for _, d := range drop {
		out = append(out, strings.Split(d, "."))
	}
	lastDrops.Store(&splitDrop{drop: slices.Clone(drop), split: out})
	return out
}

type splitDrop struct {
	drop  []string
	split [][]string
}

var lastDrops atomic.Pointer[splitDrop]
