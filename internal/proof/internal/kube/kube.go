// Package kube is the proof's reading of Kubernetes manifests: it reads
// YAML streams into Objects (read.go) with the API server's rules for
// scalars (scalar.go) and for labels and annotations (meta.go), and
// decodes them into the Kubernetes and Gateway API Go types both
// evaluators use.
//
// It shares no code with the converter's reader (internal/load): if both
// sides of a diff were read by the same code, a misreading there would
// agree with itself. internal/proof/internal/differential holds the two
// readers to the same objects, and both to sigs.k8s.io/yaml, the reader
// of kubectl and the API server.
//
// Every object is kept as the JSON the API server would read; decoding
// goes from there with sigs.k8s.io/json, the API server's decoder: field
// names are case-sensitive, a wrong type is an error naming the object,
// and unknown fields are ignored (the API server drops them too, and a
// newer API field must not stop a diff).
package kube

import (
	"bytes"
	"fmt"
	"strings"

	yaml "go.yaml.in/yaml/v3"
	sigsjson "sigs.k8s.io/json"
)

// Source says where an object came from: the file as named and the
// object's position in it, counting from 0.
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

// Object is one manifest as the proof reads it.
type Object struct {
	apiVersion, kind, name, namespace string
	source                            Source
	labels                            map[string]string
	// json is the object as the API server reads it; jsonErr why it has
	// none (a number JSON cannot hold, two keys read as one).
	json    []byte
	jsonErr error
	// metaErr breaks the rules for labels and annotations (meta.go).
	metaErr error
}

func newObject(root *yaml.Node, first int) *Object {
	o := &Object{
		apiVersion: scalarAt(root, "apiVersion"),
		kind:       scalarAt(root, "kind"),
		name:       scalarAt(root, "metadata", "name"),
		namespace:  scalarAt(root, "metadata", "namespace"),
	}
	var b bytes.Buffer
	if err := writeJSON(&b, root, first); err != nil {
		o.jsonErr = err
	} else {
		o.json = b.Bytes()
	}
	o.labels, o.metaErr = checkMetadata(root)
	return o
}

func (o *Object) APIVersion() string { return o.apiVersion }
func (o *Object) Kind() string       { return o.kind }
func (o *Object) Name() string       { return o.name }
func (o *Object) Source() Source     { return o.source }

// Namespace returns metadata.namespace, "" when unset (see Namespace).
func (o *Object) Namespace() string { return o.namespace }

// Labels returns the object's labels, or an error naming the object if
// they break the API server's rules.
func (o *Object) Labels() (map[string]string, error) {
	if o.metaErr != nil {
		return nil, fmt.Errorf("%s: %w", o.Ref(), o.metaErr)
	}
	return o.labels, nil
}

// JSON returns the object as the API server would read it.
func (o *Object) JSON() ([]byte, error) {
	if o.jsonErr != nil {
		return nil, fmt.Errorf("%s: %w", o.Ref(), o.jsonErr)
	}
	return o.json, nil
}

// Ref names the object for messages: "Ingress shop/web (ingress.yaml[2])".
func (o *Object) Ref() string {
	name := o.name
	if o.namespace != "" {
		name = o.namespace + "/" + name
	}
	return fmt.Sprintf("%s %s (%s)", o.kind, name, o.source)
}

// Decode fills into from obj as the API server would: labels and
// annotations must be strings, field names match exactly, wrong types are
// errors. Errors name the object and its file.
func Decode(obj *Object, into any) error {
	if obj.metaErr != nil {
		return fmt.Errorf("%s: %w", obj.Ref(), obj.metaErr)
	}
	data, err := obj.JSON()
	if err != nil {
		return err
	}
	return DecodeJSON(obj, data, into)
}

