package load

import (
	"bytes"
	"fmt"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// JSON writes a node tree as JSON, the form Kubernetes types decode from,
// without building Go maps first (decoding into interface{} and marshalling
// again cost a large conversion much of its time). It writes what kubectl
// and the API server read from the same YAML (sigs.k8s.io/yaml's
// YAMLToJSON, YAML 1.1; see scalar.go): `on` is true, 017 is 15, a
// timestamp is its RFC 3339 string, and a non-string key is its string
// form. A key that two keys of one mapping would share, and a value JSON
// cannot hold (.inf), are errors. Aliases are rejected when reading, so
// none occur here.
func JSON(n *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	if err := writeJSON(&b, n); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, n *yaml.Node) error {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			b.WriteString("null")
			return nil
		}
		return writeJSON(b, n.Content[0])
	case yaml.MappingNode:
		b.WriteByte('{')
		converted := false // a key whose JSON form is not its text
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			k := n.Content[i]
			key, err := keyString(k)
			if err != nil {
				return err
			}
			converted = converted || key != k.Value
			b.Write(appendJSONString(b.AvailableBuffer(), key))
			b.WriteByte(':')
			if err := writeJSON(b, n.Content[i+1]); err != nil {
				return err
			}
		}
		if converted {
			if err := sameKeys(n); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, c); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		out, err := appendScalarJSON(b.AvailableBuffer(), n)
		if err != nil {
			return err
		}
		b.Write(out)
	default:
		return fmt.Errorf("line %d: unsupported YAML node (alias or anchor)", n.Line)
	}
	return nil
}

// sameKeys rejects a mapping in which two keys become the same JSON key
// (on: and true:, 017: and 15:): YAMLToJSON would keep one of them, which
// one depending on Go's map order. Keys with the same text are rejected
// when reading (checkKeys); only converted keys can meet here.
func sameKeys(m *yaml.Node) error {
	seen := make(map[string]*yaml.Node, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		key, err := keyString(k)
		if err != nil {
			return err
		}
		if prev, ok := seen[key]; ok {
			return fmt.Errorf("line %d: mapping key %s is read as %q, like the key at line %d; quote it",
				k.Line, clipValue(k.Value), key, prev.Line)
		}
		seen[key] = k
	}
	return nil
}

func clipValue(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
