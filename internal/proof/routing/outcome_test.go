package routing

import (
	"testing"

	_ "github.com/routeshift/routeshift/internal/golden"
)

func TestWeightsCompareAsProportions(t *testing.T) {
	a := Outcome{Kind: Forward, RewrittenPath: "/", Backends: []Backend{
		{Namespace: "ns", Service: "a", Port: 80, Weight: 80}, {Namespace: "ns", Service: "b", Port: 80, Weight: 20}}}
	b := Outcome{Kind: Forward, RewrittenPath: "/", Backends: []Backend{
		{Namespace: "ns", Service: "b", Port: 80, Weight: 1}, {Namespace: "ns", Service: "a", Port: 80, Weight: 4},
		{Namespace: "ns", Service: "c", Port: 80, Weight: 0}}}
	if !Equal(a, b) {
		t.Errorf("80/20 and 4/1 (reordered, with a zero weight) should be equal")
	}
	b.Backends[1].Weight = 3
	if Equal(a, b) {
		t.Errorf("80/20 and 3/1 should differ")
	}
	single := Outcome{Kind: Forward, RewrittenPath: "/", Backends: []Backend{{Namespace: "ns", Service: "a", Port: 80, Weight: 5}}}
	one := single
	one.Backends = []Backend{{Namespace: "ns", Service: "a", Port: 80, Weight: 1}, {Namespace: "ns", Service: "a", Port: 80, Weight: 2}}
	if !Equal(single, one) {
		t.Errorf("one backend is 100%% whatever its weight, also when listed twice")
	}
}

func TestOutcomesDiffer(t *testing.T) {
	fwd := Outcome{Kind: Forward, RewrittenPath: "/x", RewrittenHost: "h", Backends: []Backend{{Service: "a", Weight: 1}}}
	for name, o := range map[string]Outcome{
		"path":    {Kind: Forward, RewrittenPath: "/y", RewrittenHost: "h", Backends: fwd.Backends},
		"host":    {Kind: Forward, RewrittenPath: "/x", RewrittenHost: "g", Backends: fwd.Backends},
		"header":  {Kind: Forward, RewrittenPath: "/x", RewrittenHost: "h", Backends: fwd.Backends, RequestHeaders: []HeaderChange{{Op: "set", Name: "x", Value: "1"}}},
		"port":    {Kind: Forward, RewrittenPath: "/x", RewrittenHost: "h", Backends: []Backend{{Service: "a", Port: 81, Weight: 1}}},
		"status":  StatusOutcome(404, ""),
		"refused": {Kind: Refused},
	} {
		if Equal(fwd, o) {
			t.Errorf("%s: should differ", name)
		}
	}
	r1 := Outcome{Kind: Redirect, Redirect: &RedirectTo{Status: 308, Location: "https://h"}}
	r2 := Outcome{Kind: Redirect, Redirect: &RedirectTo{Status: 308, Location: "https://h/"}}
	if !Equal(r1, r2) {
		t.Errorf("https://h and https://h/ are the same Location")
	}
	r2.Redirect.Status = 301
	if Equal(r1, r2) {
		t.Errorf("308 and 301 differ")
	}
}

func TestRequestString(t *testing.T) {
	r := Request{Scheme: "https", Host: "shop.example.com", Path: "/API/x",
		Headers: []KV{{Name: "X-Canary", Value: "always"}}}.Normalize()
	if got, want := r.String(), "GET https://shop.example.com/API/x with X-Canary: always"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if h := (&Request{Host: "Shop.Example.com:8080"}).Hostname(); h != "shop.example.com" {
		t.Errorf("Hostname() = %q", h)
	}
}
