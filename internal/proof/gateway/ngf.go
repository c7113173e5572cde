package gateway

import (
	"regexp"
	"sort"
	"strings"

	"github.com/routeshift/routeshift/internal/proof/routing"
)

// ngfIndex is a hostname's routes as nginx-gateway-fabric writes them into
// one nginx server: a location per path and path type, each holding the
// matches written for it, ordered by the specification's remaining keys.
// nginx picks the location by path alone; the matches of that location
// then decide, and when none accepts the request it answers 404 (no other
// location is tried).
type ngfIndex struct {
	exact  map[string]*ngfLoc // "location = P"
	prefix map[string]*ngfLoc // "location P/" (string prefix)
	regex  []*ngfLoc          // "location ~ ^R", in the order of the file
	// regexLit indexes regex positions by the literal beginning of what
	// they accept, as matchIndex.regex does.
	regexLit map[string][]int32
	anyRegex []int32
}

type ngfLoc struct {
	path string
	// slashed marks a PathPrefix written with its trailing "/": nginx may
	// redirect the path without it (see find).
	slashed bool
	re      *regexp.Regexp
	reErr   error
	entries []int32 // positions in matchIndex.entries, in try order
}

// buildNGF follows servers.go (initializeExternalLocations, createPath)
// and dataplane/sort.go (sortPathRules, sortMatchRules) of
// nginx-gateway-fabric v2.6.7.
func buildNGF(ix *matchIndex) *ngfIndex {
	n := &ngfIndex{exact: map[string]*ngfLoc{}, prefix: map[string]*ngfLoc{}, regexLit: map[string][]int32{}}
	type key struct{ typ, path string }
	rules := map[key][]int32{}
	var keys []key
	for i := range ix.entries {
		mt := ix.entries[i].match
		k := key{mt.pathType, mt.path}
		if _, ok := rules[k]; !ok {
			keys = append(keys, k)
		}
		rules[k] = append(rules[k], int32(i))
	}
	loc := func(m map[string]*ngfLoc, path string) *ngfLoc {
		l := m[path]
		if l == nil {
			l = &ngfLoc{path: path}
			m[path] = l
		}
		return l
	}
	for _, k := range keys {
		ps := rules[k]
		switch k.typ {
		case "Exact":
			l := loc(n.exact, k.path)
			l.entries = append(l.entries, ps...)
		case "PathPrefix":
			if strings.HasSuffix(k.path, "/") {
				l := loc(n.prefix, k.path)
				l.slashed = k.path != "/"
				l.entries = append(l.entries, ps...)
				continue
			}
			// A Prefix P is "location P/" and "location = P", unless a rule
			// writes either itself: that rule's location wins.
			if _, ok := rules[key{"PathPrefix", k.path + "/"}]; !ok {
				l := loc(n.prefix, k.path+"/")
				l.entries = append(l.entries, ps...)
			}
			if _, ok := rules[key{"Exact", k.path}]; !ok {
				l := loc(n.exact, k.path)
				l.entries = append(l.entries, ps...)
			}
		default:
			l := &ngfLoc{path: k.path, entries: append([]int32(nil), ps...)}
			l.re, l.reErr = regexp.Compile(dialectPCRE.pathSource(k.path))
			n.regex = append(n.regex, l)
		}
	}
	// sortPathRules: longer paths first, then by path: nginx tries regex
	// locations in the order of the file.
	sort.SliceStable(n.regex, func(i, j int) bool {
		a, b := n.regex[i].path, n.regex[j].path
		if len(a) != len(b) {
			return len(a) > len(b)
		}
		return a < b
	})
	for i, l := range n.regex {
		lit := ""
		if l.reErr == nil {
			lit = routing.RegexPrefix(dialectPCRE.pathSource(l.path))
		}
		n.regexLit[lit] = append(n.regexLit[lit], int32(i))
		n.anyRegex = append(n.anyRegex, int32(i))
	}
	// sortMatchRules (higherPriority): a method first, then the most
	// header matches, the most query matches, then the oldest route and
	// namespace/name; the order of rules stays.
	all := []map[string]*ngfLoc{n.exact, n.prefix}
	for _, m := range all {
		for _, l := range m {
			sortNGF(ix, l)
		}
	}
	for _, l := range n.regex {
		sortNGF(ix, l)
	}
	return n
}

func sortNGF(ix *matchIndex, l *ngfLoc) {
	sort.SliceStable(l.entries, func(i, j int) bool {
		a, b := &ix.entries[l.entries[i]], &ix.entries[l.entries[j]]
		if (a.match.method != "") != (b.match.method != "") {
			return a.match.method != ""
		}
		if x, y := len(a.match.headers), len(b.match.headers); x != y {
			return x > y
		}
		if x, y := len(a.match.query), len(b.match.query); x != y {
			return x > y
		}
		return a.order < b.order
	})
}

// find is nginx's location selection ("= P", then the longest prefix,
// then the first regex that matches, which wins over the prefix), then the
// first match of that location the request satisfies.
func (n *ngfIndex) find(ix *matchIndex, r *routing.Request) (int32, string) {
	path := r.Path
	l := n.exact[path]
	if l == nil {
		var pre *ngfLoc
		for i := len(path); i > 0; i-- {
			if p := n.prefix[path[:i]]; p != nil {
				pre = p
				break
			}
		}
		if p := n.prefix[path+"/"]; p != nil && p.slashed {
			// nginx answers 301 to P/ when that location proxies; it does not
			// when the location hands over to njs (several matches).
			return -1, "nginx-gateway-fabric: " + path + " is PathPrefix " + p.path +
				" without its slash; nginx may redirect it (301) or not, depending on the location it writes"
		}
		rl, why := n.firstRegex(path)
		if why != "" {
			return -1, why
		}
		l = pre
		if rl != nil {
			l = rl
		}
	}
	if l == nil {
		return -1, ""
	}
	for _, p := range l.entries {
		ok, why := ix.entries[p].match.test(r, dialectPCRE, false)
		if why != "" {
			return -1, why
		}
		if ok {
			return p, ""
		}
	}
	return -1, ""
}

func (n *ngfIndex) firstRegex(path string) (*ngfLoc, string) {
	if len(n.regex) == 0 {
		return nil, ""
	}
	best := int32(-1)
	why := ""
	try := func(l []int32) {
		for _, p := range l {
			if best >= 0 && p >= best {
				return
			}
			loc := n.regex[p]
			if loc.reErr != nil || !pcreSafe(loc.path, path) {
				best, why = p, "nginx-gateway-fabric: path regex "+loc.path+" is matched by PCRE, which may read it otherwise than Go's RE2"
				return
			}
			if loc.re.MatchString(path) {
				best, why = p, ""
				return
			}
		}
	}
	lower, ok := routing.ASCIILower(path)
	if !ok {
		try(n.anyRegex)
	} else {
		for i := 0; i <= len(lower); i++ {
			if l := n.regexLit[lower[:i]]; l != nil {
				try(l)
			}
		}
	}
	if best < 0 {
		return nil, ""
	}
	if why != "" {
		return nil, why
	}
	return n.regex[best], ""
}
