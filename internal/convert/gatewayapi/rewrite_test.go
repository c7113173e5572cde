package gatewayapi

import (
	"regexp"
	"strings"
	"testing"
)

// TestRecognise: the capture-group family and what each member becomes;
// the differences named are the ones diff finds on the golden case
// rewrite-capture-family (internal/proof/check).
func TestRecognise(t *testing.T) {
	for _, tc := range []struct {
		path, target    string
		prefix, replace string
		differs         []string // substrings, one per difference; nil: exact
		ok              bool
	}{
		// test/e2e/annotations/rewrite.go "should allow for custom rewrite parameters"
		{"/foo/bar/(.+)", "/new/backend/$1", "/foo/bar", "/new/backend", []string{"/foo/bar (no '/'", "nothing after it", "case-sensitive"}, true},
		{"/foo/bar/(.+)", "/$1", "/foo/bar", "/", []string{"no '/'", "nothing after it", "case-sensitive"}, true},
		{"/foo/(.*)", "/x/${1}", "/foo", "/x", []string{"no '/'", "case-sensitive"}, true},
		{"/static(.*)", "/assets$1", "/static", "/assets", []string{"anything but '/'", "case-sensitive"}, true},
		{"/static(.+)", "/assets$1", "/static", "/assets", []string{"anything but '/'", "(.+) does not match", "case-sensitive"}, true},
		{"/api(/|$)(.*)", "/$2", "/api", "/", []string{"case-sensitive"}, true},
		{"/api(/|$)(.*)", "/internal/$2", "/api", "/internal", []string{"itself is rewritten to /internal, where nginx sends /internal/", "case-sensitive"}, true},
		{"/(.*)", "/app/$1", "/", "/app", nil, true},
		{"/v1\\.0/(.*)", "/$1", "/v1.0", "/", []string{"no '/'", "case-sensitive"}, true},
		{"/v1.0/(.*)", "/$1", "/v1.0", "/", []string{"no '/'", "case-sensitive", "any character"}, true},
		{"/123/(.*)", "/$1", "/123", "/", []string{"no '/'"}, true},
		// Outside the family.
		{"/user/([0-9]+)/profile", "/profile/$1", "", "", nil, false},
		{"/foo/(.*)", "/x$1", "", "", nil, false},         // nginx gives /xrest, ReplacePrefixMatch /x/rest
		{"/static(.*)", "/assets/$1", "", "", nil, false}, // nginx gives /assets//rest
		{"/api(/|$)(.*)", "/$1", "", "", nil, false},      // $1 is the separator
		{"/api(/|$)(.*)", "/x$2?a=b", "", "", nil, false},
		{"/a[bc]/(.*)", "/$1", "", "", nil, false},
		{"/foo/(.*)", "/$host/$1", "", "", nil, false},
	} {
		c, ok := recognise(tc.path, tc.target)
		if ok != tc.ok {
			t.Errorf("%s -> %s: recognised %v, want %v", tc.path, tc.target, ok, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		if c.prefix != tc.prefix || c.replace != tc.replace || len(c.differs) != len(tc.differs) {
			t.Errorf("%s -> %s: got %q %q %q, want %q %q and %d differences", tc.path, tc.target, c.prefix, c.replace, c.differs, tc.prefix, tc.replace, len(tc.differs))
			continue
		}
		for i, d := range tc.differs {
			if !strings.Contains(c.differs[i], d) {
				t.Errorf("%s -> %s: difference %d is %q, want it to say %q", tc.path, tc.target, i, c.differs[i], d)
			}
		}
	}
}

// TestRegexRewriteIsNginx applies the generated pattern and substitution
// the way Envoy's regex_rewrite does (every match replaced, \n for a
// group) and compares with what nginx's `rewrite "(?i)<path>" <target>
// break;` gives in the location `~* "^<path>"`: the whole URI replaced by
// the target of the leftmost match.
func TestRegexRewriteIsNginx(t *testing.T) {
	for _, tc := range []struct{ path, target, request, want string }{
		// test/e2e/annotations/rewrite.go "should allow for custom rewrite parameters"
		{"/foo/bar/(.+)", "/new/backend/$1", "/foo/bar/bar", "/new/backend/bar"},
		{"/foo/bar/(.+)", "/new/backend/$1", "/FOO/BAR/Bar", "/new/backend/Bar"},
		{"/foo/bar/(.+)", "/$1", "/foo/bar/a/b", "/a/b"},
		// The rest of the URI after the match is dropped by nginx.
		{"/api/v(\\d+)", "/v$1", "/api/v2/users", "/v2"},
		{"/user/([0-9]+)/profile", "/profile/${1}", "/user/42/profile/edit", "/profile/42"},
		{"/api(/|$)(.*)", "/internal/$2", "/api", "/internal/"},
		{"/(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)", "/$10", "/abcdefghij", "/a0"},
		// A top-level '|': the location ~* "^/a|b" matches /xb through
		// "b", and the unanchored rewrite's leftmost match is that "b".
		{"/a|(b)", "/got-$1", "/xb/c", "/got-b"},
	} {
		pattern, subst, why := regexRewrite(tc.path, tc.target)
		if why != "" {
			t.Fatalf("%s -> %s: %s", tc.path, tc.target, why)
		}
		re := regexp.MustCompile(pattern)
		// RE2's \n is Go's ${n}; one digit, as in RE2 and nginx.
		goSubst := regexp.MustCompile(`\\(\d)`).ReplaceAllString(subst, `$${$1}`)
		if got := re.ReplaceAllString(tc.request, goSubst); got != tc.want {
			t.Errorf("%s -> %s on %s: got %q, want %q (pattern %q, substitution %q)", tc.path, tc.target, tc.request, got, tc.want, pattern, subst)
		}
	}
	for _, target := range []string{"/x?id=$1", "/$host$1", "/a\\b$1", "/${1"} {
		if _, _, why := regexRewrite("/p/(.*)", target); why == "" {
			t.Errorf("%s: a target a path replacement cannot carry was accepted", target)
		}
	}
}
