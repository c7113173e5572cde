package load

import (
	"bytes"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// The scalars of parseFast: quoted and block scalars, and the tags of
// plain ones, each done as yaml.v3 does it.

const fastTimestampTag = "!!timestamp"

// quotedEnd returns the position after the closing quote of the
// single-line quoted scalar at i, or -1.
func (p *fastParser) quotedEnd(i int) int {
	t := p.text
	q := t[i]
	for j := i + 1; j < len(t); j++ {
		switch c := t[j]; {
		case c == '\n':
			return -1
		case c == '\\' && q == '"':
			j++
			if j == len(t) || t[j] == '\n' {
				return -1
			}
		case c == q:
			if q == '\'' && j+1 < len(t) && t[j+1] == '\'' {
				j++
				continue
			}
			return j + 1
		}
	}
	return -1
}

// fastEscapes are the one-character escapes of yaml.v3's scanner
// (\/ is not one), and fastUnescaped what they stand for.
const fastEscapes = "0abt\tnvfre \"'\\N_LP"

var fastUnescaped = [...]string{"\x00", "\a", "\b", "\t", "\t", "\n", "\v", "\f", "\r", "\x1b",
	" ", "\"", "'", "\\", "\u0085", "\u00a0", "\u2028", "\u2029"}

// quoted sets n's value and style from the quoted scalar at i and returns
// the position after it, or -1. Escapes are decoded as yaml.v3's scanner
// decodes them; those it rejects are refused.
func (p *fastParser) quoted(n *yaml.Node, i int) int {
	end := p.quotedEnd(i)
	if end < 0 {
		return -1
	}
	raw := p.s[i+1 : end-1]
	if p.text[i] == '\'' {
		n.Style = yaml.SingleQuotedStyle
		if strings.Contains(raw, "''") {
			raw = strings.ReplaceAll(raw, "''", "'")
		}
		n.Value = raw
		return end
	}
	n.Style = yaml.DoubleQuotedStyle
	if strings.IndexByte(raw, '\\') < 0 {
		n.Value = raw
		return end
	}
	b := p.buf[:0]
	for j := 0; j < len(raw); j++ {
		if raw[j] != '\\' {
			b = append(b, raw[j])
			continue
		}
		j++
		size := 0
		switch c := raw[j]; c {
		case 'x':
			size = 2
		case 'u':
			size = 4
		case 'U':
			size = 8
		default:
			k := strings.IndexByte(fastEscapes, c)
			if k < 0 {
				return -1
			}
			b = append(b, fastUnescaped[k]...)
		}
		if size > 0 {
			if j+size >= len(raw) {
				return -1
			}
			r, err := strconv.ParseUint(raw[j+1:j+1+size], 16, 32)
			if err != nil || r >= 0xd800 && r <= 0xdfff || r > 0x10ffff {
				return -1
			}
			b = utf8.AppendRune(b, rune(r))
			j += size
		}
	}
	n.Value = string(b)
	p.buf = b
	return end
}

// blockScalar parses the literal or folded scalar whose indicator is at
// pos, in a collection at column ind. It follows yaml.v3's
// yaml_parser_scan_block_scalar step by step, including its way of finding
// the content indentation, so that the value is the same.
func (p *fastParser) blockScalar(ind int) *yaml.Node {
	t := p.text
	i := p.pos
	literal := t[i] == '|'
	n := p.node(yaml.ScalarNode, yaml.NodeTagString, i)
	n.Style = yaml.FoldedStyle
	if literal {
		n.Style = yaml.LiteralStyle
	}
	at := func(i int) byte {
		if i < len(t) {
			return t[i]
		}
		return 0
	}
	chomp, indent := 0, 0
	for range 2 { // a chomping and an indentation indicator, in any order
		i++
		switch c := at(i); {
		case c == '+' && chomp == 0:
			chomp = 1
		case c == '-' && chomp == 0:
			chomp = -1
		case c >= '1' && c <= '9' && indent == 0:
			indent = ind + int(c-'0')
		case c == '0':
			return nil
		default:
			i--
		}
	}
	i++
	for at(i) == ' ' {
		i++
	}
	if i < len(t) {
		if t[i] != '\n' {
			return nil
		}
		i++
		p.line++
		p.lineStart = i
	}
	p.pos = i
	trailing := 0 // line breaks after the last content line
	// breaks eats indentation and empty lines, and sets indent from them
	// and the first content line if no indicator gave it.
	breaks := func() bool {
		maxIndent := 0
		for {
			for (indent == 0 || p.pos-p.lineStart < indent) && at(p.pos) == ' ' {
				p.pos++
			}
			maxIndent = max(maxIndent, p.pos-p.lineStart)
			if (indent == 0 || p.pos-p.lineStart < indent) && at(p.pos) == '\t' {
				return false
			}
			if at(p.pos) != '\n' {
				break
			}
			p.pos++
			p.line++
			p.lineStart = p.pos
			trailing++
		}
		if indent == 0 {
			indent = max(maxIndent, ind+1, 1)
		}
		return true
	}
	if !breaks() {
		return nil
	}
	b := p.buf[:0]
	leadingBreak, leadingBlank := false, false
	for p.pos-p.lineStart == indent && p.pos < len(t) {
		trailingBlank := t[p.pos] == ' ' || t[p.pos] == '\t'
		if !literal && !leadingBlank && !trailingBlank && leadingBreak {
			if trailing == 0 {
				b = append(b, ' ')
			}
		} else if leadingBreak {
			b = append(b, '\n')
		}
		for ; trailing > 0; trailing-- {
			b = append(b, '\n')
		}
		leadingBlank = trailingBlank
		end := len(t)
		if j := bytes.IndexByte(t[p.pos:], '\n'); j >= 0 {
			end = p.pos + j
		}
		b = append(b, t[p.pos:end]...)
		p.pos = end
		leadingBreak = false
		if end < len(t) {
			p.pos++
			p.line++
			p.lineStart = p.pos
			leadingBreak = true
		}
		if !breaks() {
			return nil
		}
	}
	if chomp != -1 && leadingBreak {
		b = append(b, '\n')
	}
	for ; chomp == 1 && trailing > 0; trailing-- {
		b = append(b, '\n')
	}
	n.Value = string(b)
	p.buf = b
	// The line that ended the scalar is parsed again from its start.
	if p.pos < len(t) {
		p.pos = p.lineStart
	}
	p.nextContent()
	return n
}

// fastResolve returns the tag yaml.v3's resolve gives the plain scalar v
// (go.yaml.in/yaml/v3 resolve.go, with an empty tag), rewritten to return
// only the tag, except that YAML 1.1's booleans (y, yes, on, n, no, off
// and their capitals) are !!bool: the API server reads them so (see
// scalar.go), and parseYAML tags them the same way (checkTree).
func fastResolve(v string) string {
	switch v {
	case "true", "True", "TRUE", "false", "False", "FALSE",
		"y", "Y", "yes", "Yes", "YES", "on", "On", "ON",
		"n", "N", "no", "No", "NO", "off", "Off", "OFF":
		return yaml.NodeTagBool
	case "", "~", "null", "Null", "NULL":
		return yaml.NodeTagNull
	case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF",
		"+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
		return yaml.NodeTagFloat
	case "<<":
		return yaml.MergeTag // not from resolve: yaml.v3's parser tags it
	}
	switch c := v[0]; {
	case c == '.':
		// ".spec.size" would make ParseFloat allocate its error.
		for i := 1; i < len(v); i++ {
			if c := v[i]; !(c >= '0' && c <= '9' || strings.IndexByte("._eE+-", c) >= 0) {
				return yaml.NodeTagString
			}
		}
		if _, err := strconv.ParseFloat(v, 64); err == nil {
			return yaml.NodeTagFloat
		}
	case c >= '0' && c <= '9' || c == '+' || c == '-':
		return fastResolveNumber(v)
	}
	return yaml.NodeTagString
}

func fastResolveNumber(v string) string {
	// Decimal integers, the common case, without a call.
	if len(v) <= 18 && (v[0] != '0' || len(v) == 1) {
		i := 0
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
		}
		if i == len(v) {
			return yaml.NodeTagInt
		}
	}
	// Saves the failing parses below, which allocate their errors, for
	// values like "8m" and "80Mi".
	for i := 0; i < len(v); i++ {
		if !fastNumberChar[v[i]] {
			return yaml.NodeTagString
		}
	}
	if fastIsTimestamp(v) {
		return fastTimestampTag
	}
	plain := strings.ReplaceAll(v, "_", "")
	if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return yaml.NodeTagInt
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return yaml.NodeTagInt
	}
	if fastIsFloat(plain) {
		if _, err := strconv.ParseFloat(plain, 64); err == nil {
			return yaml.NodeTagFloat
		}
	}
	if rest, ok := strings.CutPrefix(plain, "0b"); ok {
		if fastParsesInt(rest, 2) {
			return yaml.NodeTagInt
		}
	} else if rest, ok := strings.CutPrefix(plain, "-0b"); ok {
		if _, err := strconv.ParseInt("-"+rest, 2, 64); err == nil {
			return yaml.NodeTagInt
		}
	}
	if rest, ok := strings.CutPrefix(plain, "0o"); ok {
		if fastParsesInt(rest, 8) {
			return yaml.NodeTagInt
		}
	} else if rest, ok := strings.CutPrefix(plain, "-0o"); ok {
		if _, err := strconv.ParseInt("-"+rest, 8, 64); err == nil {
			return yaml.NodeTagInt
		}
	}
	return yaml.NodeTagString
}

