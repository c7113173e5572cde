package support

import (
	"bytes"
	"fmt"
	"strings"
)

// CountsTable is the Markdown table of fates per implementation that the
// README carries.
func CountsTable(rows []Row) string {
	counts := Counts(rows)
	var b strings.Builder
	b.WriteString("| fate |")
	for _, name := range Implementations {
		fmt.Fprintf(&b, " %s |", name)
	}
	b.WriteString("\n|---|")
	for range Implementations {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, f := range Fates {
		fmt.Fprintf(&b, "| %s |", f)
		for _, name := range Implementations {
			fmt.Fprintf(&b, " %d |", counts[name][f])
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Markdown is docs/annotations.md.
func Markdown(rows []Row) []byte {
	var b bytes.Buffer
	b.WriteString(`# ingress-nginx annotations in routeshift

Generated from the code by ` + "`go test ./internal/support -update`" + `; do not edit. For every annotation of the
catalogue (` + fmt.Sprint(len(rows)) + ` names, aliases included, all under the ` + "`nginx.ingress.kubernetes.io/`" + ` prefix or the configured
` + "`annotationsPrefix`" + `), what the conversion does with it for each ` + "`spec.implementation`" + `:

- **converted**: standard Gateway API carries it exactly;
- **policy**: the implementation's own policy carries it exactly;
- **approximated**: carried, with the difference stated here and in the results;
- **unsupported**: not carried; the results warn, naming what would carry it;
- **unsafe**: raw configuration or an injection vector: never translated, an error result by default;
- **no effect**: tunes nginx internals or observability; no effect on routing.

A value can still make one Ingress's fate worse than the table (an invalid URL, a redirect code Gateway API lacks);
the results say so.

## Counts

`)
	b.WriteString(CountsTable(rows))
	b.WriteString("\n## Annotations\n\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "### `%s`\n\n", r.Entry.Name)
		alias := ""
		if r.Entry.AliasOf != "" {
			alias = fmt.Sprintf(", alias of `%s`", r.Entry.AliasOf)
		}
		fmt.Fprintf(&b, "%s risk, %s scope, Gateway API: %s%s. %s\n\n", r.Entry.Risk, strings.ToLower(r.Entry.Scope.String()), tags(r), alias, r.Entry.Gateway)
		b.WriteString("| implementation | fate | how |\n|---|---|---|\n")
		for _, name := range Implementations {
			c := r.Cells[name]
			fmt.Fprintf(&b, "| %s | %s | %s |\n", name, c.Fate, escape(c.How))
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

func tags(r Row) string {
	var out []string
	for _, t := range r.Entry.Tags {
		out = append(out, t.String())
	}
	return strings.Join(out, "+")
}

func escape(s string) string {
	s = strings.ReplaceAll(s, "|", "\\|")
	return strings.ReplaceAll(s, "\n", " ")
}
