package validate

import (
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// FieldError is one problem with one object. Err is the field error as the
// API server would build it (type, path, bad value, detail), so callers can
// read Err.Field or Err.Type instead of parsing text; Kind, Namespace and Name
// say which object it is about, because one input file holds many.
type FieldError struct {
	Kind      string
	Namespace string // empty for cluster-scoped kinds and unset namespaces
	Name      string
	Err       *field.Error
}

// Error reads like kubectl's rejection, prefixed with the object:
//
//	HTTPRoute/default/web: spec.rules[0]: Invalid value: "object": When using ...
func (e *FieldError) Error() string {
	return e.Object() + ": " + e.Err.Error()
}

// Unwrap gives errors.As access to the *field.Error.
func (e *FieldError) Unwrap() error { return e.Err }

// Object is kind/namespace/name, or kind/name when there is no namespace.
// A missing name shows as "(unnamed)" so the text does not look truncated.
func (e *FieldError) Object() string {
	name := e.Name
	if name == "" {
		name = "(unnamed)"
	}
	if e.Namespace == "" {
		return e.Kind + "/" + name
	}
	return e.Kind + "/" + e.Namespace + "/" + name
}

// unknownField reports a field that pruning removed. The API server drops
// such fields silently, or with kubectl's default --validate=strict rejects
// the request with `unknown field "spec.foo"`; neither is what an author
// meant, so it is an error here. The path comes from the pruner as a string,
// which field.Error stores as is.
func unknownField(path string) *field.Error {
	return &field.Error{Type: field.ErrorTypeForbidden, Field: path, Detail: "unknown field"}
}
