package gatewayapi

import (
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

// dropped are the fields of a generated object left out of its text.
var dropped = []string{"status", "metadata.creationTimestamp"}

// Encode turns a generated object into the object the writers take, kept
// as its encoded text: keys sorted (so apiVersion, kind, metadata, spec
// come first), no status and no creationTimestamp, which Go's zero values
// would otherwise add and the API server owns. The text is what the typed
// object's JSON form would be as YAML, because that is where the API types
// define field names and omission; load.NewObjectFromValue writes it
// without making the JSON (encodeJSON in the tests, which did, is the
// reference they compare it with).
func (o *Object) Encode(src load.Source) (*load.Object, error) {
	obj, err := load.NewObjectFromValue(o.Value, src, dropped...)
	if err != nil {
		return nil, fmt.Errorf("%s %s/%s: %w", o.Kind, o.Namespace, o.Name, err)
	}
	return obj, nil
}
