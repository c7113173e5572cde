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
	// Accepted names the acceptance (--accept) or the acknowledgement
	// (accept file) that covers the difference.
	Accepted string `json:"accepted,omitempty"`
	// Cause is the ID of the difference's cause in its comparison.
	Cause int `json:"cause,omitempty"`
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
	// Causes group the findings of Hosts (cause.go), most requests first.
	Causes []Cause `json:"causes,omitempty"`
	Hosts  []Host  `json:"hosts"`
}

// Report is the result of one diff.
type Report struct {
	Verdict      string `json:"verdict"`
	Summary      string `json:"summary"`
	Probes       int    `json:"probes"`
	Differences  int    `json:"differences"`
	Unverifiable int    `json:"unverifiable"`
	Accepted     int    `json:"accepted,omitempty"`
	// AcceptedUnverifiable counts the accepted requests that are
	// unverifiable (an accept file's outcome: unverifiable entries): diff
	// did not decide them, someone acknowledged them.
	AcceptedUnverifiable int `json:"acceptedUnverifiable,omitempty"`
	// Stale counts the acknowledgements of the accept file that match no
	// difference: each fails the check (Acknowledge).
	Stale int `json:"stale,omitempty"`
	// AcceptFile and Acknowledgements are the accept file read and what
	// each of its entries matched (Acknowledge).
	AcceptFile       string            `json:"acceptFile,omitempty"`
	Acknowledgements []Acknowledgement `json:"acknowledgements,omitempty"`
	Comparisons      []Comparison      `json:"comparisons"`
	// Unannounced counts, when the converter's results were read
	// (MarkApproximations), the differing requests that none of them
	// announced; nil without them.
	Unannounced *int `json:"unannounced,omitempty"`

	// approx are the converter's approximation results by Ingress
	// (MarkApproximations).
	approx map[string][]string
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

// New totals comparisons into a report with its verdict, and groups the
// findings of each comparison into causes.
func New(cs ...Comparison) *Report {
	r := &Report{Comparisons: cs}
	r.finish()
	return r
}

// finish computes the totals, the verdict and the causes from the
// comparisons; it runs again after findings move (Acknowledge).
func (r *Report) finish() {
	r.Probes, r.Differences, r.Unverifiable, r.Accepted, r.AcceptedUnverifiable = 0, 0, 0, 0, 0
	hosts, diffHosts := 0, 0
	for i := range r.Comparisons {
		c := &r.Comparisons[i]
		c.group()
		r.Probes += c.Probes
		r.Differences += c.Differences
		r.Unverifiable += c.Unverifiable
		r.Accepted += c.Accepted
		for _, h := range c.Hosts {
			hosts++
			if len(h.Differences) > 0 {
				diffHosts++
			}
			for _, d := range h.Accepted {
				if d.Before.Kind == routing.Unverifiable || d.After.Kind == routing.Unverifiable {
					r.AcceptedUnverifiable++
				}
			}
		}
	}
	r.markApproximations()
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
		switch {
		case r.Accepted > r.AcceptedUnverifiable:
			r.Summary = fmt.Sprintf("equivalent but for accepted changes: %s compared", plural(r.Probes, "request"))
		case r.AcceptedUnverifiable > 0:
			// Nothing differs that diff could decide; what it could not
			// was acknowledged, which is not "the same way".
			r.Summary = fmt.Sprintf("no difference found in %s", plural(r.Probes, "request"))
		}
	}
	if r.Differences > 0 && r.Unverifiable > 0 {
		r.Summary += fmt.Sprintf("; %s cannot be verified", plural(r.Unverifiable, "more request"))
	}
	if n := r.Accepted - r.AcceptedUnverifiable; n > 0 {
		r.Summary += fmt.Sprintf("; %s differ in accepted ways", plural(n, "request"))
	}
	if r.AcceptedUnverifiable > 0 {
		r.Summary += fmt.Sprintf("; %s cannot be verified and %s acknowledged", plural(r.AcceptedUnverifiable, "request"), map[bool]string{true: "is", false: "are"}[r.AcceptedUnverifiable == 1])
	}
	if r.Stale > 0 {
		verb := "match"
		if r.Stale == 1 {
			verb = "matches"
		}
		r.Summary += fmt.Sprintf("; %s of the accept file %s nothing (stale)", plural(r.Stale, "acknowledgement"), verb)
	}
}

// ExitCode is 1 when requests route differently, when an acknowledgement
// is stale, or when some requests cannot be verified and
// failOnUnverifiable is set; 0 otherwise.
func (r *Report) ExitCode(failOnUnverifiable bool) int {
	if r.Differences > 0 || r.Stale > 0 || (failOnUnverifiable && r.Unverifiable > 0) {
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
