package load

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// emitSimple writes a node tree in kustomize's block style without the
// yaml.v3 encoder, which costs more than everything else a large
// conversion does. It only takes trees with nothing to preserve: no
// comments, anchors, aliases, explicit styles or unusual tags, which is
// what generated objects are. It reports false, having written nothing,
// for any other tree; the caller then uses the encoder.
func emitSimple(buf *bytes.Buffer, n *yaml.Node) bool {
	if !simple(n) {
		return false
	}
	if n.Kind == yaml.MappingNode && len(n.Content) > 0 {
		emitMapping(buf, n, 0, false)
		return true
	}
	if n.Kind == yaml.SequenceNode && len(n.Content) > 0 {
		emitSequence(buf, n, 0, false)
		return true
	}
	buf.WriteString(scalarText(n))
	buf.WriteByte('\n')
	return true
}

func simple(n *yaml.Node) bool {
	if n.HeadComment != "" || n.LineComment != "" || n.FootComment != "" || n.Anchor != "" || n.Style != 0 {
		return false
	}
	switch n.Kind {
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!str", "!!int", "!!bool", "!!null", "!!float":
			return n.Tag != "!!str" || utf8.ValidString(n.Value)
		}
		return false
	case yaml.MappingNode, yaml.SequenceNode:
		for i, c := range n.Content {
			if n.Kind == yaml.MappingNode && i%2 == 0 && (c.Kind != yaml.ScalarNode || c.Tag != "!!str") {
				return false
			}
			if !simple(c) {
				return false
			}
		}
		return true
	}
	return false
}

func indent(buf *bytes.Buffer, n int) {
	for i := 0; i < n; i++ {
		buf.WriteByte(' ')
	}
}

// emitMapping writes the pairs of m at column col; inline means the first
// key follows a "- " already written.
func emitMapping(buf *bytes.Buffer, m *yaml.Node, col int, inline bool) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if i > 0 || !inline {
			indent(buf, col)
		}
		buf.WriteString(stringText(m.Content[i].Value))
		buf.WriteByte(':')
		emitValue(buf, m.Content[i+1], col, col+2)
	}
}

// emitValue writes what follows "key:" or "- ": a scalar or empty
// collection on the same line, else a nested block.
func emitValue(buf *bytes.Buffer, v *yaml.Node, col, childCol int) {
	switch {
	case v.Kind == yaml.MappingNode && len(v.Content) == 0:
		buf.WriteString(" {}\n")
	case v.Kind == yaml.SequenceNode && len(v.Content) == 0:
		buf.WriteString(" []\n")
	case v.Kind == yaml.MappingNode:
		buf.WriteByte('\n')
		emitMapping(buf, v, childCol, false)
	case v.Kind == yaml.SequenceNode:
		// kustomize's style: a sequence under a key is not indented.
		buf.WriteByte('\n')
		emitSequence(buf, v, col, false)
	default:
		buf.WriteByte(' ')
		buf.WriteString(scalarText(v))
		buf.WriteByte('\n')
	}
}

func emitSequence(buf *bytes.Buffer, s *yaml.Node, col int, inline bool) {
	for i, item := range s.Content {
		if i > 0 || !inline {
			indent(buf, col)
		}
		buf.WriteString("-")
		switch {
		case item.Kind == yaml.MappingNode && len(item.Content) > 0:
			buf.WriteByte(' ')
			emitMapping(buf, item, col+2, true)
		case item.Kind == yaml.SequenceNode && len(item.Content) > 0:
			buf.WriteByte(' ')
			emitSequence(buf, item, col+2, true)
		default:
			emitValue(buf, item, col, col+2)
		}
	}
}

func scalarText(n *yaml.Node) string {
	switch n.Tag {
	case "!!null":
		return "null"
	case "!!str":
		return stringText(n.Value)
	}
	return n.Value
}

// stringText writes a string plain when YAML reads it back as the same
// string, and as a JSON string (valid double-quoted YAML) otherwise. The
// plain test is deliberately narrow: anything doubtful is quoted.
//
// JSON leaves characters raw that YAML readers change or refuse: DEL and
// the C1 controls are not allowed in a YAML stream, NEL (U+0085), U+2028
// and U+2029 are line breaks to YAML 1.1 readers, a BOM is stripped, and
// U+FFFE and U+FFFF are not allowed either. Those are escaped as well
// (\uXXXX is the same escape in both), with every other non-character,
// so that what is written reads back as the same string everywhere.
func stringText(s string) string {
	if plainSafe(s) {
		return s
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	out := strings.TrimSuffix(b.String(), "\n")
	for i := 0; i < len(out); i++ {
		if out[i] >= 0x7f {
			return escapeUnsafe(out, i)
		}
	}
	return out
}

// QuoteString returns s as a YAML scalar the way the writers write a
// string: plain when it reads back as the same string, else a
// double-quoted string. It is for callers that write YAML text of their
// own (fn's results) and must match what EncodeJSON would have written.
func QuoteString(s string) string { return stringText(s) }

// escapeUnsafe escapes the runes of a JSON string, from byte i on, that
// YAML readers would not read back as they are (see stringText).
func escapeUnsafe(s string, i int) string {
	b := []byte(s[:i])
	for _, r := range s[i:] {
		switch {
		case !(r == 0x7f || r >= 0x80 && r <= 0x9f || r == 0x2028 || r == 0x2029 || r == 0xfeff ||
			r >= 0xfdd0 && r <= 0xfdef || r&0xfffe == 0xfffe):
			b = utf8.AppendRune(b, r)
		case r > 0xffff:
			// YAML's \U and eight digits; JSON would need a surrogate
			// pair, which YAML does not join.
			b = fmt.Appendf(b, "\\U%08x", r)
		default:
			b = fmt.Appendf(b, "\\u%04x", r)
		}
	}
	return string(b)
}

func plainSafe[T string | []byte](s T) bool {
	if len(s) == 0 || len(s) > 1024 {
		return false
	}
	switch c := s[0]; {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '/', c == '_':
	default:
		return false // digits, signs and dots may read as numbers; indicators change meaning
	}
	last := s[len(s)-1]
	if last == ' ' || last == ':' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("-_./@+=~,()%$^", c) >= 0:
		case c == ':' && s[i+1] != ' ':
		case c == ' ' && s[i+1] != '#' && s[i+1] != ' ':
		default:
			return false
		}
	}
	if len(s) > 5 {
		return true
	}
	switch strings.ToLower(string(s)) {
	case "y", "n", "yes", "no", "true", "false", "on", "off", "null", "nan", "inf":
		return false
	}
	return true
}
