package gatewayapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"

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

// jsonBuffers keeps the buffers generated objects are marshalled into:
// the JSON is only read to write the object's YAML text (which
// load.NewObjectFromJSON copies out), so one buffer per core serves every
// object instead of json.Marshal's fresh copy for each.
var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledJSON is the largest buffer kept for reuse: one huge object
// should not pin its buffer for the rest of the run.
const maxPooledJSON = 1 << 20

// Encode turns a generated object into the object the writers take, kept
// as its encoded text: keys sorted (so apiVersion, kind, metadata, spec
// come first), no status and no creationTimestamp, which Go's zero values
// would otherwise add and the API server owns. The typed object goes through
// its JSON form because that is where the API types define field names and
// omission.
func (o *Object) Encode(src load.Source) (*load.Object, error) {
	buf := jsonBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledJSON {
			buf.Reset()
			jsonBuffers.Put(buf)
		}
	}()
	buf.Reset()
	// An Encoder writes what json.Marshal returns (HTML-safe escaping
	// included) and a newline, which the reader skips as white space.
	if err := json.NewEncoder(buf).Encode(o.Value); err != nil {
		return nil, fmt.Errorf("%s %s/%s: %w", o.Kind, o.Namespace, o.Name, err)
	}
	obj, err := load.NewObjectFromJSON(buf.Bytes(), src, "status", "metadata.creationTimestamp")
	if err != nil {
		return nil, fmt.Errorf("%s %s/%s: %w", o.Kind, o.Namespace, o.Name, err)
	}
	return obj, nil
}
