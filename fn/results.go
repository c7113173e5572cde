package fn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"

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
// thousands of results, so runs of them are encoded on every core; block
// sequences at column 0 concatenate into one.
func encodeResults(findings finding.List) ([]byte, error) {
	if len(findings) == 0 {
		return nil, nil
	}
	const run = 1000
	runs := (len(findings) + run - 1) / run
	texts := make([][]byte, runs)
	errs := make([]error, runs)
	parallel.For(runs, func(r int) {
		data, err := json.Marshal(Results(findings[r*run : min(len(findings), (r+1)*run)]))
		if err == nil {
			texts[r], err = load.EncodeJSON(data)
		}
		errs[r] = err
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return bytes.Join(texts, nil), nil
}

// WriteSummary prints what kustomize and Argo CD users see (they show only
// stderr): one line per error and warning, then counts.
func WriteSummary(w io.Writer, findings finding.List, sum Summary) {
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
