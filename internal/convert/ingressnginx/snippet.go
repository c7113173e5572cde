package ingressnginx

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// Snippet is a configuration-snippet made only of directives routeshift
// can place (snippet triage): every value parsed, none copied as text.
// Anything else leaves the annotation unsafe, as before, naming the first
// directive that could not be placed.
type Snippet struct {
	// ResponseSet (more_set_headers) replaces response headers,
	// ResponseAdd (add_header) appends them, ResponseRemove
	// (more_clear_headers) removes them.
	ResponseSet, ResponseAdd []Header
	ResponseRemove           []string
	// RequestSet (proxy_set_header Name value) replaces headers sent
	// upstream; RequestRemove (proxy_set_header Name "") drops them.
	RequestSet    []Header
	RequestRemove []string
	// Redirect is a `return`, a `rewrite ^ URL permanent|redirect`, or
	// either inside `if ($host = <the Ingress's only host>)`.
	Redirect *Redirect
	// Allow and Deny are allow and deny lines: deny CIDR lines first, then
	// allow CIDR lines closed by `deny all`, the order ingress-nginx writes
	// denylist-source-range and allowlist-source-range in.
	Allow, Deny []netip.Prefix
	// Differences are what the translation does not reproduce exactly,
	// for the warning.
	Differences []string
}

// Gateway API's bounds on a header filter (HTTPHeaderFilter: at most 16
// entries in each of set, add and remove; names of at most 256
// characters): a snippet beyond them is refused rather than emitted as an
// object the API server rejects.
const (
	maxHeaderName    = 256
	maxHeaderEntries = 16
)

// Header is one header name and value.
type Header struct{ Name, Value string }

// HasAccess reports whether the snippet has allow or deny lines.
func (s *Snippet) HasAccess() bool { return len(s.Allow) > 0 || len(s.Deny) > 0 }

// Access are the snippet's allow and deny lines written as the annotations
// ingress-nginx renders into the same lines (allowlist-source-range,
// denylist-source-range), from the parsed prefixes: implementations read
// them through their usual intent.
func (s *Snippet) Access() map[string]string {
	out := map[string]string{}
	join := func(ps []netip.Prefix) string {
		parts := make([]string, len(ps))
		for i, p := range ps {
			parts[i] = p.String()
		}
		return strings.Join(parts, ",")
	}
	if len(s.Allow) > 0 {
		out["allowlist-source-range"] = join(s.Allow)
	}
	if len(s.Deny) > 0 {
		out["denylist-source-range"] = join(s.Deny)
	}
	return out
}

// snippetError is a directive that cannot be placed: Directive is its name
// (or "" for a syntax error), Why the reason.
type snippetError struct {
	Directive string
	Line      int
	Why       string
}

func (e *snippetError) Error() string {
	if e.Directive == "" {
		return e.Why
	}
	return fmt.Sprintf("directive %q on line %d cannot be placed: %s", clip(e.Directive), e.Line, e.Why)
}

// snippetContext is what a snippet's directives are checked against.
type snippetContext struct {
	// Hosts are the Ingress's rule hosts.
	Hosts []string
	// HasAccessAnnotations: the Ingress sets allowlist, whitelist or
	// denylist ranges itself; their lines and the snippet's would mix.
	HasAccessAnnotations bool
	// AccessCarried: the implementation maps IP access (not standard).
	AccessCarried bool
	// HasRedirect: the Ingress already redirects by annotation.
	HasRedirect bool
	// XForwardedPrefix: x-forwarded-prefix sets that request header.
	XForwardedPrefix bool
	// ResponseHeaders are the names custom-headers sets already.
	ResponseHeaders map[string]string
}

