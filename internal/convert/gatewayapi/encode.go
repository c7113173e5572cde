package gatewayapi

import (
	"encoding/json"
	"fmt"

	"github.com/routeshift/routeshift/internal/load"
)

// Labels and annotations on every generated object: they name the source so
// a reviewer can trace each object, and let a later run recognise (and
// regenerate instead of duplicating) its own output.
const (
	ManagedByLabel   = "app.kubernetes.io/managed-by"
	ManagedByValue   = "routeshift"
	SourceAnnotation = "routeshift.dev/source"
)

// Encode turns a generated object into the object the writers take, kept
// as its encoded text: keys sorted (so apiVersion, kind, metadata, spec
// come first), no status and no creationTimestamp, which Go's zero values
// would otherwise add and the API server owns. The typed object goes through
// its JSON form because that is where the API types define field names and
// omission.
func (o *Object) Encode(src load.Source) (*load.Object, error) {
	data, err := json.Marshal(o.Value)
	if err != nil {
		return nil, fmt.Errorf("%s %s/%s: %w", o.Kind, o.Namespace, o.Name, err)
	}
	obj, err := load.NewObjectFromJSON(data, src, "status", "metadata.creationTimestamp")
	if err != nil {
		return nil, fmt.Errorf("%s %s/%s: %w", o.Kind, o.Namespace, o.Name, err)
	}
	return obj, nil
}