// DecodeStrict is Decode with the API server's strict field validation
// (kubectl's default): unknown and duplicate fields are reported in strict,
// into is filled all the same; err is as Decode's.
func DecodeStrict(obj *Object, into any) (strict, err error) {
	if obj.metaErr != nil {
		return nil, fmt.Errorf("%s: %w", obj.Ref(), obj.metaErr)
	}
	data, err := obj.JSON()
	if err != nil {
		return nil, err
	}
	errs, err := sigsjson.UnmarshalStrict(data, into)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", obj.Ref(), strings.TrimPrefix(err.Error(), "json: "))
	}
	if len(errs) > 0 {
		return errs[0], nil
	}
	return nil, nil
}

// DecodeJSON decodes part of obj's JSON (or all of it) into into, with
// Decode's rules for fields; errors name obj.
func DecodeJSON(obj *Object, data []byte, into any) error {
	if err := sigsjson.UnmarshalCaseSensitivePreserveInts(data, into); err != nil {
		return fmt.Errorf("%s: %s", obj.Ref(), strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

// Namespace returns the object's namespace, "default" when unset: what the
// API server would store for a namespaced object applied without one.
func Namespace(obj *Object) string {
	if ns := obj.Namespace(); ns != "" {
		return ns
	}
	return "default"
}

// Group returns the API group of an apiVersion ("" for the core group).
func Group(apiVersion string) string {
	g, _, ok := strings.Cut(apiVersion, "/")
	if !ok {
		return ""
	}
	return g
}

// lookup returns the node at a path of mapping keys, or nil.
func lookup(n *yaml.Node, keys ...string) *yaml.Node {
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

// scalarAt returns the text of the scalar at a path of keys, or "".
func scalarAt(n *yaml.Node, keys ...string) string {
	n = lookup(n, keys...)
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// writeJSON writes n as the JSON the API server reads; first is the line
// of the stream n's document starts at, for messages. The parser bounds
// the depth of n.
func writeJSON(b *bytes.Buffer, n *yaml.Node, first int) error {
	line := n.Line + first - 1
	switch n.Kind {
	case yaml.MappingNode:
		b.WriteByte('{')
		var keys seenKeys
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			kline := k.Line + first - 1
			if k.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: a map key must be a scalar", kline)
			}
			r, err := resolveNode(k, kline)
			if err != nil {
				return err
			}
			key, err := r.key(kline, k.Value)
			if err != nil {
				return err
			}
			if prev, ok := keys.add(key, kline); !ok {
				return fmt.Errorf("line %d: mapping key %s is read as %q, like the key at line %d; quote it",
					kline, clip(k.Value), key, prev)
			}
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(appendString(b.AvailableBuffer(), key))
			b.WriteByte(':')
			if err := writeJSON(b, n.Content[i+1], first); err != nil {
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
			if err := writeJSON(b, c, first); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		r, err := resolveNode(n, line)
		if err != nil {
			return err
		}
		enc, err := r.appendJSON(b.AvailableBuffer(), line, n.Value)
		if err != nil {
			return err
		}
		b.Write(enc)
	default:
		return fmt.Errorf("line %d: unsupported YAML node (alias)", line)
	}
	return nil
}

// seenKeys finds a JSON key written twice in one mapping: by a scan for
// the few keys most mappings have, by a map beyond.
type seenKeys struct {
	few [12]struct {
		key  string
		line int
	}
	n    int
	many map[string]int
}

// add records key at line; if it was there, it returns its line and false.
func (s *seenKeys) add(key string, line int) (int, bool) {
	if s.many == nil {
		for _, k := range s.few[:s.n] {
			if k.key == key {
				return k.line, false
			}
		}
		if s.n < len(s.few) {
			s.few[s.n].key, s.few[s.n].line = key, line
			s.n++
			return 0, true
		}
		s.many = make(map[string]int, 2*len(s.few))
		for _, k := range s.few {
			s.many[k.key] = k.line
		}
	}
	if prev, ok := s.many[key]; ok {
		return prev, false
	}
	s.many[key] = line
	return 0, true
}
