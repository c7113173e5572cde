package inventory

import (
	"strings"
	"testing"
)

// Implementations that agree share one classification bar and the fate
// chart says that nothing differs; where fates differ, only those
// annotations are drawn, one cell per implementation.
func TestChartsCompareWhatDiffers(t *testing.T) {
	same := buildAt(t, []string{"examples/quickstart"}, defaults([]string{"standard", "envoy-gateway", "kgateway"}))
	charts := same.charts()
	var labels []string
	for _, x := range charts[0].Texts {
		if x.Class == "label" {
			labels = append(labels, x.Text)
		}
	}
	if len(labels) != 1 || labels[0] != "standard, envoy-gateway, kgateway" {
		t.Errorf("agreeing implementations: want one shared bar labelled with all three, got labels %q", labels)
	}
	if c := charts[1]; c.ID != "chart-fates" || c.Empty == "" || len(c.Bars) != 0 {
		t.Errorf("no fate differs on the quickstart, yet the fate chart is %+v", c)
	}

	diff := buildAt(t, []string{"testdata/inventory/fixture"}, defaults([]string{"standard", "envoy-gateway", "kgateway"}))
	c := diff.charts()[1]
	if c.Empty != "" {
		t.Fatalf("fates differ on the fixture, yet: %s", c.Empty)
	}
	var rows []string
	for _, b := range c.Bars {
		key, _, _ := strings.Cut(b.Title, " on ")
		if len(rows) == 0 || rows[len(rows)-1] != key {
			rows = append(rows, key)
		}
	}
	want := []string{"nginx.ingress.kubernetes.io/auth-url", "nginx.ingress.kubernetes.io/limit-rps", "nginx.ingress.kubernetes.io/proxy-body-size"}
	if strings.Join(rows, " ") != strings.Join(want, " ") || len(c.Bars) != 3*len(want) {
		t.Errorf("fate chart rows %v (%d cells), want %v with 3 cells each", rows, len(c.Bars), want)
	}
	// With one implementation there is nothing to compare.
	for _, c := range buildAt(t, []string{"testdata/inventory/fixture"}, defaults(nil)).charts() {
		if c.ID == "chart-fates" {
			t.Error("a fate comparison drawn for one implementation")
		}
	}
}

// The contents of the Markdown report link to GitHub's heading anchors.
func TestMarkdownContentsAnchors(t *testing.T) {
	for title, want := range map[string]string{
		"Migration plan (standard)":           "migration-plan-standard",
		"Why (nginx-gateway-fabric)":          "why-nginx-gateway-fabric",
		"Blocked host groups (envoy-gateway)": "blocked-host-groups-envoy-gateway",
		"Not in scope":                        "not-in-scope",
	} {
		if got := mdSlug(title); got != want {
			t.Errorf("mdSlug(%q) = %q, want %q", title, got, want)
		}
	}
	rep := buildAt(t, []string{"testdata/inventory/fixture"}, defaults(nil))
	md := string(render(t, rep.WriteMarkdown))
	for _, s := range rep.sections() {
		if !strings.Contains(md, "\n## "+s.Title+"\n") || !strings.Contains(md, "](#"+mdSlug(s.Title)+")") {
			t.Errorf("section %q: no heading or no contents entry", s.Title)
		}
	}
	if plan, first := strings.Index(md, "\n## Migration plan"), strings.Index(md, "\n## Classification"); plan < 0 || plan > first {
		t.Error("the Markdown report does not lead with the plan")
	}
}
