package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// WriteText writes the report for a terminal or a CI log: per host the
// differing requests with both outcomes, then the unverifiable ones, then
// the verdict. Every string from the manifests is printed through
// textValue (escape.go): one line each, no control character, no workflow
// command.
func (r *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, c := range r.Comparisons {
		if len(r.Comparisons) > 1 || len(c.Hosts) > 0 {
			fmt.Fprintf(bw, "%s -> %s: %d requests, %d differ, %d unverifiable\n",
				textValue(c.Before), textValue(c.After), c.Probes, c.Differences, c.Unverifiable)
		}
		for _, n := range c.Notes {
			fmt.Fprintf(bw, "note: %s\n", textValue(n))
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
				fmt.Fprintf(bw, "  accepted (%s):\n", textValue(h.Accepted[0].Accepted))
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

func writeTextDiff(w io.Writer, d Difference) {
	fmt.Fprintf(w, "  %s\n", textValue(d.Text))
	fmt.Fprintf(w, "    before: %s%s\n", textValue(d.Before.String()), rule(d.Before.Rule))
	fmt.Fprintf(w, "    after:  %s%s\n", textValue(d.After.String()), rule(d.After.Rule))
}

func rule(s string) string {
	if s == "" {
		return ""
	}
	return " [" + textValue(s) + "]"
}

// WriteMarkdown writes the report as a pull request comment: the verdict
// first, then one collapsible section per host. Every string from the
// manifests is a code span (codeSpan) or, in the raw HTML of a host's
// <summary>, an escaped <code> element (htmlCode): see escape.go.
func (r *Report) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	icon := map[string]string{"equivalent": "✅", "different": "❌", "unverifiable": "⚠️"}[r.Verdict]
	fmt.Fprintf(bw, "%s **routeshift diff**: %s\n", icon, mdText(r.Summary))
	for _, c := range r.Comparisons {
		if len(r.Comparisons) > 1 || len(c.Hosts) > 0 {
			fmt.Fprintf(bw, "\n%s → %s: %d requests, %d differ, %d unverifiable\n",
				codeSpan(c.Before, false), codeSpan(c.After, false), c.Probes, c.Differences, c.Unverifiable)
		}
		for _, n := range c.Notes {
			fmt.Fprintf(bw, "\n> **Note:** %s\n", codeSpan(n, false))
		}
		for _, h := range c.Hosts {
			// The line is an HTML block (CommonMark, HTML blocks, start
			// condition 6: it starts with <details>) up to the blank line
			// after it, so its content is raw HTML, not Markdown.
			fmt.Fprintf(bw, "\n<details><summary>%s: %d differ, %d unverifiable (of %s)</summary>\n",
				htmlCode(h.Host), len(h.Differences), len(h.Unverifiable), plural(h.Probes, "request"))
			if len(h.Differences) > 0 {
				fmt.Fprintf(bw, "\n| request | before | after |\n|---|---|---|\n")
				for _, d := range h.Differences {
					writeMarkdownRow(bw, d, false)
				}
			}
			if len(h.Unverifiable) > 0 {
				fmt.Fprintf(bw, "\nUnverifiable:\n\n| request | before | after |\n|---|---|---|\n")
				for _, d := range h.Unverifiable {
					writeMarkdownRow(bw, d, false)
				}
			}
			if len(h.Accepted) > 0 {
				fmt.Fprintf(bw, "\nAccepted (`--accept`):\n\n| request | before | after | accepted as |\n|---|---|---|---|\n")
				for _, d := range h.Accepted {
					writeMarkdownRow(bw, d, true)
				}
			}
			fmt.Fprintf(bw, "\n</details>\n")
		}
	}
	return bw.Flush()
}

func writeMarkdownRow(w io.Writer, d Difference, accepted bool) {
	fmt.Fprintf(w, "| %s | %s | %s |", codeSpan(d.Text, true), codeSpan(d.Before.String(), true), codeSpan(d.After.String(), true))
	if accepted {
		fmt.Fprintf(w, " %s |", codeSpan(d.Accepted, true))
	}
	fmt.Fprintln(w)
}

// WriteJSON writes the report as indented JSON (shape in the package
// documentation).
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
