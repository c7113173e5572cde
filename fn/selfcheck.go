package fn

import (
	"fmt"
	"strings"
	"sync"

	utiljson "k8s.io/apimachinery/pkg/util/json"

	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/parallel"
	"github.com/routeshift/routeshift/internal/validate"
)

// autoValidateLimit is how many generated objects "auto" validates.
// Validation replays the API server's schema and CEL checks at about a
// millisecond per object after compiling the CEL rules the objects reach
// (25-60 ms of CPU, HTTPRoute's rules most of it), which a kustomize build of a
// whole cluster should not pay on every run; the golden, corpus and
// property tests validate everything the converter can produce.
const autoValidateLimit = 500

var standardValidator = sync.OnceValues(func() (*validate.Validator, error) { return validate.New(validate.Standard) })

// selfCheck validates the generated Gateway API objects the way the API
// server would on create. An invalid object is a routeshift bug: it is
// reported as an error and left out, never emitted. The objects of
// rewritten (identities) are written at a version of the target release's
// own CRDs, which the embedded ones do not serve; the tests validate them
// against that release's CRDs (fn's TestReleasesAccept).
func selfCheck(out []*load.Object, generated map[*load.Object]bool, rewritten map[string]bool, mode string, findings *finding.List) []*load.Object {
	if mode == "never" || len(generated) == 0 {
		return out
	}
	if mode == "auto" && len(generated) > autoValidateLimit {
		findings.Infof(nil, "spec.validateOutput", "%d generated objects were not validated against the CRD schemas (validateOutput: auto stops at %d; set always to check them)", len(generated), autoValidateLimit)
		return out
	}
	v, err := standardValidator()
	if err != nil {
		findings.Errorf(nil, "", "cannot load the Gateway API schemas to validate the output: %v", err)
		return out
	}
	// Each kind compiles on first use, only the CEL rules these objects
	// reach, and compiling dominates a small run: ValidateAll compiles the
	// kinds present side by side, once each, then validates on every core.
	// Findings follow the output's order.
	var todo []*load.Object
	for _, o := range out {
		if generated[o] && v.Knows(o.APIVersion(), o.Kind()) && !rewritten[identity(o.Kind(), o.Namespace(), o.Name())] {
			todo = append(todo, o)
		}
	}
	objs := make([]map[string]any, len(todo))
	problems := make([][]string, len(todo))
	parallel.For(len(todo), func(i int) {
		obj, err := decodeNode(todo[i])
		if err != nil {
			problems[i] = append(problems[i], err.Error())
			return
		}
		objs[i] = obj
	})
	for i, errs := range v.ValidateAll(objs) {
		for _, e := range errs {
			problems[i] = append(problems[i], e.Error())
		}
	}
	bad := map[*load.Object][]string{}
	for i, o := range todo {
		if len(problems[i]) > 0 {
			bad[o] = problems[i]
		}
	}
	kept := out[:0:0]
	for _, o := range out {
		msgs, invalid := bad[o]
		if !invalid {
			kept = append(kept, o)
			continue
		}
		findings.Errorf(o, "", "routeshift generated an invalid %s (a bug: please report it with this input); it is left out: %s", o.Kind(), strings.Join(msgs, "; "))
	}
	return kept
}

// decodeNode gives the JSON-shaped value of a generated object, what
// the validator reads.
func decodeNode(o *load.Object) (map[string]any, error) {
	tree, err := o.Tree()
	if err != nil {
		return nil, err
	}
	data, err := load.JSON(tree)
	if err != nil {
		return nil, err
	}
	var obj map[string]any
	if err := utiljson.Unmarshal(data, &obj); err != nil {
		return nil, fmt.Errorf("re-reading %s: %w", o.Kind(), err)
	}
	return obj, nil
}
