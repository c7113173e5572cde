package fn

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// TestReadAll holds readAll to io.ReadAll across its chunk boundaries,
// with readers that return little at a time, and on a failing reader.
func TestReadAll(t *testing.T) {
	for _, n := range []int{0, 1, 64<<10 - 1, 64 << 10, 64<<10 + 1, 3*64<<10 + 7, 1<<20 + 3} {
		want := make([]byte, n)
		for i := range want {
			want[i] = byte(i*7 + i/251)
		}
		for name, r := range map[string]io.Reader{
			"whole":    bytes.NewReader(want),
			"one byte": iotest.OneByteReader(bytes.NewReader(want)),
			"half":     iotest.HalfReader(bytes.NewReader(want)),
			"data+EOF": iotest.DataErrReader(bytes.NewReader(want)),
		} {
			if name == "one byte" && n > 1<<18 {
				continue // slow, and the chunking is covered by the others
			}
			got, err := readAll(r)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%d bytes, %s: got %d bytes (%v)", n, name, len(got), err)
			}
		}
	}
	boom := errors.New("boom")
	if _, err := readAll(io.MultiReader(bytes.NewReader(make([]byte, 100<<10)), iotest.ErrReader(boom))); !errors.Is(err, boom) {
		t.Errorf("a failing reader: got %v, want %v", err, boom)
	}
}
