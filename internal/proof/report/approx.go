package report

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// The converter says where its output is an approximation of what
// ingress-nginx does (a KRM result whose message says "approximated", on
// the Ingress it converted). A difference the converter announced is not
// a surprise: the report marks its cause with the converter's words, so
// the reviewer reads "expected, because ..." next to it. The results are
// read as data (the KRM results schema), never by importing the
// converter: the proof stays independent of what it checks.

// ConverterResult is the part of a KRM function result the report reads.
type ConverterResult struct {
	Message     string `json:"message"`
	Severity    string `json:"severity,omitempty"`
	ResourceRef *struct {
		APIVersion string `json:"apiVersion,omitempty"`
		Kind       string `json:"kind"`
		Name       string `json:"name"`
		Namespace  string `json:"namespace,omitempty"`
	} `json:"resourceRef,omitempty"`
}

// ReadConverterResults reads the converter's results from a file holding
// either the list of results (a `results.yaml`, kpt's results) or a whole
// ResourceList (the function's output), YAML or JSON.
func ReadConverterResults(path string) ([]ConverterResult, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseConverterResults(data, path)
}

// ParseConverterResults is ReadConverterResults of data, named path.
func ParseConverterResults(data []byte, path string) ([]ConverterResult, error) {
	trimmed := bytes.TrimSpace(data)
	var list []ConverterResult
	if err := yaml.Unmarshal(trimmed, &list); err == nil {
		return list, nil
	}
	var rl struct {
		Kind    string            `json:"kind"`
		Results []ConverterResult `json:"results"`
	}
	if err := yaml.Unmarshal(trimmed, &rl); err != nil {
		return nil, fmt.Errorf("%s: want a list of KRM results or a ResourceList: %w", path, err)
	}
	if rl.Kind != "ResourceList" && rl.Kind != "FunctionResultList" {
		return nil, fmt.Errorf("%s: want a list of KRM results or a ResourceList, not kind %q", path, rl.Kind)
	}
	return rl.Results, nil
}

// MarkApproximations marks every cause decided, before, by an Ingress the
// converter announced a difference for (announces), or, after, by a route
// it made from one, with the text of those results. The mark is per
// Ingress: a cause of an Ingress with two announcements shows both. An
// error about a generated route (one that would not attach) announces for
// the Ingress it was made from, whose requests it no longer serves.
func (r *Report) MarkApproximations(results []ConverterResult) {
	// Non-nil even when empty: with the results read, a difference no
	// result announced is counted as such.
	byIngress := map[string][]string{}
	// made are the routes the converter made from each Ingress ("converted
	// to HTTPRoute a, HTTPRoute b, Gateway g; annotations converted: ...",
	// in the Ingress's namespace), keyed "route namespace/name".
	made := map[string][]string{}
	for _, res := range results {
		ref := res.ResourceRef
		if ref == nil {
			continue
		}
		k := ref.Namespace + "/" + ref.Name
		switch ref.Kind {
		case "Ingress":
			if list, ok := strings.CutPrefix(res.Message, "converted to "); ok {
				list, _, _ = strings.Cut(list, "; ")
				for _, m := range strings.Split(list, ", ") {
					if kind, name, ok := strings.Cut(m, " "); ok && (kind == "HTTPRoute" || kind == "GRPCRoute") {
						made[k] = append(made[k], "route "+ref.Namespace+"/"+name)
					}
				}
			}
			if announces(res) {
				byIngress[k] = append(byIngress[k], "Ingress "+k+": "+res.Message)
			}
		case "HTTPRoute", "GRPCRoute":
			if res.Severity == "error" {
				byIngress["route "+k] = append(byIngress["route "+k], ref.Kind+" "+k+": "+res.Message)
			}
		}
	}
	// A route carries the announcements of the Ingress it was made from (a
	// request no Ingress rule decided, 404 before, is decided after by such
	// a route), and the Ingress those of its routes.
	own := map[string][]string{}
	for k, v := range byIngress {
		own[k] = v
	}
	ingresses := make([]string, 0, len(made))
	for ing := range made {
		ingresses = append(ingresses, ing)
	}
	sort.Strings(ingresses)
	for _, ing := range ingresses {
		for _, rt := range made[ing] {
			byIngress[rt] = append(byIngress[rt], own[ing]...)
			byIngress[ing] = append(byIngress[ing], own[rt]...)
		}
	}
	r.approx = byIngress
	r.markApproximations()
}

