package load

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// EncodeJSON writes JSON as block YAML text, exactly as NodeFromJSON
// followed by the writers' encoder would (mapping keys sorted, numbers kept
// as written, kustomize's indentation), leaving out the keys drop names.
//
// Generated objects and results are made as Go values whose JSON form the
// API types define; building a node tree per object only to write it out
// again was the largest allocation of a large run, so the JSON is read into
// a flat token list and written from there.
func EncodeJSON(data []byte, drop ...string) ([]byte, error) {
	t, err := tokenize(data)
	if err != nil {
		return nil, err
	}
	defer t.release()
	e := jsonEmitter{t: t, drop: splitDrops(drop)}
	var buf bytes.Buffer
	buf.Grow(yamlSize(len(data)))
	e.top(&buf, 0)
	return buf.Bytes(), nil
}

// NewObjectFromJSON makes a generated object from its JSON form: the text
// EncodeJSON writes, and a Node that holds only what identifies it
// (apiVersion, kind, metadata; Tree parses the text for the rest), because
// a large run holding every generated object as a full node tree needed a
// third of its memory for them.
func NewObjectFromJSON(data []byte, src Source, drop ...string) (*Object, error) {
	t, err := tokenize(data)
	if err != nil {
		return nil, err
	}
	// Nothing made here keeps the tokens: the text is written out and the
	// head's values are cut from copies (nodeBuilder).
	defer t.release()
	return objectFromTokens(t, len(data), src, drop)
}

// objectFromTokens is NewObjectFromJSON from the tokens of the JSON (of
// about jsonSize bytes): t.data holds the text of its literals, and of its
// strings that are not in the arena.
func objectFromTokens(t *tokens, jsonSize int, src Source, drop []string) (*Object, error) {
	if len(t.toks) == 0 || t.toks[0].kind != '{' {
		return nil, fmt.Errorf("json: an object must be a JSON object")
	}
	e := jsonEmitter{t: t, drop: splitDrops(drop), path: t.path[:0]}
	defer func() { t.path = e.path[:0] }()
	var buf bytes.Buffer
	buf.Grow(yamlSize(jsonSize))
	e.top(&buf, 0)
	// The head's nodes come from the tokens, in one allocation, with
	// values cut from one string (and those in the arena from another):
	// these objects are many.
	var heads []int
	stop := t.toks[0].start
	count := 1
	lo, hi := int32(len(t.arena)), int32(0)
	top := e.members(0, 0)
	for _, m := range top {
		switch string(t.str(m)) {
		case "apiVersion", "kind", "metadata":
			heads = append(heads, m)
			stop = max(stop, t.toks[m+1].stop)
			count += 1 + int(t.toks[m+1].next) - (m + 1)
			for i := m; i < int(t.toks[m+1].next); i++ {
				if k := t.toks[i]; k.kind == 's' && k.arena {
					lo, hi = min(lo, k.off), max(hi, k.off+k.n)
				}
			}
		}
	}
	e.done(top)
	b := &nodeBuilder{t: t, slab: make([]yaml.Node, count), base: int(t.toks[0].start)}
	b.text = string(t.data[b.base:stop])
	if lo < hi {
		b.arenaLo, b.arenaText = lo, string(t.arena[lo:hi])
	}
	head := b.next()
	head.Kind, head.Tag = yaml.MappingNode, "!!map"
	for _, m := range heads {
		key := b.next()
		key.Kind, key.Tag, key.Value = yaml.ScalarNode, "!!str", b.str(m)
		e.path = append(e.path, m)
		head.Content = append(head.Content, key, e.node(m+1, b))
		e.path = e.path[:0]
	}
	return (&Object{Node: head, Source: src, rawIndent: -1, encoded: buf.Bytes()}).identify(), nil
}

// yamlSize is room for the block YAML of n bytes of JSON. The YAML of a
// generated object runs a few percent longer than its compact JSON (the
// indentation outweighs the quotes and braces); sized at the JSON's
// length, a buffer outgrown by a few bytes doubled, and the text kept for
// the output held the doubled capacity.
func yamlSize(n int) int { return n + n/4 + 64 }

// jtok is one JSON value, or one object key, in document order. A
// container's children follow it; next is the index just past its last
// descendant, so siblings are found without reading what lies between.
type jtok struct {
	kind byte // '{', '[', 's' (string or key), 'n' (null), 'l' (any other literal)
	// arena tells where a string's unescaped bytes are: in the arena
	// (it had escapes) or in the input (it had none).
	arena       bool
	off, n      int32
	next        int32
	start, stop int32 // the value's bytes in the input
}

