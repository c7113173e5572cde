package load

import (
	"bytes"
	"sync"
	"unicode/utf8"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// This file parses the block YAML subset that kustomize, kpt and kubectl
// write, without the token and event machinery of yaml.v3, into exactly the
// node tree yaml.v3 builds (same kinds, tags, styles, values and positions).
// Anything outside the subset, or anything it is not sure about, is refused
// so that the caller parses the text with parseYAML instead: the subset
// is what makes exactness cheap to reason about, and refusing costs only the
// time spent before the refusal.
//
// The subset: block mappings and sequences (also a sequence at the
// indentation of its key, and "- key: value" mappings), single-line plain,
// single- and double-quoted scalars, literal and folded block scalars, and
// the empty flow collections [] and {}, and a "---" line before the root
// and a "..." line after it. Refused: comments, anchors, aliases, tags,
// complex keys, multi-line plain and quoted scalars, other flow
// collections, other document markers, directives, tabs outside scalars, line
// breaks other than LF, a byte order mark, merge keys, duplicate keys, and
// nesting deeper than fastMaxDepth.

// fastMaxDepth bounds the nesting of collections, which bounds the
// recursion on hostile input.
const fastMaxDepth = 100

// fastMaxKey is below yaml.v3's limit of 1024 characters between the start
// of an implicit key and its ':'.
const fastMaxKey = 1000

// parseFast parses text as parseYAML does, for the block YAML subset
// that kustomize, kpt and kubectl write; ok is false (and the caller uses
// parseYAML) for anything outside it.
func parseFast(text []byte, line int) (root *yaml.Node, ok bool) {
	ascii, good := fastCheckText(text)
	if !good {
		return nil, false
	}
	// Manifests have a little over two nodes a line (key and value, and
	// the collections); more chunks follow if that is not enough.
	lines := bytes.Count(text, []byte{'\n'}) + 1
	p := fastParser{
		text:  text,
		s:     string(text),
		line:  1,
		shift: line - 1,
		ascii: ascii,
		chunk: min(lines*9/4+8, 4096),
	}
	sc := fastScratchPool.Get().(*fastScratch)
	p.stack, p.buf = sc.stack[:0], sc.buf[:0]
	root = p.parse()
	clear(p.stack) // left over when refused
	sc.stack, sc.buf = p.stack[:0], p.buf[:0]
	if cap(sc.buf) > 1<<16 {
		sc.buf = nil
	}
	fastScratchPool.Put(sc)
	return root, root != nil
}

// fastScratch is what parseFast needs during a call only, kept across
// calls to save allocations on the many small documents of a stream.
type fastScratch struct {
	stack []*yaml.Node
	buf   []byte
}

var fastScratchPool = sync.Pool{New: func() any { return new(fastScratch) }}

func (p *fastParser) parse() *yaml.Node {
	var root *yaml.Node
	p.nextContent()
	// The documents of a stream start with "---" as the splitter cuts them.
	p.skipMarker("---")
	switch {
	case p.ind < 0:
		return nil
	case p.isDash(p.pos):
		root = p.sequence(p.ind)
	case p.keyColon(p.pos) >= 0:
		root = p.mapping(p.ind)
	}
	p.skipMarker("...")
	if p.ind != fastEnd {
		return nil
	}
	return root
}

// Values of fastParser.ind besides an indentation.
const (
	fastEnd    = -1 // the end of the text
	fastRefuse = -2 // a line outside the subset
)

type fastParser struct {
	text      []byte
	s         string // text as a string: unescaped values are substrings of it
	pos       int    // byte offset in text
	lineStart int    // byte offset of the line holding pos
	line      int    // 1-based line of pos in text
	ind       int    // indentation of the line at pos, fastEnd or fastRefuse
	shift     int    // what shiftLine adds to a line
	ascii     bool   // columns are byte offsets; otherwise they count runes
	depth     int
	chunk     int
	nodes     []yaml.Node  // slab the nodes are taken from
	ptrs      []*yaml.Node // slab the Content slices are taken from
	stack     []*yaml.Node // children of the collections being parsed
	buf       []byte       // scratch for values that are not substrings
}

// fastCheckText rejects what checkText rejects and the line breaks (CR, NEL,
// LS, PS) and byte order marks that the line-by-line parsing does not handle.
func fastCheckText(t []byte) (ascii, ok bool) {
	ascii = true
	for i := 0; i < len(t); {
		for i < len(t) && t[i] >= 0x20 && t[i] < 0x7f {
			i++
		}
		if i == len(t) {
			break
		}
		b := t[i]
		if b < utf8.RuneSelf {
			if b < 0x20 && b != '\n' && b != '\t' || b == 0x7f {
				return false, false
			}
			i++
			continue
		}
		ascii = false
		r, size := utf8.DecodeRune(t[i:])
		switch {
		case r == utf8.RuneError && size == 1, r <= 0x9f,
			r == 0x2028, r == 0x2029, r == 0xfeff, r == 0xfffe, r == 0xffff:
			return false, false
		}
		i += size
	}
	return ascii, true
}

// node returns a new node at pos on the current line.
func (p *fastParser) node(kind yaml.Kind, tag string, pos int) *yaml.Node {
	return p.nodeAt(kind, tag, p.line+p.shift, p.col(pos))
}

func (p *fastParser) nodeAt(kind yaml.Kind, tag string, line, col int) *yaml.Node {
	if len(p.nodes) == cap(p.nodes) {
		p.nodes = make([]yaml.Node, 0, p.chunk)
	}
	p.nodes = p.nodes[:len(p.nodes)+1]
	n := &p.nodes[len(p.nodes)-1]
	n.Kind, n.Tag, n.Line, n.Column = kind, tag, line, col
	return n
}

// content moves the children pushed since base off the stack into a slice
// from the pointer slab, capped so that appending to it copies.
func (p *fastParser) content(base int) []*yaml.Node {
	kids := p.stack[base:]
	n := len(kids)
	if cap(p.ptrs)-len(p.ptrs) < n {
		p.ptrs = make([]*yaml.Node, 0, max(p.chunk, n))
	}
	l := len(p.ptrs)
	c := p.ptrs[l : l+n : l+n]
	copy(c, kids)
	p.ptrs = p.ptrs[:l+n]
	clear(kids)
	p.stack = p.stack[:base]
	return c
}

// col is yaml.v3's 1-based column of pos, which counts characters.
func (p *fastParser) col(pos int) int {
	if p.ascii {
		return pos - p.lineStart + 1
	}
	return utf8.RuneCount(p.text[p.lineStart:pos]) + 1
}

// blankz reports whether i is past the text or at a space, tab or line break.
func (p *fastParser) blankz(i int) bool {
	return i >= len(p.text) || p.text[i] == ' ' || p.text[i] == '\t' || p.text[i] == '\n'
}

// isDash reports whether a block sequence entry starts at i.
func (p *fastParser) isDash(i int) bool {
	return i < len(p.text) && p.text[i] == '-' && p.blankz(i+1)
}

// nextContent moves pos from the start of a line (or the end of the text)
// over blank lines to the first non-space byte of the next line, and sets
// ind to that line's indentation, fastEnd, or fastRefuse.
func (p *fastParser) nextContent() {
	t := p.text
	for {
		i := p.pos
		for i < len(t) && t[i] == ' ' {
			i++
		}
		p.pos = i
		if i == len(t) {
			p.ind = fastEnd
			return
		}
		switch t[i] {
		case '\n':
			p.pos++
			p.line++
			p.lineStart = p.pos
			continue
		case '#', '\t':
			p.ind = fastRefuse
			return
		}
		p.ind = i - p.lineStart
		if p.ind == 0 && (t[i] == '%' || len(t)-i >= 3 && p.blankz(i+3) &&
			(string(t[i:i+3]) == "---" || string(t[i:i+3]) == "...")) {
			p.ind = fastRefuse
		}
		return
	}
}

// skipMarker moves pos over a line that nextContent refused if it is the
// document marker m alone.
func (p *fastParser) skipMarker(m string) {
	if p.ind != fastRefuse || p.pos != p.lineStart || !bytes.HasPrefix(p.text[p.pos:], []byte(m)) {
		return
	}
	if !p.endLine(p.pos + len(m)) {
		p.ind = fastRefuse
	}
}

// endLine moves pos from the end of a value over trailing spaces and the
// line break, then to the next content; false if anything else follows.
func (p *fastParser) endLine(i int) bool {
	t := p.text
	for i < len(t) && t[i] == ' ' {
		i++
	}
	if i < len(t) {
		if t[i] != '\n' {
			return false
		}
		i++
		p.line++
		p.lineStart = i
	}
	p.pos = i
	p.nextContent()
	return true
}

func (p *fastParser) push(n *yaml.Node) { p.stack = append(p.stack, n) }

// mapping parses a block mapping whose keys are at column ind; pos is at
// the first key. Like every parse method it returns with pos and ind at
// the next content line, and nil when the text is refused.
func (p *fastParser) mapping(ind int) *yaml.Node {
	if p.depth++; p.depth > fastMaxDepth {
		return nil
	}
	m := p.node(yaml.MappingNode, yaml.NodeTagMap, p.pos)
	base := len(p.stack)
	for {
		colon := p.keyColon(p.pos)
		if colon < 0 {
			return nil
		}
		k := p.key(colon)
		if k == nil {
			return nil
		}
		p.push(k)
		v := p.mapValue(ind, colon)
		if v == nil {
			return nil
		}
		p.push(v)
		if p.ind < ind {
			break
		}
		if p.ind > ind {
			return nil
		}
	}
	m.Content = p.content(base)
	if checkKeys(m) != nil {
		return nil
	}
	p.depth--
	return m
}

// mapValue parses the value after the ':' at colon of a key in a mapping
// at column ind.
func (p *fastParser) mapValue(ind, colon int) *yaml.Node {
	t := p.text
	i := colon + 1
	for i < len(t) && t[i] == ' ' {
		i++
	}
	if i < len(t) && t[i] != '\n' {
		p.pos = i
		return p.inlineValue(ind)
	}
	// The value is on the following lines, or empty: yaml.v3 puts an empty
	// value right after the ':'.
	line, col := p.line+p.shift, p.col(colon+1)
	if !p.endLine(i) {
		return nil
	}
	switch {
	case p.ind > ind:
		if p.isDash(p.pos) {
			return p.sequence(p.ind)
		}
		return p.mapping(p.ind)
	case p.ind == ind && p.isDash(p.pos):
		// kustomize style: the sequence is at the indentation of its key.
		return p.sequence(ind)
	}
	return p.nodeAt(yaml.ScalarNode, yaml.NodeTagNull, line, col)
}

// sequence parses a block sequence whose entries are at column ind; pos is
// at the first '-'.
func (p *fastParser) sequence(ind int) *yaml.Node {
	if p.depth++; p.depth > fastMaxDepth {
		return nil
	}
	t := p.text
	s := p.node(yaml.SequenceNode, yaml.NodeTagSeq, p.pos)
	base := len(p.stack)
	for {
		dash := p.pos
		i := dash + 1
		for i < len(t) && t[i] == ' ' {
			i++
		}
		var v *yaml.Node
		switch {
		case i == len(t) || t[i] == '\n':
			// An empty entry, placed right after the '-'. One followed by
			// a more indented block is not handled.
			v = p.node(yaml.ScalarNode, yaml.NodeTagNull, dash+1)
			if !p.endLine(i) || p.ind > ind {
				return nil
			}
		case p.isDash(i):
			return nil // "- - x"
		case p.keyColon(i) >= 0:
			p.pos = i
			v = p.mapping(i - p.lineStart)
		default:
			p.pos = i
			v = p.inlineValue(ind)
		}
		if v == nil {
			return nil
		}
		p.push(v)
		if p.ind < ind || !p.isDash(p.pos) {
			break
		}
		if p.ind > ind {
			return nil
		}
	}
	if p.ind > ind {
		return nil
	}
	s.Content = p.content(base)
	p.depth--
	return s
}

// inlineValue parses a value that starts at pos, after "key: " or "- ", in
// a collection at column ind.
func (p *fastParser) inlineValue(ind int) *yaml.Node {
	t := p.text
	i := p.pos
	switch t[i] {
	case '"', '\'':
		n := p.node(yaml.ScalarNode, yaml.NodeTagString, i)
		end := p.quoted(n, i)
		if end < 0 || !p.endLine(end) {
			return nil
		}
		return n
	case '|', '>':
		return p.blockScalar(ind)
	case '[', '{':
		if i+1 == len(t) || t[i+1] != t[i]+2 { // "[]" or "{}"
			return nil
		}
		kind, tag := yaml.SequenceNode, yaml.NodeTagSeq
		if t[i] == '{' {
			kind, tag = yaml.MappingNode, yaml.NodeTagMap
		}
		n := p.node(kind, tag, i)
		n.Style = yaml.FlowStyle
		if !p.endLine(i + 2) {
			return nil
		}
		return n
	}
	if !p.plainStart(i) {
		return nil
	}
	end := p.plainEnd(i)
	if end < 0 {
		return nil
	}
	v := p.s[i:end]
	n := p.node(yaml.ScalarNode, fastResolve(v), i)
	n.Value = v
	if !p.endLine(end) {
		return nil
	}
	return n
}

// plainStart reports whether a plain scalar may start at i: not with an
// indicator, except "-", "?" and ":" directly followed by a non-blank.
func (p *fastParser) plainStart(i int) bool {
	switch p.text[i] {
	case '-', '?', ':':
		return !p.blankz(i + 1)
	case ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ' ', '\t', '\n':
		return false
	}
	return true
}

// plainEnd returns the end of the single-line plain scalar at i without
// trailing spaces, or -1 if the rest of the line is not one plain scalar:
// ": " would start a nested mapping, " #" a comment.
func (p *fastParser) plainEnd(i int) int {
	t := p.text
	end := i
	for ; i < len(t); i++ {
		switch t[i] {
		case '\n':
			return end
		case ' ':
			continue
		case '\t':
			return -1
		case ':':
			if p.blankz(i + 1) {
				return -1
			}
		case '#':
			if t[i-1] == ' ' {
				return -1
			}
		}
		end = i + 1
	}
	return end
}

// keyColon returns the position of the ':' after the implicit key that
// starts at i, or -1 if the line is not a "key: value" or "key:" line.
func (p *fastParser) keyColon(i int) int {
	t := p.text
	if c := t[i]; c == '"' || c == '\'' {
		j := p.quotedEnd(i)
		if j < 0 {
			return -1
		}
		for j < len(t) && t[j] == ' ' {
			j++
		}
		if j < len(t) && t[j] == ':' && p.blankz(j+1) && j-i <= fastMaxKey {
			return j
		}
		return -1
	}
	for j := i; j < len(t) && j-i <= fastMaxKey; j++ {
		switch t[j] {
		case '\n', '\t':
			return -1
		case ':':
			if p.blankz(j + 1) {
				return j
			}
		case '#':
			if j > i && t[j-1] == ' ' {
				return -1
			}
		}
	}
	return -1
}

// key parses the key at pos that ends before the ':' at colon.
func (p *fastParser) key(colon int) *yaml.Node {
	t, i := p.text, p.pos
	if t[i] == '"' || t[i] == '\'' {
		n := p.node(yaml.ScalarNode, yaml.NodeTagString, i)
		if p.quoted(n, i) < 0 {
			return nil
		}
		return n
	}
	if !p.plainStart(i) {
		return nil
	}
	end := colon
	for t[end-1] == ' ' {
		end--
	}
	v := p.s[i:end]
	tag := fastResolve(v)
	if tag == yaml.MergeTag {
		return nil
	}
	n := p.node(yaml.ScalarNode, tag, i)
	n.Value = v
	return n
}
