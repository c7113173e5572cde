package check

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/routeshift/routeshift/internal/proof/gateway"
	"github.com/routeshift/routeshift/internal/proof/internal/kube"
	"github.com/routeshift/routeshift/internal/proof/nginx"
	"github.com/routeshift/routeshift/internal/proof/probe"
)

// FuzzEvaluators feeds both routing models whatever the reader accepts:
// building either may fail with an error, but neither may panic, and
// evaluating every probe of both must answer, deterministically.
func FuzzEvaluators(f *testing.F) {
	for _, pattern := range []string{"../../../testdata/cases/*/input.yaml", "../../../testdata/cases/*/expected.yaml", "../../../testdata/corpus/*.yaml"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		objs, err := kube.ReadStream(data, "fuzz.yaml")
		if err != nil {
			return
		}
		nm, nerr := nginx.Build(objs, nginx.Options{})
		gm, gerr := gateway.Build(objs, gateway.Options{})
		if nerr != nil || gerr != nil {
			return
		}
		probes := probe.Generate(nm.Points(), gm.Points())
		if len(probes) > 2000 {
			probes = probes[:2000]
		}
		for _, r := range probes {
			a, b := nm.Evaluate(r), nm.Evaluate(r)
			if a.String() != b.String() {
				t.Fatalf("ingress-nginx model answers %s twice differently: %s / %s", r, a, b)
			}
			c, d := gm.Evaluate(r), gm.Evaluate(r)
			if c.String() != d.String() {
				t.Fatalf("Gateway API model answers %s twice differently: %s / %s", r, c, d)
			}
		}
	})
}
