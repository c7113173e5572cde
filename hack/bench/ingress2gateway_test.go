package main

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/routeshift/routeshift/internal/gen"
	"github.com/routeshift/routeshift/internal/load"
)

// TestAcceptedByI2G: the estate given to both tools keeps every Service,
// has no canary, no named backend port and no repeated host and path, and
// the counts of what was left out add up.
func TestAcceptedByI2G(t *testing.T) {
	for _, mix := range []gen.Mix{gen.Classic, gen.Realistic} {
		stream, err := gen.Generate(mix, 1000, namespaces(mix, 1000))
		if err != nil {
			t.Fatal(err)
		}
		out, dropped, err := acceptedByI2G(stream)
		if err != nil {
			t.Fatalf("%s: %v", mix, err)
		}
		in, got := kinds(t, stream), kinds(t, out)
		if got["Service"] != in["Service"] || got["Ingress"] != in["Ingress"]-dropped.total() {
			t.Errorf("%s: %v in, %v out, %s", mix, in, got, dropped)
		}
		if dropped.canary == 0 || (mix == gen.Realistic && dropped.repeated == 0) {
			t.Errorf("%s: %s; the mix has canaries and (realistic) repeated paths, so the filter is not looking", mix, dropped)
		}
		if bytes.Contains(out, []byte("canary: \"true\"")) {
			t.Errorf("%s: a canary is left", mix)
		}
		seen := map[string]bool{}
		dec := yaml.NewDecoder(bytes.NewReader(out))
		for {
			var doc yaml.Node
			if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatal(err)
			}
			root := doc.Content[0]
			if scalar(root, "kind") != "Ingress" {
				continue
			}
			keys, err := numberPorts(load.Lookup(root, "spec"), scalar(root, "metadata", "namespace"), nil)
			if err != nil {
				t.Errorf("%s: a named port is left: %v", mix, err)
			}
			for _, k := range keys {
				if seen[k] {
					t.Errorf("%s: %q repeated", mix, k)
				}
				seen[k] = true
			}
		}
	}
}

func kinds(t *testing.T, stream []byte) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, line := range strings.Split(string(stream), "\n") {
		if k, ok := strings.CutPrefix(line, "kind: "); ok {
			n[k]++
		}
	}
	return n
}
