package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/proof/routing"
)

func redirect(loc string) routing.Outcome {
	return routing.Outcome{Kind: routing.Redirect, Redirect: &routing.RedirectTo{Status: 308, Location: loc}}
}

func TestAcceptTrailingSlashOnly(t *testing.T) {
	c := Comparison{Differences: 4, Hosts: []Host{{Host: "h", Differences: []Difference{
		{Text: "slash", Before: redirect("https://h/x"), After: redirect("https://h/x/")},
		{Text: "slash+query", Before: redirect("https://h/x?a=1"), After: redirect("https://h/x/?a=1")},
		{Text: "other path", Before: redirect("https://h/x"), After: redirect("https://h/y/")},
		{Text: "other code", Before: redirect("https://h/x"), After: routing.Outcome{Kind: routing.Redirect, Redirect: &routing.RedirectTo{Status: 301, Location: "https://h/x/"}}},
	}}}}
	if err := c.Accept([]string{"redirect-trailing-slash"}); err != nil {
		t.Fatal(err)
	}
	h := c.Hosts[0]
	if c.Differences != 2 || c.Accepted != 2 || len(h.Differences) != 2 || len(h.Accepted) != 2 {
		t.Fatalf("differences %d accepted %d: %+v", c.Differences, c.Accepted, h)
	}
	if h.Differences[0].Text != "other path" || h.Differences[1].Text != "other code" {
		t.Errorf("accepted the wrong ones: %+v", h.Differences)
	}
	r := New(c)
	var b bytes.Buffer
	if err := r.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "redirect-trailing-slash") || !strings.Contains(r.Summary, "2 requests differ in accepted ways") {
		t.Errorf("accepted differences must stay visible:\n%s\n%s", r.Summary, b.String())
	}
	if err := c.Accept([]string{"everything"}); err == nil {
		t.Error("an unknown acceptance must be an error")
	}
}
