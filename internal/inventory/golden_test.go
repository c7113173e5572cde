package inventory

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/routeshift/routeshift/internal/golden"
	"github.com/routeshift/routeshift/internal/load"
)

// goldenCases are the reports kept under testdata/inventory: the bundled
// example, the real-world corpus, and the fixture that holds every class,
// reason and conflict (its README says which object is there for what),
// the fixture compared across three implementations.
var goldenCases = []struct {
	name  string
	paths []string
	impls []string
}{
	{"quickstart", []string{"examples/quickstart"}, nil},
	{"corpus", []string{"testdata/corpus"}, nil},
	{"fixture", []string{"testdata/inventory/fixture"}, []string{"standard", "envoy-gateway", "kgateway"}},
}

// repoRoot is absolute, so that a test may chdir to it more than once.
var repoRoot = func() string {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	return filepath.Join(wd, "..", "..")
}()

// goldenTime and goldenVersion label the golden reports: fixed, so that
// they stay the same bytes (cmd/routeshift's test sets the same).
var goldenTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

const goldenVersion = "v0.0.0-golden"

// defaults are the functionConfig defaults: class nginx and unclassed.
func defaults(impls []string) Options {
	return Options{ClassNames: []string{"nginx"}, IncludeUnclassed: true, Implementations: impls,
		Now: goldenTime, Version: goldenVersion}
}

// buildAt reads paths relative to the repository root, so that the
// sources in the reports read as a user would see them.
func buildAt(t *testing.T, paths []string, opt Options) *Report {
	t.Helper()
	t.Chdir(repoRoot)
	objs, err := load.ReadPaths(paths, nil)
	if err != nil {
		t.Fatal(err)
	}
	opt.Inputs = paths
	rep, err := Build(objs, opt)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func render(t *testing.T, write func(io.Writer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGoldenReports(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			rep := buildAt(t, tc.paths, defaults(tc.impls))
			base := "testdata/inventory/" + tc.name
			golden.Check(t, base+".txt", render(t, rep.WriteTable))
			golden.Check(t, base+".md", render(t, rep.WriteMarkdown))
			golden.Check(t, base+".html", render(t, rep.WriteHTML))
			js := render(t, rep.WriteJSON)
			golden.Check(t, base+".json", js)

			// The JSON form is the Report itself: reading it back and
			// writing it again gives the same bytes, so nothing in the
			// document is lost or invented by the encoding.
			var back Report
			if err := json.Unmarshal(js, &back); err != nil {
				t.Fatal(err)
			}
			if again := render(t, back.WriteJSON); !bytes.Equal(again, js) {
				t.Errorf("JSON does not round-trip:\n%s", golden.Diff(js, again))
			}
		})
	}
}

// Building twice from the same objects gives the same report: nothing
// depends on map order.
func TestDeterministic(t *testing.T) {
	paths := []string{"testdata/corpus", "testdata/inventory/fixture"}
	rep := buildAt(t, paths, defaults([]string{"standard", "kgateway"}))
	first := render(t, rep.WriteJSON)
	for i := 0; i < 5; i++ {
		objs, err := load.ReadPaths([]string{"testdata/corpus", "testdata/inventory/fixture"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		opt := defaults([]string{"standard", "kgateway"})
		opt.Inputs = paths
		again, err := Build(objs, opt)
		if err != nil {
			t.Fatal(err)
		}
		if got := render(t, again.WriteJSON); !bytes.Equal(got, first) {
			t.Fatalf("run %d differs:\n%s", i, golden.Diff(first, got))
		}
	}
}
