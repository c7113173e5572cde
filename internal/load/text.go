package load

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// This file works on the text of a YAML stream line by line, without parsing
// it: finding document boundaries, classifying lines, and validating
// characters. Lines end at '\n'; a trailing '\r' is treated as part of the
// line break, so CRLF input needs no special handling.

var bom = []byte("\ufeff")

// lineKind classifies one line of a YAML stream for document splitting.
type lineKind int

const (
	lineContent   lineKind = iota // anything that belongs to a node
	lineBlank                     // only spaces, tabs and the line break
	lineComment                   // optional indentation, then '#'
	lineDirective                 // '%' at column 0 (%YAML, %TAG)
	lineDocStart                  // "---" at column 0, then a blank or the end
	lineDocEnd                    // "..." at column 0, then a blank or the end
)

// isBlankOrEnd reports whether l[i] does not exist or is a YAML white space
// or line break character, which is what must follow a document marker.
func isBlankOrEnd(l []byte, i int) bool {
	return i >= len(l) || l[i] == ' ' || l[i] == '\t' || l[i] == '\r' || l[i] == '\n'
}

// classify tells what a line is. The YAML spec (1.2, "c-forbidden") makes a
// document marker at column 0 end the current document wherever it occurs,
// even inside a block or quoted scalar, so markers can be found without a
// parser.
func classify(l []byte) lineKind {
	if len(l) >= 3 && isBlankOrEnd(l, 3) {
		if l[0] == '-' && l[1] == '-' && l[2] == '-' {
			return lineDocStart
		}
		if l[0] == '.' && l[1] == '.' && l[2] == '.' {
			return lineDocEnd
		}
	}
	if len(l) > 0 && l[0] == '%' {
		return lineDirective
	}
	rest := trimIndent(l)
	switch {
	case isLineBreak(rest):
		return lineBlank
	case rest[0] == '#':
		return lineComment
	}
	return lineContent
}

// trimIndent drops leading spaces and tabs.
func trimIndent(l []byte) []byte {
	i := 0
	for i < len(l) && (l[i] == ' ' || l[i] == '\t') {
		i++
	}
	return l[i:]
}

// isLineBreak reports whether l is empty or only a line break.
func isLineBreak(l []byte) bool {
	return len(l) == 0 || string(l) == "\n" || string(l) == "\r\n" || string(l) == "\r"
}

// markerHasContent reports whether a "---" line carries a node after the
// marker ("--- !tag", "--- |", "--- {a: 1}") rather than only a comment.
func markerHasContent(l []byte) bool {
	rest := trimIndent(l[3:])
	return !isLineBreak(rest) && rest[0] != '#'
}

// segment is one document of a stream as text: its marker lines, comments
// and content, in input order. Segments tile the input without gaps.
type segment struct {
	start, end int  // byte offsets in the input
	line       int  // 1-based line number of the first line
	content    bool // false when the segment holds only comments, blanks, directives and markers
}

// splitDocuments cuts a stream into segments. A "---" line opens a new
// segment unless the current one has neither a "---" nor content yet, so
// that leading comments and directives stay with the document they precede
// and are parsed with it. A "..." line closes the current segment.
func splitDocuments(data []byte) []segment {
	var segs []segment
	cur := segment{line: 1}
	hasStart := false
	line := 1
	for pos := 0; pos < len(data); line++ {
		next := len(data)
		if i := bytes.IndexByte(data[pos:], '\n'); i >= 0 {
			next = pos + i + 1
		}
		l := data[pos:next]
		if pos == 0 {
			l = bytes.TrimPrefix(l, bom)
		}
		switch classify(l) {
		case lineDocStart:
			if hasStart || cur.content {
				cur.end = pos
				segs = append(segs, cur)
				cur = segment{start: pos, line: line}
			}
			hasStart = true
			cur.content = cur.content || markerHasContent(l)
		case lineDocEnd:
			cur.end = next
			segs = append(segs, cur)
			cur = segment{start: next, line: line + 1}
			hasStart = false
		case lineDirective:
			// Directives belong to the prologue before "---"; after it,
			// a '%' line is content (and a syntax error for the parser).
			cur.content = cur.content || hasStart
		case lineBlank, lineComment:
		default:
			cur.content = true
		}
		pos = next
	}
	if cur.start < len(data) {
		cur.end = len(data)
		segs = append(segs, cur)
	}
	return segs
}

