package routing

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Kind says what happened to a request.
type Kind string

const (
	// Forward: proxied to Backends.
	Forward Kind = "forward"
	// Redirect: answered with a 3xx and a Location.
	Redirect Kind = "redirect"
	// Status: answered by the data plane itself (404 no route, 500 invalid
	// backend, ...).
	Status Kind = "status"
	// Refused: the connection is not served: no listener on that port, or
	// HTTPS for a host without a certificate.
	Refused Kind = "refused"
	// Unverifiable: the outcome depends on something no static model can
	// know; Reason says what.
	Unverifiable Kind = "unverifiable"
)

// Backend is one weighted destination. Weights are relative: only
// Weight/sum(Weight) matters.
type Backend struct {
	Namespace string `json:"namespace,omitempty"`
	Service   string `json:"service,omitempty"`
	// Port is the Service port; PortName is set instead when an Ingress
	// names a port that no Service in the input resolves.
	Port     int32  `json:"port,omitempty"`
	PortName string `json:"portName,omitempty"`
	Weight   int64  `json:"weight"`
	// Status is non-zero for the share of traffic the data plane answers
	// itself, e.g. 500 for a Gateway backendRef that is not valid.
	Status int `json:"status,omitempty"`
}

func (b Backend) target() string {
	if b.Status != 0 {
		return "status " + strconv.Itoa(b.Status)
	}
	port := b.PortName
	if port == "" {
		port = strconv.Itoa(int(b.Port))
	}
	return b.Namespace + "/" + b.Service + ":" + port
}

// HeaderChange is one header operation on the way to the backend or back.
type HeaderChange struct {
	Op    string `json:"op"` // set, add or remove
	Name  string `json:"name"`
	Value string `json:"value,omitempty"`
}

// RedirectTo is a redirect response.
type RedirectTo struct {
	Status   int    `json:"status"`
	Location string `json:"location"`
}

// Outcome is what a data plane does with one request.
type Outcome struct {
	Kind Kind `json:"kind"`
	// Backends, RewrittenPath (path and query the backend sees) and
	// RewrittenHost (its Host header) describe a Forward. They are filled
	// even when nothing was rewritten, so that comparing two outcomes
	// compares what the backend receives, not how it got there.
	Backends        []Backend      `json:"backends,omitempty"`
	RewrittenPath   string         `json:"path,omitempty"`
	RewrittenHost   string         `json:"host,omitempty"`
	RequestHeaders  []HeaderChange `json:"requestHeaders,omitempty"`
	ResponseHeaders []HeaderChange `json:"responseHeaders,omitempty"`
	Redirect        *RedirectTo    `json:"redirect,omitempty"`
	Status          int            `json:"status,omitempty"`
	// Reason explains a Status, Refused or Unverifiable outcome. Rule names
	// the configuration that decided ("Ingress shop/web: Prefix /api").
	// Neither takes part in comparisons: they are for the reviewer.
	Reason string `json:"reason,omitempty"`
	Rule   string `json:"rule,omitempty"`
}

// StatusOutcome is a response the data plane makes itself.
func StatusOutcome(code int, reason string) Outcome {
	return Outcome{Kind: Status, Status: code, Reason: reason}
}

// UnverifiableOutcome marks a request whose outcome cannot be known.
func UnverifiableOutcome(reason string) Outcome {
	return Outcome{Kind: Unverifiable, Reason: reason}
}

// Equal reports whether two verifiable outcomes are the same for the
// client and the backend. Backends compare as proportions, in any order;
// header changes compare as sets.
func Equal(a, b Outcome) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case Forward:
		return sameSplit(a.Backends, b.Backends) &&
			a.RewrittenPath == b.RewrittenPath &&
			strings.EqualFold(a.RewrittenHost, b.RewrittenHost) &&
			sameChanges(a.RequestHeaders, b.RequestHeaders) &&
			sameChanges(a.ResponseHeaders, b.ResponseHeaders)
	case Redirect:
		if a.Redirect == nil || b.Redirect == nil {
			return a.Redirect == b.Redirect
		}
		return a.Redirect.Status == b.Redirect.Status &&
			normalizeLocation(a.Redirect.Location) == normalizeLocation(b.Redirect.Location)
	case Status:
		return a.Status == b.Status
	case Refused:
		return true
	}
	return false
}

