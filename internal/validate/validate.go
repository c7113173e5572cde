package validate

import (
	"fmt"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/routeshift/routeshift/internal/parallel"
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
	return v.ValidateAll([]map[string]any{obj})[0]
}

// ValidateAll validates every object as Validate does, on every core, and
// returns their problems in the same order. A kind's CEL rules are compiled
// on first use, and only those the objects reach (celshape.go): given all
// the objects at once, a kind compiles once, for all of them, where objects
// of new shapes validated one by one may each add to its compilations.
func (v *Validator) ValidateAll(objs []map[string]any) [][]error {
	type job struct {
		id  FieldError
		ver *version
		c   checked
	}
	jobs := make([]job, len(objs))
	parallel.For(len(objs), func(i int) {
		j := &jobs[i]
		obj := objs[i]
		apiVersion, _ := obj["apiVersion"].(string)
		kind, _ := obj["kind"].(string)
		k, ok := v.lookup(apiVersion, kind)
		if !ok {
			return
		}
		j.id = identify(kind, obj)
		gv, _ := schema.ParseGroupVersion(apiVersion) // lookup parsed it already
		ver, ok, err := k.version(gv.Version)
		switch {
		case err != nil:
			// The embedded CRDs are tested to compile
			// (TestEveryKindCompiles); this is for a broken vendor CRD,
			// and says which one.
			j.c.errs = field.ErrorList{field.InternalError(field.NewPath("apiVersion"), err)}
		case !ok:
			j.c.errs = field.ErrorList{field.NotSupported(field.NewPath("apiVersion"), apiVersion, servedAPIVersions(gv.Group, k.served))}
		default:
			j.ver, j.c = ver, ver.check(obj)
		}
	})

	// One compilation per version, for the rules all its objects reach.
	var versions []*version
	union := map[*version]shape{}
	for _, j := range jobs {
		if j.ver == nil || j.c.shape == nil {
			continue
		}
		if u, ok := union[j.ver]; ok {
			union[j.ver] = u.union(j.c.shape)
		} else {
			versions = append(versions, j.ver)
			union[j.ver] = j.c.shape
		}
	}
	compiled := make([]celValidators, len(versions))
	parallel.For(len(versions), func(i int) { compiled[i] = versions[i].cel.validator(union[versions[i]]) })
	validators := map[*version]celValidators{}
	for i, ver := range versions {
		validators[ver] = compiled[i]
	}

	out := make([][]error, len(objs))
	parallel.For(len(objs), func(i int) {
		j := jobs[i]
		errs := j.c.errs
		if j.ver != nil {
			errs = j.ver.checkCEL(j.c, validators[j.ver])
		}
		for _, e := range errs {
			fe := j.id
			fe.Err = e
			out[i] = append(out[i], &fe)
		}
	})
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
