package ingressnginx

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// Settings are the annotations of one Ingress that change routing, parsed
// once and validated: values are untrusted, so anything that does not
// parse is reported and left out rather than copied into an object.
type Settings struct {
	// UseRegex and RewriteTarget put the Ingress's host into regex mode.
	UseRegex      bool
	RewriteTarget string
	HasRewrite    bool
	// XForwardedPrefix is sent upstream with rewrites (nginx only sends it
	// when the location rewrites).
	XForwardedPrefix string
	// UpstreamVhost replaces the Host header sent upstream.
	UpstreamVhost string
	// AppRoot redirects requests for "/" of the host (302).
	AppRoot string
	// Redirect answers every location of the Ingress with a redirect.
	Redirect *Redirect
	// FromToWWW redirects the www/non-www twin of the host to it.
	FromToWWW bool
	// PreserveTrailingSlash keeps a trailing '/' in the ssl-redirect Location.
	PreserveTrailingSlash bool
	// CORS, when enabled.
	CORS *CORS
	// Canary settings of a canary Ingress.
	Canary *Canary
	// BackendProtocol is HTTP (default), HTTPS, GRPC, GRPCS, AUTO_HTTP or FCGI.
	BackendProtocol string
	// BackendTLS are the proxy-ssl-* settings for HTTPS and GRPCS backends.
	BackendTLS BackendTLS
	// ResponseHeaders are custom-headers, read from their ConfigMap.
	ResponseHeaders map[string]string
	// SSLPassthrough hands the TLS stream of the host to its "/" backend.
	SSLPassthrough bool
	// Mirror is mirror-target when it names a Service of the Ingress's
	// namespace over plain HTTP with the request's own URI.
	Mirror *Backend
	// Snippet is a triaged configuration-snippet (snippet.go).
	Snippet *Snippet
	// Unconvertible says why the Ingress's behaviour cannot be reproduced
	// at all (a redirect code Gateway API lacks, a redirect ingress-nginx
	// denies); converting it anyway would route requests it never routed.
	Unconvertible []string
}

// BackendTLS is how ingress-nginx talks TLS to a backend.
type BackendTLS struct {
	// Verify is proxy-ssl-verify: nginx's default is off.
	Verify bool
	// Name is proxy-ssl-name, the name verified and sent as SNI.
	Name string
	// SecretNamespace and Secret are proxy-ssl-secret (ca.crt inside).
	SecretNamespace, Secret string
}

// Redirect is permanent-redirect or temporal-redirect.
type Redirect struct {
	Scheme, Host, Path string
	Port               int
	Code               int
	// KeepURI: the URL ended in $request_uri, so the Location keeps the
	// request's path and query (Path is empty).
	KeepURI bool
}

// Canary is how a canary Ingress takes traffic from its primary.
type Canary struct {
	Weight, Total                      int
	Header, HeaderValue, HeaderPattern string
	Cookie                             string
}

// CORS is enable-cors with ingress-nginx's defaults applied.
type CORS struct {
	AllowOrigins     []string
	AllowMethods     []string
	AllowHeaders     []string
	ExposeHeaders    []string
	AllowCredentials bool
	MaxAge           int
}

// ingress-nginx's CORS defaults (annotations/cors/main.go); the Gateway API
// filter's defaults differ, so every one is written out.
var (
	corsDefaultMethods = []string{"GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"}
	corsDefaultHeaders = []string{"DNT", "Keep-Alive", "User-Agent", "X-Requested-With", "If-Modified-Since", "Cache-Control", "Content-Type", "Range", "Authorization"}
)

const corsDefaultMaxAge = 1728000

// fateOf records what parsing decided for one annotation.
type fateOf struct {
	fate   Fate
	reason string
}

// Note records an annotation's fate (name is the short name, or the full key
// of another controller's annotation); the first
// note wins, so a parse failure recorded first is not overwritten by a later
// success. The emitter notes what only it can decide.
func (ing *Ingress) Note(name string, f Fate, format string, args ...any) {
	if ing.fates == nil {
		ing.fates = map[string]fateOf{}
	}
	if _, ok := ing.fates[name]; !ok {
		ing.fates[name] = fateOf{f, fmt.Sprintf(format, args...)}
	}
}

