package probe

import (
	"slices"
	"testing"

	_ "github.com/routeshift/routeshift/internal/golden"
	"github.com/routeshift/routeshift/internal/proof/routing"
)

func TestPaths(t *testing.T) {
	got := Paths("/foo/bar")
	want := []string{"/foo/bar", "/foo/bar/", "/foo/bar/probe", "/foo/barprobe", "/FOO/BAR", "/foo"}
	if !slices.Equal(got, want) {
		t.Errorf("Paths(/foo/bar) = %q, want %q", got, want)
	}
	if got := Paths("/docs/"); !slices.Contains(got, "/docs") || !slices.Contains(got, "/docsprobe") {
		t.Errorf("Paths(/docs/) = %q: want the slash-less path and a sibling", got)
	}
}

func TestHosts(t *testing.T) {
	if got := Hosts("*.example.com"); !slices.Equal(got, []string{"one.example.com", "two.labels.example.com", "example.com"}) {
		t.Errorf("Hosts(*.example.com) = %q", got)
	}
	if got := Hosts(""); !slices.Equal(got, []string{UnknownHost}) {
		t.Errorf("Hosts(\"\") = %q", got)
	}
}

func TestGenerateIsDeterministicAndCoversConditions(t *testing.T) {
	pts := []routing.Point{
		{Host: "b.example.com", Path: "/api", Headers: []routing.KV{{Name: "x-canary", Value: "always"}}},
		{Host: "a.example.com", Path: "/", Method: "POST"},
	}
	a := Generate(pts)
	b := Generate([]routing.Point{pts[1]}, []routing.Point{pts[0], pts[0]})
	if len(a) != len(b) {
		t.Fatalf("%d vs %d probes: points in another order or repeated must give the same probes", len(a), len(b))
	}
	seen := map[string]bool{}
	for i := range a {
		if a[i].Key() != b[i].Key() {
			t.Fatalf("probe %d: %s vs %s", i, a[i], b[i])
		}
		if seen[a[i].Key()] {
			t.Fatalf("duplicate probe %s", a[i])
		}
		seen[a[i].Key()] = true
	}
	for _, want := range []string{
		"GET https://b.example.com/api with X-Canary: always",
		"GET https://b.example.com/api with X-Canary: always-other",
		"GET http://b.example.com/api",
		"POST http://a.example.com/",
		"GET http://a.example.com/",
		"GET http://" + UnknownHost + "/",
	} {
		if !seen[want] {
			t.Errorf("no probe %q", want)
		}
	}
}

func TestSample(t *testing.T) {
	for expr, want := range map[string]string{
		"(?i)^/user/([0-9]+)/profile.*": "/user/0/profile",
		"^/v[0-9]+/items":               "/v0/items",
		"/api(/|$)(.*)":                 "/api/",
	} {
		if got, ok := Sample(expr); !ok || got != want {
			t.Errorf("Sample(%q) = %q, %v; want %q", expr, got, ok, want)
		}
	}
}
