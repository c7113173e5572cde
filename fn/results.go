package fn

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	sdk "github.com/kptdev/krm-functions-sdk/go/fn"

	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/parallel"
)

// Results turns findings into KRM function results (the kpt SDK's schema):
// severity, message, the object they are about, the field, and the file
// the object came from.
func Results(findings finding.List) []*sdk.Result {
	out := make([]*sdk.Result, 0, len(findings))
	for _, f := range findings {
		r := &sdk.Result{Message: f.Message, Severity: sdk.Severity(f.Severity.String())}
		if o := f.Object; o != nil {
			r.ResourceRef = &sdk.ResourceRef{APIVersion: o.APIVersion(), Kind: o.Kind(), Name: o.Name(), Namespace: o.Namespace()}
			if o.Source.Path != "" {
				r.File = &sdk.File{Path: o.Source.Path, Index: o.Source.Index}
			}
		}
		if f.Field != "" {
			r.Field = &sdk.Field{Path: f.Field}
		}
		out = append(out, r)
	}
	return out
}

// encodeResults encodes results as the ResourceList's results field
// takes them: YAML text, nil when there are none. A large run has tens of
// thousands of results (a tenth of a 10,000-Ingress run's CPU went to
// encoding them as JSON and that JSON as YAML), so they are written
// straight as the text load.EncodeJSON would make of Results' JSON form
// (TestEncodeResultsAsJSONWould holds the two equal): keys sorted, empty
// fields left out as omitempty leaves them out, strings quoted by the
// writers' rule.
func encodeResults(findings finding.List) ([]byte, error) {
	if len(findings) == 0 {
		return nil, nil
	}
	// In chunks on every core, put together in order: one result's text
	// depends on nothing but its finding.
	chunks := make([]bytes.Buffer, (len(findings)+resultChunk-1)/resultChunk)
	parallel.For(len(chunks), func(c int) {
		part := findings[c*resultChunk : min(len(findings), (c+1)*resultChunk)]
		chunks[c].Grow(200 * len(part))
		for _, f := range part {
			writeResult(&chunks[c], f)
		}
	})
	if len(chunks) == 1 {
		return chunks[0].Bytes(), nil
	}
	size := 0
	for i := range chunks {
		size += chunks[i].Len()
	}
	out := make([]byte, 0, size)
	for i := range chunks {
		out = append(out, chunks[i].Bytes()...)
	}
	return out, nil
}

// resultChunk is how many results one goroutine encodes at a time.
const resultChunk = 2048

// writeResult writes one result as a block sequence item at column 0, its
// keys in the order EncodeJSON sorts them: field, file, message,
// resourceRef, severity.
func writeResult(b *bytes.Buffer, f finding.Finding) {
	first := true
	key := func(k string) {
		if first {
			b.WriteString("- ")
			first = false
		} else {
			b.WriteString("  ")
		}
		b.WriteString(k)
		b.WriteByte(':')
	}
	scalar := func(k, v string) {
		key(k)
		b.WriteByte(' ')
		b.WriteString(load.QuoteString(jsonString(v)))
		b.WriteByte('\n')
	}
	nested := func(k string, pairs ...string) {
		key(k)
		wrote := false
		for i := 0; i+1 < len(pairs); i += 2 {
			if pairs[i+1] == "" {
				continue
			}
			if !wrote {
				b.WriteByte('\n')
				wrote = true
			}
			b.WriteString("    ")
			b.WriteString(pairs[i])
			b.WriteString(": ")
			b.WriteString(pairs[i+1])
			b.WriteByte('\n')
		}
		if !wrote {
			b.WriteString(" {}\n")
		}
	}
	quoted := func(s string) string {
		if s == "" {
			return ""
		}
		return load.QuoteString(jsonString(s))
	}
	o := f.Object
	if f.Field != "" {
		nested("field", "path", quoted(f.Field))
	}
	if o != nil && o.Source.Path != "" {
		index := ""
		if o.Source.Index != 0 {
			index = strconv.Itoa(o.Source.Index)
		}
		nested("file", "index", index, "path", quoted(o.Source.Path))
	}
	if f.Message != "" {
		scalar("message", f.Message)
	}
	if o != nil {
		nested("resourceRef", "apiVersion", quoted(o.APIVersion()), "kind", quoted(o.Kind()),
			"name", quoted(o.Name()), "namespace", quoted(o.Namespace()))
	}
	if sev := f.Severity.String(); sev != "" {
		scalar("severity", sev)
	}
	if first {
		b.WriteString("- {}\n")
	}
}

// jsonString is s as encoding/json writes it and reads it back: each byte
// of invalid UTF-8 becomes U+FFFD.
func jsonString(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// WriteSummary prints what kustomize and Argo CD users see (they show only
// stderr): one line per error and warning, then counts.
func WriteSummary(out io.Writer, findings finding.List, sum Summary) {
	// One write per line was one system call per warning: a large run
	// has thousands.
	w := bufio.NewWriterSize(out, 64<<10)
	defer w.Flush()
	counts := map[finding.Severity]int{}
	for _, f := range findings {
		counts[f.Severity]++
		if f.Severity == finding.Info {
			continue
		}
		where := "routeshift"
		if o := f.Object; o != nil {
			where = o.Ref()
		}
		field := ""
		if f.Field != "" {
			field = " " + f.Field
		}
		fmt.Fprintf(w, "%s: %s%s: %s\n", f.Severity, oneLine(where), oneLine(field), oneLine(f.Message))
	}
	var gen []string
	kinds := make([]string, 0, len(sum.Generated))
	for k := range sum.Generated {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		gen = append(gen, fmt.Sprintf("%d %s", sum.Generated[k], k))
	}
	generated := "nothing"
	if len(gen) > 0 {
		generated = strings.Join(gen, ", ")
	}
	fmt.Fprintf(w, "routeshift: %d Ingress(es) converted, %d failed, %d not for this controller; generated %s; %d error(s), %d warning(s), %d info\n",
		sum.Converted, sum.Failed, sum.Skipped, generated, counts[finding.Error], counts[finding.Warning], counts[finding.Info])
}

// oneLine keeps a summary line one line: names and values in messages come
// from the input, and a newline in them would forge another result line.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	s = strings.ReplaceAll(s, "\n", "; ")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
}
