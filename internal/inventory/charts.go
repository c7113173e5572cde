package inventory

import (
	"fmt"
	"strconv"
)

// Charts are drawn here as plain geometry (rectangles and text at
// computed positions) and written by the HTML template as inline SVG: the
// page needs no script, no font and no file beside it, so it renders the
// same when attached to a ticket, opened offline or printed.

// chart is one horizontal bar chart.
type chart struct {
	ID, Title, Caption string
	Width, Height      int
	Bars               []bar
	Texts              []text
	Legend             []swatch
}

// bar is a rectangle with a tooltip; Class marks it for the DOM checks.
type bar struct {
	X, Y, W, H  int
	Fill, Title string
	Class       string
}

type text struct {
	X, Y          int
	Anchor, Class string
	Text          string
}

type swatch struct{ Color, Label string }

// Colours of classes and fates: green is safe, amber needs a look, orange
// needs work, red stops; blue is a vendor policy, grey does nothing.
var classColors = map[Class]string{Simple: "#2e7d32", Medium: "#f9a825", Complex: "#ef6c00", Blocked: "#c62828"}

var fateColors = map[string]string{
	"converted": "#2e7d32", "approximated": "#f9a825", "policy": "#1565c0", "unsupported": "#ef6c00",
	"unsafe": "#c62828", "no effect": "#9e9e9e", fateUnknown: "#6a1b9a", fateOther: "#795548",
}

var fateOrder = []string{"converted", "policy", "approximated", "unsupported", "unsafe", "no effect", fateUnknown, fateOther}

const (
	chartWidth = 960
	labelWidth = 300
	rowHeight  = 24
	barHeight  = 16
	topMargin  = 8
)

// clipLabel keeps a label inside the label column.
func clipLabel(s string) string {
	r := []rune(s)
	if len(r) > 42 {
		return string(r[:41]) + "…"
	}
	return s
}

// scale maps a count to a bar length, the largest filling the plot.
func scale(n, max int) int {
	plot := chartWidth - labelWidth - 110
	if max == 0 {
		return 0
	}
	w := n * plot / max
	if n > 0 && w < 2 {
		w = 2
	}
	return w
}

// stacked draws one bar per row, split by class.
// With carried, the total also says how many Ingresses lose nothing: the
// number that tells implementations apart when their classes agree.
func stacked(id, title, caption string, labels []string, counts []Counts, carried bool) chart {
	c := chart{ID: id, Title: title, Caption: caption, Width: chartWidth, Height: topMargin*2 + rowHeight*len(labels)}
	for _, cl := range Classes {
		c.Legend = append(c.Legend, swatch{classColors[cl], string(cl)})
	}
	max := 0
	for _, n := range counts {
		if t := n.Total(); t > max {
			max = t
		}
	}
	for i, label := range labels {
		y := topMargin + i*rowHeight
		c.Texts = append(c.Texts, text{X: labelWidth - 8, Y: y + barHeight - 3, Anchor: "end", Class: "label", Text: clipLabel(label)})
		x := labelWidth
		for _, cl := range Classes {
			n := counts[i].Of(cl)
			if n == 0 {
				continue
			}
			w := scale(n, max)
			c.Bars = append(c.Bars, bar{X: x, Y: y, W: w, H: barHeight, Fill: classColors[cl], Class: "bar bar-" + string(cl),
				Title: fmt.Sprintf("%s: %d %s", label, n, cl)})
			if w >= 18 {
				c.Texts = append(c.Texts, text{X: x + w/2, Y: y + barHeight - 3, Anchor: "middle", Class: "inbar", Text: strconv.Itoa(n)})
			}
			x += w
		}
		total := strconv.Itoa(counts[i].Total())
		if carried {
			total += fmt.Sprintf(" (%d carried)", counts[i].Carried)
		}
		c.Texts = append(c.Texts, text{X: x + 6, Y: y + barHeight - 3, Anchor: "start", Class: "value", Text: total})
	}
	return c
}

// annotationChart draws how many Ingresses carry each annotation,
// coloured by its fate on the primary implementation.
func (r *Report) annotationChart() chart {
	impl := r.primary()
	c := chart{ID: "chart-annotations", Title: "Annotation usage",
		Caption: "In-scope Ingresses carrying each annotation, coloured by its fate on " + impl + ".",
		Width:   chartWidth, Height: topMargin*2 + rowHeight*len(r.Annotations)}
	used := map[string]bool{}
	max := 0
	for _, a := range r.Annotations {
		used[a.Fates[0].Fate] = true
		if a.Ingresses > max {
			max = a.Ingresses
		}
	}
	for _, f := range fateOrder {
		if used[f] {
			c.Legend = append(c.Legend, swatch{fateColors[f], f})
		}
	}
	for i, a := range r.Annotations {
		y := topMargin + i*rowHeight
		label := a.Key
		if a.Name != "" {
			label = a.Name
		}
		fate := a.Fates[0].Fate
		w := scale(a.Ingresses, max)
		c.Texts = append(c.Texts, text{X: labelWidth - 8, Y: y + barHeight - 3, Anchor: "end", Class: "label", Text: clipLabel(label)})
		c.Bars = append(c.Bars, bar{X: labelWidth, Y: y, W: w, H: barHeight, Fill: fateColors[fate], Class: "bar bar-fate",
			Title: fmt.Sprintf("%s: %d Ingresses, %s on %s", a.Key, a.Ingresses, fate, impl)})
		c.Texts = append(c.Texts, text{X: labelWidth + w + 6, Y: y + barHeight - 3, Anchor: "start", Class: "value", Text: strconv.Itoa(a.Ingresses)})
	}
	return c
}

// charts are the page's charts: the classification on each
// implementation, per namespace on the primary one, and annotation usage.
func (r *Report) charts() []chart {
	var labels []string
	for _, s := range r.Summary {
		labels = append(labels, s.Implementation)
	}
	out := []chart{stacked("chart-implementations", "Classification by implementation",
		"In-scope Ingresses per class on each implementation; carried: nothing unsupported or unsafe, not blocked.", labels, r.Summary, true)}
	labels = nil
	var counts []Counts
	for _, ns := range r.Namespaces {
		labels = append(labels, nsLabel(ns.Namespace))
		counts = append(counts, ns.Counts[0])
	}
	out = append(out, stacked("chart-namespaces", "Classification per namespace",
		"In-scope Ingresses of each namespace per class on "+r.primary()+".", labels, counts, false))
	return append(out, r.annotationChart())
}
