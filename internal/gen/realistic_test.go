package gen

import (
	"bytes"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/load"
)

// TestRealisticMix: deterministic, parses, and holds the proportions the
// package documents (counted on the objects, not on the text).
func TestRealisticMix(t *testing.T) {
	a := RealisticStream(1000, 50)
	if !bytes.Equal(a, RealisticStream(1000, 50)) {
		t.Fatal("two runs differ")
	}
	objs, err := load.ReadStream(bytes.NewReader(a), "gen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var ingresses, tls, rewrite, captures, canaries, hostless, wild int
	hostPath := map[string]int{}
	for _, o := range objs {
		if o.Kind() != "Ingress" {
			continue
		}
		if o.Annotation("nginx.ingress.kubernetes.io/canary") == "true" {
			canaries++
			continue
		}
		ingresses++
		if o.Field("spec", "tls") != "" || load.Lookup(o.Node, "spec", "tls") != nil {
			tls++
		}
		if rt := o.Annotation("nginx.ingress.kubernetes.io/rewrite-target"); rt != "" {
			rewrite++
			if rt == "/$2" {
				captures++
			}
		}
		host := load.Lookup(o.Node, "spec", "rules")
		h := ""
		if host != nil && len(host.Content) > 0 {
			if n := load.Lookup(host.Content[0], "host"); n != nil {
				h = n.Value
			}
		}
		switch {
		case h == "":
			hostless++
		case strings.HasPrefix(h, "*."):
			wild++
		}
		p := load.Lookup(host.Content[0], "http", "paths")
		hostPath[h+" "+load.Lookup(p.Content[0], "path").Value]++
	}
	dups := 0
	for _, n := range hostPath {
		dups += n - 1
	}
	for _, c := range []struct {
		what        string
		got, lo, hi int
	}{
		{"Ingresses", ingresses, 1000, 1000},
		{"TLS", tls, 260, 275},
		{"rewrite-target", rewrite, 150, 170},
		{"/$2 captures", captures, 75, 85},
		{"canary pairs", canaries, 85, 95},
		{"host-less", hostless, 2, 5},
		{"wildcards", wild, 15, 25},
		{"duplicate host+path", dups, 15, 25},
	} {
		if c.got < c.lo || c.got > c.hi {
			t.Errorf("%s: %d, want %d..%d", c.what, c.got, c.lo, c.hi)
		}
	}
	for _, want := range []string{"enable-cors", "auth-url", "configuration-snippet"} {
		if !strings.Contains(string(a), want) {
			t.Errorf("the mix lacks %s", want)
		}
	}
	one, err := load.ReadStream(bytes.NewReader(OneHost(95)), "one.yaml")
	if err != nil || len(one) != 20 {
		t.Fatalf("OneHost(95): %d objects, %v", len(one), err)
	}
}