// announces says whether a converter result about an Ingress announces
// that what the Ingress became routes differently from ingress-nginx, in
// the converter's fixed words (fn/convert.go account, and the warnings of
// internal/convert): an error (the Ingress, or the part the result names,
// is not converted), an approximation ("approximated: ...", "annotation X
// is approximated: ..."), or an annotation whose meaning the output does
// not carry ("annotation X is unsupported: ...", "... is unsafe and was
// not translated"), or a generated route left out because another
// controller writes it in the cluster ("... is left out: ...", Flagger).
func announces(res ConverterResult) bool {
	if res.Severity == "error" {
		return true
	}
	msg := strings.ToLower(res.Message)
	return strings.Contains(msg, "approximat") || strings.Contains(msg, " is unsupported: ") ||
		strings.Contains(msg, " is unsafe and was not translated") || strings.Contains(msg, " is left out: ")
}

// ingressNamed finds the Ingresses an ingress-nginx rule names: the one
// whose path decided ("Ingress shop/web: Prefix /") and any other that
// took part ("...; canary cookie c=always of Ingress shop/web-canary").
var ingressNamed = regexp.MustCompile(`(?:^|[ ;(])Ingress ([a-z0-9][a-z0-9.-]*/[a-z0-9][a-z0-9.-]*)`)

// ingressesOf is the namespace/name of every Ingress a before-side rule
// names, the deciding one first.
func ingressesOf(rule string) []string {
	var out []string
	for _, m := range ingressNamed.FindAllStringSubmatch(rule, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// announced says whether a converter result announced the difference d:
// an Ingress whose rule decided the before side, or the Ingress the route
// that decided the after side was made from, has a result that announces
// (announces). The test is per Ingress, not per request: a result about
// one path of an Ingress announces every difference that Ingress decides.
func (r *Report) announced(d *Difference) bool {
	for _, ing := range ingressesOf(d.Before.Rule) {
		if len(r.approx[ing]) > 0 {
			return true
		}
	}
	if rt := routeOf(d.After.Rule); rt != "" && len(r.approx["route "+rt]) > 0 {
		return true
	}
	return false
}

// Unannounced is a differing request that no converter result announced.
type Unannounced struct {
	// Comparison is the index of its comparison in Report.Comparisons.
	Comparison int
	Host       string
	Difference Difference
	// What is its cause's description.
	What string
}

// UnannouncedDifferences lists, after MarkApproximations, the differing
// requests (not the unverifiable or accepted ones) that no converter
// result announced, by comparison, host and request; nil without
// converter results. A conversion whose every difference is announced
// routes as ingress-nginx did except where the converter said otherwise.
func (r *Report) UnannouncedDifferences() []Unannounced {
	if r.approx == nil {
		return nil
	}
	var out []Unannounced
	for ci := range r.Comparisons {
		c := &r.Comparisons[ci]
		what := map[int]string{}
		for _, k := range c.Causes {
			what[k.ID] = k.What
		}
		for _, h := range c.Hosts {
			for i := range h.Differences {
				if d := &h.Differences[i]; !r.announced(d) {
					out = append(out, Unannounced{Comparison: ci, Host: h.Host, Difference: *d, What: what[d.Cause]})
				}
			}
		}
	}
	return out
}

// markApproximations applies the results MarkApproximations keeps to the
// causes, which finish computes anew.
func (r *Report) markApproximations() {
	if r.approx == nil {
		return
	}
	total := 0
	for ci := range r.Comparisons {
		c := &r.Comparisons[ci]
		unannounced := map[int]int{}
		for _, h := range c.Hosts {
			for i := range h.Differences {
				if d := &h.Differences[i]; !r.announced(d) {
					unannounced[d.Cause]++
					total++
				}
			}
		}
		for i := range c.Causes {
			cause := &c.Causes[i]
			cause.Unannounced = unannounced[cause.ID]
			seen := map[string]bool{}
			var texts []string
			for _, ing := range cause.ingresses {
				for _, m := range r.approx[ing] {
					if !seen[m] {
						seen[m] = true
						texts = append(texts, m)
					}
				}
			}
			sort.Strings(texts)
			cause.Converter = texts
		}
	}
	r.Unannounced = &total
}
