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
	Implementations string
	Stats           []stat
	Charts          []chart
	Sections        []section
}

type stat struct {
	Label string
	Value int
}

// WriteHTML writes the report as a self-contained HTML page with charts
// of the classification and of annotation usage.
func (r *Report) WriteHTML(w io.Writer) error {
	t := r.Totals
	return page.Execute(w, htmlPage{
		Headline:        r.headline(),
		Implementations: strings.Join(r.Implementations, ", "),
		Stats: []stat{{"Ingresses", t.Ingresses}, {"in scope", t.InScope}, {"other classes", t.OtherClass},
			{"removed API versions", t.OldAPIVersions}, {"hosts", t.Hosts}, {"namespaces", t.Namespaces}, {"ingress classes", t.IngressClasses}},
		Charts:   r.charts(),
		Sections: r.sections(),
	})
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
