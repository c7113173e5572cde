package inventory

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The text formats (terminal, Markdown, HTML) show the same sections in
// the same order; view builds them once as plain tables and lists, and
// each writer only decides how a table or a list looks.

// section is one part of a rendered report.
type section struct {
	ID    string
	Title string
	Intro string
	// Header and Rows make a table; Items a list. A section has either.
	Header []string
	Rows   [][]string
	Items  []item
	// Empty is said when there is neither.
	Empty string
	// Lead sections come first: the plan and what blocks it. The HTML
	// page draws its charts after them.
	Lead bool
}

// item is a list entry with optional sub-entries (one level). Badge is a
// class the HTML page colours the entry with; the text forms say the
// class in words where it matters.
type item struct {
	Text  string
	Badge string
	Sub   []item
}

// hostLabel names the catch-all, which has no host.
func hostLabel(h string) string {
	if h == "" {
		return "(catch-all)"
	}
	return h
}

func nsLabel(ns string) string {
	if ns == "" {
		return "(none)"
	}
	return ns
}

func hostList(hosts []string) string {
	out := make([]string, len(hosts))
	for i, h := range hosts {
		out[i] = hostLabel(h)
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, ", ")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// headline is the report in one sentence.
func (r *Report) headline() string {
	t := r.Totals
	scope := strings.Join(r.Scope.IngressClassNames, ", ")
	if r.Scope.IncludeUnclassed {
		if scope != "" {
			scope += " and "
		}
		scope += "unclassed"
	}
	out := fmt.Sprintf("%s, %d in scope (classes %s), %d of other classes, %d of removed API versions; %s, %s, %s",
		plural(t.Ingresses, "Ingress", "Ingresses"), t.InScope, scope, t.OtherClass, t.OldAPIVersions,
		plural(t.Hosts, "host", "hosts"), plural(t.Namespaces, "namespace", "namespaces"), plural(t.IngressClasses, "ingress class", "ingress classes"))
	if t.SnippetsTriaged+t.SnippetsLeft > 0 {
		// Only estates with snippets say so: most have none.
		out += fmt.Sprintf("; snippets: %d triaged, %d left unsafe", t.SnippetsTriaged, t.SnippetsLeft)
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// primary is the implementation whose reasons and plan text formats show.
func (r *Report) primary() string { return r.Implementations[0] }

// provenance says when, by what and from what the report was made, or ""
// when the caller said nothing (Options.Now, Version, Inputs).
func (r *Report) provenance() string {
	var parts []string
	if r.GeneratedAt != "" {
		parts = append(parts, "generated "+r.GeneratedAt)
	}
	if r.RouteshiftVersion != "" {
		parts = append(parts, "by routeshift "+r.RouteshiftVersion)
	}
	if len(r.Inputs) > 0 {
		in := make([]string, len(r.Inputs))
		for i, p := range r.Inputs {
			in[i] = p
			if p == "-" {
				in[i] = "- (stdin)"
			}
		}
		parts = append(parts, "from "+strings.Join(in, ", "))
	}
	if len(parts) == 0 {
		return ""
	}
	s := strings.Join(parts, " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// sections are the report's parts in reading order: the plan and what
// blocks it lead, so that the page answers "what do we do, and what first"
// before the hundreds of rows that justify it.
func (r *Report) sections() []section {
	impls := r.Implementations
	out := r.planSections()

	sum := section{ID: "summary", Title: "Classification", Header: append([]string{"class"}, impls...),
		Intro: "In-scope Ingresses per class on each implementation; carried: not blocked and nothing unsupported or unsafe, so everything they do is carried."}
	for _, c := range Classes {
		row := []string{string(c)}
		for _, s := range r.Summary {
			row = append(row, strconv.Itoa(s.Of(c)))
		}
		sum.Rows = append(sum.Rows, row)
	}
	row := []string{"carried"}
	for _, s := range r.Summary {
		row = append(row, fmt.Sprintf("%d of %d", s.Carried, s.Total()))
	}
	sum.Rows = append(sum.Rows, row)
	out = append(out, sum)

	classes := section{ID: "classes", Title: "Ingress classes", Header: []string{"class", "Ingresses", "in scope"}}
	for _, c := range r.IngressClasses {
		classes.Rows = append(classes.Rows, []string{nsLabel(c.Name), strconv.Itoa(c.Ingresses), yesNo(c.InScope)})
	}
	out = append(out, classes)

	ann := section{ID: "annotations", Title: "Annotations", Header: append([]string{"annotation", "Ingresses"}, impls...),
		Intro: "Every annotation key on the in-scope Ingresses, most used first, with its fate from the support matrix (docs/annotations.md).",
		Empty: "No annotations."}
	for _, a := range r.Annotations {
		row := []string{a.Key, strconv.Itoa(a.Ingresses)}
		for _, f := range a.Fates {
			row = append(row, f.Fate)
		}
		ann.Rows = append(ann.Rows, row)
	}
	out = append(out, ann)

	ings := section{ID: "ingresses", Title: "Ingresses", Header: append([]string{"Ingress", "hosts", "paths"}, impls...),
		Empty: "No Ingress is in scope."}
	why := section{ID: "why", Title: "Why (" + r.primary() + ")", Empty: "Every in-scope Ingress is simple.",
		Intro: "What makes each Ingress more than simple, worst first; fixing the first reasons leaves the class of the next."}
	var other []item
	for _, in := range r.Ingresses {
		if !in.InScope {
			other = append(other, item{Text: fmt.Sprintf("%s (class %s, %s)", in.Ref(), nsLabel(in.Class), in.Source)})
			continue
		}
		name := in.Ref()
		if in.Canary {
			name += " (canary)"
		}
		row := []string{name, hostList(in.Hosts), strconv.Itoa(in.Paths)}
		for _, c := range in.Classifications {
			row = append(row, string(c.Class))
		}
		ings.Rows = append(ings.Rows, row)
		if c := in.Classifications[0]; len(c.Reasons) > 0 {
			it := item{Text: fmt.Sprintf("%s %s (%s)", c.Class, in.Ref(), in.Source), Badge: string(c.Class)}
			for _, rs := range c.Reasons {
				it.Sub = append(it.Sub, item{Text: fmt.Sprintf("%s, %s: %s", rs.Class, rs.Code, rs.Message)})
			}
			why.Items = append(why.Items, it)
		}
	}
	out = append(out, ings, why)

	nss := section{ID: "namespaces", Title: "Namespaces", Header: []string{"namespace", "Ingresses", "hosts"},
		Intro: "Counts are simple/medium/complex/blocked.", Empty: "No namespace."}
	nss.Header = append(nss.Header, impls...)
	for _, ns := range r.Namespaces {
		row := []string{nsLabel(ns.Namespace), strconv.Itoa(ns.Ingresses), strconv.Itoa(ns.Hosts)}
		for _, c := range ns.Counts {
			row = append(row, fmt.Sprintf("%d/%d/%d/%d", c.Simple, c.Medium, c.Complex, c.Blocked))
		}
		nss.Rows = append(nss.Rows, row)
	}
	out = append(out, nss)

	hosts := section{ID: "hosts", Title: "Hosts", Header: []string{"host", "Ingresses", "namespaces", "TLS", "paths", "notes"},
		Intro: "Each host's class is its worst Ingress's.", Empty: "No host."}
	shared := section{ID: "shared", Title: "Shared hosts", Empty: "No host is defined by more than one Ingress.",
		Intro: "ingress-nginx merges the Ingresses of a host: the oldest wins a duplicate path and the creator owns the server settings and the implicit /. They move together."}
	hosts.Header = append(hosts.Header, impls...)
	for _, h := range r.Hosts {
		var notes []string
		if h.Shared {
			notes = append(notes, "shared")
		}
		if h.RegexMode {
			notes = append(notes, "regex mode")
		}
		if len(notes) == 0 {
			notes = append(notes, "-")
		}
		row := []string{hostLabel(h.Host), strconv.Itoa(len(h.Ingresses)), strconv.Itoa(len(h.Namespaces)), yesNo(h.TLS), strconv.Itoa(h.Paths), strings.Join(notes, ", ")}
		for _, c := range h.Classes {
			row = append(row, string(c.Class))
		}
		hosts.Rows = append(hosts.Rows, row)
		if h.Shared {
			nsl := make([]string, len(h.Namespaces))
			for i, ns := range h.Namespaces {
				nsl[i] = nsLabel(ns)
			}
			text := fmt.Sprintf("%s: %s; namespaces %s", hostLabel(h.Host), strings.Join(h.Ingresses, ", "), strings.Join(nsl, ", "))
			if h.Creator != "" {
				text += "; server settings from " + h.Creator
			}
			shared.Items = append(shared.Items, item{Text: text})
		}
	}
	out = append(out, hosts, shared)

	conflicts := section{ID: "conflicts", Title: "Conflicts", Empty: "No conflicts.",
		Intro: "Definitions ingress-nginx ignores; the conversion ignores them too."}
	for _, c := range r.Conflicts {
		conflicts.Items = append(conflicts.Items, item{Text: fmt.Sprintf("%s, %s: %s", c.Kind, c.Ingress, c.Message)})
	}
	out = append(out, conflicts)
	if len(other) > 0 {
		out = append(out, section{ID: "other", Title: "Not in scope", Intro: "Ingresses of other classes: another controller serves them.", Items: other})
	}
	return out
}

// planSections are the primary implementation's waves, then what blocks
// the rest: the blocking reasons, most Ingresses first (fixing the top one
// unblocks the most), and the blocked host groups with each Ingress's
// blocking reasons.
func (r *Report) planSections() []section {
	p := r.Plans[0]
	plan := section{ID: "plan", Title: "Migration plan (" + p.Implementation + ")", Empty: "Nothing to migrate.", Lead: true,
		Intro: "Hosts move one at a time (DNS), so Ingresses sharing a host move together; a group is as hard as its worst Ingress. Blocked groups wait until they are fixed (below)."}
	for _, w := range p.Waves {
		it := item{Text: fmt.Sprintf("Wave %d, %s", w.Number, w.Title)}
		if w.Care != nil {
			it.Text += fmt.Sprintf(" (moving with it: %s; see docs/what-else-moves.md)", w.Care)
		}
		for _, g := range w.Groups {
			text := groupText(g)
			if w.Kind == WaveGlobal {
				// The only wave that mixes classes.
				text = fmt.Sprintf("%s (%s)", text, g.Class)
			}
			it.Sub = append(it.Sub, item{Text: text, Badge: string(g.Class)})
		}
		plan.Items = append(plan.Items, it)
	}

	fix := section{ID: "fix-first", Title: "Fix first (" + p.Implementation + ")", Lead: true,
		Header: []string{"blocking reason", "Ingresses", "which"}, Empty: "Nothing is blocked.",
		Intro: "What keeps Ingresses out of every wave, the reason blocking the most Ingresses first; docs/inventory.md explains each code."}
	// Per code: how many Ingress objects it blocks (names without a
	// namespace may repeat, so objects are counted, names listed once).
	type blocking struct {
		n    int
		refs []string
	}
	blockedBy := map[string]*blocking{}
	reasons := map[string][]item{}
	for _, in := range r.Ingresses {
		if !in.InScope || in.Classifications[0].Class != Blocked {
			continue
		}
		seen := map[string]bool{}
		for _, rs := range in.Classifications[0].Reasons {
			if rs.Class != Blocked {
				continue
			}
			reasons[in.Ref()] = append(reasons[in.Ref()], item{Text: fmt.Sprintf("%s, %s: %s", in.Ref(), rs.Code, rs.Message)})
			if seen[rs.Code] {
				continue
			}
			seen[rs.Code] = true
			b := blockedBy[rs.Code]
			if b == nil {
				b = &blocking{}
				blockedBy[rs.Code] = b
			}
			b.n++
			if !slices.Contains(b.refs, in.Ref()) {
				b.refs = append(b.refs, in.Ref())
			}
		}
	}
	codes := make([]string, 0, len(blockedBy))
	for c := range blockedBy {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool {
		if a, b := blockedBy[codes[i]].n, blockedBy[codes[j]].n; a != b {
			return a > b
		}
		return codes[i] < codes[j]
	})
	for _, c := range codes {
		fix.Rows = append(fix.Rows, []string{c, strconv.Itoa(blockedBy[c].n), strings.Join(blockedBy[c].refs, ", ")})
	}
	out := []section{plan, fix}
	if len(p.Blocked) > 0 {
		blocked := section{ID: "blocked", Title: "Blocked host groups (" + p.Implementation + ")", Lead: true,
			Intro: "Each group moves once all its Ingresses are fixed; the blocking reasons of each Ingress."}
		for _, g := range p.Blocked {
			it := item{Text: groupText(g), Badge: string(Blocked)}
			// Refs may repeat (Ingresses without a namespace); each
			// Ingress's reasons are listed once.
			for _, ref := range slices.Compact(slices.Sorted(slices.Values(g.Ingresses))) {
				it.Sub = append(it.Sub, reasons[ref]...)
			}
			blocked.Items = append(blocked.Items, it)
		}
		out = append(out, blocked)
	}
	return out
}

func groupText(g Group) string {
	return fmt.Sprintf("%s: %s", hostList(g.Hosts), strings.Join(g.Ingresses, ", "))
}
