package status

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/routeshift/routeshift/internal/golden"
	"github.com/routeshift/routeshift/internal/load"
)

// A golden case is a directory under testdata/check/cases: input.yaml, an
// optional declared.yaml, and the expected table.txt and report.json.
const casesDir = "../../testdata/check/cases"

func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(casesDir, "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases in %s: %v", casesDir, err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, "input.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			objs, err := load.ReadStream(f, "input.yaml")
			if err != nil {
				t.Fatal(err)
			}
			var d Declared
			if _, err := os.Stat(filepath.Join(dir, "declared.yaml")); err == nil {
				if d, err = ReadDeclared(filepath.Join(dir, "declared.yaml")); err != nil {
					t.Fatal(err)
				}
			}
			rep := Run(objs, d)
			var table, js bytes.Buffer
			if err := rep.WriteTable(&table); err != nil {
				t.Fatal(err)
			}
			if err := rep.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join(dir, "table.txt"), table.Bytes())
			golden.Check(t, filepath.Join(dir, "report.json"), js.Bytes())
			// The same input gives the same bytes: no map order leaks.
			var again bytes.Buffer
			if err := Run(objs, d).WriteJSON(&again); err != nil || !bytes.Equal(again.Bytes(), js.Bytes()) {
				t.Errorf("a second run differs (%v)", err)
			}
		})
	}
}
