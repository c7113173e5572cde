package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/fn"
	"github.com/routeshift/routeshift/internal/gen"
	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/proof/check"
	"github.com/routeshift/routeshift/internal/proof/gateway"
	"github.com/routeshift/routeshift/internal/proof/nginx"
	"github.com/routeshift/routeshift/internal/proof/report"
	"github.com/routeshift/routeshift/internal/proof/source"
)

// Issue 14's promise: converted for an implementation and compared as that
// implementation routes, every request that routes differently is one the
// converter announced, by an approximation (or error) result on the
// Ingress concerned. These tests run the converter (fn.Convert) and diff
// (source, check, report) in one process, which only a package outside
// internal/proof may do: diff itself never imports the converter.

// announcement is one conversion compared: the input, the converter's
// output and results, and how diff is to read them.
type announcement struct {
	input, output []byte
	results       []report.ConverterResult
	impl          gateway.Implementation
	nginx         nginx.Options
}

// convertFor converts input with spec, as the function would, and returns
// what diff needs to compare the input with the output as impl; an error
// is an input the converter cannot read.
func convertFor(t *testing.T, name string, input []byte, spec fn.Spec, profile []byte, impl gateway.Implementation) (announcement, error) {
	t.Helper()
	objs, err := load.ReadStream(bytes.NewReader(input), name)
	if err != nil {
		return announcement{}, err
	}
	out, findings, _ := fn.Convert(objs, spec, false)
	var buf bytes.Buffer
	if err := load.WriteStream(&buf, out); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	data, err := json.Marshal(fn.Results(findings))
	if err != nil {
		t.Fatal(err)
	}
	var results []report.ConverterResult
	if err := json.Unmarshal(data, &results); err != nil {
		t.Fatal(err)
	}
	a := announcement{input: input, output: buf.Bytes(), results: results, impl: impl}
	a.nginx = nginx.Options{Classes: spec.IngressClassNames, Prefix: spec.AnnotationsPrefix,
		ExcludeUnclassed: spec.IncludeUnclassed != nil && !*spec.IncludeUnclassed}
	if profile != nil {
		if a.nginx.Profile, err = nginx.ParseProfile(profile); err != nil {
			t.Fatalf("%s: controller profile: %v", name, err)
		}
	}
	return a, nil
}

// unannounced compares the conversion and returns the report and what in
// it no converter result announced; an error is diff refusing an input.
func (a announcement) unannounced() (*report.Report, []report.Unannounced, error) {
	var trees [2]check.Tree
	for i, data := range [][]byte{a.input, a.output} {
		side, err := source.Read("-", bytes.NewReader(data), source.Options{})
		if err != nil {
			return nil, nil, err
		}
		trees[i] = check.Tree{Name: []string{"input", "output"}[i], Objects: side.Objects, How: side.How}
	}
	rep, err := check.Run(trees[0], trees[1], check.Options{Nginx: a.nginx, Gateway: gateway.Options{Implementation: a.impl}})
	if err != nil {
		return nil, nil, err
	}
	rep.MarkApproximations(a.results)
	return rep, rep.UnannouncedDifferences(), nil
}

// describeUnannounced lists the unannounced differences by cause: what
// differs, then each request with the host, both outcomes and the rules
// (the Ingress and the route) that decided them.
func describeUnannounced(us []report.Unannounced) string {
	byWhat := map[string][]report.Unannounced{}
	var whats []string
	for _, u := range us {
		if byWhat[u.What] == nil {
			whats = append(whats, u.What)
		}
		byWhat[u.What] = append(byWhat[u.What], u)
	}
	sort.Strings(whats)
	var b strings.Builder
	for _, w := range whats {
		fmt.Fprintf(&b, "\n  cause %q: %d requests", w, len(byWhat[w]))
		for i, u := range byWhat[w] {
			if i == 5 {
				fmt.Fprintf(&b, "\n    ... and %d more", len(byWhat[w])-i)
				break
			}
			d := u.Difference
			fmt.Fprintf(&b, "\n    %s (host %s)\n      before: %s [%s]\n      after:  %s [%s]",
				d.Text, u.Host, outcomeJSON(d.Before), d.Before.Rule, outcomeJSON(d.After), d.After.Rule)
		}
	}
	return b.String()
}

