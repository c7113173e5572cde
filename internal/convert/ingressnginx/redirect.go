package ingressnginx

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// nginxVariable finds the variables nginx expands in a `return` URL:
// $name and ${name} (ngx_http_script.c compiles both forms).
var nginxVariable = regexp.MustCompile(`\$(\{[A-Za-z0-9_]*\}?|[A-Za-z0-9_]*)`)

// Versions of ingress-nginx and the `$` in redirect URLs. The controller
// renders the annotation verbatim into `return <code> <url>;`
// (rootfs/etc/nginx/template/nginx.tmpl), and nginx expands the variables
// in it at request time. From v1.9.0 (#9673) the annotation has a
// validator, parser.URLIsValidRegex, whose characters do not include `$`
// (internal/ingress/annotations/parser/validators.go); it runs only with
// --enable-annotation-validation, off by default in v1.9-v1.11 and on by
// default since v1.12.0 (changelog/controller-1.12.0.md). A value with `$`
// then fails validation, annotations.Extract returns the error and the
// store skips the whole Ingress (store.go syncIngress), as the admission
// webhook rejects it. So `$request_uri` was expanded by every controller
// before v1.12, and by later ones run with the validation turned off.
const variableVersions = "ingress-nginx before v1.12 expanded the variable; v1.12 and later reject the Ingress unless run with --enable-annotation-validation=false"

// parseRedirect reads temporal-redirect (which wins) or permanent-redirect.
func (b *builder) parseRedirect(ing *Ingress, get func(string) (string, bool), invalid func(string, string, ...any)) {
	name, codeName, def, maxCode := "permanent-redirect", "permanent-redirect-code", 301, 308
	v, ok := get("temporal-redirect")
	if ok {
		name, codeName, def, maxCode = "temporal-redirect", "temporal-redirect-code", 302, 307
		if _, both := b.annotation(ing, "permanent-redirect"); both {
			ing.Note("permanent-redirect", Ignored, "temporal-redirect takes precedence, as in ingress-nginx")
		}
	} else if v, ok = get("permanent-redirect"); !ok {
		return
	}
	if !b.opt.NoAnnotationValidation && !redirectValue.MatchString(v) {
		return // the controller refuses the Ingress (validateAnnotations)
	}
	// deny makes the Ingress fail: converting it without the redirect
	// would forward requests that nginx never forwarded.
	deny := func(why string) {
		invalid(name, "%s", why)
		ing.Settings.Unconvertible = append(ing.Settings.Unconvertible, why)
	}
	if name == "temporal-redirect" {
		// redirect.go's isValidURL checks temporal-redirect (only) with
		// Go's url.Parse before anything else; on failure the annotation
		// is skipped (annotations.Extract) and the paths forward.
		if u, err := url.Parse(v); err != nil || !strings.HasPrefix(u.Scheme, "http") {
			deny(fmt.Sprintf("temporal-redirect %q does not parse as an http(s) URL, so ingress-nginx ignored it and forwarded these paths; fix the URL (or remove the annotation) rather than convert a broken redirect", clip(v)))
			return
		}
	}
	r, why := redirectURL(name, v)
	if why != "" {
		deny(why)
		return
	}
	r.Code = def
	keepURI := r.KeepURI
	u := &url.URL{Host: r.Host}
	if r.Port != 0 {
		u.Host = fmt.Sprintf("%s:%d", r.Host, r.Port)
	}
	if c, ok := get(codeName); ok {
		// ingress-nginx falls back to the default for codes it rejects.
		if n, err := strconv.Atoi(c); err == nil && n >= 300 && n <= maxCode {
			r.Code = n
		} else {
			ing.Note(codeName, Approximated, "%q is not a code ingress-nginx accepts (300-%d); it uses %d, and so does the conversion", clip(c), maxCode, def)
		}
	}
	switch r.Code {
	case 301, 302, 303, 307, 308:
	default:
		invalid(codeName, "redirect code %d has no Gateway API equivalent (301, 302, 303, 307, 308)", r.Code)
		ing.Note(name, Unsupported, "its code %d has no Gateway API equivalent", r.Code)
		ing.Settings.Unconvertible = append(ing.Settings.Unconvertible, fmt.Sprintf("redirect code %d has no Gateway API equivalent (301, 302, 303, 307, 308)", r.Code))
		return
	}
	if keepURI {
		ing.Note(name, Converted, "RequestRedirect to %s://%s keeping the request's path and query, as $request_uri did (%s)", r.Scheme, u.Host, variableVersions)
		b.findings.Infof(ing.Object, "metadata.annotations."+b.prefix()+"/"+name,
			"%s %q holds the nginx variable $request_uri (%s): converted as the versions that served it did, a redirect to %s://%s that keeps the request's path and query",
			name, clip(v), variableVersions, r.Scheme, u.Host)
	}
	ing.Settings.Redirect = r
}

