package report

import (
	"fmt"
	"io"
	"strings"
)

// MarkdownLimit is the size WriteMarkdown keeps a report under: GitHub
// refuses an issue comment over 65,536 characters, and the PR check adds
// a marker and a footer. Bytes are counted, never fewer than characters.
const MarkdownLimit = 60000

// maxRows caps the rows of one table in a host's section; a host with
// thousands of differing paths would otherwise take the whole comment.
const maxRows = 40

// maxAckLines caps the acknowledgements listed in the comment.
const maxAckLines = 50

// WriteMarkdown writes the report as a pull request comment, at most
// MarkdownLimit bytes: the verdict first, the acknowledgements the change
// adds and the stale ones, then one table of causes (what differs, how
// many requests on how many hosts, an example with both outcomes and the
// rules that decided them), then one collapsible section per host whose
// rows are probe families (a path and the neighbours probed around it).
// What does not fit is counted, not shown: the whole report is the JSON
// (WriteJSON) or WriteMarkdownFull.
//
// Every string from the manifests or the accept file is a code span
// (codeSpan) or, in the raw HTML of a host's <summary>, an escaped <code>
// element (htmlCode): see escape.go.
func (r *Report) WriteMarkdown(w io.Writer) error {
	return r.writeMarkdown(w, MarkdownLimit)
}

// WriteMarkdownFull writes the Markdown report without the size limit and
// without the row caps, for a file kept as a build artifact.
func (r *Report) WriteMarkdownFull(w io.Writer) error {
	return r.writeMarkdown(w, 0)
}

// mdWriter builds the report under a budget; limit 0 is no limit.
type mdWriter struct {
	strings.Builder
	limit int
}

// fits reports whether n more bytes fit, keeping reserve bytes for the
// note that says what was cut.
func (m *mdWriter) fits(n int) bool {
	const reserve = 1200
	return m.limit == 0 || m.Len()+n <= m.limit-reserve
}

func (r *Report) writeMarkdown(w io.Writer, limit int) error {
	m := &mdWriter{limit: limit}
	icon := map[string]string{"equivalent": "✅", "different": "❌", "unverifiable": "⚠️"}[r.Verdict]
	if r.Stale > 0 {
		icon = "❌"
	}
	fmt.Fprintf(m, "%s **routeshift diff**: %s\n", icon, mdText(r.Summary))
	r.writeMarkdownAcks(m)

	var cutCauses, cutCauseRequests, cutHosts, cutRows int
	for _, c := range r.Comparisons {
		if len(r.Comparisons) > 1 || len(c.Hosts) > 0 {
			fmt.Fprintf(m, "\n%s → %s: %d requests, %d differ, %d unverifiable\n",
				codeSpan(c.Before, false), codeSpan(c.After, false), c.Probes, c.Differences, c.Unverifiable)
		}
		for i, n := range c.Notes {
			note := fmt.Sprintf("\n> **Note:** %s\n", codeSpan(n, false))
			if m.limit != 0 && !m.fits(len(note)+m.limit/3) {
				fmt.Fprintf(m, "\n> **Note:** %d more notes are not shown (the whole list: the JSON report)\n", len(c.Notes)-i)
				break
			}
			m.WriteString(note)
		}
		if len(c.Causes) == 0 {
			continue
		}
		fmt.Fprintf(m, "\n| cause | what differs | requests | hosts | example | before | after |\n|---|---|---|---|---|---|---|\n")
		for i, k := range c.Causes {
			row := causeRow(k)
			// The causes come first: they may take two thirds of the
			// budget; the details get the rest.
			if m.limit != 0 && m.Len()+len(row) > (m.limit*2)/3 {
				for _, rest := range c.Causes[i:] {
					cutCauses++
					cutCauseRequests += rest.Requests
				}
				break
			}
			m.WriteString(row)
		}
	}
	for _, c := range r.Comparisons {
		if len(c.Hosts) == 0 {
			continue
		}
		if len(r.Comparisons) > 1 {
			fmt.Fprintf(m, "\nDetails of %s → %s:\n", codeSpan(c.Before, false), codeSpan(c.After, false))
		}
		for i, h := range c.Hosts {
			section, cut := hostSection(h, m.limit != 0)
			if !m.fits(len(section)) {
				cutHosts += len(c.Hosts) - i
				break
			}
			cutRows += cut
			m.WriteString(section)
		}
	}
	if cutCauses+cutHosts+cutRows > 0 {
		var parts []string
		if cutCauses > 0 {
			parts = append(parts, fmt.Sprintf("%s (%s)", plural(cutCauses, "more cause"), plural(cutCauseRequests, "request")))
		}
		if cutHosts > 0 {
			parts = append(parts, fmt.Sprintf("the sections of %s", plural(cutHosts, "more host")))
		}
		if cutRows > 0 {
			parts = append(parts, plural(cutRows, "more row")+" of the sections shown")
		}
		fmt.Fprintf(m, "\n**The report is cut to fit a comment:** %s are not shown. The whole report: `routeshift diff --format json`, or the report file (`--report-file`) the check keeps.\n",
			strings.Join(parts, ", "))
	}
	out := m.String()
	if m.limit != 0 && len(out) > m.limit {
		// Only the names of the two sides are not budgeted; they are the
		// command line's. Never send a comment GitHub refuses, nor one cut
		// inside a code span.
		out = fmt.Sprintf("%s **routeshift diff**: %s\n\nThe report does not fit a comment: see `routeshift diff --format json` or the report file (`--report-file`).\n", icon, mdText(r.Summary))
	}
	_, err := io.WriteString(w, out)
	return err
}

