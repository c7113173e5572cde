package inventory

import (
	"fmt"
	"strconv"
	"strings"
)

// Charts are drawn here as plain geometry (rectangles and text at
// computed positions) and written by the HTML template as inline SVG: the
// page needs no script, no font and no file beside it, so it renders the
// same when attached to a ticket, opened offline or printed.

// chart is one horizontal bar chart, or a sentence (Empty) where a chart
// would only repeat the same bar.
type chart struct {
	ID, Title, Caption string
	Width, Height      int
	Bars               []bar
	Texts              []text
	Legend             []swatch
	Empty              string
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

// fateChart compares the implementations where they differ: one row per
// annotation whose fate is not the same on all of them, one cell per
// implementation coloured and labelled with the fate. Annotations every
// implementation treats alike are left out; when that is all of them the
// chart is a sentence saying so.
func (r *Report) fateChart() chart {
	impls := r.Implementations
	c := chart{ID: "chart-fates", Title: "Annotation fates that differ",
		Caption: "Annotations of the in-scope Ingresses that " + strings.Join(impls, ", ") +
			" do not treat alike, with the number of Ingresses carrying each; the others have the same fate everywhere (Annotations table).",
		Width: chartWidth}
	var rows []Annotation
	for _, a := range r.Annotations {
		for _, f := range a.Fates[1:] {
			if f.Fate != a.Fates[0].Fate {
				rows = append(rows, a)
				break
			}
		}
	}
	if len(rows) == 0 {
		c.Empty = "Every annotation has the same fate on " + strings.Join(impls, ", ") + "."
		return c
	}
	cell := (chartWidth - labelWidth - 60) / len(impls)
	head := topMargin + barHeight
	c.Height = head + topMargin*2 + rowHeight*len(rows)
	for j, impl := range impls {
		c.Texts = append(c.Texts, text{X: labelWidth + j*cell + cell/2, Y: head - 3, Anchor: "middle", Class: "label", Text: clipLabel(impl)})
	}
	used := map[string]bool{}
	for i, a := range rows {
		y := head + topMargin + i*rowHeight
		label := a.Key
		if a.Name != "" {
			label = a.Name
		}
		c.Texts = append(c.Texts, text{X: labelWidth - 8, Y: y + barHeight - 3, Anchor: "end", Class: "label", Text: clipLabel(label)})
		for j, f := range a.Fates {
			used[f.Fate] = true
			x := labelWidth + j*cell
			c.Bars = append(c.Bars, bar{X: x + 1, Y: y, W: cell - 2, H: barHeight, Fill: fateColors[f.Fate], Class: "bar bar-fate",
				Title: fmt.Sprintf("%s on %s: %s", a.Key, f.Implementation, f.Fate)})
			ink := "inbar"
			if f.Fate == "approximated" {
				ink += " ink" // white on amber cannot be read
			}
			c.Texts = append(c.Texts, text{X: x + cell/2, Y: y + barHeight - 3, Anchor: "middle", Class: ink, Text: f.Fate})
		}
		c.Texts = append(c.Texts, text{X: labelWidth + len(impls)*cell + 6, Y: y + barHeight - 3, Anchor: "start", Class: "value", Text: strconv.Itoa(a.Ingresses)})
	}
	for _, f := range fateOrder {
		if used[f] {
			c.Legend = append(c.Legend, swatch{fateColors[f], f})
		}
	}
	return c
}

// charts are the page's charts: the classification on each
// implementation (one bar for implementations that count the same), what
// differs between implementations when there are several, the
// classification per namespace on the primary one, and annotation usage.
func (r *Report) charts() []chart {
	// Implementations with the same counts share a bar: five identical
	// bars would hide that nothing differs.
	var labels []string
	var counts []Counts
	for _, s := range r.Summary {
		key := s
		key.Implementation = ""
		found := false
		for i := range counts {
			if counts[i] == key {
				labels[i] += ", " + s.Implementation
				found = true
			}
		}
		if !found {
			labels = append(labels, s.Implementation)
			counts = append(counts, key)
		}
	}
	caption := "In-scope Ingresses per class; carried: nothing unsupported or unsafe, not blocked."
	if len(r.Summary) > 1 && len(counts) == 1 {
		caption += " The same on every compared implementation."
	} else if len(r.Summary) > len(counts) {
		caption += " Implementations that count the same share a bar."
	}
	out := []chart{stacked("chart-implementations", "Classification by implementation", caption, labels, counts, true)}
	if len(r.Implementations) > 1 {
		out = append(out, r.fateChart())
	}
	labels, counts = nil, nil
	for _, ns := range r.Namespaces {
		labels = append(labels, nsLabel(ns.Namespace))
		counts = append(counts, ns.Counts[0])
	}
	out = append(out, stacked("chart-namespaces", "Classification per namespace",
		"In-scope Ingresses of each namespace per class on "+r.primary()+".", labels, counts, false))
	return append(out, r.annotationChart())
}
