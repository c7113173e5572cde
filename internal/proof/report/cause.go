package report

import (
	"sort"
	"strconv"
	"strings"

	"github.com/routeshift/routeshift/internal/proof/routing"
)

// A reviewer of a routing change wants to know what changed and why, not
// which of the probes (a path, its neighbours, each header variant, over
// http and https) happened to show it: one canary weight change differs on
// a dozen probes. So the findings of a comparison are grouped into causes:
// findings with the same kind (difference, unverifiable, accepted) and the
// same description of what differs, where the parts of an outcome that
// follow the request (the path and Host the backend sees, a Location) are
// written relative to the request ("{path}", "{host}"). A change repeated
// on every host (a redirect that keeps a trailing '/' on 5,000 hosts) is
// one cause; two changes at one path (the weight of a canary, and where
// its header sends requests) are two.

// Cause is one group of findings of a comparison.
type Cause struct {
	// ID numbers the causes of a comparison from 1, in the order the
	// reports list them; each finding's Cause refers to it.
	ID int `json:"id"`
	// Kind is "difference", "unverifiable" or "accepted".
	Kind string `json:"kind"`
	// What says what differs, relative to the request.
	What     string `json:"what"`
	Requests int    `json:"requests"`
	Hosts    int    `json:"hosts"`
	// Example is the first finding of the cause (by host, then request),
	// with the rules that decided each side.
	Example Difference `json:"example"`
	// Rules are the distinct rules that decided the before and the after
	// side over all the cause's findings.
	BeforeRules int `json:"beforeRules"`
	AfterRules  int `json:"afterRules"`
	// Converter holds the text of the converter's results that called
	// what the Ingresses of this cause became an approximation
	// (MarkApproximations).
	Converter []string `json:"converter,omitempty"`
	// Unannounced counts the cause's differing requests that no converter
	// result announced (UnannouncedDifferences); only with the results.
	Unannounced int `json:"unannounced,omitempty"`

	// ingresses are the Ingresses (namespace/name) whose rules decided the
	// before side and ("route " namespace/name) the routes that decided
	// the after side, for MarkApproximations.
	ingresses []string
}

// Cause kinds.
const (
	KindDifference   = "difference"
	KindUnverifiable = "unverifiable"
	KindAccepted     = "accepted"
)

// group computes c.Causes and sets Cause on every finding of c.
func (c *Comparison) group() {
	type acc struct {
		cause         *Cause
		hosts         map[string]bool
		before, after map[string]bool
		ingresses     map[string]bool
	}
	byKey := map[string]*acc{}
	var order []*acc
	visit := func(host string, kind string, ds []Difference) {
		for i := range ds {
			d := &ds[i]
			what := describe(d)
			if kind == KindAccepted {
				what = d.Accepted + ": " + what
			}
			key := kind + "\x00" + what
			a := byKey[key]
			if a == nil {
				a = &acc{cause: &Cause{Kind: kind, What: what, Example: *d}, hosts: map[string]bool{},
					before: map[string]bool{}, after: map[string]bool{}, ingresses: map[string]bool{}}
				byKey[key] = a
				order = append(order, a)
			}
			a.cause.Requests++
			a.hosts[host] = true
			a.before[d.Before.Rule] = true
			a.after[d.After.Rule] = true
			for _, ing := range ingressesOf(d.Before.Rule) {
				a.ingresses[ing] = true
			}
			if rt := routeOf(d.After.Rule); rt != "" {
				a.ingresses["route "+rt] = true
			}
		}
	}
	for i := range c.Hosts {
		h := &c.Hosts[i]
		visit(h.Host, KindDifference, h.Differences)
		visit(h.Host, KindUnverifiable, h.Unverifiable)
		visit(h.Host, KindAccepted, h.Accepted)
	}
	rank := map[string]int{KindDifference: 0, KindUnverifiable: 1, KindAccepted: 2}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i].cause, order[j].cause
		if a.Kind != b.Kind {
			return rank[a.Kind] < rank[b.Kind]
		}
		if a.Requests != b.Requests {
			return a.Requests > b.Requests
		}
		return a.What < b.What
	})
	ids := map[string]int{}
	c.Causes = make([]Cause, len(order))
	for i, a := range order {
		a.cause.ID = i + 1
		a.cause.Hosts = len(a.hosts)
		a.cause.BeforeRules = countRules(a.before)
		a.cause.AfterRules = countRules(a.after)
		a.cause.ingresses = sortedKeys(a.ingresses)
		a.cause.Example.Cause = i + 1
		ids[a.cause.Kind+"\x00"+a.cause.What] = i + 1
		c.Causes[i] = *a.cause
	}
	for i := range c.Hosts {
		h := &c.Hosts[i]
		for _, g := range []struct {
			kind string
			ds   []Difference
		}{{KindDifference, h.Differences}, {KindUnverifiable, h.Unverifiable}, {KindAccepted, h.Accepted}} {
			kind, ds := g.kind, g.ds
			for j := range ds {
				what := describe(&ds[j])
				if kind == KindAccepted {
					what = ds[j].Accepted + ": " + what
				}
				ds[j].Cause = ids[kind+"\x00"+what]
			}
		}
	}
}