// safe rejects what must never reach an emitted field: control characters
// (header injection), and values longer than any sane annotation.
func safe(v string) error {
	if len(v) > 4096 {
		return fmt.Errorf("is longer than 4096 characters")
	}
	for _, c := range v {
		if c < 0x20 || c == 0x7f {
			return fmt.Errorf("contains a control character")
		}
	}
	return nil
}

// parseSettings reads the routing annotations of a served Ingress.
func (b *builder) parseSettings(ing *Ingress) {
	s := &ing.Settings
	get := func(name string) (string, bool) {
		v, ok := b.annotation(ing, name)
		if !ok {
			return "", false
		}
		if err := safe(v); err != nil {
			ing.Note(name, Unsupported, "value %s; ignored", err)
			return "", false
		}
		return v, true
	}
	// invalid drops an annotation whose value cannot be used; the
	// accounting reports it with this reason.
	invalid := func(name, format string, args ...any) {
		ing.Note(name, Unsupported, format, args...)
	}

	s.UseRegex = b.boolAnnotation(ing, "use-regex", false)
	if v, ok := get("rewrite-target"); ok {
		s.RewriteTarget, s.HasRewrite = v, true
	}
	if v, ok := get("x-forwarded-prefix"); ok && v != "" {
		s.XForwardedPrefix = v
	}
	if v, ok := get("upstream-vhost"); ok {
		if errs := validation.IsDNS1123Subdomain(strings.ToLower(v)); len(errs) > 0 || v != strings.ToLower(v) {
			invalid("upstream-vhost", "upstream-vhost %q is not a host name Gateway API can rewrite to", clip(v))
		} else {
			s.UpstreamVhost = v
		}
	}
	if v, ok := get("app-root"); ok {
		if !strings.HasPrefix(v, "/") || strings.ContainsAny(v, " ?#") {
			invalid("app-root", "app-root %q must be a path starting with /", clip(v))
		} else {
			s.AppRoot = v
		}
	}
	b.parseRedirect(ing, get, invalid)
	s.PreserveTrailingSlash = b.boolAnnotation(ing, "preserve-trailing-slash", false)
	s.FromToWWW = b.boolAnnotation(ing, "from-to-www-redirect", false)
	b.parseCORS(ing, get, invalid)
	if ing.Canary {
		b.parseCanary(ing, get, invalid)
	}
	b.parseBackend(ing, get, invalid)
	b.parseMirror(ing, get, invalid)
	b.parseCustomHeaders(ing, get, invalid)
	b.dropSnippets(ing)
	b.parseSnippets(ing)
	s.SSLPassthrough = b.boolAnnotation(ing, "ssl-passthrough", false)
}

func (b *builder) parseBackend(ing *Ingress, get func(string) (string, bool), invalid func(string, string, ...any)) {
	s := &ing.Settings
	s.BackendProtocol = "HTTP"
	if v, ok := get("backend-protocol"); ok {
		switch p := strings.ToUpper(v); p {
		case "HTTP", "HTTPS", "GRPC", "GRPCS", "AUTO_HTTP", "FCGI":
			s.BackendProtocol = p
		default:
			invalid("backend-protocol", "backend-protocol %q is not one ingress-nginx knows; it uses HTTP, and so does the conversion", clip(v))
		}
	}
	if v, ok := get("proxy-ssl-verify"); ok {
		s.BackendTLS.Verify = strings.EqualFold(v, "on")
	}
	if v, ok := get("proxy-ssl-name"); ok {
		if errs := validation.IsDNS1123Subdomain(v); len(errs) > 0 {
			invalid("proxy-ssl-name", "proxy-ssl-name %q is not a DNS name", clip(v))
		} else {
			s.BackendTLS.Name = v
		}
	}
	if v, ok := get("proxy-ssl-secret"); ok {
		ns, name, err := namespacedName(v, ing.Namespace)
		if err != nil {
			invalid("proxy-ssl-secret", "proxy-ssl-secret %q: %v", clip(v), err)
		} else {
			s.BackendTLS.SecretNamespace, s.BackendTLS.Secret = ns, name
		}
	}
}

