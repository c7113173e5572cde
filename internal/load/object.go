package load

import (
	"fmt"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Source says where an object came from: the file (as the user or the
// orchestrator named it) and the object's position in that file, counting
// from 0. For ResourceList items it is read from the
// internal.config.kubernetes.io/path and .../index annotations (falling back
// to the legacy config.kubernetes.io/ ones); for files it is the file itself.
type Source struct {
	Path  string
	Index int
}

func (s Source) String() string {
	if s.Path == "" {
		return fmt.Sprintf("item %d", s.Index)
	}
	return fmt.Sprintf("%s[%d]", s.Path, s.Index)
}

// Object is one Kubernetes object with the text it was read from. A
// stream's trailing comments are an Object too, with text but no Node: it
// has no kind and passes through every consumer untouched.
//
// Node is the object's root mapping node, for reading. An Object is never
// re-encoded when it passes through unchanged: writers copy its original text,
// which keeps comments, key order and quoting byte for byte and avoids the cost
// of re-serialising every object. Objects built by NewObject have no original
// text and are encoded.
type Object struct {
	Node   *yaml.Node
	Source Source

	// raw is the document's original text (stream input) or the item's
	// original lines including its "- " sequence marker (ResourceList input).
	raw []byte
	// rawIndent is the column of the "-" of a ResourceList item, -1 for
	// stream documents and for objects without original text.
	rawIndent int
	// encoded is a generated object's text, when it was encoded up front;
	// Node then holds only apiVersion, kind and metadata (see Tree).
	encoded []byte

	// id caches what every stage asks of every object; walking 20,000
	// trees for their kind again and again showed in profiles.
	id *identity

	// thinned is set by Thin: Node holds only the object's head.
	thinned bool
	// rawLine is the input line raw starts at (0 when unknown), so that
	// parsing raw again gives the positions of the first reading.
	rawLine int

	// memo is what a reader derived from the tree before Thin (SetMemo).
	memo any
}

// Memo returns the value SetMemo attached, or nil.
func (o *Object) Memo() any { return o.memo }

// SetMemo attaches what a reader derived from the object's tree, so that
// the tree can be dropped (Thin) right after reading and the reader's
// owner still finds what it would have read: function mode decodes each
// Ingress as soon as its run of items is parsed (ReadResourceListEach)
// rather than holding every tree until the model is built. MarkChanged
// clears it, since it no longer describes the object.
func (o *Object) SetMemo(v any) { o.memo = v }

// parseRaw parses a thinned object's text again: a stream document (with
// the comment-only documents and markers that came with it) or a
// ResourceList item with its "- ".
func (o *Object) parseRaw() (*yaml.Node, error) {
	for _, s := range splitDocuments(o.raw) {
		if !s.content {
			continue
		}
		n, err := parseDocument(o.raw[s.start:s.end], max(o.rawLine, 1)+s.line-1)
		if err == nil && o.rawIndent >= 0 {
			if n == nil || n.Kind != yaml.SequenceNode || len(n.Content) != 1 {
				return nil, fmt.Errorf("%s: its text no longer reads as one item", o.Ref())
			}
			n = n.Content[0]
		}
		if err != nil || n == nil {
			return nil, fmt.Errorf("%s: reading its text again: %v", o.Ref(), err)
		}
		return n, nil
	}
	return nil, fmt.Errorf("%s: no text to read again", o.Ref())
}

type identity struct{ apiVersion, kind, name, namespace string }

// identify reads the object's identity from Node, once.
func (o *Object) identify() *Object {
	o.id = &identity{field(o.Node, "apiVersion"), field(o.Node, "kind"), field(o.Node, "metadata", "name"), field(o.Node, "metadata", "namespace")}
	return o
}

func (o *Object) identity() *identity {
	if o.id == nil {
		// An Object built by a caller rather than a constructor: read the
		// node every time, as it may still be under construction.
		return &identity{field(o.Node, "apiVersion"), field(o.Node, "kind"), field(o.Node, "metadata", "name"), field(o.Node, "metadata", "namespace")}
	}
	return o.id
}

// NewObject wraps a generated mapping node; it has no original text.
func NewObject(node *yaml.Node, src Source) *Object {
	return (&Object{Node: node, Source: src, rawIndent: -1}).identify()
}

// Tree returns the object's whole node tree: Node, or for an object made
// by NewObjectFromJSON or thinned by Thin its text parsed again.
func (o *Object) Tree() (*yaml.Node, error) {
	if o.thinned {
		return o.parseRaw()
	}
	if o.encoded == nil {
		return o.Node, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(o.encoded, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", o.Ref(), err)
	}
	return doc.Content[0], nil
}

// TextSize is the length of the object's text: what it was read from, or
// what it was encoded to; a guess of 1 KiB for an object built as a node
// with neither. Callers size their work by it.
func (o *Object) TextSize() int {
	switch {
	case o.raw != nil:
		return len(o.raw)
	case o.encoded != nil:
		return len(o.encoded)
	}
	return 1 << 10
}

// Raw returns the original text of a stream document, or nil.
func (o *Object) Raw() []byte {
	if o.rawIndent >= 0 {
		return nil
	}
	return o.raw
}

// Lookup returns the node at a path of mapping keys, or nil. It is the one
// place that walks an object's tree, for callers that read a field the
// accessors below do not cover.
func Lookup(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
				break
			}
		}
		n = next
	}
	return n
}

