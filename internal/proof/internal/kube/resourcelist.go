package kube

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	yaml "go.yaml.in/yaml/v3"
)

// ReadResourceList reads data as a KRM function's output: a stream whose
// only document is a ResourceList (config.kubernetes.io/v1). Its items are
// the objects, read as a List's are; results is the JSON of its results
// (nil when it has none), read with the same scalar rules. ok is false,
// with nothing read, when data is anything else: the caller reads it as a
// stream. A converter's output read this way carries the converter's own
// results, which diff marks causes with (report.MarkApproximations).
func ReadResourceList(data []byte, path string) (objs []*Object, results []byte, ok bool, err error) {
	var doc *document
	for _, d := range splitStream(data) {
		if !d.content {
			continue
		}
		if doc != nil {
			return nil, nil, false, nil // more than one document: a stream
		}
		doc = &d
	}
	if doc == nil || !bytes.Contains(doc.text, []byte("ResourceList")) {
		return nil, nil, false, nil
	}
	if err := printable(doc.text, doc.line); err != nil {
		return nil, nil, false, nil // ReadStream reports it
	}
	dec := yaml.NewDecoder(bytes.NewReader(doc.text))
	var n yaml.Node
	if err := decodeSafely(dec, &n); err != nil || len(n.Content) == 0 {
		return nil, nil, false, nil
	}
	var more yaml.Node
	if err := decodeSafely(dec, &more); !errors.Is(err, io.EOF) {
		return nil, nil, false, nil
	}
	root := n.Content[0]
	if root.Kind != yaml.MappingNode || scalarAt(root, "apiVersion") != "config.kubernetes.io/v1" || scalarAt(root, "kind") != "ResourceList" {
		return nil, nil, false, nil
	}
	fail := func(err error) ([]*Object, []byte, bool, error) {
		return nil, nil, true, fmt.Errorf("%s: ResourceList: %w", path, err)
	}
	if err := check(root, doc.line); err != nil {
		return fail(err)
	}
	if items := lookup(root, "items"); items != nil && !(items.Kind == yaml.ScalarNode && items.Tag == "!!null") {
		if items.Kind != yaml.SequenceNode {
			return fail(fmt.Errorf("line %d: items is a %s, want a sequence", items.Line+doc.line-1, kindName(items)))
		}
		for i, it := range items.Content {
			if it.Kind != yaml.MappingNode {
				return fail(fmt.Errorf("line %d: item %d is a %s, want a mapping (a Kubernetes object)", it.Line+doc.line-1, i, kindName(it)))
			}
			o := newObject(it, doc.line)
			o.source = Source{Path: path, Index: i}
			objs = append(objs, o)
		}
	}
	if rs := lookup(root, "results"); rs != nil && !(rs.Kind == yaml.ScalarNode && rs.Tag == "!!null") {
		var b bytes.Buffer
		if err := writeJSON(&b, rs, doc.line); err != nil {
			return fail(fmt.Errorf("results: %w", err))
		}
		results = b.Bytes()
	}
	return objs, results, true, nil
}