// Split returns the backends merged by target with zero weights dropped,
// sorted by target: the canonical form of a weighted set.
func Split(bs []Backend) []Backend {
	m := map[string]int{}
	var out []Backend
	for _, b := range bs {
		if b.Weight <= 0 {
			continue
		}
		k := b.target()
		if i, ok := m[k]; ok {
			out[i].Weight += b.Weight
			continue
		}
		m[k] = len(out)
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].target() < out[j].target() })
	return out
}

// sameSplit compares proportions exactly: a/sa == b/sb as a*sb == b*sa.
func sameSplit(a, b []Backend) bool {
	a, b = Split(a), Split(b)
	if len(a) != len(b) {
		return false
	}
	var sa, sb int64
	for i := range a {
		sa += a[i].Weight
		sb += b[i].Weight
	}
	for i := range a {
		if a[i].target() != b[i].target() || a[i].Weight*sb != b[i].Weight*sa {
			return false
		}
	}
	return true
}

func sameChanges(a, b []HeaderChange) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = sortedChanges(a), sortedChanges(b)
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func sortedChanges(s []HeaderChange) []HeaderChange {
	out := make([]HeaderChange, len(s))
	for i, c := range s {
		c.Name = strings.ToLower(c.Name)
		out[i] = c
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		if out[i].Op != out[j].Op {
			return out[i].Op < out[j].Op
		}
		return out[i].Value < out[j].Value
	})
	return out
}

// normalizeLocation treats "https://h" and "https://h/" as the same
// Location: a client requests "/" for both.
func normalizeLocation(loc string) string {
	rest, ok := strings.CutPrefix(loc, "https://")
	scheme := "https://"
	if !ok {
		rest, ok = strings.CutPrefix(loc, "http://")
		scheme = "http://"
	}
	if !ok {
		return loc
	}
	i := strings.IndexAny(rest, "/?")
	switch {
	case i < 0:
		return scheme + rest + "/"
	case rest[i] == '?':
		return scheme + rest[:i] + "/" + rest[i:]
	}
	return loc
}

// String renders an outcome for reports: "forward shop/web:80 (path /x)".
func (o Outcome) String() string {
	switch o.Kind {
	case Forward:
		var b strings.Builder
		b.WriteString("forward to ")
		bs := Split(o.Backends)
		var sum int64
		for _, x := range bs {
			sum += x.Weight
		}
		for i, x := range bs {
			if i > 0 {
				b.WriteString(" + ")
			}
			b.WriteString(x.target())
			if len(bs) > 1 {
				fmt.Fprintf(&b, " (%s%%)", percent(x.Weight, sum))
			}
		}
		if len(bs) == 0 {
			b.WriteString("nothing")
		}
		fmt.Fprintf(&b, ", path %s", o.RewrittenPath)
		if o.RewrittenHost != "" {
			fmt.Fprintf(&b, ", host %s", o.RewrittenHost)
		}
		for _, c := range sortedChanges(o.RequestHeaders) {
			fmt.Fprintf(&b, ", request header %s", c)
		}
		for _, c := range sortedChanges(o.ResponseHeaders) {
			fmt.Fprintf(&b, ", response header %s", c)
		}
		return b.String()
	case Redirect:
		if o.Redirect == nil {
			return "redirect"
		}
		return fmt.Sprintf("redirect %d to %s", o.Redirect.Status, o.Redirect.Location)
	case Status:
		s := fmt.Sprintf("status %d", o.Status)
		if o.Reason != "" {
			s += " (" + o.Reason + ")"
		}
		return s
	case Refused:
		return "refused (" + o.Reason + ")"
	case Unverifiable:
		return "unverifiable (" + o.Reason + ")"
	}
	return string(o.Kind)
}

func (c HeaderChange) String() string {
	if c.Op == "remove" {
		return "remove " + c.Name
	}
	return c.Op + " " + c.Name + ": " + c.Value
}

func percent(w, sum int64) string {
	if sum == 0 {
		return "0"
	}
	s := strconv.FormatFloat(float64(w)*100/float64(sum), 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}