// field returns the scalar value at a path of keys, or "".
func field(n *yaml.Node, keys ...string) string {
	n = Lookup(n, keys...)
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

func (o *Object) APIVersion() string { return o.identity().apiVersion }
func (o *Object) Kind() string       { return o.identity().kind }
func (o *Object) Name() string       { return o.identity().name }
func (o *Object) Namespace() string  { return o.identity().namespace }

// Annotation returns the value of one annotation, or "".
func (o *Object) Annotation(key string) string {
	return field(o.Node, "metadata", "annotations", key)
}

// Label returns the value of one label, or "".
func (o *Object) Label(key string) string {
	return field(o.Node, "metadata", "labels", key)
}

// Field returns the scalar value at a path of keys, or "".
func (o *Object) Field(keys ...string) string { return field(o.Node, keys...) }

// Ref names the object for messages: "Ingress shop/web (ingress.yaml[2])".
func (o *Object) Ref() string {
	name := o.Name()
	if ns := o.Namespace(); ns != "" {
		name = ns + "/" + name
	}
	return fmt.Sprintf("%s %s (%s)", o.Kind(), name, o.Source)
}

// Thin drops the tree of an object that has its original text, keeping
// apiVersion, kind and metadata in Node, once its other fields have been
// read: a large input's trees were most of a run's memory, and most
// objects are only passed through, written from their text. Tree, and a
// writer that must encode the object after all, parse the text again.
// Objects without text keep their tree.
func (o *Object) Thin() {
	if o.raw == nil || o.Node == nil || o.Node.Kind != yaml.MappingNode || o.thinned {
		return
	}
	o.thinned = true
	o.Node = head(o.Node)
}

// head returns a copy of root holding only apiVersion, kind and metadata.
func head(root *yaml.Node) *yaml.Node {
	var keep []*yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		switch root.Content[i].Value {
		case "apiVersion", "kind", "metadata":
			keep = append(keep, root.Content[i], root.Content[i+1])
		}
	}
	// The kept nodes are copied into nodes and a string of their own:
	// parseFast allocates a document's nodes in one slab and cuts values
	// from one string, so keeping any of its nodes would keep the whole
	// document. One slab and one string per object keep the copy cheap.
	var c copier
	for _, n := range keep {
		c.measure(n)
	}
	c.slab = make([]yaml.Node, c.nodes+1)
	text := make([]byte, 0, c.bytes)
	for _, n := range keep {
		text = c.collect(text, n)
	}
	c.str = string(text)
	h := c.next()
	*h = yaml.Node{Kind: root.Kind, Tag: root.Tag, Style: root.Style, Line: root.Line, Column: root.Column}
	h.Content = make([]*yaml.Node, len(keep))
	for i, n := range keep {
		h.Content[i] = c.copy(n)
	}
	return h
}

// copier deep-copies node trees into one slab of nodes and one string.
type copier struct {
	nodes, bytes int
	slab         []yaml.Node
	str          string
}

// texts are a node's strings that may share memory with its document;
// tags are the parsers' constants.
func texts(n *yaml.Node) [5]*string {
	return [5]*string{&n.Value, &n.Anchor, &n.HeadComment, &n.LineComment, &n.FootComment}
}

func (c *copier) measure(n *yaml.Node) {
	c.nodes++
	for _, p := range texts(n) {
		c.bytes += len(*p)
	}
	for _, k := range n.Content {
		c.measure(k)
	}
}

// collect appends n's strings to text, in the order copy takes them.
func (c *copier) collect(text []byte, n *yaml.Node) []byte {
	for _, p := range texts(n) {
		text = append(text, *p...)
	}
	for _, k := range n.Content {
		text = c.collect(text, k)
	}
	return text
}

func (c *copier) next() *yaml.Node {
	n := &c.slab[0]
	c.slab = c.slab[1:]
	return n
}

// copy copies n; Alias stays shared (parseFast refuses aliases, and an
// alias may point at an ancestor).
func (c *copier) copy(n *yaml.Node) *yaml.Node {
	out := c.next()
	*out = *n
	for _, p := range texts(out) {
		*p, c.str = c.str[:len(*p)], c.str[len(*p):]
	}
	if n.Content != nil {
		out.Content = make([]*yaml.Node, len(n.Content))
		for i, k := range n.Content {
			out.Content[i] = c.copy(k)
		}
	}
	return out
}

// MarkChanged records that the caller modified Node: the object's original
// text no longer matches it, so writers encode the node instead of copying
// the text. Comments that were only in the text around the node (such as
// comment-only documents attached to it) are lost.
//
// An object made by NewObjectFromJSON is written from its encoded text
// whatever MarkChanged says; its Node is only its identity.
func (o *Object) MarkChanged() {
	o.memo = nil
	if o.thinned {
		// Node is only the head; the caller changed that, and the rest
		// is in the text being dropped.
		if full, err := o.parseRaw(); err == nil {
			head := map[string]*yaml.Node{}
			for i := 0; i+1 < len(o.Node.Content); i += 2 {
				head[o.Node.Content[i].Value] = o.Node.Content[i+1]
			}
			for i := 0; i+1 < len(full.Content); i += 2 {
				if v, ok := head[full.Content[i].Value]; ok {
					full.Content[i+1] = v
				}
			}
			o.Node = full
		}
		o.thinned = false
	}
	o.raw = nil
	o.rawIndent = -1
	if o.encoded == nil {
		o.identify()
	}
}
