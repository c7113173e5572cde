package report

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/proof/routing"
)

func fwdTo(svc string) routing.Outcome {
	return routing.Outcome{Kind: routing.Forward, Backends: []routing.Backend{{Namespace: "shop", Service: svc, Port: 80, Weight: 1}}}
}

func diffAt(host, path string, before, after routing.Outcome) Difference {
	r := routing.Request{Scheme: "https", Host: host, Path: path}.Normalize()
	before.RewrittenPath, after.RewrittenPath = path, path
	return Difference{Request: r, Text: r.String(), Before: before, After: after}
}

// TestAcknowledgeMatching: every field an entry sets must match; a path
// prefix matches whole segments; the first matching entry takes a
// difference; an entry that matches nothing is stale and fails.
func TestAcknowledgeMatching(t *testing.T) {
	ds := []Difference{
		diffAt("shop.example.com", "/api", fwdTo("api"), fwdTo("api-v2")),
		diffAt("shop.example.com", "/api/x", fwdTo("api"), fwdTo("api-v2")),
		diffAt("shop.example.com", "/apix", fwdTo("api"), fwdTo("api-v2")),
		diffAt("blog.example.com", "/api", fwdTo("api"), fwdTo("api-v2")),
		diffAt("blog.example.com", "/", redirect("https://blog.example.com/x"), redirect("https://blog.example.com/x/")),
	}
	change := describe(&ds[0])
	if change != "backends shop/api:80 → shop/api-v2:80" {
		t.Fatalf("change %q", change)
	}
	f, err := ParseAcceptFile([]byte(`
acknowledgements:
- {host: shop.example.com, pathPrefix: /api, change: "`+change+`", reason: moved}
- {host: blog.example.com, path: /api, after: "forward to shop/api-v2:80, path /api"}
- {class: redirect-trailing-slash, host: blog.example.com}
- {host: shop.example.com, path: /apix, change: "backends shop/api:80 → shop/web:80"}
`), "accept.yaml")
	if err != nil {
		t.Fatal(err)
	}
	hosts := map[string]*Host{}
	c := Comparison{Probes: 10, Differences: len(ds)}
	for _, d := range ds {
		h := hosts[d.Request.Hostname()]
		if h == nil {
			c.Hosts = append(c.Hosts, Host{Host: d.Request.Hostname()})
			h = &c.Hosts[len(c.Hosts)-1]
			hosts[h.Host] = h
		}
		h.Differences = append(h.Differences, d)
	}
	r := New(c)
	r.Acknowledge(f, nil, ".routeshift/accept.yaml")
	var matched []int
	for _, a := range r.Acknowledgements {
		matched = append(matched, a.Matched)
		if a.Added {
			t.Errorf("no base: nothing is marked added: %+v", a)
		}
	}
	if got := fmtInts(matched); got != "2,1,1,0" {
		t.Errorf("matched %s, want 2,1,1,0 (/apix is not under /api; the last is stale)", got)
	}
	if r.Differences != 1 || r.Accepted != 4 || r.Stale != 1 || r.ExitCode(false) != 1 {
		t.Errorf("differences %d accepted %d stale %d exit %d", r.Differences, r.Accepted, r.Stale, r.ExitCode(false))
	}
	left := r.Comparisons[0].Hosts
	for _, h := range left {
		for _, d := range h.Differences {
			if d.Request.Path != "/apix" {
				t.Errorf("left %s as a difference", d.Text)
			}
		}
	}
	if !strings.Contains(r.Summary, "1 acknowledgement of the accept file matches nothing (stale)") {
		t.Errorf("summary %q", r.Summary)
	}
}

