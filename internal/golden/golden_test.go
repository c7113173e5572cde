package golden

import (
	"strings"
	"testing"
)

// One inserted line must not hide a change further down: the old
// positional diff stopped at the first mismatch.
func TestDiffShowsEveryChange(t *testing.T) {
	want := []byte("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n")
	got := []byte("inserted\na\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nCHANGED\n")
	d := Diff(want, got)
	for _, s := range []string{"inserted", "CHANGED", `"l"`} {
		if !strings.Contains(d, s) {
			t.Errorf("diff does not mention %s:\n%s", s, d)
		}
	}
	if Diff(want, want) != "" {
		t.Errorf("equal inputs give a diff: %q", Diff(want, want))
	}
}