type tokens struct {
	data, arena []byte
	toks        []jtok
	// keys is the emitter's stack of sorted mapping keys (members).
	keys []int
	// scratch is a buffer kept for the next user of the pooled tokens:
	// NewObjectFromValue writes its literals there; path is the emitter's.
	scratch []byte
	path    []int
}

func (t *tokens) str(i int) []byte {
	k := t.toks[i]
	if k.arena {
		return t.arena[k.off : k.off+k.n]
	}
	return t.data[k.off : k.off+k.n]
}

func (t *tokens) text(i int) []byte {
	k := t.toks[i]
	return t.data[k.start:k.stop]
}

// tokenize reads data with the parser NodeFromJSON uses, recording tokens
// instead of nodes. The caller hands the tokens back with release once
// nothing refers to them.
func tokenize(data []byte) (*tokens, error) {
	if len(data) > 1<<30 {
		return nil, fmt.Errorf("json: %d bytes is too large", len(data))
	}
	t := tokenPool.Get().(*tokens)
	t.data, t.toks, t.arena, t.keys = data, t.toks[:0], t.arena[:0], t.keys[:0]
	if cap(t.toks) < len(data)/8 {
		t.toks = make([]jtok, 0, len(data)/8)
	}
	p := &jsonParser{data: data}
	p.space()
	if err := t.value(p); err != nil {
		t.release()
		return nil, err
	}
	p.space()
	if p.i != len(p.data) {
		t.release()
		return nil, fmt.Errorf("json: unexpected data at offset %d", p.i)
	}
	return t, nil
}

func (t *tokens) value(p *jsonParser) error {
	if p.i >= len(p.data) {
		return p.fail("unexpected end")
	}
	at := len(t.toks)
	start := p.i
	switch c := p.data[p.i]; {
	case c == '{':
		t.toks = append(t.toks, jtok{kind: '{', start: int32(start)})
		if err := t.object(p); err != nil {
			return err
		}
	case c == '[':
		t.toks = append(t.toks, jtok{kind: '[', start: int32(start)})
		if err := t.array(p); err != nil {
			return err
		}
	case c == '"':
		if err := t.string(p); err != nil {
			return err
		}
	default:
		kind, err := literal(p)
		if err != nil {
			return err
		}
		t.toks = append(t.toks, jtok{kind: kind, start: int32(start)})
	}
	t.toks[at].stop = int32(p.i)
	t.toks[at].next = int32(len(t.toks))
	return nil
}

// literal reads true, false, null or a number as NodeFromJSON does (it
// takes any run of number characters), telling null apart.
func literal(p *jsonParser) (byte, error) {
	for _, lit := range [...]string{"true", "false", "null"} {
		if bytes.HasPrefix(p.data[p.i:], []byte(lit)) {
			p.i += len(lit)
			if lit == "null" {
				return 'n', nil
			}
			return 'l', nil
		}
	}
	if c := p.data[p.i]; c == 't' || c == 'f' || c == 'n' {
		return 0, p.fail("invalid literal")
	}
	start := p.i
	for p.i < len(p.data) && strings.IndexByte("0123456789-+.eE", p.data[p.i]) >= 0 {
		p.i++
	}
	if start == p.i {
		return 0, p.fail("unexpected character")
	}
	return 'l', nil
}

func (t *tokens) string(p *jsonParser) error {
	start := p.i
	tok := jtok{kind: 's', start: int32(start)}
	// Most strings have no escapes and are ASCII: they are found with one
	// pass and used where they are.
	i, ascii := start+1, true
	for i < len(p.data) && p.data[i] != '"' && p.data[i] != '\\' {
		ascii = ascii && p.data[i] < utf8.RuneSelf
		i++
	}
	if i < len(p.data) && p.data[i] == '"' {
		tok.off, tok.n = int32(start+1), int32(i-start-1)
		p.i = i + 1
	} else {
		s, err := p.str()
		if err != nil {
			return err
		}
		tok.arena, tok.off, tok.n = true, int32(len(t.arena)), int32(len(s))
		t.arena = append(t.arena, s...)
		ascii = false
	}
	tok.stop, tok.next = int32(p.i), int32(len(t.toks)+1)
	t.toks = append(t.toks, tok)
	if !ascii && !utf8.Valid(t.str(len(t.toks)-1)) {
		// YAML text cannot carry it (the node encoder refuses it too);
		// encoding/json never writes it.
		return fmt.Errorf("json: invalid UTF-8 in the string at offset %d", start)
	}
	return nil
}

