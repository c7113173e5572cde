package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteText writes the report for a terminal or a CI log: the
// acknowledgements of the accept file, per comparison its causes (one line
// each, with an example request, both outcomes and the rules that decided
// them), then per host every finding with its cause, then the verdict.
// Every string from the manifests or the accept file is printed through
// textValue (escape.go): one line each, no control character, no workflow
// command.
func (r *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	if len(r.Acknowledgements) > 0 {
		fmt.Fprintf(bw, "accept file %s:\n", textValue(r.AcceptFile))
		for _, a := range r.Acknowledgements {
			fmt.Fprintf(bw, "  %d. %s: %s%s\n", a.Index, textValue(entryText(a.Entry)), ackState(a), addedText(a))
		}
		fmt.Fprintln(bw)
	}
	for _, c := range r.Comparisons {
		if len(r.Comparisons) > 1 || len(c.Hosts) > 0 {
			fmt.Fprintf(bw, "%s -> %s: %d requests, %d differ, %d unverifiable\n",
				textValue(c.Before), textValue(c.After), c.Probes, c.Differences, c.Unverifiable)
		}
		for _, n := range c.Notes {
			fmt.Fprintf(bw, "note: %s\n", textValue(n))
		}
		if len(c.Causes) > 0 {
			fmt.Fprintf(bw, "\ncauses:\n")
			for _, k := range c.Causes {
				writeTextCause(bw, k)
			}
		}
		for _, h := range c.Hosts {
			fmt.Fprintf(bw, "\n%s (%s: %d differ, %d unverifiable)\n", textValue(h.Host), plural(h.Probes, "request"), len(h.Differences), len(h.Unverifiable))
			for _, d := range h.Differences {
				writeTextDiff(bw, d)
			}
			if len(h.Unverifiable) > 0 {
				fmt.Fprintf(bw, "  unverifiable:\n")
				for _, d := range h.Unverifiable {
					writeTextDiff(bw, d)
				}
			}
			if len(h.Accepted) > 0 {
				fmt.Fprintf(bw, "  accepted:\n")
				for _, d := range h.Accepted {
					writeTextDiff(bw, d)
				}
			}
		}
		if len(c.Hosts) > 0 {
			fmt.Fprintln(bw)
		}
	}
	fmt.Fprintln(bw, textValue(r.Summary))
	return bw.Flush()
}

// writeTextCause writes a cause's line and its example.
func writeTextCause(w io.Writer, k Cause) {
	kind := ""
	if k.Kind != KindDifference {
		kind = k.Kind + ": "
	}
	fmt.Fprintf(w, "  %d. %s%s: %s on %s\n", k.ID, kind, textValue(k.What), plural(k.Requests, "request"), plural(k.Hosts, "host"))
	fmt.Fprintf(w, "     e.g. %s\n", textValue(k.Example.Text))
	fmt.Fprintf(w, "       before: %s%s\n", textValue(k.Example.Before.String()), rule(k.Example.Before.Rule))
	fmt.Fprintf(w, "       after:  %s%s\n", textValue(k.Example.After.String()), rule(k.Example.After.Rule))
	for _, t := range k.Converter {
		fmt.Fprintf(w, "     converter: %s\n", textValue(t))
	}
	if k.Unannounced > 0 {
		fmt.Fprintf(w, "     not announced by the converter: %s\n", plural(k.Unannounced, "request"))
	}
}

func writeTextDiff(w io.Writer, d Difference) {
	fmt.Fprintf(w, "  %s (cause %d)\n", textValue(d.Text), d.Cause)
	fmt.Fprintf(w, "    before: %s%s\n", textValue(d.Before.String()), rule(d.Before.Rule))
	fmt.Fprintf(w, "    after:  %s%s\n", textValue(d.After.String()), rule(d.After.Rule))
}

func rule(s string) string {
	if s == "" {
		return ""
	}
	return " [" + textValue(s) + "]"
}

// entryText is an acknowledgement as one line: its fields in the order of
// the format. The caller escapes it.
func entryText(e AcceptEntry) string {
	var parts []string
	for _, f := range entryFields(e) {
		parts = append(parts, f[0]+" "+f[1])
	}
	return strings.Join(parts, ", ")
}

// entryFields are the fields an acknowledgement sets, name and value.
func entryFields(e AcceptEntry) [][2]string {
	var out [][2]string
	for _, f := range [][2]string{{"host", e.Host}, {"path", e.Path}, {"pathPrefix", e.PathPrefix}, {"request", e.Request},
		{"change", e.Change}, {"after", e.After}, {"class", e.Class}, {"outcome", e.Outcome}, {"reason", e.Reason}} {
		if f[1] != "" {
			out = append(out, f)
		}
	}
	return out
}

func ackState(a Acknowledgement) string {
	if a.Stale() {
		return "STALE: matches nothing (remove it, or fix it to match the change it was written for)"
	}
	return "matches " + plural(a.Matched, "request")
}

func addedText(a Acknowledgement) string {
	if a.Added {
		return " (added by this change)"
	}
	return ""
}
