package inventory

import (
	_ "embed"
	"html/template"
	"io"
	"strconv"
	"strings"
)

// The page is one file with inline CSS and inline SVG and no script, so
// that it can be attached to a migration ticket and opened anywhere.
// html/template escapes every value from the manifests (hosts, names,
// annotation keys are untrusted), in text and in attributes alike.

//go:embed html.tmpl
var pageTemplate string

var page = template.Must(template.New("inventory").Funcs(template.FuncMap{
	"kind":  badgeClass,
	"isNum": isNum,
}).Parse(pageTemplate))

type htmlPage struct {
	Headline        string
	Provenance      string
	Implementations string
	Stats           []stat
	// Contents link to Lead, the charts and Rest, in page order.
	Contents []anchor
	Lead     []section
	Charts   []chart
	Rest     []section
}

type stat struct {
	Label string
	Value int
}

type anchor struct{ ID, Title string }

// WriteHTML writes the report as a self-contained HTML page: the plan and
// what blocks it first, then charts of the classification, of what
// differs between implementations and of annotation usage, then the
// tables; a contents list links to each part.
func (r *Report) WriteHTML(w io.Writer) error {
	t := r.Totals
	p := htmlPage{
		Headline:        r.headline(),
		Provenance:      r.provenance(),
		Implementations: strings.Join(r.Implementations, ", "),
		Stats: []stat{{"Ingresses", t.Ingresses}, {"in scope", t.InScope}, {"other classes", t.OtherClass},
			{"removed API versions", t.OldAPIVersions}, {"hosts", t.Hosts}, {"namespaces", t.Namespaces}, {"ingress classes", t.IngressClasses}},
		Charts: r.charts(),
	}
	if t.SnippetsTriaged+t.SnippetsLeft > 0 {
		p.Stats = append(p.Stats, stat{"snippets triaged", t.SnippetsTriaged}, stat{"snippets left", t.SnippetsLeft})
	}
	for _, s := range r.sections() {
		if s.Lead {
			p.Lead = append(p.Lead, s)
		} else {
			p.Rest = append(p.Rest, s)
		}
	}
	for _, s := range p.Lead {
		p.Contents = append(p.Contents, anchor{s.ID, s.Title})
	}
	p.Contents = append(p.Contents, anchor{"charts", "Charts"})
	for _, s := range p.Rest {
		p.Contents = append(p.Contents, anchor{s.ID, s.Title})
	}
	return page.Execute(w, p)
}

// badgeClass gives a class or fate cell its colour; other cells none.
func badgeClass(cell string) string {
	if Class(cell).rank() >= 0 {
		return "k-" + cell
	}
	if _, ok := fateColors[cell]; ok {
		return "k-" + strings.ReplaceAll(cell, " ", "-")
	}
	return ""
}

func isNum(cell string) bool {
	_, err := strconv.Atoi(cell)
	return err == nil
}
