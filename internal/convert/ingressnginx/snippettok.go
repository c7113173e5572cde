package ingressnginx

import (
	"fmt"
	"strings"
)

// directive is one nginx directive of a snippet: its name, its arguments
// (quotes removed, escapes resolved) and, for a block directive such as
// `if`, the directives inside its braces.
type directive struct {
	Name  string
	Args  []string
	Block []directive
	// HasBlock is true for `name args { ... }`, even an empty block.
	HasBlock bool
	// Line is the 1-based line the directive starts on, for messages.
	Line int
}

// maxSnippet bounds what the tokenizer reads: a snippet longer than any
// hand-written one is not triaged (its fate stays unsafe).
const (
	maxSnippet = 4096
	maxDepth   = 2
)

// syntaxError is a snippet that does not tokenize: Directive is the
// top-level directive being read when it failed ("" when none was).
type syntaxError struct {
	Directive string
	Line      int
	err       error
}

func (e *syntaxError) Error() string { return e.err.Error() }

// tokenizeSnippet reads nginx configuration syntax the way nginx's own
// parser (src/core/ngx_conf_file.c, ngx_conf_read_token) splits it:
// whitespace separates words; `;` ends a directive; `{` opens a block and
// `}` closes it; "..." and '...' quote a word, in which \" \' \\ \t \r \n
// are escapes; `#` outside quotes starts a comment to the end of the line.
// It is stricter than nginx where nginx's leniency would hide intent: a
// backslash before any other character, a control character other than
// whitespace between words, and a quote that does not start a word are
// errors. Nothing is evaluated: `$` stays a literal character that the
// directive parsers refuse or recognise.
func tokenizeSnippet(src string) ([]directive, error) {
	if len(src) > maxSnippet {
		return nil, &syntaxError{err: fmt.Errorf("is longer than %d characters", maxSnippet)}
	}
	t := &tokenizer{src: src, line: 1}
	ds, err := t.block(0)
	if err != nil {
		return ds, &syntaxError{Directive: t.top, Line: t.topLine, err: err}
	}
	if tok, err := t.next(); err != nil {
		return ds, &syntaxError{err: err}
	} else if tok.kind != tokEOF {
		return ds, &syntaxError{err: fmt.Errorf("line %d: unexpected \"}\"", tok.line)}
	}
	return ds, nil
}

type tokenizer struct {
	src  string
	pos  int
	line int
	// top is the top-level directive being read, for syntax errors.
	top     string
	topLine int
	// buf is a token read by peek and not yet taken by next.
	buf *token
}

type token struct {
	kind int
	word string
	line int
}

// token kinds.
const (
	tokWord = iota
	tokSemicolon
	tokOpen
	tokClose
	tokEOF
)

func (t *tokenizer) peek() (token, error) {
	if t.buf == nil {
		tok, err := t.read()
		if err != nil {
			return token{}, err
		}
		t.buf = &tok
	}
	return *t.buf, nil
}

func (t *tokenizer) next() (token, error) {
	tok, err := t.peek()
	t.buf = nil
	return tok, err
}

// block reads directives until a `}` (left unread) or the end.
func (t *tokenizer) block(depth int) ([]directive, error) {
	var out []directive
	for {
		tok, err := t.peek()
		if err != nil {
			return out, err
		}
		switch tok.kind {
		case tokEOF, tokClose:
			return out, nil
		case tokSemicolon:
			return out, fmt.Errorf("line %d: unexpected \";\"", tok.line)
		case tokOpen:
			return out, fmt.Errorf("line %d: unexpected \"{\"", tok.line)
		}
		t.buf = nil
		d := directive{Name: tok.word, Line: tok.line}
		if depth == 0 {
			t.top, t.topLine = d.Name, d.Line
		}
	args:
		for {
			tok, err := t.next()
			if err != nil {
				return out, err
			}
			switch tok.kind {
			case tokWord:
				d.Args = append(d.Args, tok.word)
			case tokSemicolon:
				break args
			case tokOpen:
				if depth+1 > maxDepth {
					return out, fmt.Errorf("line %d: blocks nested deeper than %d", tok.line, maxDepth)
				}
				inner, err := t.block(depth + 1)
				if err != nil {
					return out, err
				}
				end, err := t.next()
				if err != nil {
					return out, err
				}
				if end.kind != tokClose {
					return out, fmt.Errorf("line %d: block of %q is not closed", end.line, d.Name)
				}
				d.Block, d.HasBlock = inner, true
				break args
			default:
				return out, fmt.Errorf("line %d: directive %q is not terminated by \";\"", tok.line, d.Name)
			}
		}
		out = append(out, d)
	}
}

// read reads the next token.
func (t *tokenizer) read() (token, error) {
	for t.pos < len(t.src) {
		c := t.src[t.pos]
		if c == '\n' {
			t.line++
			t.pos++
		} else if c == ' ' || c == '\t' || c == '\r' {
			t.pos++
		} else if c == '#' {
			for t.pos < len(t.src) && t.src[t.pos] != '\n' {
				t.pos++
			}
		} else {
			break
		}
	}
	line := t.line
	if t.pos >= len(t.src) {
		return token{kind: tokEOF, line: line}, nil
	}
	switch c := t.src[t.pos]; c {
	case ';':
		t.pos++
		return token{kind: tokSemicolon, line: line}, nil
	case '{':
		t.pos++
		return token{kind: tokOpen, line: line}, nil
	case '}':
		t.pos++
		return token{kind: tokClose, line: line}, nil
	case '"', '\'':
		w, err := t.quoted(c)
		return token{kind: tokWord, word: w, line: line}, err
	}
	start := t.pos
	for t.pos < len(t.src) {
		c := t.src[t.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '{' || c == '}':
			return token{kind: tokWord, word: t.src[start:t.pos], line: line}, nil
		case c == '"' || c == '\'':
			return token{}, fmt.Errorf("line %d: quote inside a word", line)
		case c == '\\':
			return token{}, fmt.Errorf("line %d: backslash outside quotes", line)
		case c < 0x20 || c == 0x7f:
			return token{}, fmt.Errorf("line %d: control character", line)
		}
		t.pos++
	}
	return token{kind: tokWord, word: t.src[start:], line: line}, nil
}

// quoted reads a quoted word starting at the quote q.
func (t *tokenizer) quoted(q byte) (string, error) {
	line := t.line
	t.pos++
	var b strings.Builder
	for t.pos < len(t.src) {
		c := t.src[t.pos]
		switch {
		case c == q:
			t.pos++
			if t.pos < len(t.src) {
				if n := t.src[t.pos]; n != ' ' && n != '\t' && n != '\r' && n != '\n' && n != ';' && n != '{' && n != '}' {
					return "", fmt.Errorf("line %d: unexpected %q after a quoted word", t.line, n)
				}
			}
			return b.String(), nil
		case c == '\\':
			if t.pos+1 >= len(t.src) {
				return "", fmt.Errorf("line %d: unterminated quote", line)
			}
			switch n := t.src[t.pos+1]; n {
			case '"', '\'', '\\':
				b.WriteByte(n)
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'n':
				b.WriteByte('\n')
			default:
				return "", fmt.Errorf("line %d: escape \\%c inside quotes", t.line, n)
			}
			t.pos += 2
			continue
		case c == '\n':
			t.line++
		}
		b.WriteByte(c)
		t.pos++
	}
	return "", fmt.Errorf("line %d: unterminated quote", line)
}