func outcomeJSON(v any) string {
	data, _ := json.Marshal(v)
	return string(data)
}

// implementationName is the functionConfig's name of an implementation.
func implementationName(i gateway.Implementation) string { return string(i) }

// TestGoldenDifferencesAreAnnounced: every golden case, converted for each
// implementation its configuration allows (a case configured for standard
// is converted for each; one configured for an implementation for that one)
// and also in its own configuration's output read as each implementation
// routes, differs from its Ingresses only where the converter said so.
// Cases whose input diff refuses, or whose configuration the converter
// refuses (nothing is generated, and the result names no Ingress), are
// named and left out.
func TestGoldenDifferencesAreAnnounced(t *testing.T) {
	dirs, err := filepath.Glob("../../testdata/cases/*")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, dir := range dirs {
		name := filepath.Base(dir)
		input, err := os.ReadFile(filepath.Join(dir, "input.yaml"))
		if err != nil {
			continue
		}
		cfgPath := filepath.Join(dir, "config.yaml")
		var profile []byte
		if _, err := os.Stat(cfgPath); err != nil {
			cfgPath = ""
		} else if profile, err = os.ReadFile(cfgPath); err != nil {
			t.Fatal(err)
		}
		spec, err := readConfig(cfgPath)
		if err != nil {
			t.Logf("%s: left out, the converter refuses the configuration: %v", name, err)
			continue
		}
		if bytes.Contains(profile, []byte("kind: ConfigMap")) {
			profile = nil // the ConfigMap form has no controller block
		}
		own := spec.Implementation
		for _, impl := range gateway.Implementations() {
			runs := map[string]fn.Spec{}
			if own == "" || own == "standard" {
				runs["standard output"] = spec
			}
			if own == "" || own == "standard" || own == implementationName(impl) {
				s := spec
				s.Implementation = implementationName(impl)
				runs["converted for "+string(impl)] = s
			}
			for what, s := range runs {
				a, err := convertFor(t, name, input, s, profile, impl)
				if err != nil {
					t.Logf("%s: left out, the input does not parse: %v", name, err)
					break
				}
				rep, us, err := a.unannounced()
				if err != nil {
					t.Logf("%s: left out, diff refuses the input: %v", name, err)
					break
				}
				checked++
				if len(us) > 0 {
					t.Errorf("%s, %s, compared as %s: %d of %d differing requests not announced by the converter:%s",
						name, what, impl, len(us), rep.Differences, describeUnannounced(us))
				}
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d comparisons ran; are the golden cases where this test expects them?", checked)
	}
}

// TestRealisticDifferencesAreAnnounced: a realistic estate (internal/gen,
// the mix of make bench's 10k figure: host-less regex Ingresses, wildcard
// hosts, canaries, capture-group rewrites), converted for each
// implementation and compared as it routes, differs only where the
// converter said so, and at most 1% of its requests are unverifiable.
func TestRealisticDifferencesAreAnnounced(t *testing.T) {
	const n = 400 // holds a host-less regex Ingress (every 400th, from 13) and every other feature
	input := gen.RealisticStream(n, 20)
	for _, impl := range gateway.Implementations() {
		spec, err := readConfig("")
		if err != nil {
			t.Fatal(err)
		}
		spec.Implementation = implementationName(impl)
		a, err := convertFor(t, "realistic", input, spec, nil, impl)
		if err != nil {
			t.Fatal(err)
		}
		rep, us, err := a.unannounced()
		if err != nil {
			t.Fatalf("%s: %v", impl, err)
		}
		if rep.Differences == 0 {
			t.Errorf("%s: no difference at all: the mix holds announced ones (one-label wildcards), so the comparison did not run", impl)
		}
		if len(us) > 0 {
			t.Errorf("%s: %d of %d differing requests not announced by the converter:%s", impl, len(us), rep.Differences, describeUnannounced(us))
		}
		if share := float64(rep.Unverifiable) / float64(max(rep.Probes, 1)); share > 0.01 {
			t.Errorf("%s: %d of %d requests (%.2f%%) unverifiable, want at most 1%%", impl, rep.Unverifiable, rep.Probes, 100*share)
		}
		t.Logf("%s: %d requests, %d differ (all announced), %d unverifiable", impl, rep.Probes, rep.Differences, rep.Unverifiable)
	}
}
