package inventory

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes the report as GitHub-flavoured Markdown, for a
// migration ticket or a pull request: a heading per section, tables and
// lists, every value from the manifests escaped so that it cannot break
// the table or turn into markup.
func (r *Report) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# Ingress inventory\n\n%s.\n\nImplementations: %s.\n", mdEscape(r.headline()), mdEscape(strings.Join(r.Implementations, ", ")))
	for _, s := range r.sections() {
		fmt.Fprintf(bw, "\n## %s\n\n", mdEscape(s.Title))
		if s.Intro != "" {
			fmt.Fprintf(bw, "%s\n\n", mdEscape(s.Intro))
		}
		switch {
		case len(s.Rows) > 0:
			fmt.Fprintf(bw, "| %s |\n|", mdRow(s.Header))
			for range s.Header {
				bw.WriteString("---|")
			}
			bw.WriteString("\n")
			for _, row := range s.Rows {
				fmt.Fprintf(bw, "| %s |\n", mdRow(row))
			}
		case len(s.Items) > 0:
			for _, it := range s.Items {
				fmt.Fprintf(bw, "- %s\n", mdEscape(it.Text))
				for _, sub := range it.Sub {
					fmt.Fprintf(bw, "  - %s\n", mdEscape(sub))
				}
			}
		default:
			fmt.Fprintf(bw, "%s\n", mdEscape(s.Empty))
		}
	}
	return bw.Flush()
}

func mdRow(cells []string) string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = mdEscape(c)
	}
	return strings.Join(out, " | ")
}

// mdEscape makes text literal: a host, path or annotation value from a
// manifest may hold |, backticks, brackets or HTML. Line breaks would end
// a table row, so they become spaces.
var mdEscaper = strings.NewReplacer(
	"\\", "\\\\", "|", "\\|", "`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]",
	"<", "&lt;", ">", "&gt;", "&", "&amp;", "#", "\\#", "\n", " ", "\r", " ",
)

func mdEscape(s string) string { return mdEscaper.Replace(s) }
