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
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
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

// Diff is the line diff for failure messages: every changed line, with
// the unchanged ones around it, so that one inserted line does not hide
// the changes after it (go-cmp aligns the two sides before comparing).
func Diff(want, got []byte) string {
	return cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(got), "\n"))
}
