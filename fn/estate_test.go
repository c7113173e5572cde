package fn

import (
	"bytes"
	"testing"

	"github.com/routeshift/routeshift/internal/gen"
	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/proof/check"
	"github.com/routeshift/routeshift/internal/proof/gateway"
	"github.com/routeshift/routeshift/internal/proof/source"
)

// TestRealisticEstateIsDecidable converts the realistic 10k estate
// (internal/gen, with host-less regex Ingresses, wildcards and canaries)
// and diffs it against its Ingresses as Envoy Gateway routes: at most 1% of
// the probed requests may be unverifiable (external auth is the one cause
// the mix holds on purpose). No time is measured; make bench does that.
func TestRealisticEstateIsDecidable(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 Ingresses")
	}
	stream := gen.RealisticStream(10000, 500)
	objs, err := load.ReadStream(bytes.NewReader(stream), "estate.yaml")
	if err != nil {
		t.Fatal(err)
	}
	spec := Defaults()
	spec.Implementation = "envoy-gateway"
	out, _, _ := Convert(objs, spec.withDefaults(), false)
	var buf bytes.Buffer
	if err := load.WriteStream(&buf, out); err != nil {
		t.Fatal(err)
	}
	before, err := source.Read("-", bytes.NewReader(stream), source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	after, err := source.Read("-", &buf, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := check.Run(check.Tree{Name: "estate.yaml", Objects: before.Objects}, check.Tree{Name: "converted.yaml", Objects: after.Objects},
		check.Options{Gateway: gateway.Options{Implementation: gateway.EnvoyGateway}})
	if err != nil {
		t.Fatal(err)
	}
	share := float64(rep.Unverifiable) / float64(rep.Probes)
	t.Logf("%s (%.2f%% unverifiable)", rep.Summary, 100*share)
	if rep.Probes < 100000 || share > 0.01 {
		t.Errorf("%d requests probed, %d unverifiable (%.2f%%): want at most 1%%", rep.Probes, rep.Unverifiable, 100*share)
	}
	for _, c := range rep.Comparisons {
		for _, h := range c.Hosts {
			for _, d := range h.Unverifiable {
				if !bytes.Contains([]byte(d.Before.Reason+d.After.Reason), []byte("auth-url")) {
					t.Errorf("unverifiable for another cause than the mix's external auth: %s: %s / %s", d.Text, d.Before, d.After)
					return
				}
			}
		}
	}
}
