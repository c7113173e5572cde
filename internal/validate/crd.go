package validate

import (
	"embed"
	"fmt"
	"path"
	"sort"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/runtime/schema"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"sigs.k8s.io/yaml"

	"github.com/routeshift/routeshift/internal/parallel"
)

// crdFS holds the copies made by internal/gencrds (see gen.go).
//
//go:embed crds/standard/*.yaml crds/experimental/*.yaml
var crdFS embed.FS

// kindInfo is what a Validator knows about one group/kind.
type kindInfo struct {
	crdName  string
	versions map[string]*version // served versions only
	served   []string            // sorted, for error messages
}

// version is one served version of a CRD, compiled the way the API server
// compiles it when the CRD is established (customresource_handler.go).
type version struct {
	gvk        schema.GroupVersionKind
	namespaced bool
	// hasStatus drops status on create, as PrepareForCreate does when the
	// status subresource is on: a status in a manifest never reaches storage.
	hasStatus  bool
	structural *structuralschema.Structural
	openAPI    apiservervalidation.SchemaValidator
	cel        *cel.Validator // nil when the schema has no x-kubernetes-validations
}

// readCRDs decodes every embedded CRD of a channel.
func readCRDs(ch Channel) ([]*apiextensionsv1.CustomResourceDefinition, error) {
	dir := path.Join("crds", string(ch))
	entries, err := crdFS.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("channel %q: %w", ch, err)
	}
	var crds []*apiextensionsv1.CustomResourceDefinition
	for _, e := range entries {
		data, err := crdFS.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("crd file %s: %w", e.Name(), err)
		}
		crd, err := decodeCRD(data)
		if err != nil {
			return nil, fmt.Errorf("crd file %s: %w", e.Name(), err)
		}
		crds = append(crds, crd)
	}
	return crds, nil
}

// decodeCRD reads one CustomResourceDefinition document and applies the
// defaults the API server applies when the CRD is created.
func decodeCRD(data []byte) (*apiextensionsv1.CustomResourceDefinition, error) {
	crd := &apiextensionsv1.CustomResourceDefinition{}
	if err := yaml.Unmarshal(data, crd); err != nil {
		return nil, err
	}
	if crd.Kind != "CustomResourceDefinition" {
		return nil, fmt.Errorf("kind %q, want CustomResourceDefinition", crd.Kind)
	}
	apiextensionsv1.SetObjectDefaults_CustomResourceDefinition(crd)
	return crd, nil
}

// compileCRDs builds the kind index. Compiling CEL rules dominates New's
// cost, and the versions are independent, so they compile in parallel.
func compileCRDs(crds []*apiextensionsv1.CustomResourceDefinition) (map[schema.GroupKind]*kindInfo, error) {
	type job struct {
		crd *apiextensionsv1.CustomResourceDefinition
		v   *apiextensionsv1.CustomResourceDefinitionVersion
		out *version
		err error
	}
	kinds := map[schema.GroupKind]*kindInfo{}
	var jobs []*job
	for _, crd := range crds {
		gk := schema.GroupKind{Group: crd.Spec.Group, Kind: crd.Spec.Names.Kind}
		if prev, dup := kinds[gk]; dup {
			return nil, fmt.Errorf("crd %s: kind %s already defined by crd %s", crd.Name, gk, prev.crdName)
		}
		kinds[gk] = &kindInfo{crdName: crd.Name, versions: map[string]*version{}}
		for i := range crd.Spec.Versions {
			// Unserved versions are rejected before any schema is needed.
			if crd.Spec.Versions[i].Served {
				jobs = append(jobs, &job{crd: crd, v: &crd.Spec.Versions[i]})
			}
		}
	}

	parallel.For(len(jobs), func(i int) {
		j := jobs[i]
		j.out, j.err = compileVersion(j.crd, j.v)
	})

	for _, j := range jobs {
		if j.err != nil {
			return nil, fmt.Errorf("crd %s version %s: %w", j.crd.Name, j.v.Name, j.err)
		}
		k := kinds[j.out.gvk.GroupKind()]
		k.versions[j.v.Name] = j.out
		k.served = append(k.served, j.v.Name)
	}
	for _, k := range kinds {
		sort.Strings(k.served)
	}
	return kinds, nil
}

// compileVersion follows customresource_handler.go: convert the v1 schema to
// the internal type, make it structural, drop unknown fields from defaults,
// and build the OpenAPI and CEL validators from the result.
func compileVersion(crd *apiextensionsv1.CustomResourceDefinition, v *apiextensionsv1.CustomResourceDefinitionVersion) (*version, error) {
	if v.Schema == nil || v.Schema.OpenAPIV3Schema == nil {
		// Gateway API always ships schemas; without one there is nothing to
		// check and pruning would drop every field.
		return nil, fmt.Errorf("no openAPIV3Schema")
	}
	if crd.Spec.PreserveUnknownFields {
		return nil, fmt.Errorf("preserveUnknownFields is not supported")
	}
	internal := &apiextensions.JSONSchemaProps{}
	if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(v.Schema.OpenAPIV3Schema, internal, nil); err != nil {
		return nil, fmt.Errorf("convert schema: %w", err)
	}
	s, err := structuralschema.NewStructural(internal)
	if err != nil {
		return nil, fmt.Errorf("structural schema: %w", err)
	}
	// NewStructural shares defaults with internal; the server copies before
	// pruning them, and so do we.
	s = s.DeepCopy()
	if err := structuraldefaulting.PruneDefaults(s); err != nil {
		return nil, fmt.Errorf("prune defaults: %w", err)
	}
	openAPI, _, err := apiservervalidation.NewSchemaValidator(internal)
	if err != nil {
		return nil, fmt.Errorf("openapi validator: %w", err)
	}
	return &version{
		gvk:        schema.GroupVersionKind{Group: crd.Spec.Group, Version: v.Name, Kind: crd.Spec.Names.Kind},
		namespaced: crd.Spec.Scope == apiextensionsv1.NamespaceScoped,
		hasStatus:  v.Subresources != nil && v.Subresources.Status != nil,
		structural: s,
		openAPI:    openAPI,
		cel:        cel.NewValidator(s, true, celconfig.PerCallLimit),
	}, nil
}