// writeMarkdownAcks lists the acknowledgements the change adds (a reviewer
// must see what a pull request declares intended) and the stale ones.
func (r *Report) writeMarkdownAcks(m *mdWriter) {
	var added, stale []Acknowledgement
	for _, a := range r.Acknowledgements {
		if a.Added {
			added = append(added, a)
		}
		if a.Stale() {
			stale = append(stale, a)
		}
	}
	list := func(title string, as []Acknowledgement) {
		if len(as) == 0 {
			return
		}
		fmt.Fprintf(m, "\n%s (%s):\n\n", title, codeSpan(r.AcceptFile, false))
		for i, a := range as {
			line := fmt.Sprintf("- %d: %s — %s\n", a.Index, entryMarkdown(a.Entry), mdText(ackState(a)))
			// An entry is the pull request's text, as long as it likes:
			// the list too is cut to fit, and says so.
			if m.limit != 0 && (i == maxAckLines || !m.fits(len(line)+m.limit/3)) {
				fmt.Fprintf(m, "- … and %d more (the whole list: the JSON report)\n", len(as)-i)
				break
			}
			m.WriteString(line)
		}
	}
	list(fmt.Sprintf("**This change adds %s**; each accepts the routing changes it matches", plural(len(added), "acknowledgement")), added)
	verb := "match"
	if len(stale) == 1 {
		verb = "matches"
	}
	list(fmt.Sprintf("**%s %s nothing (stale)**; remove or fix them", plural(len(stale), "acknowledgement"), verb), stale)
	if n := len(r.Acknowledgements) - len(added); n > 0 {
		matched := 0
		for _, a := range r.Acknowledgements {
			if !a.Added {
				matched += a.Matched
			}
		}
		fmt.Fprintf(m, "\n%s already in %s accept %s.\n", plural(n, "acknowledgement"), codeSpan(r.AcceptFile, false), plural(matched, "request"))
	}
}

// entryMarkdown is an acknowledgement's fields, each value a code span.
func entryMarkdown(e AcceptEntry) string {
	var parts []string
	for _, f := range entryFields(e) {
		parts = append(parts, f[0]+" "+codeSpan(f[1], false))
	}
	return strings.Join(parts, ", ")
}