// fastNumberChar holds the bytes that a plain scalar which is not a
// string can contain: digits, signs, '_', hexadecimal digits, base
// prefixes, exponents, and what timestamps have (time.Parse also takes a
// ',' before fractional seconds).
var fastNumberChar = func() (t [256]bool) {
	for _, c := range "0123456789+-_.abcdefABCDEFxXoOtTzZ:, " {
		t[c] = true
	}
	return t
}()

func fastParsesInt(s string, base int) bool {
	if _, err := strconv.ParseInt(s, base, 64); err == nil {
		return true
	}
	_, err := strconv.ParseUint(s, base, 64)
	return err == nil
}

// fastIsFloat matches yaml.v3's yamlStyleFloat,
// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$, without regexp.
func fastIsFloat(s string) bool {
	i := 0
	digits := func() int {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - j
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	} else {
		if digits() == 0 {
			return false
		}
		if i < len(s) && s[i] == '.' {
			i++
			digits()
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// fastIsTimestamp is yaml.v3's parseTimestamp without the result.
func fastIsTimestamp(s string) bool {
	i := 0
	for ; i < len(s); i++ {
		if c := s[i]; c < '0' || c > '9' {
			break
		}
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, format := range [...]string{
		"2006-1-2T15:4:5.999999999Z07:00",
		"2006-1-2t15:4:5.999999999Z07:00",
		"2006-1-2 15:4:5.999999999",
		"2006-1-2",
	} {
		if _, err := time.Parse(format, s); err == nil {
			return true
		}
	}
	return false
}
