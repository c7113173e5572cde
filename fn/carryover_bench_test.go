package fn

import (
	"bytes"
	"fmt"
	"regexp"
	"testing"

	"github.com/routeshift/routeshift/internal/gen"
	"github.com/routeshift/routeshift/internal/load"
)

// ingressHead is the start of a generated Ingress, up to its annotations
// (if any).
var ingressHead = regexp.MustCompile(`(?m)^kind: Ingress\nmetadata:\n  name: \S+\n  namespace: \S+\n(  annotations:\n)?`)

// withCarryover gives every generated Ingress a cert-manager issuer and
// ExternalDNS ttl: the carry-over's work on a large input.
func withCarryover(stream []byte) []byte {
	return ingressHead.ReplaceAllFunc(stream, func(m []byte) []byte {
		// A copy: m is the stream's own bytes.
		head := append([]byte(nil), bytes.TrimSuffix(m, []byte("  annotations:\n"))...)
		return append(head, "  annotations:\n    cert-manager.io/cluster-issuer: letsencrypt\n    external-dns.alpha.kubernetes.io/ttl: \"300\"\n"...)
	})
}

// BenchmarkConvertCarryover is BenchmarkConvert with every Ingress
// carrying cert-manager and ExternalDNS annotations.
func BenchmarkConvertCarryover(b *testing.B) {
	for _, n := range benchSizes() {
		input := withCarryover(gen.Stream(n, 50))
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			spec, _ := ParseConfig(nil)
			for i := 0; i < b.N; i++ {
				objs, err := load.ReadStream(bytes.NewReader(input), "bench.yaml")
				if err != nil {
					b.Fatal(err)
				}
				out, _, _ := Convert(objs, spec, true)
				if len(out) < 2*n {
					b.Fatal("lost objects")
				}
			}
		})
	}
}

func TestWithCarryover(t *testing.T) {
	in := withCarryover(gen.Stream(20, 50))
	objs, err := load.ReadStream(bytes.NewReader(in), "bench.yaml")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, o := range objs {
		if o.Kind() == "Ingress" {
			n++
			if o.Annotation("cert-manager.io/cluster-issuer") != "letsencrypt" {
				t.Errorf("%s lacks the issuer", o.Ref())
			}
		}
	}
	if n == 0 {
		t.Fatal("no Ingress generated")
	}
}