// causeRow is one cause as a row of the causes table.
func causeRow(k Cause) string {
	id := fmt.Sprint(k.ID)
	if k.Kind != KindDifference {
		id += " (" + k.Kind + ")"
	}
	what := codeSpan(k.What, true)
	for _, t := range k.Converter {
		what += " — converter: " + codeSpan(t, true)
	}
	if k.Unannounced > 0 {
		what += fmt.Sprintf(" — **not announced by the converter: %s**", plural(k.Unannounced, "request"))
	}
	return fmt.Sprintf("| %s | %s | %d | %d | %s | %s | %s |\n", id, what, k.Requests, k.Hosts,
		codeSpan(k.Example.Text, true), outcomeCell(k.Example.Before.String(), k.Example.Before.Rule), outcomeCell(k.Example.After.String(), k.Example.After.Rule))
}

// outcomeCell is an outcome and the rule that decided it: the "why".
func outcomeCell(outcome, rule string) string {
	s := codeSpan(outcome, true)
	if rule != "" {
		s += " by " + codeSpan(rule, true)
	}
	return s
}

// hostSection is a host's collapsible section. With capped set, each
// table has at most maxRows rows; cut counts the rows left out.
func hostSection(h Host, capped bool) (string, int) {
	var b strings.Builder
	cut := 0
	// The line is an HTML block (CommonMark, HTML blocks, start condition
	// 6: it starts with <details>) up to the blank line after it, so its
	// content is raw HTML, not Markdown.
	fmt.Fprintf(&b, "\n<details><summary>%s: %d differ, %d unverifiable, %d accepted (of %s)</summary>\n",
		htmlCode(h.Host), len(h.Differences), len(h.Unverifiable), len(h.Accepted), plural(h.Probes, "request"))
	for _, t := range []struct {
		title string
		ds    []Difference
	}{{"", h.Differences}, {"Unverifiable:", h.Unverifiable}, {"Accepted:", h.Accepted}} {
		if len(t.ds) == 0 {
			continue
		}
		if t.title != "" {
			fmt.Fprintf(&b, "\n%s\n", t.title)
		}
		fmt.Fprintf(&b, "\n| cause | request | before | after |\n|---|---|---|---|\n")
		rows := families(t.ds)
		for i, f := range rows {
			if capped && i == maxRows {
				cut += len(rows) - i
				fmt.Fprintf(&b, "| | %s not shown | | |\n", plural(len(rows)-i, "more row"))
				break
			}
			d := f.ds[0]
			req := codeSpan(d.Text, true)
			if n := len(f.ds) - 1; n > 0 {
				req += fmt.Sprintf(" and %s:", plural(n, "neighbour"))
				for j, o := range f.ds[1:] {
					if j == 3 {
						req += " …"
						break
					}
					req += " " + codeSpan(variant(o), true)
				}
			}
			fmt.Fprintf(&b, "| %d | %s | %s | %s |\n", d.Cause, req,
				outcomeCell(d.Before.String(), d.Before.Rule), outcomeCell(d.After.String(), d.After.Rule))
		}
	}
	b.WriteString("\n</details>\n")
	return b.String(), cut
}

// probeFamily is the findings of one cause at one path family.
type probeFamily struct{ ds []Difference }

// families groups findings by cause and path family (family), in the
// order of their first finding.
func families(ds []Difference) []probeFamily {
	idx := map[string]int{}
	var out []probeFamily
	for _, d := range ds {
		k := fmt.Sprint(d.Cause) + "\x00" + family(d.Request.Path)
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, probeFamily{})
		}
		out[i].ds = append(out[i].ds, d)
	}
	return out
}

// variant is a neighbour as the reports print a request, without the
// host it shares with the first of its family.
func variant(d Difference) string {
	r := d.Request
	return strings.Replace(d.Text, r.Scheme+"://"+r.Host, r.Scheme+"://…", 1)
}
