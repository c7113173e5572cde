// Package golden compares test output with files under testdata and
// rewrites them when tests run with -update.
//
// Every package with tests imports it, because `go test ./... -update`
// hands the flag to every test binary and one that does not define it
// fails.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// Update is set by -update: rewrite golden files instead of comparing.
var Update = flag.Bool("update", false, "rewrite golden files under testdata")

// Check compares got with the file at path, or writes it with -update.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update and read the diff):\n%s", path, Diff(want, got))
	}
}

// Diff is a small line diff for failure messages: the first differing
// lines with a little context.
func Diff(want, got []byte) string {
	wl, gl := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	var b bytes.Buffer
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g []byte
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if !bytes.Equal(w, g) || i >= len(wl) || i >= len(gl) {
			for j := max(0, i-3); j < i; j++ {
				b.WriteString("  " + string(wl[j]) + "\n")
			}
			for j := i; j < min(i+8, len(wl)); j++ {
				b.WriteString("- " + string(wl[j]) + "\n")
			}
			for j := i; j < min(i+8, len(gl)); j++ {
				b.WriteString("+ " + string(gl[j]) + "\n")
			}
			return b.String()
		}
	}
	return ""
}
