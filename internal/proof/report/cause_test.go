package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/routeshift/routeshift/internal/proof/routing"
)

// The same change on every host is one cause: a redirect that keeps the
// trailing '/' on 3 hosts, whatever the path.
func TestCauseAcrossHosts(t *testing.T) {
	var c Comparison
	for _, h := range []string{"a.example.com", "b.example.com", "c.example.com"} {
		var ds []Difference
		for _, p := range []string{"/x/", "/shop/cart/"} {
			r := routing.Request{Scheme: "http", Host: h, Path: p}.Normalize()
			ds = append(ds, Difference{Request: r, Text: r.String(),
				Before: redirect("https://" + h + strings.TrimSuffix(p, "/")), After: redirect("https://" + h + p)})
		}
		c.Hosts = append(c.Hosts, Host{Host: h, Probes: 2, Differences: ds})
		c.Probes += 2
		c.Differences += 2
	}
	r := New(c)
	cs := r.Comparisons[0].Causes
	if len(cs) != 1 || cs[0].Requests != 6 || cs[0].Hosts != 3 {
		t.Fatalf("want one cause of 6 requests on 3 hosts, got %+v", cs)
	}
	if want := "Location https://{host}{path} without its trailing / → https://{host}{path}"; cs[0].What != want {
		t.Errorf("what %q, want %q", cs[0].What, want)
	}
	for _, h := range r.Comparisons[0].Hosts {
		for _, d := range h.Differences {
			if d.Cause != 1 {
				t.Errorf("%s: cause %d", d.Text, d.Cause)
			}
		}
	}
}

// Different changes at one path are different causes.
func TestCausesApart(t *testing.T) {
	mk := func(path string, b, a routing.Outcome) Difference {
		return diffAt("shop.example.com", path, b, a)
	}
	ds := []Difference{
		mk("/api", fwdTo("api"), fwdTo("api-v2")),
		mk("/api/", fwdTo("api"), fwdTo("api-v2")),
		mk("/web", fwdTo("web"), routing.StatusOutcome(404, "no route")),
	}
	rewritten := mk("/old/x", fwdTo("old"), fwdTo("old"))
	rewritten.After.RewrittenPath = "/new/old/x"
	ds = append(ds, rewritten)
	r := New(Comparison{Probes: 4, Differences: 4, Hosts: []Host{{Host: "shop.example.com", Differences: ds}}})
	var whats []string
	for _, c := range r.Comparisons[0].Causes {
		whats = append(whats, fmt.Sprintf("%d %s", c.Requests, c.What))
	}
	want := []string{"2 backends shop/api:80 → shop/api-v2:80", "1 forward → status 404", "1 path sent {path} → /new{path}"}
	if strings.Join(whats, "\n") != strings.Join(want, "\n") {
		t.Errorf("causes:\n%s\nwant:\n%s", strings.Join(whats, "\n"), strings.Join(want, "\n"))
	}
}

func TestFamily(t *testing.T) {
	for in, want := range map[string]string{
		"/": "/", "/probe": "/", "/PROBE/": "/", "/checkout": "/checkout", "/checkout/": "/checkout",
		"/checkoutprobe": "/checkout", "/checkout/probe": "/checkout", "/CHECKOUT": "/checkout", "/a/b/": "/a/b",
	} {
		if got := family(in); got != want {
			t.Errorf("family(%q) = %q, want %q", in, got, want)
		}
	}
}

// A change on 10,000 hosts, each with its own backends, fits a GitHub
// comment: the causes and host sections that do not fit are counted.
func TestMarkdownFitsAComment(t *testing.T) {
	var c Comparison
	for i := range 10000 {
		h := fmt.Sprintf("app-%05d.example.com", i)
		var ds []Difference
		for _, p := range []string{"/", "/probe", "/PROBE/", "/api", "/api/", "/api/probe", "/apiprobe", "/API"} {
			ds = append(ds, diffAt(h, p, fwdTo(fmt.Sprintf("svc-%d", i)), fwdTo(fmt.Sprintf("svc-%d-v2", i))))
		}
		c.Hosts = append(c.Hosts, Host{Host: h, Probes: 20, Differences: ds})
		c.Probes += 20
		c.Differences += len(ds)
	}
	r := New(c)
	if n := len(r.Comparisons[0].Causes); n != 10000 {
		t.Fatalf("%d causes, want one per host", n)
	}
	var b bytes.Buffer
	if err := r.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	if n := utf8.RuneCountInString(md); n > MarkdownLimit || len(md) > MarkdownLimit {
		t.Errorf("%d characters, %d bytes: over %d", n, len(md), MarkdownLimit)
	}
	if !strings.HasPrefix(md, "❌ **routeshift diff**: routing differs: 80000 requests on 10000 hosts") {
		t.Errorf("the verdict must come first:\n%.300s", md)
	}
	if !strings.Contains(md, "**The report is cut to fit a comment:**") || !strings.Contains(md, "more causes (") || !strings.Contains(md, "more hosts") {
		t.Errorf("the cut must be counted:\n%s", md[len(md)-600:])
	}
	// Each host's 8 probes are 2 families: 2 rows.
	if !strings.Contains(md, "| 1 | `GET https://app-00000.example.com/` and 2 neighbours:") {
		t.Errorf("probe families must be one row:\n%.3000s", md)
	}
	if err := checkMarkdown(md, nil); err != nil {
		t.Error(err)
	}
	var full bytes.Buffer
	if err := r.WriteMarkdownFull(&full); err != nil {
		t.Fatal(err)
	}
	if full.Len() <= MarkdownLimit || strings.Contains(full.String(), "cut to fit") {
		t.Errorf("the full report must hold everything (%d bytes)", full.Len())
	}
}

// One reason given for many objects is one cause; the example keeps the
// object's name.
func TestUnverifiableCauseAcrossObjects(t *testing.T) {
	var c Comparison
	for i, h := range []string{"a.example.com", "b.example.com"} {
		r := routing.Request{Scheme: "http", Host: h, Path: "/x"}.Normalize()
		reason := fmt.Sprintf("a RegularExpression match (implementation-specific) in HTTPRoute team-%d/app-%d-http", i, i)
		c.Hosts = append(c.Hosts, Host{Host: h, Probes: 1, Unverifiable: []Difference{{Request: r, Text: r.String(),
			Before: fwdTo("x"), After: routing.UnverifiableOutcome(reason)}}})
		c.Probes++
		c.Unverifiable++
	}
	cs := New(c).Comparisons[0].Causes
	if len(cs) != 1 || cs[0].Hosts != 2 || cs[0].What != "after: a RegularExpression match (implementation-specific) in HTTPRoute {name}" ||
		!strings.Contains(cs[0].Example.After.String(), "HTTPRoute team-0/app-0-http") {
		t.Errorf("want one cause on 2 hosts, its example naming the route: %+v", cs)
	}
}