// namespacedName reads "namespace/name" (or "name" in def's namespace) as
// ingress-nginx names Secrets and ConfigMaps in annotations.
func namespacedName(v, def string) (string, string, error) {
	ns, name, found := strings.Cut(v, "/")
	if !found {
		ns, name = def, v
	}
	if len(validation.IsDNS1123Label(ns)) > 0 && ns != "" || len(validation.IsDNS1123Subdomain(name)) > 0 {
		return "", "", fmt.Errorf("not a namespace/name reference")
	}
	return ns, name, nil
}

// parseCustomHeaders reads custom-headers: response headers from a
// ConfigMap, which must be in the input to be converted.
func (b *builder) parseCustomHeaders(ing *Ingress, get func(string) (string, bool), invalid func(string, string, ...any)) {
	v, ok := get("custom-headers")
	if !ok {
		return
	}
	ns, name, err := namespacedName(v, ing.Namespace)
	if err != nil {
		invalid("custom-headers", "custom-headers %q: %v", clip(v), err)
		return
	}
	data, found := b.configMaps[ns+"/"+name]
	if !found {
		invalid("custom-headers", "ConfigMap %s/%s is not in the input, so its headers cannot be converted", ns, name)
		return
	}
	headers := map[string]string{}
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the first invalid header named must not depend on map order
	for _, k := range keys {
		val := data[k]
		if len(validation.IsHTTPHeaderName(k)) > 0 || safe(val) != nil {
			ing.Note("custom-headers", Approximated, "ConfigMap %s/%s: header %q or its value is not valid; left out", ns, name, clip(k))
			continue
		}
		headers[k] = val
	}
	ing.Settings.ResponseHeaders = headers
}

func (b *builder) parseCORS(ing *Ingress, get func(string) (string, bool), invalid func(string, string, ...any)) {
	if !b.boolAnnotation(ing, "enable-cors", false) {
		return
	}
	c := &CORS{AllowOrigins: []string{"*"}, AllowMethods: corsDefaultMethods, AllowHeaders: corsDefaultHeaders, AllowCredentials: true, MaxAge: corsDefaultMaxAge}
	if v, ok := get("cors-allow-origin"); ok {
		var origins []string
		for _, o := range splitList(v) {
			if !corsOrigin.MatchString(o) {
				ing.Note("cors-allow-origin", Approximated, "origin %q is not scheme://host[:port] or *; left out", clip(o))
				continue
			}
			origins = append(origins, o)
		}
		if len(origins) > 0 {
			c.AllowOrigins = origins
		}
	}
	if v, ok := get("cors-allow-methods"); ok {
		var methods []string
		for _, m := range splitList(v) {
			m = strings.ToUpper(m)
			if !isMethod(m) {
				ing.Note("cors-allow-methods", Approximated, "method %q is not one Gateway API accepts; left out", clip(m))
				continue
			}
			methods = append(methods, m)
		}
		c.AllowMethods = methods
	}
	headers := func(name string, into *[]string) {
		v, ok := get(name)
		if !ok {
			return
		}
		var out []string
		for _, h := range splitList(v) {
			if len(validation.IsHTTPHeaderName(h)) > 0 {
				ing.Note(name, Approximated, "header %q is not a valid header name; left out", clip(h))
				continue
			}
			out = append(out, h)
		}
		*into = out
	}
	headers("cors-allow-headers", &c.AllowHeaders)
	headers("cors-expose-headers", &c.ExposeHeaders)
	if _, ok := b.annotation(ing, "cors-allow-credentials"); ok {
		c.AllowCredentials = b.boolAnnotation(ing, "cors-allow-credentials", true)
	}
	if v, ok := get("cors-max-age"); ok {
		if n, err := strconv.Atoi(v); err == nil && n > 0 && n <= 1<<30 {
			c.MaxAge = n
		} else {
			ing.Note("cors-max-age", Approximated, "%q is not a positive number of seconds; ingress-nginx's default %d is used", clip(v), corsDefaultMaxAge)
		}
	}
	ing.Settings.CORS = c
}

// corsOrigin is what both ingress-nginx and the Gateway API CRD accept.
var corsOrigin = regexp.MustCompile(`^(\*|https?://(\*\.)?([a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+(:[0-9]{1,5})?)$`)

