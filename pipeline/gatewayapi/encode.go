package gatewayapi

import (
	"encoding/json"
	"fmt"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/routeshift/routeshift/pipeline/load"
)

// Labels and annotations on every generated object: they name the source so
// a reviewer can trace each object, and let a later run recognise (and
// regenerate instead of duplicating) its own output.
const (
	ManagedByLabel   = "app.kubernetes.io/managed-by"
	ManagedByValue   = "routeshift"
	SourceAnnotation = "routeshift.dev/source"
)

// Node encodes a generated object as a YAML node: keys sorted (so
// apiVersion, kind, metadata, spec come first), no status and no
// creationTimestamp, which Go's zero values would otherwise add and the API
// server owns. The typed object goes through its JSON form because that is
// where the API types define field names and omission.
func (o *Object) Node() (*yaml.Node, error) {
	data, err := json.Marshal(o.Value)
	if err != nil {
		return nil, fmt.Errorf("%s %s/%s: %w", o.Kind, o.Namespace, o.Name, err)
	}
	n, err := load.NodeFromJSON(data, "status", "metadata.creationTimestamp")
	if err != nil {
		return nil, fmt.Errorf("%s %s/%s: %w", o.Kind, o.Namespace, o.Name, err)
	}
	return n, nil
}