// parseSnippet triages a configuration-snippet.
func parseSnippet(src string, ctx snippetContext) (*Snippet, error) {
	ds, syntaxErr := tokenizeSnippet(src)
	if syntaxErr == nil && len(ds) == 0 {
		return nil, &snippetError{Why: "it holds no directive"}
	}
	s := &Snippet{}
	p := snippetParser{s: s, ctx: ctx, seen: map[string]bool{}, lastLine: map[string]int{}}
	if ctx.XForwardedPrefix {
		p.seen["request/x-forwarded-prefix"] = true
	}
	for name := range ctx.ResponseHeaders {
		p.seen["response/"+strings.ToLower(name)] = true
	}
	// The directives read before a syntax error are judged first, so
	// that the message names the first one that cannot be placed.
	for _, d := range ds {
		if err := p.directive(d); err != nil {
			return nil, err
		}
	}
	if se, ok := syntaxErr.(*syntaxError); ok {
		return nil, &snippetError{Directive: se.Directive, Line: se.Line, Why: "does not parse as nginx configuration (" + se.Error() + ")"}
	}
	for _, l := range []struct {
		name string
		n    int
	}{
		{"more_set_headers", len(s.ResponseSet) + len(ctx.ResponseHeaders)},
		{"add_header", len(s.ResponseAdd)},
		{"more_clear_headers", len(s.ResponseRemove)},
		{"proxy_set_header", len(s.RequestSet) + boolInt(ctx.XForwardedPrefix)},
		{"proxy_set_header", len(s.RequestRemove)},
	} {
		if l.n > maxHeaderEntries {
			return nil, &snippetError{Directive: l.name, Line: p.lastLine[l.name], Why: fmt.Sprintf("more than %d headers in one Gateway API header filter list", maxHeaderEntries)}
		}
	}
	if p.allowing && !p.denyAll {
		return nil, &snippetError{Directive: "allow", Line: p.allowLine, Why: "allow lines without a closing `deny all;` allow everyone"}
	}
	if p.denyAll && len(s.Allow) == 0 {
		return nil, &snippetError{Directive: "deny", Line: p.denyAllLine, Why: "`deny all;` without allow lines denies every request, which no route reproduces"}
	}
	if s.HasAccess() {
		if ctx.HasAccessAnnotations {
			return nil, &snippetError{Directive: p.accessName, Line: p.accessLine, Why: "the Ingress sets source-range annotations too, whose lines nginx would mix with these"}
		}
		if !ctx.AccessCarried {
			return nil, &snippetError{Directive: p.accessName, Line: p.accessLine, Why: "standard Gateway API has no IP access control; set spec.implementation to one whose policies carry it, as for allowlist-source-range"}
		}
	}
	return s, nil
}

