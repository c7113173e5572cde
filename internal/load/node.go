package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// SyntaxError is a YAML problem at a line of the input. Line counts from 1
// in the whole file or stream, not in the document that was parsed.
type SyntaxError struct {
	Line int
	Msg  string
	Err  error // the parser's error, if it came from the parser
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }
func (e *SyntaxError) Unwrap() error { return e.Err }

// parseDocument parses text, which must hold at most one YAML document, and
// returns the document's root node, or nil if the document is empty. line is
// the line number of text's first line in the input: node positions and
// error lines are shifted by it so they point into the input. The tree is
// checked with checkTree.
func parseDocument(text []byte, line int) (*yaml.Node, error) {
	// Most manifests are the block subset parseFast reads, several times
	// faster and with a few allocations instead of one per node; it gives
	// the tree parseYAML would, or declines.
	if root, ok := parseFast(text, line); ok {
		return root, nil
	}
	return parseYAML(text, line)
}

// parseYAML is parseDocument with the yaml.v3 parser only: the reference
// parseFast is held to.
func parseYAML(text []byte, line int) (*yaml.Node, error) {
	if err := checkText(text, line); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(text))
	var doc yaml.Node
	if err := decode(dec, &doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, parserError(err, line)
	}
	// The text was cut at document markers, so a second document means the
	// parser saw a line break that the splitter did not (a lone CR, U+2028).
	var extra yaml.Node
	switch err := decode(dec, &extra); {
	case err == nil:
		return nil, &SyntaxError{Line: extra.Line + line - 1,
			Msg: "a second document starts inside this one; line breaks must be LF or CRLF"}
	case !errors.Is(err, io.EOF):
		return nil, parserError(err, line)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	root := doc.Content[0]
	shiftLine(root, line)
	if err := checkTree(root, line); err != nil {
		return nil, err
	}
	// Keep the comments the parser attached to the document itself, so an
	// object that is re-encoded keeps them too.
	if doc.HeadComment != "" {
		root.HeadComment = joinComments(doc.HeadComment, root.HeadComment)
	}
	if doc.FootComment != "" {
		root.FootComment = joinComments(root.FootComment, doc.FootComment)
	}
	return root, nil
}

func joinComments(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + "\n\n" + b
}

// decode runs the parser and turns a panic inside it into an error: the input
// is untrusted, and a parser bug on a hostile document must fail that
// document, not the process.
func decode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("YAML parser failed: %v", r)
		}
	}()
	return dec.Decode(n)
}

// parserError rewrites the parser's "yaml: line N: msg" so that N counts in
// the whole input. The parser leaves out the line when it is the first one
// (its count starts at 0 and 0 means unknown), so errors without a line get
// the line the text starts at.
func parserError(err error, line int) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, tail, ok := strings.Cut(rest, ": "); ok {
			if n, convErr := strconv.Atoi(num); convErr == nil {
				return &SyntaxError{Line: n + line - 1, Msg: tail, Err: err}
			}
		}
	}
	return &SyntaxError{Line: line, Msg: msg, Err: err}
}

// shiftLine moves a node's position from the parsed text to the input.
func shiftLine(n *yaml.Node, line int) {
	if n.Line > 0 {
		n.Line += line - 1
	}
}

// checkTree shifts the positions of n's descendants by line (n itself is
// already shifted) and rejects what a Node tree would otherwise hide:
//
//   - Duplicate mapping keys. The parser reports them only when decoding into
//     Go values; Kubernetes rejects them, and which value wins would
//     otherwise depend on the reader.
//   - Aliases and merge keys. Decoding into a Node does not expand aliases,
//     so yaml.v3's protection against alias-expansion bombs never runs, and
//     every reader of the tree (field lookups, typed decoding later) would
//     have to resolve them. Kubernetes manifests almost never use them, so
//     they are rejected with a message that says how to expand them.
//     Anchors alone are harmless and allowed.
//
// It also tags YAML 1.1's booleans (plain on, yes, y, off, no, n and their
// capitals), which yaml.v3 leaves strings, as !!bool: the API server reads
// them as booleans (scalar.go), and parseFast tags them so too.
func checkTree(n *yaml.Node, line int) error {
	for _, c := range n.Content {
		shiftLine(c, line)
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Style == 0 && n.Tag == yaml.NodeTagString {
			if _, ok := yaml11Bool(n.Value); ok {
				n.Tag = yaml.NodeTagBool
			}
		}
	case yaml.AliasNode:
		return &SyntaxError{Line: n.Line, Msg: fmt.Sprintf(
			"YAML alias *%s is not supported: expand aliases first (for example with yq 'explode(.)')", n.Value)}
	case yaml.MappingNode:
		if err := checkKeys(n); err != nil {
			return err
		}
	}
	for _, c := range n.Content {
		if err := checkTree(c, line); err != nil {
			return err
		}
	}
	return nil
}

// checkKeys rejects merge keys and duplicate keys in one mapping. Keys are
// compared by their text regardless of tag or quoting: Kubernetes reads
// every key as a string, so 1 and "1" are the same key there.
func checkKeys(m *yaml.Node) error {
	n := len(m.Content) / 2
	var seen map[string]*yaml.Node
	if n > 8 {
		seen = make(map[string]*yaml.Node, n)
	}
	for i := 0; i < n; i++ {
		k := m.Content[2*i]
		if k.Kind != yaml.ScalarNode {
			continue
		}
		if k.Tag == yaml.MergeTag {
			return &SyntaxError{Line: k.Line, Msg: "YAML merge key << is not supported: expand it first (for example with yq 'explode(.)')"}
		}
		var prev *yaml.Node
		if seen != nil {
			prev = seen[k.Value]
			seen[k.Value] = k
		} else {
			for j := 0; j < i; j++ {
				if p := m.Content[2*j]; p.Kind == yaml.ScalarNode && p.Value == k.Value {
					prev = p
					break
				}
			}
		}
		if prev != nil {
			return &SyntaxError{Line: k.Line, Msg: fmt.Sprintf("mapping key %q already defined at line %d", k.Value, prev.Line)}
		}
	}
	return nil
}

// mapValue returns the value of key in mapping m, and the index of the key
// in m.Content, or nil and -1.
func mapValue(m *yaml.Node, key string) (*yaml.Node, int) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, -1
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1], i
		}
	}
	return nil, -1
}

// isNull reports whether n is absent or an explicit null.
func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// kindName names a node kind for messages.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		if isNull(n) {
			return "null"
		}
		return "scalar"
	case yaml.SequenceNode:
		return "sequence"
	case yaml.MappingNode:
		return "mapping"
	case yaml.AliasNode:
		return "alias"
	}
	return "document"
}
