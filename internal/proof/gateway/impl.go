package gateway

import (
	"fmt"
	"strings"
)

// Implementation names a Gateway API implementation whose routing the model
// follows where the specification leaves a choice open; "" is the
// specification alone. What each one decides, and where we read it, is in
// the package documentation.
type Implementation string

const (
	Spec               Implementation = ""
	EnvoyGateway       Implementation = "envoy-gateway"
	Istio              Implementation = "istio"
	Kgateway           Implementation = "kgateway"
	NginxGatewayFabric Implementation = "nginx-gateway-fabric"
)

// Implementations lists the names --implementation takes.
func Implementations() []Implementation {
	return []Implementation{EnvoyGateway, Istio, Kgateway, NginxGatewayFabric}
}

// ParseImplementation checks a name; "" and "standard" are the
// specification.
func ParseImplementation(s string) (Implementation, error) {
	switch s {
	case "", "standard", "spec":
		return Spec, nil
	}
	for _, i := range Implementations() {
		if string(i) == s {
			return i, nil
		}
	}
	names := make([]string, 0, 4)
	for _, i := range Implementations() {
		names = append(names, string(i))
	}
	return Spec, fmt.Errorf("implementation %q: want one of %s", s, strings.Join(names, ", "))
}

// dialect is how an implementation compiles a RegularExpression value.
type dialect int

const (
	// dialectSpec: any match anywhere in the value (the most requests an
	// implementation could take); such requests are unverifiable.
	dialectSpec dialect = iota
	// dialectEnvoy: Envoy's safe_regex, RE2, matching the whole value.
	dialectEnvoy
	// dialectPCRE: nginx's "location ~ ^<value>": PCRE, anchored at the
	// start only. Go's regexp stands in where the two agree (see pcreSafe).
	dialectPCRE
	dialects
)

func (i Implementation) dialect() dialect {
	switch i {
	case Spec:
		return dialectSpec
	case NginxGatewayFabric:
		return dialectPCRE
	}
	return dialectEnvoy
}

// regexSource is the expression a dialect actually compiles for a path
// value; header and query values are matched whole (Envoy) or not at all.
func (d dialect) pathSource(expr string) string {
	switch d {
	case dialectEnvoy:
		return "^(?:" + expr + ")$"
	case dialectPCRE:
		// nginx-gateway-fabric writes "location ~ ^<value>" (servers.go
		// createPath): the caret binds to the first alternative only, as
		// here.
		return "^" + expr
	}
	return expr
}

func (d dialect) valueSource(expr string) string {
	if d == dialectEnvoy {
		return "^(?:" + expr + ")$"
	}
	return expr
}

// pathClass ranks path match types for an implementation's route order:
// the higher class is tried first.
func (i Implementation) pathClass(m *match) int {
	pathType := m.pathType
	if i == EnvoyGateway && m.eg != nil {
		pathType = m.eg.pathType
	}
	switch pathType {
	case "Exact":
		return 3
	case "RegularExpression":
		if i == Istio {
			return 1 // Istio: Exact > Prefix > Regex (getURIRank)
		}
		return 2
	}
	if i == Istio {
		return 2
	}
	return 1
}

// pathLength is the second key of the route order.
func (i Implementation) pathLength(m *match) int {
	switch i {
	case EnvoyGateway:
		// sort.go pathMatchCount: a "/" prefix counts 0, others their
		// length as written.
		if m.eg != nil {
			return m.eg.pathLen
		}
		if m.pathType == "PathPrefix" && m.path == "/" {
			return 0
		}
		return len(m.path)
	case Istio:
		// conversion.go trims a PathPrefix's trailing "/" (except "/"
		// itself); getURILength is the length of what is left.
		if m.pathType == "PathPrefix" && m.path != "/" {
			return len(strings.TrimSuffix(m.path, "/"))
		}
		return len(m.path)
	case Kgateway:
		// sortable_route.go lessPath: regexes are not ranked by length.
		if m.pathType == "RegularExpression" {
			return 0
		}
		return len(m.path)
	}
	return len(m.path)
}

// implLess reports whether a is tried before b by an Envoy-based
// implementation; ties keep the order of routes (oldest, then
// namespace/name), rules and matches.
func (i Implementation) less(a, b *entry) bool {
	ma, mb := a.match, b.match
	if ca, cb := i.pathClass(ma), i.pathClass(mb); ca != cb {
		return ca > cb
	}
	if la, lb := i.pathLength(ma), i.pathLength(mb); la != lb {
		return la > lb
	}
	ha, hb := len(ma.headers), len(mb.headers)
	switch i {
	case EnvoyGateway:
		// The method is a ":method" header match (route.go), then the
		// count of exact header matches decides.
		if ma.method != "" || (ma.eg != nil && ma.eg.pathHeader) {
			ha++
		}
		if mb.method != "" || (mb.eg != nil && mb.eg.pathHeader) {
			hb++
		}
		if ha != hb {
			return ha > hb
		}
		if ea, eb := exactCount(ma.headers)+b2i(ma.method != ""), exactCount(mb.headers)+b2i(mb.method != ""); ea != eb {
			return ea > eb
		}
		if qa, qb := len(ma.query), len(mb.query); qa != qb {
			return qa > qb
		}
		if ea, eb := exactCount(ma.query), exactCount(mb.query); ea != eb {
			return ea > eb
		}
	default:
		if (ma.method != "") != (mb.method != "") {
			return ma.method != ""
		}
		if ha != hb {
			return ha > hb
		}
		if qa, qb := len(ma.query), len(mb.query); qa != qb {
			return qa > qb
		}
	}
	return a.order < b.order
}

func exactCount(vs []valueMatch) int {
	n := 0
	for _, v := range vs {
		if !v.regex {
			n++
		}
	}
	return n
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// pcreSafe reports whether Go's regexp decides a path the way PCRE does:
// ASCII patterns without the escapes whose meaning differs (\v is a class
// in PCRE, a character in Go; \p needs PCRE's UTF mode, which nginx only
// sets with "(*UTF)"; \s gained \v in PCRE 8.34) and ASCII paths, since PCRE
// without UTF mode counts bytes where Go counts runes.
func pcreSafe(expr, path string) bool {
	for i := 0; i < len(expr); i++ {
		if expr[i] >= 0x80 {
			return false
		}
	}
	for _, esc := range []string{`\v`, `\p`, `\P`, `\s`, `\S`, `\X`, `\R`, `\C`, `(*`} {
		if strings.Contains(expr, esc) {
			return false
		}
	}
	for i := 0; i < len(path); i++ {
		if path[i] >= 0x80 {
			return false
		}
	}
	return true
}
