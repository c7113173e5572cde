package nginx

import (
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/routeshift/routeshift/internal/annotations"
)

// settings are the annotations of one Ingress that change where a request
// goes or what it is answered, parsed the way ingress-nginx parses them: a
// value that does not parse is ignored and the default applies, as the
// controller does.
type settings struct {
	useRegex              bool
	rewriteTarget         string
	sslRedirect           bool // ConfigMap default true
	forceSSLRedirect      bool
	preserveTrailingSlash bool
	redirectURL           string // permanent-redirect or temporal-redirect
	redirectCode          int
	appRoot               string
	fromToWWW             bool
	grpc                  bool // backend-protocol GRPC or GRPCS: grpc_pass
	upstreamVhost         string
	xForwardedPrefix      string

	canary              bool
	canaryHeader        string
	canaryHeaderValue   string
	canaryHeaderPattern string
	canaryCookie        string
	canaryWeight        int
	canaryWeightTotal   int

	// unverifiable lists annotations whose effect no static model can know:
	// the catalogue's Unsafe ones (raw nginx, injection vectors) and those
	// whose answer comes from outside the configuration (an auth service,
	// TLS passthrough to the backend).
	unverifiable []string
	// serverUnverifiable is the subset that acts on the whole server
	// (server-snippet, ...), taken from the Ingress that creates the host.
	serverUnverifiable []string
}

// outsideAnswers are not Unsafe in the catalogue, but the outcome of a
// request depends on something outside the manifests.
var outsideAnswers = map[string]string{
	"auth-url":        "the external auth service decides",
	"ssl-passthrough": "TLS is passed through to the backend",
	// The controller denies the location unless every header is listed in
	// the ConfigMap's global-allowed-response-headers, which routeshift
	// does not read.
	"custom-headers": "depends on global-allowed-response-headers in the controller ConfigMap",
}

func parseSettings(ann map[string]string, prefix string) settings {
	s := settings{sslRedirect: true, redirectCode: 0}
	get := func(name string) (string, bool) {
		v, ok := ann[prefix+"/"+name]
		return v, ok
	}
	boolean := func(name string, def bool) bool {
		v, ok := get(name)
		if !ok {
			return def
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return def
		}
		return b
	}
	integer := func(name string, def int) int {
		v, ok := get(name)
		if !ok {
			return def
		}
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return def
		}
		return i
	}
	s.useRegex = boolean("use-regex", false)
	s.rewriteTarget, _ = get("rewrite-target")
	s.sslRedirect = boolean("ssl-redirect", true)
	s.forceSSLRedirect = boolean("force-ssl-redirect", false)
	s.preserveTrailingSlash = boolean("preserve-trailing-slash", false)
	// rewrite.go: app-root must be a path; an absolute URL is ignored.
	if v, ok := get("app-root"); ok && strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "//") {
		s.appRoot = v
	}
	if v, ok := get("backend-protocol"); ok {
		p := strings.ToUpper(strings.TrimSpace(v))
		s.grpc = p == "GRPC" || p == "GRPCS"
	}
	// The annotation validator accepts a host name (and port) only; a value
	// that fails it is dropped, as the controller drops it.
	if v, ok := get("upstream-vhost"); ok && hostValue.MatchString(v) {
		s.upstreamVhost = v
	}
	s.fromToWWW = boolean("from-to-www-redirect", false)
	s.xForwardedPrefix, _ = get("x-forwarded-prefix")

	// redirect.go: temporal-redirect wins over permanent-redirect; codes
	// outside the accepted range fall back to the default. Only
	// temporal-redirect is checked with url.Parse (isValidURL): a value
	// that fails is skipped and the location forwards. permanent-redirect
	// is rendered into `return` as written.
	if u, ok := get("temporal-redirect"); ok && validURL(u) {
		s.redirectURL = u
		s.redirectCode = integer("temporal-redirect-code", 302)
		if s.redirectCode < 300 || s.redirectCode > 307 {
			s.redirectCode = 302
		}
	} else if u, ok := get("permanent-redirect"); ok && u != "" {
		s.redirectURL = u
		s.redirectCode = integer("permanent-redirect-code", 301)
		if s.redirectCode < 300 || s.redirectCode > 308 {
			s.redirectCode = 301
		}
	}

	s.canary = boolean("canary", false)
	if s.canary {
		s.canaryHeader, _ = get("canary-by-header")
		s.canaryHeaderValue, _ = get("canary-by-header-value")
		s.canaryHeaderPattern, _ = get("canary-by-header-pattern")
		s.canaryCookie, _ = get("canary-by-cookie")
		s.canaryWeight = integer("canary-weight", 0)
		s.canaryWeightTotal = integer("canary-weight-total", 100)
	}

	for key := range ann {
		name, ok := annotations.Split(key, prefix)
		if !ok {
			continue
		}
		e, known := annotations.Lookup(name)
		_, outside := outsideAnswers[name]
		if !(known && e.Tag() == annotations.Unsafe) && !outside {
			continue
		}
		s.unverifiable = append(s.unverifiable, name)
		if known && e.Scope == annotations.Ingress {
			s.serverUnverifiable = append(s.serverUnverifiable, name)
		}
	}
	sort.Strings(s.unverifiable)
	sort.Strings(s.serverUnverifiable)
	return s
}

var hostValue = regexp.MustCompile(`^[A-Za-z0-9.\-_:]+$`)

// validURL is the redirect parser's isValidURL: a URL Go parses whose
// scheme starts with "http".
func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && strings.HasPrefix(u.Scheme, "http")
}

// regexMode is enforceRegexModifier's test for one location: use-regex, or
// a rewrite-target that differs from the path (needsRewrite).
func (s *settings) regexMode(path string) bool {
	return s.useRegex || s.needsRewrite(path)
}

func (s *settings) needsRewrite(path string) bool {
	return s.rewriteTarget != "" && s.rewriteTarget != path
}

func unverifiableReason(names []string) string {
	var why []string
	for _, n := range names {
		if r, ok := outsideAnswers[n]; ok {
			why = append(why, n+" ("+r+")")
		} else {
			why = append(why, n+" (raw nginx configuration)")
		}
	}
	return "annotation " + strings.Join(why, ", ")
}
