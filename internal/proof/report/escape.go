package report

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Every string a report prints may come from a manifest, and a manifest in
// a pull request is written by whoever opened it. The text and Markdown
// writers print such strings only through the functions below, each made
// for the one place it writes into; the JSON writer prints them raw, as
// encoding/json escapes them for JSON.
//
// The rules they enforce, whatever the input:
//   - no character a terminal or a log viewer would interpret: C0 and C1
//     controls, DEL, line and paragraph separators, Unicode format
//     characters (bidirectional overrides, zero-width characters, BOM),
//     whitespace other than the ASCII space, non-characters and invalid
//     UTF-8 are shown as \n, \t, \r, \uXXXX or \xNN;
//   - no line of the output can be read by GitHub Actions as a workflow
//     command: the runner reads a line as one when, with leading
//     whitespace trimmed, it starts with "::", and anywhere in a line that
//     holds "##[" followed by a registered command (actions/runner,
//     src/Runner.Common/ActionCommand.cs, TryParseV2 and TryParse; both are
//     tried, src/Runner.Worker/ActionCommandManager.cs). So a leading ":"
//     of "::" is shown as \x3a and the "[" of "##[" as \x5b;
//   - in Markdown, no element, link, image, mention or autolink comes from
//     input: strings go into code spans (whose content Markdown never
//     interprets and GitHub never links or mentions in), or, inside the
//     raw HTML of a <summary>, into a <code> element with every character
//     HTML or the log would read escaped as a character reference.

// visible shows what must not be written raw (see above) as a backslash
// escape, and breaks workflow commands. The escapes are for a reader:
// a backslash in the input is left as it is.
func visible(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case hidden(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		case r == '[' && strings.HasSuffix(b.String(), "##"):
			b.WriteString(`\x5b`)
		default:
			b.WriteRune(r)
		}
		i += n
	}
	out := b.String()
	if strings.HasPrefix(strings.TrimLeft(out, " "), "::") {
		out = strings.Replace(out, ":", `\x3a`, 1)
	}
	return out
}

// hidden reports whether r is a character that must not be written raw.
func hidden(r rune) bool {
	switch {
	case r == ' ':
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0: // C0, DEL, C1
		return true
	case unicode.IsSpace(r): // NBSP, U+2028, U+2029, ...: all but the ASCII space
		return true
	case unicode.Is(unicode.Cf, r): // bidi controls, zero-width, BOM, tags
		return true
	case r >= 0xfdd0 && r <= 0xfdef, r&0xfffe == 0xfffe: // non-characters
		return true
	}
	return false
}

// textValue is s for a line of the text report.
func textValue(s string) string { return visible(s) }

// codeSpan is s as an inline Markdown code span: CommonMark reads its
// content literally (no emphasis, link, HTML or character reference), and
// GitHub neither mentions nor links inside code. The delimiter is one
// backtick longer than the longest run of backticks in s; a space pads s
// when it starts or ends with a backtick, or starts and ends with a space,
// as CommonMark strips one space from each side then. In a table cell a
// "|" would end the cell even inside the span: GFM reads "\|" there as a
// "|" (GFM spec, tables, example 200). An empty s writes nothing.
func codeSpan(s string, inTable bool) string {
	v := visible(s)
	if v == "" {
		return ""
	}
	if inTable {
		v = strings.ReplaceAll(v, "|", `\|`)
	}
	longest, run := 0, 0
	for i := 0; i < len(v); i++ {
		if v[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if v[0] == '`' || v[len(v)-1] == '`' || (v[0] == ' ' && v[len(v)-1] == ' ' && strings.Trim(v, " ") != "") {
		v = " " + v + " "
	}
	return fence + v + fence
}

// htmlCode is s as a <code> element inside raw HTML (an HTML block, where
// Markdown is not interpreted): HTML's special characters and what a
// workflow command or GitHub's references would need (":", "#", "@") are
// character references, which a browser shows as the characters.
func htmlCode(s string) string {
	return "<code>" + htmlText(s) + "</code>"
}

// htmlText escapes s for element content in raw HTML.
func htmlText(s string) string {
	var b strings.Builder
	for _, r := range visible(s) {
		switch r {
		case '&', '<', '>', '"', '\'', ':', '#', '@', '`', '\\', '*', '_', '[', ']', '(', ')', '!', '~', '|', '$':
			fmt.Fprintf(&b, "&#%d;", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdText escapes the Markdown punctuation in s for Markdown text. It does
// not stop GFM's autolinks ("www.", "https:") nor GitHub's mentions: it is
// only for text the report composes itself (the summary, counts and
// words), never for a string from a manifest.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range visible(s) {
		if strings.ContainsRune("\\`*_[]<>&|!#~$", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
