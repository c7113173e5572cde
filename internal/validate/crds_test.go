package validate

import (
	"bytes"
	"os"
	"path"
	"path/filepath"
	"slices"
	"testing"

	"github.com/routeshift/routeshift/internal/validate/internal/crdsource"
)

// TestEmbeddedCRDsMatchModule fails when go.mod moves to another Gateway API
// version (or someone edits a copy) without `go generate ./internal/validate`.
func TestEmbeddedCRDsMatchModule(t *testing.T) {
	modDir, err := crdsource.ModuleDir()
	if err != nil {
		t.Skipf("module directory not found, cannot compare: %v", err)
	}
	for _, ch := range crdsource.Channels {
		t.Run(ch, func(t *testing.T) {
			src := crdsource.ChannelDir(modDir, ch)
			want, err := crdsource.List(src)
			if err != nil {
				t.Fatal(err)
			}
			entries, err := crdFS.ReadDir(path.Join("crds", ch))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range entries {
				got = append(got, e.Name())
			}
			if !slices.Equal(got, want) {
				t.Fatalf("embedded files %v, module has %v; run go generate ./internal/validate", got, want)
			}
			for _, name := range want {
				modData, err := os.ReadFile(filepath.Join(src, name))
				if err != nil {
					t.Fatal(err)
				}
				embedded, err := crdFS.ReadFile(path.Join("crds", ch, name))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(embedded, modData) {
					t.Errorf("%s/%s differs from %s; run go generate ./internal/validate", ch, name, src)
				}
			}
		})
	}
}

func TestWantedSkipsNonCRDs(t *testing.T) {
	for name, want := range map[string]bool{
		"gateway.networking.k8s.io_httproutes.yaml":       true,
		"gateway.networking.x-k8s.io_xmeshes.yaml":        true,
		"gateway.networking.k8s.io_vap_safeupgrades.yaml": false,
		"kustomization.yaml":                              false,
		"README.md":                                       false,
	} {
		if got := crdsource.Wanted(name); got != want {
			t.Errorf("Wanted(%q) = %v, want %v", name, got, want)
		}
	}
}