func isMethod(m string) bool {
	switch m {
	case "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "*":
		return true
	}
	return false
}

func splitList(v string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

func (b *builder) parseCanary(ing *Ingress, get func(string) (string, bool), invalid func(string, string, ...any)) {
	c := &Canary{Total: 100}
	number := func(name string) int {
		v, ok := get(name)
		if !ok {
			return -1
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1_000_000 {
			invalid(name, "%s %q is not a whole number from 0 to 1000000; ingress-nginx ignores it", name, clip(v))
			return -1
		}
		return n
	}
	if n := number("canary-weight"); n >= 0 {
		c.Weight = n
	}
	// ingress-nginx uses a total only above 100 (balancer.lua).
	if n := number("canary-weight-total"); n > 100 {
		c.Total = n
	} else if n >= 0 && n < 100 {
		ing.Note("canary-weight-total", Converted, "totals below 100 are ignored by ingress-nginx, which uses 100; so do the generated weights")
	}
	if c.Weight > c.Total {
		c.Weight = c.Total
	}
	if v, ok := get("canary-by-header"); ok {
		if len(validation.IsHTTPHeaderName(v)) > 0 {
			invalid("canary-by-header", "canary-by-header %q is not a valid header name", clip(v))
		} else {
			c.Header = v
		}
	}
	if v, ok := get("canary-by-header-value"); ok && c.Header != "" {
		c.HeaderValue = v
	}
	if v, ok := get("canary-by-header-pattern"); ok && c.Header != "" && c.HeaderValue == "" {
		if _, err := regexp.Compile(v); err != nil {
			invalid("canary-by-header-pattern", "pattern %q does not compile as RE2 (ingress-nginx uses PCRE): %v", clip(v), err)
		} else {
			c.HeaderPattern = v
		}
	}
	if v, ok := get("canary-by-cookie"); ok {
		c.Cookie = v
	}
	ing.Settings.Canary = c
}

// clusterService matches the in-cluster names a mirror URL may use:
// svc.ns, svc.ns.svc or svc.ns.svc.cluster.local.
var clusterService = regexp.MustCompile(`^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.svc(\.cluster\.local)?)?$`)

// parseMirror reads mirror-target (an injection vector in ingress-nginx,
// CVE-2025-1098): only a plain-HTTP URL naming a Service in the Ingress's
// own namespace, mirroring the request's own URI, becomes a RequestMirror;
// anything else is reported and never copied.
func (b *builder) parseMirror(ing *Ingress, get func(string) (string, bool), invalid func(string, string, ...any)) {
	v, ok := get("mirror-target")
	if !ok {
		return
	}
	// "$request_uri" (the request's own path and query) is how a mirror
	// keeps the URI; it is what RequestMirror does, so it is set aside.
	u, err := url.Parse(strings.TrimSuffix(v, "$request_uri"))
	if err != nil || u.Scheme != "http" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		invalid("mirror-target", "%q is not a plain http:// URL of an in-cluster Service; Gateway API mirrors only to a Service", clip(v))
		return
	}
	m := clusterService.FindStringSubmatch(u.Hostname())
	if m == nil {
		invalid("mirror-target", "host %q is not an in-cluster Service name (svc.namespace[.svc[.cluster.local]])", clip(u.Hostname()))
		return
	}
	if m[3] != ing.Namespace {
		invalid("mirror-target", "Service %s is in namespace %q, not the Ingress's; a cross-namespace mirror needs a ReferenceGrant, which is not generated", m[1], m[3])
		return
	}
	if p := u.EscapedPath(); p != "" && p != "/" || !strings.HasSuffix(v, "$request_uri") && p == "/" {
		invalid("mirror-target", "path %q: the mirrored request would get another URI, which RequestMirror cannot do", clip(p))
		return
	}
	port := 80
	if ps := u.Port(); ps != "" {
		if port, err = strconv.Atoi(ps); err != nil || port < 1 || port > 65535 {
			invalid("mirror-target", "port %q is not valid", clip(ps))
			return
		}
	}
	ing.Settings.Mirror = &Backend{Namespace: ing.Namespace, Service: m[1], Port: int32(port)}
}