func countRules(m map[string]bool) int {
	n := len(m)
	if m[""] {
		n--
	}
	return n
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// routeOf is the namespace/name of the route an after-side rule names
// ("HTTPRoute shop/web rule 0"), or "".
func routeOf(rule string) string {
	for _, kind := range []string{"HTTPRoute ", "GRPCRoute "} {
		if rest, ok := strings.CutPrefix(rule, kind); ok {
			if i := strings.IndexByte(rest, ' '); i >= 0 {
				rest = rest[:i]
			}
			return rest
		}
	}
	return ""
}

// describe says what differs between the two outcomes of d, relative to
// its request, so that the same change on other requests reads the same.
func describe(d *Difference) string {
	b, a, r := d.Before, d.After, &d.Request
	if b.Kind == routing.Unverifiable || a.Kind == routing.Unverifiable {
		var parts []string
		if b.Kind == routing.Unverifiable {
			parts = append(parts, "before: "+relative(b.Reason, r))
		}
		if a.Kind == routing.Unverifiable {
			parts = append(parts, "after: "+relative(a.Reason, r))
		}
		return strings.Join(parts, "; ")
	}
	if b.Kind != a.Kind {
		// What the client gets changed: that is the cause. The backends
		// of the forwarding side, one Service per host on a large estate,
		// are in the example, not in the cause.
		return kindShape(b, r) + " → " + kindShape(a, r)
	}
	var parts []string
	switch b.Kind {
	case routing.Forward:
		if !routing.Equal(routing.Outcome{Kind: routing.Forward, Backends: b.Backends}, routing.Outcome{Kind: routing.Forward, Backends: a.Backends}) {
			parts = append(parts, "backends "+split(b.Backends)+" → "+split(a.Backends))
		}
		if b.RewrittenPath != a.RewrittenPath {
			parts = append(parts, "path sent "+relPath(b.RewrittenPath, r)+" → "+relPath(a.RewrittenPath, r))
		}
		if !strings.EqualFold(b.RewrittenHost, a.RewrittenHost) {
			parts = append(parts, "Host sent "+relHost(b.RewrittenHost, r)+" → "+relHost(a.RewrittenHost, r))
		}
		if !routing.Equal(routing.Outcome{Kind: routing.Forward, RequestHeaders: b.RequestHeaders}, routing.Outcome{Kind: routing.Forward, RequestHeaders: a.RequestHeaders}) {
			parts = append(parts, "request headers "+changes(b.RequestHeaders)+" → "+changes(a.RequestHeaders))
		}
		if !routing.Equal(routing.Outcome{Kind: routing.Forward, ResponseHeaders: b.ResponseHeaders}, routing.Outcome{Kind: routing.Forward, ResponseHeaders: a.ResponseHeaders}) {
			parts = append(parts, "response headers "+changes(b.ResponseHeaders)+" → "+changes(a.ResponseHeaders))
		}
	case routing.Redirect:
		if b.Redirect == nil || a.Redirect == nil {
			parts = append(parts, shape(b, r)+" → "+shape(a, r))
			break
		}
		if b.Redirect.Status != a.Redirect.Status {
			parts = append(parts, "redirect status "+strconv.Itoa(b.Redirect.Status)+" → "+strconv.Itoa(a.Redirect.Status))
		}
		if b.Redirect.Location != a.Redirect.Location {
			parts = append(parts, "Location "+relLocation(b.Redirect.Location, r)+" → "+relLocation(a.Redirect.Location, r))
		}
	case routing.Status:
		parts = append(parts, "status "+strconv.Itoa(b.Status)+" → "+strconv.Itoa(a.Status))
	}
	if len(parts) == 0 {
		return shape(b, r) + " → " + shape(a, r)
	}
	return strings.Join(parts, "; ")
}

// shape is an outcome in a few words, relative to the request.
func shape(o routing.Outcome, r *routing.Request) string {
	switch o.Kind {
	case routing.Forward:
		return "forward to " + split(o.Backends)
	case routing.Redirect:
		if o.Redirect == nil {
			return "redirect"
		}
		return "redirect " + strconv.Itoa(o.Redirect.Status) + " to " + relLocation(o.Redirect.Location, r)
	case routing.Status:
		return "status " + strconv.Itoa(o.Status)
	case routing.Refused:
		return "refused"
	}
	return string(o.Kind)
}

// kindShape is shape without the backends of a forward.
func kindShape(o routing.Outcome, r *routing.Request) string {
	if o.Kind == routing.Forward {
		return "forward"
	}
	return shape(o, r)
}

// split is the backends as Outcome.String writes them.
func split(bs []routing.Backend) string {
	s := routing.Outcome{Kind: routing.Forward, Backends: bs}.String()
	return strings.TrimSuffix(strings.TrimPrefix(s, "forward to "), ", path ")
}

func changes(cs []routing.HeaderChange) string {
	if len(cs) == 0 {
		return "none"
	}
	s := make([]string, len(cs))
	for i, c := range cs {
		c.Name = strings.ToLower(c.Name)
		s[i] = c.String()
	}
	sort.Strings(s)
	return strings.Join(s, ", ")
}

// relPath writes a path (and query) the backend sees relative to the
// request's: "{path}" for the request's own, "/v2{path}" for a prefix
// added, "{path}/" for a '/' added, "{path} without /api" for a prefix
// taken away. Anything else stays literal.
func relPath(p string, r *routing.Request) string {
	q := r.Path
	if rq := r.RawQuery(); rq != "" {
		q += "?" + rq
	}
	switch {
	case p == q:
		return "{path}"
	case q != "/" && strings.HasPrefix(p, q):
		return "{path}" + p[len(q):]
	case q != "/" && strings.HasSuffix(p, q):
		return p[:len(p)-len(q)] + "{path}"
	case p != "/" && p != "" && strings.HasSuffix(q, p):
		return "{path} without " + q[:len(q)-len(p)]
	case strings.HasSuffix(q, "/") && p == strings.TrimSuffix(q, "/"):
		return "{path} without its trailing /"
	}
	return p
}

func relHost(h string, r *routing.Request) string {
	if strings.EqualFold(h, r.Host) || strings.EqualFold(h, r.Hostname()) {
		return "{host}"
	}
	return h
}

// relLocation writes a redirect Location relative to the request:
// "https://{host}{path}/".
func relLocation(loc string, r *routing.Request) string {
	for _, scheme := range []string{"https://", "http://"} {
		rest, ok := strings.CutPrefix(loc, scheme)
		if !ok {
			continue
		}
		for _, h := range []string{r.Host, r.Hostname()} {
			if h != "" && len(rest) >= len(h) && strings.EqualFold(rest[:len(h)], h) && (len(rest) == len(h) || rest[len(h)] == '/' || rest[len(h)] == '?') {
				path := rest[len(h):]
				if path == "" {
					return scheme + "{host}"
				}
				return scheme + "{host}" + relPath(path, r)
			}
		}
		return loc
	}
	if strings.HasPrefix(loc, "/") {
		return relPath(loc, r)
	}
	return loc
}

// objectKinds are the kinds of the objects a model names in a reason ("in
// HTTPRoute team-002/app-3-http"), in the order they are tried at one
// place.
var objectKinds = []string{"Ingress", "HTTPRoute", "GRPCRoute", "Gateway", "Service"}

// replaceObjectRefs replaces each "Kind namespace/name" of a reason with
// "Kind {name}". It is the regular expression
// \b(Ingress|HTTPRoute|GRPCRoute|Gateway|Service) [a-z0-9][a-z0-9.-]*/[a-z0-9][a-z0-9.-]*
// written out: diff calls it for every differing request, and the regular
// expression took a tenth of the realistic 10k estate's diff
// (bench/results.md); TestReplaceObjectRefs holds the two equal.
// Kubernetes names are DNS labels and subdomains.
func replaceObjectRefs(reason string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(reason); i++ {
		if i > 0 && isWordByte(reason[i-1]) {
			continue // \b: a kind starts a word
		}
		for _, k := range objectKinds {
			if !strings.HasPrefix(reason[i:], k) || i+len(k) >= len(reason) || reason[i+len(k)] != ' ' {
				continue
			}
			ns := nameEnd(reason, i+len(k)+1)
			if ns < 0 || ns >= len(reason) || reason[ns] != '/' {
				continue
			}
			end := nameEnd(reason, ns+1)
			if end < 0 {
				continue
			}
			b.WriteString(reason[last:i])
			b.WriteString(k)
			b.WriteString(" {name}")
			last = end
			i = end - 1
			break
		}
	}
	if last == 0 {
		return reason
	}
	b.WriteString(reason[last:])
	return b.String()
}

// nameEnd is the end of [a-z0-9][a-z0-9.-]* at s[i:], -1 when none starts
// there.
func nameEnd(s string, i int) int {
	if i >= len(s) || !(s[i] >= 'a' && s[i] <= 'z' || s[i] >= '0' && s[i] <= '9') {
		return -1
	}
	for i++; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			break
		}
	}
	return i
}

// isWordByte is \w of Go's regular expressions.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// relative replaces the request's host and the objects a reason names, so
// that one reason given for many hosts and objects reads the same; the
// example of the cause keeps them.
func relative(reason string, r *routing.Request) string {
	reason = replaceObjectRefs(reason)
	// Only a name with a dot: a one-label host ("a") would replace
	// letters of the reason.
	if h := r.Hostname(); strings.Contains(h, ".") {
		reason = strings.ReplaceAll(reason, h, "{host}")
	}
	return reason
}

// family is what a probe path was made from (probe.Paths): the path
// itself, with and without a trailing '/', one segment deeper ("/probe"),
// a sibling ("probe" appended) and in upper case. The Markdown report
// shows a family as one row.
func family(path string) string {
	p := strings.ToLower(path)
	if len(p) > 1 {
		p = strings.TrimSuffix(p, "/")
	}
	switch {
	case strings.HasSuffix(p, "/probe"):
		p = p[:len(p)-len("/probe")]
	case len(p) > len("/probe") && strings.HasSuffix(p, "probe"):
		p = p[:len(p)-len("probe")]
	}
	if len(p) > 1 {
		p = strings.TrimSuffix(p, "/")
	}
	if p == "" {
		p = "/"
	}
	return p
}
