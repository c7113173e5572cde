package validate

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

// NewFromCRDs compiles arbitrary CRDs, such as a Gateway implementation's
// policy CRDs copied from its module, into a Validator that checks objects
// exactly as New's does. files maps a file name (used in errors only) to
// YAML holding one or more CustomResourceDefinition documents; files are read
// in name order so errors are deterministic. Empty documents are skipped;
// any other kind, or a group/kind defined twice, is an error.
func NewFromCRDs(files map[string][]byte) (*Validator, error) {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	var crds []*apiextensionsv1.CustomResourceDefinition
	for _, name := range names {
		docs, err := splitDocuments(files[name])
		if err != nil {
			return nil, fmt.Errorf("crd file %s: %w", name, err)
		}
		for i, doc := range docs {
			crd, err := decodeCRD(doc)
			if err != nil {
				return nil, fmt.Errorf("crd file %s, document %d: %w", name, i+1, err)
			}
			crds = append(crds, crd)
		}
	}
	if len(crds) == 0 {
		return nil, errors.New("no CustomResourceDefinition documents")
	}
	kinds, err := decodedKinds(crds)
	if err != nil {
		return nil, err
	}
	// Vendor CRDs are compiled now, so a broken copy fails here, where its
	// file is named, rather than on the first object of its kind.
	if err := compileAll(kinds); err != nil {
		return nil, err
	}
	return &Validator{kinds: kinds}, nil
}

// splitDocuments returns the non-empty YAML documents of data; vendors ship
// CRDs both one per file and many to a file (Istio's
// customresourcedefinitions.gen.yaml).
func splitDocuments(data []byte) ([][]byte, error) {
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var docs [][]byte
	for {
		d, err := r.Read()
		if err == io.EOF {
			return docs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("split YAML documents: %w", err)
		}
		if len(bytes.TrimSpace(d)) == 0 || isSeparatorOnly(d) {
			continue
		}
		docs = append(docs, d)
	}
}