// redirectURL parses the URL of a redirect named name (an annotation or a
// snippet directive) into a Redirect without its code: an absolute http(s)
// URL, optionally followed by $request_uri alone. why, when not empty, is
// a complete sentence saying why Gateway API cannot redirect there.
func redirectURL(name, v string) (r *Redirect, why string) {
	raw, keepURI := v, false
	if strings.Contains(v, "$") {
		base, why := requestURIForm(v)
		if why != "" {
			return nil, fmt.Sprintf("%s %q %s: Gateway API's RequestRedirect cannot express that (only <scheme>://<host>[:<port>]$request_uri, keeping the request's path and query, is translated); %s", name, clip(v), why, variableVersions)
		}
		raw, keepURI = base, true
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.User != nil || u.Fragment != "" {
		// nginx answers `return <code> <value>` with the value as written;
		// only an absolute http(s) URL is a RequestRedirect.
		return nil, fmt.Sprintf("%s %q is not an absolute http(s) URL, which is all Gateway API's RequestRedirect can redirect to", name, clip(v))
	}
	host := u.Hostname()
	if errs := validation.IsDNS1123Subdomain(host); len(errs) > 0 {
		return nil, fmt.Sprintf("%s host %q is not a DNS name Gateway API can redirect to", name, clip(host))
	}
	r = &Redirect{Scheme: u.Scheme, Host: host, Path: u.EscapedPath(), KeepURI: keepURI}
	if r.Path == "" && !keepURI {
		r.Path = "/"
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Sprintf("%s %q has no valid port", name, clip(v))
		}
		r.Port = n
	}
	return r, ""
}

// requestURIForm returns the URL before a trailing $request_uri when that
// is the only variable of v and the URL has no path, query or fragment of
// its own: then nginx's Location is the URL followed by the request's own
// path and query, exactly what a RequestRedirect with scheme, hostname and
// port (and no path) answers. Otherwise why names the variable (the first
// one that is not such a $request_uri) and what is wrong with it.
func requestURIForm(v string) (base, why string) {
	for _, suffix := range []string{"$request_uri", "${request_uri}"} {
		b, ok := strings.CutSuffix(v, suffix)
		if !ok || strings.Contains(b, "$") {
			continue
		}
		u, err := url.Parse(b)
		if err == nil && u.Host != "" && (u.Path != "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "") {
			// Something between the host and the variable: nginx
			// would concatenate it with the request's URI
			// ("https://h/new" + "/x" = "/new/x"), a prefix that no
			// RequestRedirect path modifier adds to every path.
			return "", fmt.Sprintf("puts %q before the nginx variable $request_uri", clip(u.RequestURI()))
		}
		return b, ""
	}
	for _, m := range nginxVariable.FindAllString(v, -1) {
		name := strings.Trim(m, "${}")
		switch {
		case name == "":
			return "", "has a '$' that starts no variable name (nginx refuses such a configuration)"
		case name == "request_uri":
			continue // reported below if nothing else is wrong
		case name == "uri" || name == "document_uri":
			return "", fmt.Sprintf("uses the nginx variable $%s (the decoded, slash-merged path rather than the path as requested; $request_uri is that)", name)
		default:
			return "", fmt.Sprintf("uses the nginx variable $%s, replaced per request", name)
		}
	}
	return "", "uses the nginx variable $request_uri elsewhere than right after the host at the end"
}