// prologue tells how a document's text begins once blank and comment lines
// (and a byte order mark) are skipped: with "---", a directive, "...", or
// content. The stream writer uses it to decide which separator a document
// needs.
func prologue(text []byte) lineKind {
	text = bytes.TrimPrefix(text, bom)
	for len(text) > 0 {
		next := len(text)
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			next = i + 1
		}
		switch k := classify(text[:next]); k {
		case lineBlank, lineComment:
		default:
			return k
		}
		text = text[next:]
	}
	return lineBlank
}

// lastLineKind classifies the last line of text, ignoring its final line
// break.
func lastLineKind(text []byte) lineKind {
	text = bytes.TrimSuffix(text, []byte("\n"))
	return classify(text[bytes.LastIndexByte(text, '\n')+1:])
}

// checkText rejects bytes that YAML does not allow in a stream: invalid
// UTF-8 and control characters other than tab, LF and CR (YAML 1.2
// c-printable). The parser rejects them too, but without a line number and
// not inside documents that hold only comments, which are never parsed.
// firstLine is the line number of text's first line.
func checkText(text []byte, firstLine int) error {
	line := firstLine
	for i := 0; i < len(text); {
		b := text[i]
		if b < utf8.RuneSelf {
			switch {
			case b == '\n':
				line++
			case b < 0x20 && b != '\t' && b != '\r', b == 0x7f:
				return &SyntaxError{Line: line, Msg: fmt.Sprintf("control character %U is not allowed in YAML", rune(b))}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(text[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return &SyntaxError{Line: line, Msg: fmt.Sprintf("invalid UTF-8 byte %#x (YAML input must be UTF-8)", b)}
		case r >= 0x80 && r <= 0x9f && r != 0x85, r == 0xfffe, r == 0xffff:
			return &SyntaxError{Line: line, Msg: fmt.Sprintf("control character %U is not allowed in YAML", r)}
		}
		i += size
	}
	return nil
}

// lineBreaksAreLF reports whether '\n' is the only line break in data
// (alone or after '\r'). The parser also breaks lines at a lone '\r' and at
// U+0085, U+2028 and U+2029; where those occur its line numbers do not match
// a count of '\n', and positions cannot be mapped back to the text.
func lineBreaksAreLF(data []byte) bool {
	for i := 0; ; {
		j := bytes.IndexByte(data[i:], '\r')
		if j < 0 {
			break
		}
		i += j + 1
		if i >= len(data) || data[i] != '\n' {
			return false
		}
	}
	return !bytes.Contains(data, []byte("\u0085")) &&
		!bytes.Contains(data, []byte("\u2028")) &&
		!bytes.Contains(data, []byte("\u2029"))
}

// lineIndex holds the byte offset of the start of every line.
type lineIndex []int

func newLineIndex(data []byte) lineIndex {
	idx := lineIndex{0}
	for i := 0; ; {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			return idx
		}
		i += j + 1
		idx = append(idx, i)
	}
}

// line returns line n (1-based) without its line break, or nil.
func (idx lineIndex) line(data []byte, n int) []byte {
	if n < 1 || n > len(idx) {
		return nil
	}
	start, end := idx[n-1], len(data)
	if n < len(idx) {
		end = idx[n] - 1
	}
	return bytes.TrimSuffix(data[start:end], []byte("\r"))
}

// start returns the byte offset of line n (1-based), or len(data) past the
// last line.
func (idx lineIndex) start(data []byte, n int) int {
	if n > len(idx) {
		return len(data)
	}
	return idx[n-1]
}
