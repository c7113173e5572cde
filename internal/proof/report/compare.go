package report

import (
	"fmt"
	"sort"

	"github.com/routeshift/routeshift/internal/proof/routing"
)

// Difference is one request with the two outcomes.
type Difference struct {
	Request routing.Request `json:"request"`
	Text    string          `json:"text"`
	Before  routing.Outcome `json:"before"`
	After   routing.Outcome `json:"after"`
	// Accepted names the acceptance (--accept) that covers the difference.
	Accepted string `json:"accepted,omitempty"`
}

// Host groups the findings for one request host.
type Host struct {
	Host         string       `json:"host"`
	Probes       int          `json:"probes"`
	Differences  []Difference `json:"differences,omitempty"`
	Unverifiable []Difference `json:"unverifiable,omitempty"`
	// Accepted are differences an --accept name covers.
	Accepted []Difference `json:"accepted,omitempty"`
}

// Comparison is one pair of models asked the same probes.
type Comparison struct {
	Before       string `json:"before"`
	After        string `json:"after"`
	Probes       int    `json:"probes"`
	Differences  int    `json:"differences"`
	Unverifiable int    `json:"unverifiable"`
	Accepted     int    `json:"accepted,omitempty"`
	// Notes are assumptions a model made (a Gateway that is not in the
	// manifests, ...), for the reviewer to check.
	Notes []string `json:"notes,omitempty"`
	Hosts []Host   `json:"hosts"`
}

// Report is the result of one diff.
type Report struct {
	Verdict      string       `json:"verdict"`
	Summary      string       `json:"summary"`
	Probes       int          `json:"probes"`
	Differences  int          `json:"differences"`
	Unverifiable int          `json:"unverifiable"`
	Accepted     int          `json:"accepted,omitempty"`
	Comparisons  []Comparison `json:"comparisons"`
}

// Compare asks both models every probe.
func Compare(beforeName string, before routing.Evaluator, afterName string, after routing.Evaluator, probes []routing.Request) Comparison {
	c := Comparison{Before: beforeName, After: afterName, Probes: len(probes), Hosts: []Host{}}
	hosts := map[string]*Host{}
	for _, r := range probes {
		h := r.Hostname()
		hr := hosts[h]
		if hr == nil {
			hr = &Host{Host: h}
			hosts[h] = hr
		}
		hr.Probes++
		b, a := before.Evaluate(r), after.Evaluate(r)
		switch {
		case b.Kind == routing.Unverifiable || a.Kind == routing.Unverifiable:
			hr.Unverifiable = append(hr.Unverifiable, Difference{Request: r, Text: r.String(), Before: b, After: a})
			c.Unverifiable++
		case !routing.Equal(b, a):
			hr.Differences = append(hr.Differences, Difference{Request: r, Text: r.String(), Before: b, After: a})
			c.Differences++
		}
	}
	for _, h := range hosts {
		if len(h.Differences) > 0 || len(h.Unverifiable) > 0 || len(h.Accepted) > 0 {
			c.Hosts = append(c.Hosts, *h)
		}
	}
	sort.Slice(c.Hosts, func(i, j int) bool { return c.Hosts[i].Host < c.Hosts[j].Host })
	return c
}

// New totals comparisons into a report with its verdict.
func New(cs ...Comparison) *Report {
	r := &Report{Comparisons: cs}
	hosts, diffHosts := 0, 0
	for _, c := range cs {
		r.Probes += c.Probes
		r.Differences += c.Differences
		r.Unverifiable += c.Unverifiable
		r.Accepted += c.Accepted
		for _, h := range c.Hosts {
			hosts++
			if len(h.Differences) > 0 {
				diffHosts++
			}
		}
	}
	switch {
	case r.Differences > 0:
		r.Verdict = "different"
		r.Summary = fmt.Sprintf("routing differs: %s on %s (%s compared)",
			plural(r.Differences, "request"), plural(diffHosts, "host"), plural(r.Probes, "request"))
	case r.Unverifiable > 0:
		r.Verdict = "unverifiable"
		r.Summary = fmt.Sprintf("no difference found in %s, but %s cannot be verified",
			plural(r.Probes, "request"), plural(r.Unverifiable, "request"))
	default:
		r.Verdict = "equivalent"
		r.Summary = fmt.Sprintf("equivalent: %s route the same way", plural(r.Probes, "request"))
	}
	if r.Differences > 0 && r.Unverifiable > 0 {
		r.Summary += fmt.Sprintf("; %s cannot be verified", plural(r.Unverifiable, "more request"))
	}
	if r.Accepted > 0 {
		r.Summary += fmt.Sprintf("; %s differ in accepted ways", plural(r.Accepted, "request"))
	}
	return r
}

// ExitCode is 1 when requests route differently, or when some cannot be
// verified and failOnUnverifiable is set; 0 otherwise.
func (r *Report) ExitCode(failOnUnverifiable bool) int {
	if r.Differences > 0 || (failOnUnverifiable && r.Unverifiable > 0) {
		return 1
	}
	return 0
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if word == "more request" {
		return fmt.Sprintf("%d more requests", n)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
