package nginx

import (
	"github.com/routeshift/routeshift/internal/proof/routing"
)

// locIndex finds a server's location without scanning every location of
// the host: by exact path, by prefix (the request's own prefixes, longest
// first) and, in regex mode, by the literal beginning of each pattern.
// Scanning made diff quadratic in the paths of one host.
type locIndex struct {
	exact  map[string]*location // "= path", the first in location order
	prefix map[string]*location // prefix locations by path, the first
	// regexLit lists positions in server.locations by the lower-cased
	// text every URI the location's "(?i)^path" accepts begins with;
	// anyRegex lists every position, for URIs that are not ASCII.
	regexLit map[string][]int32
	anyRegex []int32
}

func (s *server) buildIndex() {
	ix := &locIndex{exact: map[string]*location{}, prefix: map[string]*location{}}
	for i, l := range s.locations {
		if s.regex {
			if ix.regexLit == nil {
				ix.regexLit = map[string][]int32{}
			}
			lit := ""
			if l.reErr == nil {
				lit = routing.RegexPrefix("(?i)^" + l.path)
			}
			ix.regexLit[lit] = append(ix.regexLit[lit], int32(i))
			ix.anyRegex = append(ix.anyRegex, int32(i))
			continue
		}
		m := ix.prefix
		if l.exact {
			m = ix.exact
		}
		if _, ok := m[l.path]; !ok {
			m[l.path] = l
		}
	}
	s.index = ix
}

// longestPrefix is the prefix location with the longest path the URI
// starts with.
func (ix *locIndex) longestPrefix(uri string) *location {
	for i := len(uri); i >= 0; i-- {
		if l, ok := ix.prefix[uri[:i]]; ok {
			return l
		}
	}
	return nil
}

// firstRegex is the first location in order whose pattern matches the
// URI, or the first one Go cannot compile that comes before it (err set).
func (s *server) firstRegex(uri string) (l *location, err error) {
	ix := s.index
	best := int32(-1)
	try := func(ps []int32) {
		for _, p := range ps {
			if best >= 0 && p >= best {
				return
			}
			loc := s.locations[p]
			if loc.reErr != nil || loc.re.MatchString(uri) {
				best = p
				return
			}
		}
	}
	if lower, ok := routing.ASCIILower(uri); ok {
		for i := 0; i <= len(lower); i++ {
			if ps, ok := ix.regexLit[lower[:i]]; ok {
				try(ps)
			}
		}
	} else {
		try(ix.anyRegex)
	}
	if best < 0 {
		return nil, nil
	}
	l = s.locations[best]
	return l, l.reErr
}