type snippetParser struct {
	s   *Snippet
	ctx snippetContext
	// seen are header names already placed (lower case, per direction).
	seen map[string]bool
	// access order: deny CIDR*, then allow CIDR*, then deny all.
	allowing, denyAll      bool
	allowLine, denyAllLine int
	accessName             string
	accessLine             int
	redirects              bool
	// lastLine is each directive's last line, for the header bound.
	lastLine map[string]int
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (p *snippetParser) fail(d directive, format string, args ...any) error {
	return &snippetError{Directive: d.Name, Line: d.Line, Why: fmt.Sprintf(format, args...)}
}

func (p *snippetParser) directive(d directive) error {
	if p.redirects {
		// nginx's return ends the rewrite phase: what follows in the
		// location would still configure it, so triage refuses rather
		// than reason about which phase each directive runs in.
		return p.fail(d, "it follows a redirect")
	}
	if d.HasBlock && d.Name != "if" {
		return p.fail(d, "a block is only triaged for `if ($host = ...)`")
	}
	for _, a := range d.Args {
		if err := safe(a); err != nil {
			return p.fail(d, "an argument %s", err)
		}
	}
	p.lastLine[d.Name] = d.Line
	switch d.Name {
	case "more_set_headers":
		if len(d.Args) == 0 {
			return p.fail(d, "no header")
		}
		for _, a := range d.Args {
			if strings.HasPrefix(a, "-") {
				return p.fail(d, "option %q (status or content-type filters) is not triaged", clip(a))
			}
			name, value, ok := strings.Cut(a, ":")
			value = strings.TrimSpace(value)
			if !ok || value == "" {
				return p.fail(d, "%q is not \"Name: value\"", clip(a))
			}
			if err := p.header(d, "response", name, value); err != nil {
				return err
			}
			p.s.ResponseSet = append(p.s.ResponseSet, Header{name, value})
		}
	case "add_header":
		if len(d.Args) < 2 || len(d.Args) > 3 || len(d.Args) == 3 && d.Args[2] != "always" {
			return p.fail(d, "expects Name value [always]")
		}
		if err := p.header(d, "response", d.Args[0], d.Args[1]); err != nil {
			return err
		}
		p.s.ResponseAdd = append(p.s.ResponseAdd, Header{d.Args[0], d.Args[1]})
		if len(d.Args) == 2 {
			p.diff("add_header without always adds %s to 200, 201, 204, 206, 301, 302, 303, 304, 307 and 308 responses only; the ResponseHeaderModifier adds it to every response", d.Args[0])
		}
		p.diff("an add_header in a location replaces every add_header nginx inherited from the server and http levels; the route adds to what the Gateway sets instead")
	case "more_clear_headers":
		if len(d.Args) == 0 {
			return p.fail(d, "no header")
		}
		for _, a := range d.Args {
			if strings.HasPrefix(a, "-") || strings.Contains(a, "*") {
				return p.fail(d, "option or wildcard %q is not triaged", clip(a))
			}
			if err := p.header(d, "response", a, ""); err != nil {
				return err
			}
			p.s.ResponseRemove = append(p.s.ResponseRemove, a)
		}
	case "proxy_set_header":
		if len(d.Args) != 2 {
			return p.fail(d, "expects Name value")
		}
		if strings.EqualFold(d.Args[0], "host") {
			return p.fail(d, "the Host header is upstream-vhost's, which changes the route's hostname rewrite")
		}
		if err := p.header(d, "request", d.Args[0], d.Args[1]); err != nil {
			return err
		}
		if d.Args[1] == "" {
			p.s.RequestRemove = append(p.s.RequestRemove, d.Args[0])
		} else {
			p.s.RequestSet = append(p.s.RequestSet, Header{d.Args[0], d.Args[1]})
		}
	case "return":
		return p.redirect(d, d)
	case "rewrite":
		return p.redirect(d, d)
	case "if":
		return p.ifHost(d)
	case "allow", "deny":
		return p.access(d)
	default:
		return p.fail(d, "not one of the triaged directives (more_set_headers, add_header, more_clear_headers, proxy_set_header, return, rewrite, if ($host = ...), allow, deny)")
	}
	return nil
}

// header checks a header name and value: a valid name, no variable, and
// each name once per direction (Gateway API refuses repeats).
func (p *snippetParser) header(d directive, side, name, value string) error {
	if errs := validation.IsHTTPHeaderName(name); len(errs) > 0 || len(name) > maxHeaderName {
		return p.fail(d, "%q is not a header name", clip(name))
	}
	if strings.Contains(value, "$") {
		return p.fail(d, "the value %q holds an nginx variable, evaluated per request", clip(value))
	}
	key := side + "/" + strings.ToLower(name)
	if p.seen[key] {
		return p.fail(d, "the %s header %s is named twice (here or in custom-headers)", side, name)
	}
	p.seen[key] = true
	return nil
}

func (p *snippetParser) diff(format string, args ...any) {
	m := fmt.Sprintf(format, args...)
	if !slices.Contains(p.s.Differences, m) {
		p.s.Differences = append(p.s.Differences, m)
	}
}

// redirect reads `return code URL` or `rewrite ^ URL permanent|redirect`;
// at is the directive messages name (the `if` around it, if any).
func (p *snippetParser) redirect(d, at directive) error {
	if p.ctx.HasRedirect {
		return p.fail(at, "the Ingress redirects by annotation too")
	}
	var code int
	var target string
	switch d.Name {
	case "return":
		if len(d.Args) != 2 {
			return p.fail(at, "only `return 301|302|307|308 URL` is triaged")
		}
		switch d.Args[0] {
		case "301", "302", "307", "308":
			code = int(d.Args[0][0]-'0')*100 + int(d.Args[0][2]-'0')
		default:
			return p.fail(at, "only `return 301|302|307|308 URL` is triaged")
		}
		target = d.Args[1]
	case "rewrite":
		if len(d.Args) != 3 || d.Args[0] != "^" || d.Args[2] != "permanent" && d.Args[2] != "redirect" {
			return p.fail(at, "only `rewrite ^ URL permanent|redirect` is triaged")
		}
		code = 301
		if d.Args[2] == "redirect" {
			code = 302
		}
		// nginx appends the request's query to a rewrite's URL unless
		// the URL ends in '?', which also drops the query.
		if t, ok := strings.CutSuffix(d.Args[1], "?"); ok {
			target = t
		} else if strings.Contains(d.Args[1], "$") {
			return p.fail(at, "%q without a trailing '?' appends the query to a URL that has it already", clip(d.Args[1]))
		} else {
			target = d.Args[1]
			p.diff("nginx's rewrite appends the request's query string to %s; RequestRedirect keeps or drops it as the implementation does", clip(target))
		}
	default:
		return p.fail(at, "not a redirect")
	}
	r, why := redirectURL(d.Name, target)
	if why != "" {
		return p.fail(at, "%s", why)
	}
	r.Code = code
	p.s.Redirect = r
	p.redirects = true
	return nil
}

// ifHost reads `if ($host = X) { return|rewrite ...; }`: a redirect of the
// requests for host X. Routes are per Ingress, so it is triaged only when X
// is the Ingress's one host: then it redirects every request the location
// gets.
func (p *snippetParser) ifHost(d directive) error {
	if !d.HasBlock || len(d.Args) != 3 || d.Args[0] != "($host" || d.Args[1] != "=" || !strings.HasSuffix(d.Args[2], ")") {
		return p.fail(d, "only `if ($host = name) { ... }` is triaged")
	}
	host := strings.TrimSuffix(d.Args[2], ")")
	if len(p.ctx.Hosts) != 1 || !strings.EqualFold(p.ctx.Hosts[0], host) {
		return p.fail(d, "%q is not the Ingress's only host, so the redirect would not cover exactly the requests it does", clip(host))
	}
	if len(d.Block) != 1 || d.Block[0].Name != "return" && d.Block[0].Name != "rewrite" {
		return p.fail(d, "the block holds more than one redirect")
	}
	return p.redirect(d.Block[0], d)
}

// access reads allow and deny lines in the order ingress-nginx writes
// source-range annotations: deny CIDR..., allow CIDR..., deny all.
func (p *snippetParser) access(d directive) error {
	if len(d.Args) != 1 {
		return p.fail(d, "expects one address, range or all")
	}
	if p.accessName == "" {
		p.accessName, p.accessLine = d.Name, d.Line
	}
	if p.denyAll {
		return p.fail(d, "it follows `deny all;`, so it never matches")
	}
	a := d.Args[0]
	if a == "all" {
		if d.Name == "allow" {
			return p.fail(d, "`allow all;` is the default")
		}
		p.denyAll, p.denyAllLine = true, d.Line
		return nil
	}
	pfx, err := netip.ParsePrefix(a)
	if err != nil {
		addr, aerr := netip.ParseAddr(a)
		if aerr != nil || addr.Zone() != "" {
			return p.fail(d, "%q is not an address or CIDR range", clip(a))
		}
		pfx = netip.PrefixFrom(addr, addr.BitLen())
	}
	pfx = pfx.Masked()
	if d.Name == "deny" {
		if p.allowing {
			return p.fail(d, "a deny range after allow lines is an order the source-range annotations cannot express")
		}
		p.s.Deny = append(p.s.Deny, pfx)
		return nil
	}
	if !p.allowing {
		p.allowing, p.allowLine = true, d.Line
	}
	p.s.Allow = append(p.s.Allow, pfx)
	return nil
}

// parseSnippets triages configuration-snippet (server-snippet keeps its
// unsafe fate: its directives apply to every Ingress of the server). A
// triaged snippet is approximated with a reason that quotes it; any other
// stays unsafe with the first directive it could not place.
func (b *builder) parseSnippets(ing *Ingress) {
	const name = "configuration-snippet"
	v, ok := b.annotation(ing, name)
	if !ok || !b.opt.AllowSnippets {
		return // dropped by the controller (dropSnippets)
	}
	ctx := snippetContext{
		AccessCarried:   b.opt.AccessCarried,
		HasRedirect:     ing.Settings.Redirect != nil || ing.Settings.AppRoot != "",
		ResponseHeaders: ing.Settings.ResponseHeaders,
		// Set on the rules when the location rewrites; claimed always,
		// which refuses a snippet that is merely near it.
		XForwardedPrefix: ing.Settings.XForwardedPrefix != "",
	}
	for _, r := range ing.Spec.Spec.Rules {
		if !slices.Contains(ctx.Hosts, r.Host) {
			ctx.Hosts = append(ctx.Hosts, r.Host)
		}
	}
	for _, a := range []string{"allowlist-source-range", "whitelist-source-range", "denylist-source-range"} {
		if _, set := b.annotation(ing, a); set {
			ctx.HasAccessAnnotations = true
		}
	}
	s, err := parseSnippet(v, ctx)
	if err != nil {
		ing.Note(name, Unsafe, "snippet %s: %v", quoteSnippet(v), err)
		return
	}
	ing.Settings.Snippet = s
	if s.Redirect != nil {
		ing.Settings.Redirect = s.Redirect
	}
	why := "triaged: snippet " + quoteSnippet(v) + " is made only of directives routeshift places, translated as " + strings.Join(s.summary(), ", ")
	if len(s.Differences) > 0 {
		why += "; differences: " + strings.Join(s.Differences, "; ")
	}
	// Since controller v1.9 (#10393) snippets are off unless the ConfigMap
	// allows them, and the controller drops them (controller.go
	// dropSnippetDirectives): then the translation adds what nginx never
	// did, which diff, following the profile, reports.
	why += "; ingress-nginx ran it only with allow-snippet-annotations: true (off by default since v1.9)"
	ing.Note(name, Approximated, "%s", why)
}

// quoteSnippet quotes a snippet for a message: Go-escaped (newlines and
// quotes visible, never raw), clipped to 300 bytes.
func quoteSnippet(v string) string {
	if len(v) > 300 {
		v = v[:300] + "..."
	}
	return strconv.Quote(v)
}

// summary names what the snippet became.
func (s *Snippet) summary() []string {
	var out []string
	if len(s.ResponseSet)+len(s.ResponseAdd)+len(s.ResponseRemove) > 0 {
		out = append(out, "ResponseHeaderModifier")
	}
	if len(s.RequestSet)+len(s.RequestRemove) > 0 {
		out = append(out, "RequestHeaderModifier")
	}
	if r := s.Redirect; r != nil {
		out = append(out, fmt.Sprintf("RequestRedirect %d", r.Code))
	}
	if s.HasAccess() {
		out = append(out, "the implementation's IP access policy")
	}
	return out
}
