package support

import (
	"os"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/annotations"
	"github.com/routeshift/routeshift/internal/convert/features"
	"github.com/routeshift/routeshift/internal/convert/implementations/registry"
	"github.com/routeshift/routeshift/internal/golden"
)

func TestEveryAnnotationHasAFateEverywhere(t *testing.T) {
	rows := Matrix()
	if len(rows) != len(annotations.All()) {
		t.Fatalf("%d rows for %d annotations", len(rows), len(annotations.All()))
	}
	for _, r := range rows {
		for _, impl := range Implementations {
			c, ok := r.Cells[impl]
			if !ok || c.Fate == "" || c.How == "" {
				t.Errorf("%s on %s: no documented fate (%+v)", r.Entry.Name, impl, c)
			}
		}
		if r.Entry.Tag() == annotations.Unsafe {
			for _, impl := range Implementations {
				if r.Cells[impl].Fate != Unsafe {
					t.Errorf("%s is unsafe but %s gives it %s", r.Entry.Name, impl, r.Cells[impl].Fate)
				}
			}
		}
	}
}

// TestColumnsAreRegistered: every column but standard is an implementation
// the registry knows, so no column shows standard fates under a vendor's
// name.
func TestColumnsAreRegistered(t *testing.T) {
	for _, name := range Implementations {
		if _, ok := registry.Lookup(name); ok == (name == "standard") {
			t.Errorf("column %q: registered = %v", name, ok)
		}
	}
}

func TestDocsAreCurrent(t *testing.T) {
	golden.Check(t, "../../docs/annotations.md", Markdown(Matrix()))
}

// TestREADMECounts keeps the README's table of fates per implementation
// equal to the matrix.
func TestREADMECounts(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- support-counts:begin -->\n", "<!-- support-counts:end -->"
	text := string(readme)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the %q ... %q markers", begin, end)
	}
	want := CountsTable(Matrix())
	if got := text[i+len(begin) : j]; got != want {
		if *golden.Update {
			if err := os.WriteFile("../../README.md", []byte(text[:i+len(begin)]+want+text[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("README.md counts are stale (go test ./internal/support -update):\n got:\n%s\nwant:\n%s", got, want)
	}
}

// TestMatrixForRelease: an older release carries less, and the matrix of
// the documentation is the newest release's.
func TestMatrixForRelease(t *testing.T) {
	v17, err := features.Lookup("envoy-gateway", "v1.7")
	if err != nil {
		t.Fatal(err)
	}
	cell := func(rows []Row, name string) Cell {
		for _, r := range rows {
			if r.Entry.Name == name {
				return r.Cells["envoy-gateway"]
			}
		}
		t.Fatalf("no row %s", name)
		return Cell{}
	}
	newest, old := Matrix(), MatrixFor(map[string]*features.Release{"envoy-gateway": v17})
	if got := cell(newest, "proxy-send-timeout").Fate; got != Approximated {
		t.Errorf("newest: proxy-send-timeout is %s", got)
	}
	if c := cell(old, "proxy-send-timeout"); c.Fate != Unsupported || !strings.Contains(c.How, "Envoy Gateway v1.7") {
		t.Errorf("v1.7: proxy-send-timeout is %+v", c)
	}
	if c := cell(old, "auth-url"); c.Fate != Approximated || !strings.Contains(c.How, "v1.7 has no pathOverride") {
		t.Errorf("v1.7: auth-url is %+v", c)
	}
}
