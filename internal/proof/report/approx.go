package report

import (
	"bytes"
	"fmt"
	"os"
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
// converter reported an approximation for, or, after, by a route it made
// from one, with the text of those results. The mark is per Ingress: a
// cause of an Ingress with two approximations shows both.
func (r *Report) MarkApproximations(results []ConverterResult) {
	byIngress := map[string][]string{}
	var converted []ConverterResult
	for _, res := range results {
		ref := res.ResourceRef
		if ref == nil || ref.Kind != "Ingress" {
			continue
		}
		if strings.HasPrefix(res.Message, "converted to ") {
			converted = append(converted, res)
		}
		if !strings.Contains(strings.ToLower(res.Message), "approximat") {
			continue
		}
		k := ref.Namespace + "/" + ref.Name
		byIngress[k] = append(byIngress[k], "Ingress "+k+": "+res.Message)
	}
	// A route the converter made from an Ingress ("converted to HTTPRoute
	// a, HTTPRoute b, Gateway g", in the Ingress's namespace) carries the
	// Ingress's approximations: a request no Ingress rule decided (404
	// before) is decided after by such a route.
	for _, res := range converted {
		ing := res.ResourceRef.Namespace + "/" + res.ResourceRef.Name
		if len(byIngress[ing]) == 0 {
			continue
		}
		for _, made := range strings.Split(strings.TrimPrefix(res.Message, "converted to "), ", ") {
			kind, name, ok := strings.Cut(made, " ")
			if ok && (kind == "HTTPRoute" || kind == "GRPCRoute") {
				k := "route " + res.ResourceRef.Namespace + "/" + name
				byIngress[k] = append(byIngress[k], byIngress[ing]...)
			}
		}
	}
	r.approx = byIngress
	r.markApproximations()
}

// markApproximations applies the results MarkApproximations keeps to the
// causes, which finish computes anew.
func (r *Report) markApproximations() {
	if len(r.approx) == 0 {
		return
	}
	for ci := range r.Comparisons {
		for i := range r.Comparisons[ci].Causes {
			cause := &r.Comparisons[ci].Causes[i]
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
}
