package inventory

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteTable writes the report for a terminal: the headline, then each
// section as an aligned table or an indented list, the migration plan
// and what blocks it first.
func (r *Report) WriteTable(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "routeshift inventory: %s\n", r.headline())
	fmt.Fprintf(bw, "implementations: %s\n", strings.Join(r.Implementations, ", "))
	if p := r.provenance(); p != "" {
		fmt.Fprintf(bw, "%s\n", p)
	}
	for _, s := range r.sections() {
		fmt.Fprintf(bw, "\n%s\n", strings.ToUpper(s.Title))
		for _, line := range wrap(s.Intro, 100) {
			fmt.Fprintf(bw, "%s\n", line)
		}
		switch {
		case len(s.Rows) > 0:
			tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "  %s\n", strings.ToUpper(strings.Join(s.Header, "\t")))
			for _, row := range s.Rows {
				fmt.Fprintf(tw, "  %s\n", strings.Join(row, "\t"))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
		case len(s.Items) > 0:
			for _, it := range s.Items {
				fmt.Fprintf(bw, "  %s\n", it.Text)
				for _, sub := range it.Sub {
					fmt.Fprintf(bw, "    %s\n", sub.Text)
				}
			}
		default:
			fmt.Fprintf(bw, "  %s\n", s.Empty)
		}
	}
	return bw.Flush()
}

// wrap breaks text into lines of at most width characters at spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
