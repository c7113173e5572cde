package probe

import (
	"regexp/syntax"
	"strings"
)

// Sample returns a short string the regular expression matches, built from
// its syntax tree (first alternative, minimum repetition, first character
// of each class), so that regex rules are probed on a path they accept and
// not only on their literal beginning. ok is false for an expression Go
// cannot parse.
func Sample(expr string) (string, bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return "", false
	}
	var b strings.Builder
	sample(&b, re.Simplify(), 0)
	return b.String(), true
}

func sample(b *strings.Builder, re *syntax.Regexp, depth int) {
	if depth > 100 || b.Len() > 256 {
		return
	}
	switch re.Op {
	case syntax.OpLiteral:
		lit := string(re.Rune)
		if re.Flags&syntax.FoldCase != 0 {
			// The parser keeps a case-folded literal in upper case.
			lit = strings.ToLower(lit)
		}
		b.WriteString(lit)
	case syntax.OpCharClass:
		if len(re.Rune) > 0 {
			r := re.Rune[0]
			// Prefer a letter or digit inside the class, which reads better
			// in a report than the class's lowest code point.
			for i := 0; i+1 < len(re.Rune); i += 2 {
				for _, c := range "a0A-" {
					if re.Rune[i] <= c && c <= re.Rune[i+1] {
						b.WriteRune(c)
						return
					}
				}
			}
			b.WriteRune(r)
		}
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte('x')
	case syntax.OpCapture:
		sample(b, re.Sub[0], depth+1)
	case syntax.OpConcat:
		for _, s := range re.Sub {
			sample(b, s, depth+1)
		}
	case syntax.OpAlternate:
		sample(b, re.Sub[0], depth+1)
	case syntax.OpPlus:
		sample(b, re.Sub[0], depth+1)
	case syntax.OpRepeat:
		for i := 0; i < re.Min; i++ {
			sample(b, re.Sub[0], depth+1)
		}
	}
	// Star, Quest, anchors and empty matches add nothing.
}
