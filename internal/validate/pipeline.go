package validate

import (
	"slices"
	"strings"

	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	structurallisttype "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	schemaobjectmeta "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// defaultNamespace stands in for the namespace kubectl would send a
// namespaced object to when its manifest names none; the server requires
// one, but a manifest without it is normal.
const defaultNamespace = "default"

// checked is an object part way through ValidateAll: everything but its CEL
// rules is checked, and shape names the rules it reaches, so that a batch
// can compile the rules of all its objects at once (ValidateAll).
type checked struct {
	obj   map[string]any // the coerced, defaulted copy; nil when the object is broken
	errs  field.ErrorList
	shape shape // nil when no CEL rule is to run
}

// check runs the create path of the API server on a copy of in, up to
// its CEL rules, which checkCEL runs: decode coercion
// (customresource_handler.go unstructuredSchemaCoercer.apply), defaulting,
// PrepareForCreate and Validate (registry/customresource strategy.go and
// validator.go).
func (ver *version) check(in map[string]any) checked {
	cp, ferr := normalize(in)
	if ferr != nil {
		return checked{errs: field.ErrorList{ferr}}
	}
	obj := cp.(map[string]any)
	s := ver.structural

	errs, ok := ver.coerce(obj)
	if !ok {
		return checked{errs: errs}
	}
	structuraldefaulting.Default(obj, s)

	if ver.hasStatus {
		delete(obj, "status")
	}
	u := &unstructured.Unstructured{Object: obj}
	if !ver.namespaced {
		// The server clears a namespace sent for a cluster-scoped kind
		// (rest.EnsureObjectNamespaceMatchesRequestNamespace).
		u.SetNamespace("")
	} else if u.GetNamespace() == "" {
		u.SetNamespace(defaultNamespace)
	}

	errs = append(errs, apimachineryvalidation.ValidateObjectMetaAccessor(u, ver.namespaced, apimachineryvalidation.NameIsDNSSubdomain, field.NewPath("metadata"))...)
	errs = append(errs, apiservervalidation.ValidateCustomResource(nil, obj, ver.openAPI)...)
	errs = append(errs, schemaobjectmeta.Validate(nil, obj, s, false)...)
	errs = append(errs, structurallisttype.ValidateListSetsAndMaps(nil, s, obj)...)
	c := checked{obj: obj, errs: errs}
	// As the server does: CEL rules assume the shape the schema promises,
	// so they are skipped once a blocking error shows it is broken
	// (strategy.go hasBlockingErr).
	if blocked, note := hasBlockingErr(errs); blocked {
		if ver.cel.root != nil {
			c.errs = append(c.errs, note)
		}
	} else {
		c.shape = ver.cel.shapeOf(obj)
	}
	return c
}

// checkCEL runs the CEL rules on an object check let through, with
// validators that have compiled at least the rules of its shape.
func (ver *version) checkCEL(c checked, vs celValidators) field.ErrorList {
	if c.shape == nil || len(vs) == 0 {
		return c.errs
	}
	celErrs := vs.validate(ver.structural, c.obj)
	// The validator visits an object's fields in map order; sorted, the
	// same object gets the same report every time.
	slices.SortStableFunc(celErrs, func(a, b *field.Error) int { return strings.Compare(a.Error(), b.Error()) })
	return append(c.errs, celErrs...)
}

// coerce reports and removes unknown fields, metadata included, and returns
// false when metadata cannot be decoded at all, which stops the server
// before validation too.
func (ver *version) coerce(obj map[string]any) (field.ErrorList, bool) {
	var errs field.ErrorList
	meta, foundMeta, unknownMeta, err := schemaobjectmeta.GetObjectMetaWithOptions(obj, schemaobjectmeta.ObjectMetaOptions{ReturnUnknownFieldPaths: true})
	if err != nil {
		return field.ErrorList{field.Invalid(field.NewPath("metadata"), obj["metadata"], err.Error())}, false
	}
	for _, p := range unknownMeta {
		errs = append(errs, unknownField(p))
	}

	unknown := structuralpruning.PruneWithOptions(obj, ver.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})
	for _, p := range unknown {
		errs = append(errs, unknownField(p))
	}
	structuraldefaulting.PruneNonNullableNullsWithoutDefaults(obj, ver.structural)

	// Embedded resources (x-kubernetes-embedded-resource) get the same
	// metadata treatment as the root; Gateway API has none today.
	coerceErr, unknownEmbedded := schemaobjectmeta.CoerceWithOptions(nil, obj, ver.structural, false, schemaobjectmeta.CoerceOptions{ReturnUnknownFieldPaths: true})
	if coerceErr != nil {
		return append(errs, coerceErr), false
	}
	for _, p := range unknownEmbedded {
		errs = append(errs, unknownField(p))
	}

	if foundMeta {
		// Rewriting metadata from the typed struct drops its unknown
		// fields, which the schema validator would otherwise see.
		if err := schemaobjectmeta.SetObjectMeta(obj, meta); err != nil {
			return append(errs, field.InternalError(field.NewPath("metadata"), err)), false
		}
	}
	return errs, true
}

// hasBlockingErr is strategy.go's: these error types mean a value has the
// wrong type, is missing, or is too large for CEL to evaluate safely.
func hasBlockingErr(errs field.ErrorList) (bool, *field.Error) {
	for _, err := range errs {
		switch err.Type {
		case field.ErrorTypeNotSupported, field.ErrorTypeRequired, field.ErrorTypeTooLong, field.ErrorTypeTooMany, field.ErrorTypeTypeInvalid:
			return true, field.Invalid(nil, nil, "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation")
		}
	}
	return false, nil
}
