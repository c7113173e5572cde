package report

import (
	"regexp"
	"testing"
)

// objectRefRE is what replaceObjectRefs does, as the regular expression it
// replaced for speed.
var objectRefRE = regexp.MustCompile(`\b(Ingress|HTTPRoute|GRPCRoute|Gateway|Service) [a-z0-9][a-z0-9.-]*/[a-z0-9][a-z0-9.-]*`)

var objectRefCases = []string{
	"",
	"no objects here",
	"rule 2 of Ingress shop/web (path /api, Prefix)",
	"HTTPRoute team-002/app-3-http rule 1; Service shop/api-v2.internal port 80",
	"in HTTPRoute a/b and GRPCRoute c/d, Gateway gw/public, Ingress x/y",
	"xIngress shop/web",          // no word boundary
	"_HTTPRoute a/b",             // _ is a word character
	"é Ingress a/b",              // a non-ASCII byte is not a word character
	"Ingress shop/",              // no name
	"Ingress /web",               // no namespace
	"Ingress Shop/web",           // upper case is not a name
	"Ingress shop/web/extra",     // the name stops at the second slash
	"Ingress shop-/-web.",        // dots and dashes after the first character
	"Ingress  shop/web",          // two spaces
	"Ingress",                    // the kind at the end
	"Ingress ",                   // and its space
	"HTTPRouteIngress a/b",       // a kind inside a word
	"(Ingress a/b)[Service c/d]", // punctuation around
	"Gateway a/b Gateway c/d",
	"IngressX a/b Ingress a/b",
}

func TestReplaceObjectRefs(t *testing.T) {
	for _, s := range objectRefCases {
		if got, want := replaceObjectRefs(s), objectRefRE.ReplaceAllString(s, "$1 {name}"); got != want {
			t.Errorf("%q: got %q, want %q", s, got, want)
		}
	}
}

func FuzzReplaceObjectRefs(f *testing.F) {
	for _, s := range objectRefCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := replaceObjectRefs(s), objectRefRE.ReplaceAllString(s, "$1 {name}"); got != want {
			t.Errorf("%q: got %q, want %q", s, got, want)
		}
	})
}
