package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// WriteText writes the report for a terminal: per host the differing
// requests with both outcomes, then the unverifiable ones, then the verdict.
func (r *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, c := range r.Comparisons {
		if len(r.Comparisons) > 1 || len(c.Hosts) > 0 {
			fmt.Fprintf(bw, "%s -> %s: %d requests, %d differ, %d unverifiable\n",
				c.Before, c.After, c.Probes, c.Differences, c.Unverifiable)
		}
		for _, n := range c.Notes {
			fmt.Fprintf(bw, "note: %s\n", n)
		}
		for _, h := range c.Hosts {
			fmt.Fprintf(bw, "\n%s (%s: %d differ, %d unverifiable)\n", h.Host, plural(h.Probes, "request"), len(h.Differences), len(h.Unverifiable))
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
				fmt.Fprintf(bw, "  accepted (%s):\n", h.Accepted[0].Accepted)
				for _, d := range h.Accepted {
					writeTextDiff(bw, d)
				}
			}
		}
		if len(c.Hosts) > 0 {
			fmt.Fprintln(bw)
		}
	}
	fmt.Fprintln(bw, r.Summary)
	return bw.Flush()
}

func writeTextDiff(w io.Writer, d Difference) {
	fmt.Fprintf(w, "  %s\n", d.Text)
	fmt.Fprintf(w, "    before: %s%s\n", d.Before, rule(d.Before.Rule))
	fmt.Fprintf(w, "    after:  %s%s\n", d.After, rule(d.After.Rule))
}

func rule(s string) string {
	if s == "" {
		return ""
	}
	return " [" + s + "]"
}

// WriteMarkdown writes the report as a pull request comment: the verdict
// first, then one collapsible section per host.
func (r *Report) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	icon := map[string]string{"equivalent": "✅", "different": "❌", "unverifiable": "⚠️"}[r.Verdict]
	fmt.Fprintf(bw, "%s **routeshift diff**: %s\n", icon, md(r.Summary))
	for _, c := range r.Comparisons {
		if len(r.Comparisons) > 1 || len(c.Hosts) > 0 {
			fmt.Fprintf(bw, "\n`%s` → `%s`: %d requests, %d differ, %d unverifiable\n",
				c.Before, c.After, c.Probes, c.Differences, c.Unverifiable)
		}
		for _, n := range c.Notes {
			fmt.Fprintf(bw, "\n> **Note:** %s\n", md(n))
		}
		for _, h := range c.Hosts {
			fmt.Fprintf(bw, "\n<details><summary><code>%s</code>: %d differ, %d unverifiable (of %s)</summary>\n",
				h.Host, len(h.Differences), len(h.Unverifiable), plural(h.Probes, "request"))
			if len(h.Differences) > 0 {
				fmt.Fprintf(bw, "\n| request | before | after |\n|---|---|---|\n")
				for _, d := range h.Differences {
					fmt.Fprintf(bw, "| `%s` | %s | %s |\n", cell(d.Text), md(d.Before.String()), md(d.After.String()))
				}
			}
			if len(h.Unverifiable) > 0 {
				fmt.Fprintf(bw, "\nUnverifiable:\n\n| request | before | after |\n|---|---|---|\n")
				for _, d := range h.Unverifiable {
					fmt.Fprintf(bw, "| `%s` | %s | %s |\n", cell(d.Text), md(d.Before.String()), md(d.After.String()))
				}
			}
			if len(h.Accepted) > 0 {
				fmt.Fprintf(bw, "\nAccepted (`--accept`):\n\n| request | before | after | accepted as |\n|---|---|---|---|\n")
				for _, d := range h.Accepted {
					fmt.Fprintf(bw, "| `%s` | %s | %s | %s |\n", cell(d.Text), md(d.Before.String()), md(d.After.String()), md(d.Accepted))
				}
			}
			fmt.Fprintf(bw, "\n</details>\n")
		}
	}
	return bw.Flush()
}

// md escapes what would break a table cell or start markup.
func md(s string) string {
	r := strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "'", "\n", " ")
	return r.Replace(s)
}

func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "`", "'", "\n", " ").Replace(s)
}

// WriteJSON writes the report as indented JSON (shape in the package
// documentation).
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
