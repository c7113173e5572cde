package gatewayapi

import (
	"encoding/json"
	"fmt"

	"sigs.k8s.io/kustomize/kyaml/yaml"
	sigsyaml "sigs.k8s.io/yaml"
)

// Labels and annotations on every generated object: they name the source so
// a reviewer can trace each object, and let a later run recognise (and
// regenerate instead of duplicating) its own output.
const (
	ManagedByLabel   = "app.kubernetes.io/managed-by"
	ManagedByValue   = "routeshift"
	SourceAnnotation = "routeshift.dev/source"
)

// Node encodes a generated object as YAML: keys sorted (so apiVersion,
// kind, metadata, spec come first), no status and no creationTimestamp,
// which Go's zero values would otherwise add and the API server owns.
func (o *Object) Node() (*yaml.Node, error) {
	data, err := json.Marshal(o.Value)
	if err != nil {
		return nil, fmt.Errorf("%s %s/%s: %w", o.Kind, o.Namespace, o.Name, err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	delete(m, "status")
	if md, ok := m["metadata"].(map[string]any); ok {
		delete(md, "creationTimestamp")
	}
	y, err := sigsyaml.Marshal(m)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(y, &doc); err != nil {
		return nil, err
	}
	return doc.Content[0], nil
}
