package gatewayapi

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
)

// How ingress-nginx rewrites (internal/ingress/controller/template
// buildProxyPass, v1.15): a location of a host in regex mode is
// `location ~* "^<path>"`, and rewrite-target adds
// `rewrite "(?i)<path>" <target> break;` in it. The rewrite's regex is not
// anchored, but the location matched it at the start of the URI, so its
// leftmost match starts there too; the whole URI becomes <target> with $n
// replaced by the groups of that match, and the request's arguments follow.
// test/e2e/annotations/rewrite.go "should allow for custom rewrite
// parameters" is the family below: /foo/bar/(.+) with /new/backend/$1
// sends /foo/bar/bar to /new/backend/bar.

// capture is a capture-group rewrite that PathPrefix + ReplacePrefixMatch
// carries: the family where one group captures the whole remainder after a
// literal prefix (P(.*), P(.+), P/(.*), P(/|$)(.*)) and the target is a
// literal followed by that group.
type capture struct {
	prefix, replace string
	// differs says, request by request, where the Gateway's answer is not
	// nginx's; empty when the translation is exact.
	differs []string
}

// remainderGroups are the group forms whose last group is the remainder,
// with the number of that group.
var remainderGroups = []struct {
	suffix string
	group  int
	min1   bool // (.+): at least one character
	slash  bool // (/|$)(.*): a '/' or the end after the prefix
}{
	{`(/|$)(.*)`, 2, false, true},
	{`(.*)`, 1, false, false},
	{`(.+)`, 1, true, false},
}

// targetGroup matches a target X$n or X${n} whose only '$' is the last.
var targetGroup = regexp.MustCompile(`^([^$]*)\$(?:(\d)|\{(\d)\})$`)

// recognise returns the PathPrefix and ReplacePrefixMatch that carry the
// rewrite of path to target, or false outside the family.
func recognise(path, target string) (capture, bool) {
	var form = -1
	var lit string
	for i, g := range remainderGroups {
		if p, ok := strings.CutSuffix(path, g.suffix); ok {
			form, lit = i, p
			break
		}
	}
	if form < 0 {
		return capture{}, false
	}
	g := remainderGroups[form]
	prefix, dots, ok := literal(lit)
	m := targetGroup.FindStringSubmatch(target)
	if !ok || m == nil || !strings.HasPrefix(prefix, "/") {
		return capture{}, false
	}
	n := m[2] + m[3]
	x := m[1]
	if n != fmt.Sprint(g.group) || strings.ContainsAny(x, "?#\\") || x != "" && gatewayPath(x) != "" {
		return capture{}, false
	}
	var c capture
	switch {
	case g.slash:
		// P(/|$)(.*) with X/$2: P/rest -> X/rest, P -> X/ in nginx.
		if strings.HasSuffix(prefix, "/") || !strings.HasSuffix(x, "/") {
			return capture{}, false
		}
		c.prefix, c.replace = prefix, trimSlash(x)
		if x != "/" {
			c.differs = append(c.differs, fmt.Sprintf("a request for %s itself is rewritten to %s, where nginx sends %s", prefix, c.replace, x))
		}
	case strings.HasSuffix(prefix, "/"):
		// P/(.*) with X/$1: P/rest -> X/rest.
		if !strings.HasSuffix(x, "/") {
			return capture{}, false
		}
		bare := strings.TrimSuffix(prefix, "/")
		c.prefix, c.replace = bare, trimSlash(x)
		if bare == "" {
			c.prefix = "/"
		} else {
			c.differs = append(c.differs, fmt.Sprintf("a request for %s (no '/' after it) matches and is rewritten to %s, where nginx's location does not match it", bare, c.replace))
		}
		if g.min1 {
			c.differs = append(c.differs, fmt.Sprintf("a request for %s (nothing after it) is rewritten to %s, where nginx's (.+) does not match it", prefix, x))
		}
	default:
		// P(.*) with X$1: P -> X, P/rest -> X/rest, Prest -> Xrest.
		if x == "" || strings.HasSuffix(x, "/") {
			return capture{}, false
		}
		c.prefix, c.replace = prefix, x
		c.differs = append(c.differs, fmt.Sprintf("a request for %s followed by anything but '/' (%sx) is rewritten by nginx and not matched here", prefix, prefix))
		if g.min1 {
			c.differs = append(c.differs, fmt.Sprintf("a request for %s itself is rewritten to %s, where nginx's (.+) does not match it", prefix, x))
		}
	}
	if strings.ContainsFunc(prefix, func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }) {
		c.differs = append(c.differs, fmt.Sprintf("matching is case-sensitive, where nginx's regex mode matches %s in any case", prefix))
	}
	if dots {
		c.differs = append(c.differs, fmt.Sprintf("'.' in %s is any character to nginx and only '.' here", lit))
	}
	if gatewayPath(c.prefix) != "" {
		return capture{}, false
	}
	return c, true
}

// literal reads a regular expression made of literal characters only: an
// escaped punctuation character is itself; an unescaped '.' (any
// character) is taken as a '.' and reported in dots. ok is false at any
// other metacharacter.
func literal(re string) (out string, dots, ok bool) {
	var b strings.Builder
	for i := 0; i < len(re); i++ {
		c := re[i]
		switch {
		case c == '\\' && i+1 < len(re) && strings.IndexByte(`./-_~()[]{}*+?|^$\`, re[i+1]) >= 0:
			i++
			b.WriteByte(re[i])
		case c == '.':
			dots = true
			b.WriteByte(c)
		case strings.IndexByte(`()[]{}*+?|^$\`, c) >= 0:
			return "", false, false
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), dots, true
}

func trimSlash(x string) string {
	if x == "/" {
		return "/"
	}
	return strings.TrimSuffix(x, "/")
}

// rewriteOf returns the recognised capture rewrite of a location, or false
// when its Ingress does not rewrite it that way.
func rewriteOf(loc *ingressnginx.Location) (capture, bool) {
	st := loc.Ingress.Settings
	if !st.HasRewrite || loc.Implicit {
		return capture{}, false
	}
	return recognise(loc.Path, st.RewriteTarget)
}

// regexRewrite is nginx's rewrite as a regex path replacement that
// replaces the whole path: the location's path, case-insensitive, where
// nginx's leftmost match starts, then the rest of the path, which nginx
// drops; $n and ${n} become RE2's \n. why is non-empty when the
// target holds something a path replacement cannot (nginx variables other
// than groups, a query string, a backslash).
func regexRewrite(path, target string) (pattern, substitution, why string) {
	if strings.ContainsAny(target, `?\`) {
		return "", "", fmt.Sprintf("target %q sets a query string or holds a backslash", clip(target))
	}
	var b strings.Builder
	for i := 0; i < len(target); i++ {
		if target[i] != '$' {
			b.WriteByte(target[i])
			continue
		}
		j := i + 1
		braced := j < len(target) && target[j] == '{'
		if braced {
			j++
		}
		k := j
		for k < len(target) && target[k] >= '0' && target[k] <= '9' {
			k++
		}
		if k == j || braced && (k >= len(target) || target[k] != '}') {
			return "", "", fmt.Sprintf("target %q uses an nginx variable, not only capture groups", clip(target))
		}
		b.WriteString(`\` + target[j:k])
		i = k - 1
		if braced {
			i = k
		}
	}
	// ^.*? finds nginx's leftmost match (at the start whenever the
	// location matched, but a top-level '|' in the path can match later);
	// the trailing .* takes the rest of the path, which nginx drops.
	return "(?i)^.*?(?:" + path + ").*", b.String(), ""
}
