package report

import (
	"fmt"
	"sort"
	"strings"

	"github.com/routeshift/routeshift/internal/proof/routing"
)

// acceptances are differences a team can review once and accept, by name:
// a migration that must keep them would otherwise fail every pull request.
// Each is narrow, so that accepting it can never hide another change.
var acceptances = map[string]func(before, after routing.Outcome) bool{
	// ingress-nginx's https redirect strips a trailing '/' from the
	// path (http://h/x/ -> https://h/x); Gateway API redirects keep it.
	"redirect-trailing-slash": func(b, a routing.Outcome) bool {
		if b.Kind != routing.Redirect || a.Kind != routing.Redirect || b.Redirect == nil || a.Redirect == nil || b.Redirect.Status != a.Redirect.Status {
			return false
		}
		bp, bq, _ := strings.Cut(b.Redirect.Location, "?")
		ap, aq, _ := strings.Cut(a.Redirect.Location, "?")
		return bq == aq && ap == bp+"/"
	},
}

// Acceptances lists the names --accept takes.
func Acceptances() []string {
	names := make([]string, 0, len(acceptances))
	for n := range acceptances {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Accept moves the differences that one of the named acceptances covers
// out of the differences, into Accepted, where the reports still show them.
func (c *Comparison) Accept(names []string) error {
	var preds []func(b, a routing.Outcome) bool
	var labels []string
	for _, n := range names {
		p, ok := acceptances[n]
		if !ok {
			return fmt.Errorf("unknown acceptance %q (known: %s)", n, strings.Join(Acceptances(), ", "))
		}
		preds, labels = append(preds, p), append(labels, n)
	}
	for i := range c.Hosts {
		h := &c.Hosts[i]
		kept := h.Differences[:0]
		for _, d := range h.Differences {
			accepted := ""
			for j, p := range preds {
				if p(d.Before, d.After) {
					accepted = labels[j]
					break
				}
			}
			if accepted == "" {
				kept = append(kept, d)
				continue
			}
			d.Accepted = accepted
			h.Accepted = append(h.Accepted, d)
			c.Differences--
			c.Accepted++
		}
		h.Differences = kept
	}
	return nil
}
