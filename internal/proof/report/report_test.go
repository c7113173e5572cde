package report

import (
	"bytes"
	"testing"

	"github.com/routeshift/routeshift/internal/golden"
	"github.com/routeshift/routeshift/internal/proof/routing"
)

// table is an evaluator answering from a map, for report tests.
type table map[string]routing.Outcome

func (t table) Evaluate(r routing.Request) routing.Outcome { return t[r.Key()] }
func (t table) Points() []routing.Point                    { return nil }

func TestFormats(t *testing.T) {
	canary := routing.Request{Scheme: "https", Host: "shop.example.com", Path: "/API/x",
		Headers: []routing.KV{{Name: "X-Canary", Value: "always"}}}.Normalize()
	plain := routing.Request{Scheme: "http", Host: "shop.example.com", Path: "/"}.Normalize()
	snippet := routing.Request{Scheme: "http", Host: "admin.example.com", Path: "/"}.Normalize()
	fwd := func(svc string, w int64) routing.Backend {
		return routing.Backend{Namespace: "shop", Service: svc, Port: 80, Weight: w}
	}
	before := table{
		canary.Key():  {Kind: routing.Forward, Backends: []routing.Backend{fwd("api-v2", 1)}, RewrittenPath: "/API/x", RewrittenHost: "shop.example.com", Rule: "Ingress shop/api"},
		plain.Key():   {Kind: routing.Redirect, Redirect: &routing.RedirectTo{Status: 308, Location: "https://shop.example.com/"}},
		snippet.Key(): routing.UnverifiableOutcome("annotation configuration-snippet (raw nginx configuration)"),
	}
	after := table{
		canary.Key():  {Kind: routing.Forward, Backends: []routing.Backend{fwd("api", 9), fwd("api-v2", 1)}, RewrittenPath: "/API/x", RewrittenHost: "shop.example.com", Rule: "HTTPRoute shop/api rule 0"},
		plain.Key():   {Kind: routing.Redirect, Redirect: &routing.RedirectTo{Status: 308, Location: "https://shop.example.com"}},
		snippet.Key(): routing.StatusOutcome(404, "no route matches"),
	}
	rep := New(Compare("before.yaml (Ingress)", before, "after.yaml (Gateway API)", after,
		[]routing.Request{canary, plain, snippet}))
	if rep.Differences != 1 || rep.Unverifiable != 1 || rep.ExitCode(false) != 1 {
		t.Fatalf("got %d differences, %d unverifiable, exit %d", rep.Differences, rep.Unverifiable, rep.ExitCode(false))
	}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"report.txt":  func(b *bytes.Buffer) error { return rep.WriteText(b) },
		"report.md":   func(b *bytes.Buffer) error { return rep.WriteMarkdown(b) },
		"report.json": func(b *bytes.Buffer) error { return rep.WriteJSON(b) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		golden.Check(t, "../../../testdata/routing/report/"+name, b.Bytes())
	}
}

func TestVerdicts(t *testing.T) {
	if r := New(Comparison{Probes: 3}); r.Verdict != "equivalent" || r.ExitCode(true) != 0 {
		t.Errorf("no findings: %s, exit %d", r.Verdict, r.ExitCode(true))
	}
	r := New(Comparison{Probes: 3, Unverifiable: 1})
	if r.Verdict != "unverifiable" || r.ExitCode(false) != 0 || r.ExitCode(true) != 1 {
		t.Errorf("unverifiable only: %s, exit %d/%d", r.Verdict, r.ExitCode(false), r.ExitCode(true))
	}
}