func (t *tokens) object(p *jsonParser) error {
	p.i++ // {
	p.space()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return nil
	}
	for {
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return p.fail("expected a key")
		}
		if err := t.string(p); err != nil {
			return err
		}
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return p.fail("expected ':'")
		}
		p.i++
		p.space()
		if err := t.value(p); err != nil {
			return err
		}
		p.space()
		if p.i >= len(p.data) {
			return p.fail("unexpected end")
		}
		switch p.data[p.i] {
		case ',':
			p.i++
			continue
		case '}':
			p.i++
			return nil
		}
		return p.fail("expected ',' or '}'")
	}
}

func (t *tokens) array(p *jsonParser) error {
	p.i++ // [
	p.space()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return nil
	}
	for {
		p.space()
		if err := t.value(p); err != nil {
			return err
		}
		p.space()
		if p.i >= len(p.data) {
			return p.fail("unexpected end")
		}
		switch p.data[p.i] {
		case ',':
			p.i++
			continue
		case ']':
			p.i++
			return nil
		}
		return p.fail("expected ',' or ']'")
	}
}

// jsonEmitter writes tokens the way emitSimple writes the node tree
// NodeFromJSON would build from the same JSON; the two are kept equal by
// FuzzEncodeJSON.
type jsonEmitter struct {
	t    *tokens
	drop [][]string
	// path holds the key tokens from the root to the mapping being
	// written; sequence items push -1, as NodeFromJSON's paths hold "\x00",
	// so a drop never reaches into lists.
	path []int
}

func (e *jsonEmitter) empty(i int) bool {
	k := e.t.toks[i]
	return (k.kind == '{' || k.kind == '[') && int(k.next) == i+1
}

// members returns the key tokens of the object at i, sorted by key (stable,
// as NodeFromJSON sorts), without the dropped ones. depth is len(e.path)
// for the object's own keys.
//
// The keys live on a stack shared by the whole object (tokens.keys): a
// caller gives them back with done once it has written the object,
// inner objects first, so that one slice serves every mapping.
func (e *jsonEmitter) members(i, depth int) []int {
	start := len(e.t.keys)
	for c := i + 1; c < int(e.t.toks[i].next); c = int(e.t.toks[c+1].next) {
		if !e.dropped(c, depth) {
			e.t.keys = append(e.t.keys, c)
		}
	}
	keys := e.t.keys[start:len(e.t.keys):len(e.t.keys)]
	slices.SortStableFunc(keys, func(a, b int) int { return bytes.Compare(e.t.str(a), e.t.str(b)) })
	return keys
}

// done gives back the keys members returned last.
func (e *jsonEmitter) done(keys []int) { e.t.keys = e.t.keys[:len(e.t.keys)-len(keys)] }