func fmtInts(s []int) string {
	var b strings.Builder
	for i, n := range s {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}

// TestAcknowledgeAdded compares with the base's entries as data.
func TestAcknowledgeAdded(t *testing.T) {
	d := diffAt("shop.example.com", "/api", fwdTo("api"), fwdTo("api-v2"))
	r := New(Comparison{Probes: 1, Differences: 1, Hosts: []Host{{Host: "shop.example.com", Differences: []Difference{d}}}})
	head := &AcceptFile{Acknowledgements: []AcceptEntry{
		{Host: "shop.example.com", Change: describe(&d)},
		{Host: "shop.example.com", Change: describe(&d), Reason: "again"},
	}}
	base := &AcceptFile{Acknowledgements: []AcceptEntry{{Host: "shop.example.com", Change: describe(&d)}}}
	r.Acknowledge(head, base, "accept.yaml")
	a := r.Acknowledgements
	if a[0].Added || !a[1].Added {
		t.Errorf("want the second entry added, not the first: %+v", a)
	}
	// The first entry takes the difference; the second, the same change
	// with a reason, matches nothing: stale.
	if a[0].Matched != 1 || a[1].Matched != 0 || r.Stale != 1 {
		t.Errorf("%+v", a)
	}
}

func TestParseAcceptFileErrors(t *testing.T) {
	for _, in := range []string{
		"acknowledgements:\n- {host: a, change: x, extra: 1}\n",
		"acknowledgements:\n- {host: a}\n",
		"acknowledgements:\n- {path: /a, pathPrefix: /a, change: x}\n",
		"acknowledgements:\n- {pathPrefix: a, change: x}\n",
		"acknowledgements:\n- {class: nope}\n",
		"acknowledgements: {host: a}\n",
		// Unverifiable requests: never all at once, never by class or
		// after, and no other outcome.
		"acknowledgements:\n- {outcome: unverifiable}\n",
		"acknowledgements:\n- {outcome: unverifiable, pathPrefix: /}\n",
		"acknowledgements:\n- {outcome: unverifiable, change: x}\n",
		"acknowledgements:\n- {outcome: unverifiable, host: a, class: redirect-trailing-slash}\n",
		"acknowledgements:\n- {outcome: unverifiable, host: a, after: status 404}\n",
		"acknowledgements:\n- {outcome: different, host: a}\n",
		"acknowledgements:\n- {outcome: '*', host: a}\n",
	} {
		if _, err := ParseAcceptFile([]byte(in), "f.yaml"); err == nil || !strings.Contains(err.Error(), "f.yaml") {
			t.Errorf("%q: error %v, want one naming the file", in, err)
		}
	}
	if f, err := ParseAcceptFile([]byte("# nothing yet\n"), "f.yaml"); err != nil || len(f.Acknowledgements) != 0 {
		t.Errorf("an empty file: %v %+v", err, f)
	}
}

// A pull request's accept file is read up to a bound.
func TestReadAcceptFileBounded(t *testing.T) {
	p := filepath.Join(t.TempDir(), "accept.yaml")
	big := "acknowledgements:\n" + strings.Repeat("- {host: a.example.com, change: x}\n", maxAcceptFile/30)
	if err := os.WriteFile(p, []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadAcceptFile(p); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("a %d-byte file: %v", len(big), err)
	}
}

func unverifiableAt(host, path, reason string) Difference {
	return diffAt(host, path, routing.Outcome{Kind: routing.Unverifiable, Reason: reason}, fwdTo("api"))
}

// TestAcknowledgeUnverifiable: an entry with outcome: unverifiable accepts
// the unverifiable requests its host, path or request name (and, with
// change, only those of that reason), never a difference; an entry without
// it never accepts an unverifiable request; one that matches nothing is
// stale. Accepted unverifiable requests no longer fail
// --fail-on-unverifiable, and the summary says they were acknowledged.
func TestAcknowledgeUnverifiable(t *testing.T) {
	snippet := "configuration-snippet: raw nginx directives"
	auth := "auth-url: an external auth service decides"
	c := Comparison{Probes: 10, Hosts: []Host{
		{Host: "shop.example.com", Probes: 5,
			Differences:  []Difference{diffAt("shop.example.com", "/api", fwdTo("api"), fwdTo("api-v2"))},
			Unverifiable: []Difference{unverifiableAt("shop.example.com", "/legacy", snippet), unverifiableAt("shop.example.com", "/legacy/x", snippet), unverifiableAt("shop.example.com", "/admin", auth)}},
		{Host: "blog.example.com", Probes: 5,
			Unverifiable: []Difference{unverifiableAt("blog.example.com", "/", snippet)}},
	}}
	c.Differences, c.Unverifiable = 1, 4
	snippetWhat := describe(&c.Hosts[0].Unverifiable[0])
	f, err := ParseAcceptFile([]byte(`
acknowledgements:
# A difference-kind entry at the same place takes no unverifiable request.
- {host: shop.example.com, pathPrefix: /legacy, after: "forward to shop/api:80, path /legacy"}
- {host: shop.example.com, pathPrefix: /legacy, outcome: unverifiable, change: "`+snippetWhat+`", reason: checked by hand}
- {host: shop.example.com, outcome: unverifiable, change: "before: something else"}
# An unverifiable entry never accepts the difference at /api.
- {host: shop.example.com, path: /api, outcome: unverifiable}
`), "accept.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r := New(c)
	if r.ExitCode(true) != 1 {
		t.Fatal("before acknowledging: want exit 1")
	}
	r.Acknowledge(f, nil, ".routeshift/accept.yaml")
	var matched []int
	for _, a := range r.Acknowledgements {
		matched = append(matched, a.Matched)
	}
	if got := fmtInts(matched); got != "0,2,0,0" {
		t.Errorf("matched %s, want 0,2,0,0", got)
	}
	if r.Differences != 1 || r.Unverifiable != 2 || r.Accepted != 2 || r.AcceptedUnverifiable != 2 || r.Stale != 3 {
		t.Errorf("differences %d unverifiable %d accepted %d (unverifiable %d) stale %d", r.Differences, r.Unverifiable, r.Accepted, r.AcceptedUnverifiable, r.Stale)
	}
	for _, d := range r.Comparisons[0].Hosts[0].Accepted {
		if !strings.HasPrefix(d.Request.Path, "/legacy") || !strings.Contains(d.Accepted, "checked by hand") {
			t.Errorf("accepted %s (%s)", d.Text, d.Accepted)
		}
	}

	// Every unverifiable request acknowledged, nothing else: exit 0 even
	// with --fail-on-unverifiable, and the summary says so.
	c2 := Comparison{Probes: 4, Unverifiable: 2, Hosts: []Host{{Host: "blog.example.com", Probes: 4,
		Unverifiable: []Difference{unverifiableAt("blog.example.com", "/", snippet), unverifiableAt("blog.example.com", "/x", snippet)}}}}
	f2 := &AcceptFile{Acknowledgements: []AcceptEntry{{Host: "blog.example.com", Outcome: OutcomeUnverifiable}}}
	r2 := New(c2)
	r2.Acknowledge(f2, nil, "accept.yaml")
	if r2.ExitCode(true) != 0 || r2.Verdict != "equivalent" || r2.Accepted != 2 {
		t.Errorf("exit %d verdict %s accepted %d", r2.ExitCode(true), r2.Verdict, r2.Accepted)
	}
	if want := "no difference found in 4 requests; 2 requests cannot be verified and are acknowledged"; r2.Summary != want {
		t.Errorf("summary %q, want %q", r2.Summary, want)
	}
	if cs := r2.Comparisons[0].Causes; len(cs) != 1 || cs[0].Kind != KindAccepted || !strings.Contains(cs[0].What, snippet) {
		t.Errorf("want one accepted cause with the reason: %+v", cs)
	}
}
