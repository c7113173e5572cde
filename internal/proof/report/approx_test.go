package report

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/proof/routing"
)

func resultAbout(kind, ns, name, severity, msg string) ConverterResult {
	r := ConverterResult{Message: msg, Severity: severity}
	r.ResourceRef = &struct {
		APIVersion string `json:"apiVersion,omitempty"`
		Kind       string `json:"kind"`
		Name       string `json:"name"`
		Namespace  string `json:"namespace,omitempty"`
	}{Kind: kind, Name: name, Namespace: ns}
	return r
}

// announceAt is a differing request on host h decided before by rule b and
// after by rule a.
func announceAt(h, path, b, a string) Difference {
	r := routing.Request{Scheme: "https", Host: h, Path: path}.Normalize()
	before := routing.Outcome{Kind: routing.Forward, Backends: []routing.Backend{{Namespace: "shop", Service: "old", Port: 80, Weight: 1}}, Rule: b}
	after := routing.Outcome{Kind: routing.Forward, Backends: []routing.Backend{{Namespace: "shop", Service: "new", Port: 80, Weight: 1}}, Rule: a}
	if a == "" {
		after = routing.StatusOutcome(404, "no route")
	}
	return Difference{Request: r, Text: r.String(), Before: before, After: after}
}

// TestUnannouncedDifferences: a difference is announced by a result that
// announces (an error, an approximation, an unsupported or unsafe
// annotation) about an Ingress its before-side rule names (the canary's
// too), or about the Ingress its after-side route was made from, or by an
// error about a route made from its Ingress; a plain warning or info
// result announces nothing, and the count is per request and per cause.
func TestUnannouncedDifferences(t *testing.T) {
	ds := []Difference{
		announceAt("a.example.com", "/approx", "Ingress shop/approx: Prefix /", "HTTPRoute shop/approx-a rule 0"),
		announceAt("a.example.com", "/error", "Ingress shop/broken: Prefix /error", ""),
		announceAt("a.example.com", "/canary", "Ingress shop/web: Prefix /canary; canary cookie c=always of Ingress shop/web-canary", "HTTPRoute shop/web-a rule 0"),
		announceAt("a.example.com", "/after", "catch-all server: controller default backend", "HTTPRoute shop/hostless-a rule 0"),
		announceAt("a.example.com", "/route-error", "Ingress shop/detached: Prefix /", ""),
		announceAt("a.example.com", "/warned", "Ingress shop/plain: Prefix /", "HTTPRoute shop/plain-a rule 0"),
		announceAt("a.example.com", "/silent", "Ingress shop/silent: Prefix /", "HTTPRoute shop/silent-a rule 0"),
	}
	r := New(Comparison{Probes: len(ds), Differences: len(ds), Hosts: []Host{{Host: "a.example.com", Probes: len(ds), Differences: ds}}})
	if r.UnannouncedDifferences() != nil || r.Unannounced != nil {
		t.Fatal("without the converter's results nothing is counted")
	}
	r.MarkApproximations([]ConverterResult{
		resultAbout("Ingress", "shop", "approx", "warning", "approximated: wildcard host ..."),
		resultAbout("Ingress", "shop", "broken", "error", "port name \"http\" of Service shop/b cannot be resolved"),
		resultAbout("Ingress", "shop", "web-canary", "warning", "annotation nginx.ingress.kubernetes.io/canary-by-cookie is unsupported: not translated"),
		resultAbout("Ingress", "shop", "hostless", "warning", "annotation nginx.ingress.kubernetes.io/configuration-snippet is unsafe and was not translated (...)"),
		resultAbout("Ingress", "shop", "hostless", "info", "converted to HTTPRoute hostless-a, Gateway g; annotations converted: x"),
		resultAbout("Ingress", "shop", "detached", "info", "converted to HTTPRoute detached-a"),
		resultAbout("HTTPRoute", "shop", "detached-a", "error", "the generated HTTPRoute would not attach to Gateway g"),
		resultAbout("Ingress", "shop", "plain", "warning", "the canary also takes traffic of path /static"),
		resultAbout("Ingress", "shop", "plain", "info", "converted to HTTPRoute plain-a"),
	})
	var got []string
	for _, u := range r.UnannouncedDifferences() {
		got = append(got, u.Difference.Request.Path)
	}
	if want := "/warned /silent"; strings.Join(got, " ") != want {
		t.Errorf("unannounced %q, want %q", got, want)
	}
	if r.Unannounced == nil || *r.Unannounced != 2 {
		t.Errorf("Unannounced %v, want 2", r.Unannounced)
	}
	// A cause groups what differs, whoever announced it: the count is
	// per request, so a cause can be partly announced.
	total := 0
	for _, c := range r.Comparisons[0].Causes {
		total += c.Unannounced
	}
	if total != 2 {
		t.Errorf("causes count %d unannounced requests, want 2", total)
	}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"unannounced":2`) {
		t.Errorf("the JSON report does not say how many are unannounced: %s", data)
	}
	// The reviewer reads it beside the cause, in text and Markdown.
	for name, write := range map[string]func(*Report, io.Writer) error{"text": (*Report).WriteText, "markdown": (*Report).WriteMarkdown} {
		var b bytes.Buffer
		if err := write(r, &b); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "not announced by the converter: 2 requests") {
			t.Errorf("%s does not say what the converter did not announce:\n%s", name, b.String())
		}
	}
	// With the results read and none announcing, every difference counts.
	r2 := New(Comparison{Probes: 1, Differences: 1, Hosts: []Host{{Host: "a.example.com", Probes: 1, Differences: ds[:1]}}})
	r2.MarkApproximations(nil)
	if r2.Unannounced == nil || *r2.Unannounced != 1 {
		t.Errorf("no results: Unannounced %v, want 1", r2.Unannounced)
	}
}

func TestIngressesOf(t *testing.T) {
	for rule, want := range map[string]string{
		"Ingress shop/web: Prefix /api":                                      "shop/web",
		"Ingress shop/web: Prefix /; canary weight 20/100 of Ingress shop/c": "shop/web shop/c",
		"Ingress shop/web (server a.example.com)":                            "shop/web",
		"Ingress shop/www: from-to-www-redirect to www.example.com":          "shop/www",
		"catch-all server: controller default backend":                       "",
		"HTTPRoute shop/web rule 0":                                          "",
	} {
		if got := strings.Join(ingressesOf(rule), " "); got != want {
			t.Errorf("%q: %q, want %q", rule, got, want)
		}
	}
}