func (e *jsonEmitter) dropped(key, depth int) bool {
	for _, d := range e.drop {
		if len(d) != depth+1 || string(e.t.str(key)) != d[depth] {
			continue
		}
		match := true
		for j := 0; j < depth; j++ {
			if e.path[j] < 0 || string(e.t.str(e.path[j])) != d[j] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// top writes the document's root value, as emitSimple does.
func (e *jsonEmitter) top(buf *bytes.Buffer, i int) {
	switch k := e.t.toks[i]; {
	case k.kind == '{' && !e.empty(i):
		if keys := e.members(i, 0); len(keys) > 0 {
			e.mapping(buf, keys, 0, false)
			return
		}
		buf.WriteByte('\n')
	case k.kind == '[' && !e.empty(i):
		e.sequence(buf, i, 0, false)
	case k.kind == '{' || k.kind == '[':
		buf.WriteByte('\n') // the node encoder's text for an empty root
	default:
		e.scalar(buf, i)
		buf.WriteByte('\n')
	}
}

func (e *jsonEmitter) mapping(buf *bytes.Buffer, keys []int, col int, inline bool) {
	for n, k := range keys {
		if n > 0 || !inline {
			indent(buf, col)
		}
		e.writeString(buf, e.t.str(k))
		buf.WriteByte(':')
		e.path = append(e.path, k)
		e.value(buf, k+1, col, col+2)
		e.path = e.path[:len(e.path)-1]
	}
	e.done(keys)
}

// value writes what follows "key:" or "-", as emitValue does.
func (e *jsonEmitter) value(buf *bytes.Buffer, i, col, childCol int) {
	k := e.t.toks[i]
	switch {
	case k.kind == '{':
		keys := e.members(i, len(e.path))
		if len(keys) == 0 {
			buf.WriteString(" {}\n")
			return
		}
		buf.WriteByte('\n')
		e.mapping(buf, keys, childCol, false)
	case k.kind == '[' && e.empty(i):
		buf.WriteString(" []\n")
	case k.kind == '[':
		buf.WriteByte('\n')
		e.sequence(buf, i, col, false)
	default:
		buf.WriteByte(' ')
		e.scalar(buf, i)
		buf.WriteByte('\n')
	}
}

func (e *jsonEmitter) sequence(buf *bytes.Buffer, i, col int, inline bool) {
	e.path = append(e.path, -1)
	defer func() { e.path = e.path[:len(e.path)-1] }()
	n := 0
	for c := i + 1; c < int(e.t.toks[i].next); c = int(e.t.toks[c].next) {
		if n > 0 || !inline {
			indent(buf, col)
		}
		n++
		buf.WriteByte('-')
		switch k := e.t.toks[c]; {
		case k.kind == '{':
			if keys := e.members(c, len(e.path)); len(keys) > 0 {
				buf.WriteByte(' ')
				e.mapping(buf, keys, col+2, true)
			} else {
				buf.WriteString(" {}\n")
			}
		case k.kind == '[' && !e.empty(c):
			buf.WriteByte(' ')
			e.sequence(buf, c, col+2, true)
		default:
			e.value(buf, c, col, col+2)
		}
	}
}

func (e *jsonEmitter) scalar(buf *bytes.Buffer, i int) {
	switch e.t.toks[i].kind {
	case 's':
		e.writeString(buf, e.t.str(i))
	case 'n':
		buf.WriteString("null")
	default:
		buf.Write(e.t.text(i))
	}
}

func (e *jsonEmitter) writeString(buf *bytes.Buffer, s []byte) {
	if plainSafe(s) {
		buf.Write(s)
		return
	}
	buf.WriteString(stringText(string(s)))
}

// nodeBuilder hands out the nodes of one tree from a slab and cuts scalar
// values from one string (text, the input from offset base on).
type nodeBuilder struct {
	t    *tokens
	slab []yaml.Node
	text string
	base int
	// arenaText holds the arena from arenaLo on, as far as the head's
	// strings reach: NewObjectFromValue puts every string there.
	arenaText string
	arenaLo   int32
}

func (b *nodeBuilder) next() *yaml.Node {
	n := &b.slab[0]
	b.slab = b.slab[1:]
	return n
}

// str returns string token i's value.
func (b *nodeBuilder) str(i int) string {
	k := b.t.toks[i]
	if k.arena {
		if k.off >= b.arenaLo && int(k.off-b.arenaLo+k.n) <= len(b.arenaText) {
			return b.arenaText[k.off-b.arenaLo : k.off-b.arenaLo+k.n]
		}
		return string(b.t.arena[k.off : k.off+k.n])
	}
	return b.text[int(k.off)-b.base : int(k.off+k.n)-b.base]
}

// node builds the tree of the value at token i as NodeFromJSON does: keys
// sorted, dropped keys left out (e.path holds the keys above i).
func (e *jsonEmitter) node(i int, b *nodeBuilder) *yaml.Node {
	k := e.t.toks[i]
	n := b.next()
	switch k.kind {
	case '{':
		n.Kind, n.Tag = yaml.MappingNode, "!!map"
		keys := e.members(i, len(e.path))
		if len(keys) > 0 {
			n.Content = make([]*yaml.Node, 0, 2*len(keys))
		}
		for _, key := range keys {
			kn := b.next()
			kn.Kind, kn.Tag, kn.Value = yaml.ScalarNode, "!!str", b.str(key)
			e.path = append(e.path, key)
			n.Content = append(n.Content, kn, e.node(key+1, b))
			e.path = e.path[:len(e.path)-1]
		}
		e.done(keys)
	case '[':
		n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
		e.path = append(e.path, -1)
		for c := i + 1; c < int(k.next); c = int(e.t.toks[c].next) {
			n.Content = append(n.Content, e.node(c, b))
		}
		e.path = e.path[:len(e.path)-1]
	case 's':
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!str", b.str(i)
	case 'n':
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!null", "null"
	default:
		text := b.text[int(k.start)-b.base : int(k.stop)-b.base]
		n.Kind, n.Value = yaml.ScalarNode, text
		switch {
		case text == "true" || text == "false":
			n.Tag = "!!bool"
		case strings.ContainsAny(text, ".eE"):
			n.Tag = "!!float"
		default:
			n.Tag = "!!int"
		}
	}
	return n
}
