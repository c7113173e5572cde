package routing

import (
	"regexp/syntax"
	"strings"
)

// Both models index regular expressions by the text every path they accept
// begins with, so that a request is tested against the few that may match
// it rather than every one of its host.

// ASCIILower lower-cases an ASCII string; ok is false for any other.
func ASCIILower(s string) (string, bool) {
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return "", false
		}
		if 'A' <= c && c <= 'Z' {
			upper = true
		}
	}
	if !upper {
		return s, true
	}
	return strings.ToLower(s), true
}

// RegexPrefix is the lower-cased text every string the expression
// matches starts with, when the expression is anchored at the start; ""
// when it is not (then every path is a candidate). Folded and plain
// literals both lower-case, so that the index can be asked with a
// lower-cased path: a superset of the candidates, never fewer.
func RegexPrefix(expr string) string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return ""
	}
	var b strings.Builder
	anchored := false
	var walk func(re *syntax.Regexp) bool // false: stop
	walk = func(re *syntax.Regexp) bool {
		switch re.Op {
		case syntax.OpBeginText:
			anchored = true
			return true
		case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
			return anchored || re.Op == syntax.OpEmptyMatch
		case syntax.OpLiteral:
			if !anchored {
				return false
			}
			for _, c := range re.Rune {
				if c >= 0x80 {
					return false
				}
				b.WriteRune(c)
			}
			return true
		case syntax.OpConcat:
			for _, s := range re.Sub {
				if !walk(s) {
					return false
				}
			}
			return true
		case syntax.OpCapture:
			return walk(re.Sub[0])
		}
		return false
	}
	walk(re)
	if !anchored {
		return ""
	}
	lit, _ := ASCIILower(b.String())
	return lit
}
