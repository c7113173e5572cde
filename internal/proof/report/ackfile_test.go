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
