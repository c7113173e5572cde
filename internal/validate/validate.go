package validate

import (
	"fmt"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Channel is a Gateway API release channel. Experimental has every standard
// kind plus experimental kinds and fields; objects using experimental fields
// fail the standard channel with unknown-field errors.
type Channel string

const (
	Standard     Channel = "standard"
	Experimental Channel = "experimental"
)

// Validator checks objects against the CRDs of one channel. It is safe for
// concurrent use. New only indexes the kinds; each kind's schema and CEL
// rules are compiled the first time an object of that kind is validated, so
// keep one Validator per process and the cost is paid once per kind.
type Validator struct {
	kinds map[schema.GroupKind]*kindInfo
}

// New indexes the embedded CRDs of ch; their schemas and CEL rules compile
// on first use.
func New(ch Channel) (*Validator, error) {
	if ch != Standard && ch != Experimental {
		return nil, fmt.Errorf("unknown channel %q (want %q or %q)", ch, Standard, Experimental)
	}
	kinds, err := embeddedKinds(ch)
	if err != nil {
		return nil, fmt.Errorf("channel %s: %w", ch, err)
	}
	return &Validator{kinds: kinds}, nil
}

// Knows reports whether apiVersion's group and kind name a CRD of the
// channel. It does not look at the version: an unserved version of a known
// kind is still known, and Validate reports it.
func (v *Validator) Knows(apiVersion, kind string) bool {
	_, ok := v.lookup(apiVersion, kind)
	return ok
}

// Prepare compiles what validating an object of apiVersion and kind needs,
// now rather than on first use, so a caller can compile the kinds it is
// about to validate side by side (HTTPRoute's CEL rules alone are most of
// a small run's validation). Errors wait for Validate, which reports them.
func (v *Validator) Prepare(apiVersion, kind string) {
	k, ok := v.lookup(apiVersion, kind)
	if !ok {
		return
	}
	gv, _ := schema.ParseGroupVersion(apiVersion) // lookup parsed it already
	k.version(gv.Version)
}

func (v *Validator) lookup(apiVersion, kind string) (*kindInfo, bool) {
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		return nil, false
	}
	k, ok := v.kinds[schema.GroupKind{Group: gv.Group, Kind: kind}]
	return k, ok
}

// Validate checks obj as the API server would on create and returns one
// *FieldError per problem, or nil when the object would be accepted or is
// not a kind of this channel (see Knows). obj is JSON-shaped, as decoded
// with integers as int64; it is not modified.
//
// Unlike the server, which stops at the first stage that fails, Validate
// reports unknown fields and the remaining checks together, so one run shows
// everything to fix.
func (v *Validator) Validate(obj map[string]any) []error {
	apiVersion, _ := obj["apiVersion"].(string)
	kind, _ := obj["kind"].(string)
	k, ok := v.lookup(apiVersion, kind)
	if !ok {
		return nil
	}
	id := identify(kind, obj)
	gv, _ := schema.ParseGroupVersion(apiVersion) // lookup parsed it already
	ver, ok, err := k.version(gv.Version)
	if err != nil {
		// The embedded CRDs are tested to compile (TestEveryKindCompiles);
		// this is for a broken vendor CRD, and says which one.
		fe := id
		fe.Err = field.InternalError(field.NewPath("apiVersion"), err)
		return []error{&fe}
	}
	var errs field.ErrorList
	if !ok {
		errs = field.ErrorList{field.NotSupported(field.NewPath("apiVersion"), apiVersion, servedAPIVersions(gv.Group, k.served))}
	} else {
		errs = ver.validate(obj)
	}
	if len(errs) == 0 {
		return nil
	}
	out := make([]error, len(errs))
	for i, e := range errs {
		fe := id
		fe.Err = e
		out[i] = &fe
	}
	return out
}

// ValidateYAML decodes one YAML document and validates it. The second result
// is set when doc is not a single YAML object; the object's problems are in
// the first.
func (v *Validator) ValidateYAML(doc []byte) ([]error, error) {
	obj, err := decodeYAML(doc)
	if err != nil {
		return nil, err
	}
	return v.Validate(obj), nil
}

// identify reads the object's name and namespace for error prefixes,
// tolerating malformed metadata, which Validate reports on its own.
func identify(kind string, obj map[string]any) FieldError {
	id := FieldError{Kind: kind}
	if md, ok := obj["metadata"].(map[string]any); ok {
		id.Name, _ = md["name"].(string)
		id.Namespace, _ = md["namespace"].(string)
	}
	return id
}

func servedAPIVersions(group string, served []string) []string {
	out := make([]string, len(served))
	for i, s := range served {
		out[i] = group + "/" + s
	}
	return out
}
