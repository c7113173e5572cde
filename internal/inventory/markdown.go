package inventory

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// WriteMarkdown writes the report as GitHub-flavoured Markdown, for a
// migration ticket or a pull request: a heading per section, tables and
// lists, every value from the manifests escaped so that it cannot break
// the table or turn into markup.
func (r *Report) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# Ingress inventory\n\n%s.\n\nImplementations: %s.\n", mdEscape(r.headline()), mdEscape(strings.Join(r.Implementations, ", ")))
	if p := r.provenance(); p != "" {
		fmt.Fprintf(bw, "\n%s.\n", mdEscape(p))
	}
	sections := r.sections()
	// The contents link to the headings by the anchors GitHub derives
	// from them (mdSlug); the titles are ours, never from a manifest.
	bw.WriteString("\n## Contents\n\n")
	for _, s := range sections {
		fmt.Fprintf(bw, "- [%s](#%s)\n", mdEscape(s.Title), mdSlug(s.Title))
	}
	for _, s := range sections {
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
					fmt.Fprintf(bw, "  - %s\n", mdEscape(sub.Text))
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

// mdSlug is the anchor GitHub gives a heading: lower case, letters,
// digits, '-' and '_' kept, spaces turned into '-', the rest dropped.
func mdSlug(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(title) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}
