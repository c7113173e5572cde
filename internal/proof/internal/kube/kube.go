// Package kube decodes the objects both evaluators read (Ingress, Service,
// Gateway, HTTPRoute, ...) from load.Object trees into the Kubernetes and
// Gateway API Go types.
//
// It goes from the yaml node straight to JSON and lets encoding/json fill the
// typed struct, so that field names and types are the API's own, and a
// malformed object becomes an error naming it instead of a zero value.
// Labels and annotations are always strings to the API server; manifests
// sometimes leave them unquoted (canary-weight: 10), so values under those
// keys are encoded as strings whatever their YAML tag.
package kube

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/routeshift/routeshift/internal/load"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Decode fills into from obj, or returns an error naming the object and
// its file.
func Decode(obj *load.Object, into any) error {
	// Tree, not Node: a reader may have thinned the object to its
	// metadata, and Tree reads its text again.
	tree, err := obj.Tree()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := encode(&buf, tree, false, 0); err != nil {
		return fmt.Errorf("%s: %w", obj.Ref(), err)
	}
	if err := json.Unmarshal(buf.Bytes(), into); err != nil {
		return fmt.Errorf("%s: %w", obj.Ref(), err)
	}
	return nil
}

// Namespace returns the object's namespace, "default" when unset: what the
// API server would store for a namespaced object applied without one.
func Namespace(obj *load.Object) string {
	if ns := obj.Namespace(); ns != "" {
		return ns
	}
	return "default"
}

// Group returns the API group of an apiVersion ("" for the core group).
func Group(apiVersion string) string {
	for i := 0; i < len(apiVersion); i++ {
		if apiVersion[i] == '/' {
			return apiVersion[:i]
		}
	}
	return ""
}

const maxDepth = 200

func encode(b *bytes.Buffer, n *yaml.Node, asString bool, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("line %d: nested too deeply", n.Line)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			b.WriteString("null")
			return nil
		}
		return encode(b, n.Content[0], asString, depth+1)
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			k := n.Content[i]
			writeString(b, k.Value)
			b.WriteByte(':')
			str := asString || k.Value == "annotations" || k.Value == "labels"
			if err := encode(b, n.Content[i+1], str, depth+1); err != nil {
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
			if err := encode(b, c, false, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		if asString {
			writeString(b, n.Value)
			return nil
		}
		switch n.ShortTag() {
		case "!!null":
			b.WriteString("null")
		case "!!bool":
			v, err := strconv.ParseBool(n.Value)
			if err != nil {
				// YAML 1.1 spellings (yes/no/on/off) come here; the API
				// would reject them, and so do we.
				return fmt.Errorf("line %d: %q is not a boolean", n.Line, n.Value)
			}
			b.WriteString(strconv.FormatBool(v))
		case "!!int", "!!float":
			f, err := strconv.ParseFloat(n.Value, 64)
			if err != nil {
				i, err2 := strconv.ParseInt(n.Value, 0, 64)
				if err2 != nil {
					return fmt.Errorf("line %d: %q is not a number", n.Line, n.Value)
				}
				f = float64(i)
			}
			b.WriteString(strconv.FormatFloat(f, 'f', -1, 64))
		default:
			writeString(b, n.Value)
		}
	case yaml.AliasNode:
		return fmt.Errorf("line %d: aliases are not supported", n.Line)
	default:
		return fmt.Errorf("line %d: unexpected YAML node", n.Line)
	}
	return nil
}

func writeString(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			enc, _ := json.Marshal(s) // a string always marshals
			b.Write(enc)
			return
		}
	}
	// Plain ASCII, the common case, needs no escaping.
	b.WriteByte('"')
	b.WriteString(s)
	b.WriteByte('"')
}
