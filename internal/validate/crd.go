package validate

import (
	"bytes"
	"embed"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"

	"github.com/routeshift/routeshift/internal/parallel"
)

// crdFS holds the copies made by internal/gencrds (see gen.go): the YAML
// and, in crdpb/, the same CRDs in protobuf, which decode in a twentieth
// of the time (TestProtoMatchesYAML holds them equal).
//
//go:embed crds/standard/*.yaml crds/experimental/*.yaml crdpb/standard/*.pb crdpb/experimental/*.pb
var crdFS embed.FS

// kindInfo is what a Validator knows about one group/kind. Its CRD is
// decoded on first use and each served version compiled on first use, not
// in New: compiling CEL rules is most of a validator's cost, and a run that
// emits HTTPRoutes v1 should not pay for v1beta1 or for eight other kinds
// (one-Ingress renders run once per Argo CD application).
type kindInfo struct {
	crdName string
	decode  func() (*apiextensionsv1.CustomResourceDefinition, error)

	once     sync.Once
	err      error                   // decoding failed
	versions map[string]*lazyVersion // served versions only
	served   []string                // sorted, for error messages
}

// lazyVersion is one served version, compiled once on first use.
type lazyVersion struct {
	once    sync.Once
	crd     *apiextensionsv1.CustomResourceDefinition
	spec    *apiextensionsv1.CustomResourceDefinitionVersion
	version *version
	err     error
}

func (l *lazyVersion) compiled() (*version, error) {
	l.once.Do(func() {
		l.version, l.err = compileVersion(l.crd, l.spec)
		if l.err != nil {
			l.err = fmt.Errorf("crd %s version %s: %w", l.crd.Name, l.spec.Name, l.err)
		}
	})
	return l.version, l.err
}

// decoded decodes the kind's CRD once; every caller after the first gets
// the same result.
func (k *kindInfo) decoded() error {
	k.once.Do(func() {
		crd, err := k.decode()
		if err != nil {
			k.err = fmt.Errorf("crd %s: %w", k.crdName, err)
			return
		}
		k.versions = map[string]*lazyVersion{}
		for i := range crd.Spec.Versions {
			// Unserved versions are rejected before any schema is needed.
			if v := &crd.Spec.Versions[i]; v.Served {
				k.versions[v.Name] = &lazyVersion{crd: crd, spec: v}
				k.served = append(k.served, v.Name)
			}
		}
		sort.Strings(k.served)
	})
	return k.err
}

// version returns the compiled served version name; ok is false when the
// CRD does not serve it.
func (k *kindInfo) version(name string) (v *version, ok bool, err error) {
	if err := k.decoded(); err != nil {
		return nil, false, err
	}
	l, ok := k.versions[name]
	if !ok {
		return nil, false, nil
	}
	v, err = l.compiled()
	return v, true, err
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
	// cel compiles the schema's x-kubernetes-validations rules on demand,
	// only those the objects validated reach (celshape.go).
	cel *celShape
}

// embeddedKinds indexes the embedded CRDs of a channel by group and kind
// without decoding them: header reads the two fields from the file's text,
// and the full decode, on first use, checks that it read them right.
func embeddedKinds(ch Channel) (map[schema.GroupKind]*kindInfo, error) {
	dir := path.Join("crds", string(ch))
	entries, err := crdFS.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("channel %q: %w", ch, err)
	}
	kinds := map[schema.GroupKind]*kindInfo{}
	for _, e := range entries {
		file := path.Join(dir, e.Name())
		data, err := crdFS.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("crd file %s: %w", e.Name(), err)
		}
		name, gk, ok := header(data)
		if !ok {
			// Not the layout gencrds writes: decode it now instead.
			crd, err := decodeCRD(data)
			if err != nil {
				return nil, fmt.Errorf("crd file %s: %w", e.Name(), err)
			}
			name, gk = crd.Name, schema.GroupKind{Group: crd.Spec.Group, Kind: crd.Spec.Names.Kind}
		}
		if prev, dup := kinds[gk]; dup {
			return nil, fmt.Errorf("crd %s: kind %s already defined by crd %s", name, gk, prev.crdName)
		}
		pbFile := protoFile(ch, e.Name())
		kinds[gk] = &kindInfo{crdName: name, decode: func() (*apiextensionsv1.CustomResourceDefinition, error) {
			var crd *apiextensionsv1.CustomResourceDefinition
			if pb, err := crdFS.ReadFile(pbFile); err == nil {
				if crd, err = decodeCRDProto(pb); err != nil {
					return nil, fmt.Errorf("file %s: %w", pbFile, err)
				}
			} else if crd, err = decodeCRD(data); err != nil {
				// No protobuf copy (a file added by hand): the YAML says
				// the same, only slower.
				return nil, fmt.Errorf("file %s: %w", file, err)
			}
			if got := (schema.GroupKind{Group: crd.Spec.Group, Kind: crd.Spec.Names.Kind}); got != gk || crd.Name != name {
				return nil, fmt.Errorf("file %s holds %s (%s), its header read %s (%s)", file, crd.Name, got, name, gk)
			}
			return crd, nil
		}}
	}
	return kinds, nil
}

// header reads metadata.name, spec.group and spec.names.kind from a CRD in
// the block layout controller-gen writes (two-space indents, metadata and
// spec at the top level), line by line. It declines anything else.
func header(data []byte) (name string, gk schema.GroupKind, ok bool) {
	section, sub := "", ""
	for line := range bytes.Lines(data) {
		l := strings.TrimRight(string(line), "\r\n")
		switch {
		case l == "" || strings.HasPrefix(strings.TrimSpace(l), "#"):
			continue
		case !strings.HasPrefix(l, " "):
			section, sub = strings.TrimSuffix(l, ":"), ""
		case strings.HasPrefix(l, "  ") && !strings.HasPrefix(l, "   "):
			key, val, _ := strings.Cut(strings.TrimSpace(l), ":")
			val = strings.TrimSpace(val)
			sub = key
			switch {
			case section == "metadata" && key == "name":
				name = val
			case section == "spec" && key == "group":
				gk.Group = val
			}
		case section == "spec" && sub == "names" && strings.HasPrefix(l, "    kind:"):
			gk.Kind = strings.TrimSpace(strings.TrimPrefix(l, "    kind:"))
		}
		if name != "" && gk.Group != "" && gk.Kind != "" {
			plain := func(v string) bool { return !strings.ContainsAny(v, "'\"{}[]&*!|>%@`#") }
			return name, gk, plain(name) && plain(gk.Group) && plain(gk.Kind)
		}
	}
	return "", schema.GroupKind{}, false
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

// protoFile is where gencrds puts the protobuf form of a channel's CRD file.
func protoFile(ch Channel, yamlName string) string {
	return path.Join("crdpb", string(ch), strings.TrimSuffix(yamlName, ".yaml")+".pb")
}

// decodeCRDProto reads a CRD that gencrds wrote in protobuf, as decodeCRD
// reads its YAML: the protobuf form carries no apiVersion and kind (the
// API server's envelope does), so they are set, and the server's defaults
// applied.
func decodeCRDProto(data []byte) (*apiextensionsv1.CustomResourceDefinition, error) {
	crd := &apiextensionsv1.CustomResourceDefinition{}
	if err := crd.Unmarshal(data); err != nil {
		return nil, err
	}
	crd.APIVersion, crd.Kind = apiextensionsv1.SchemeGroupVersion.String(), "CustomResourceDefinition"
	apiextensionsv1.SetObjectDefaults_CustomResourceDefinition(crd)
	return crd, nil
}

// decodedKinds indexes CRDs that are already decoded (NewFromCRDs); they
// still compile on first use.
func decodedKinds(crds []*apiextensionsv1.CustomResourceDefinition) (map[schema.GroupKind]*kindInfo, error) {
	kinds := map[schema.GroupKind]*kindInfo{}
	for _, crd := range crds {
		gk := schema.GroupKind{Group: crd.Spec.Group, Kind: crd.Spec.Names.Kind}
		if prev, dup := kinds[gk]; dup {
			return nil, fmt.Errorf("crd %s: kind %s already defined by crd %s", crd.Name, gk, prev.crdName)
		}
		kinds[gk] = &kindInfo{crdName: crd.Name, decode: func() (*apiextensionsv1.CustomResourceDefinition, error) { return crd, nil }}
	}
	return kinds, nil
}

// compileAll compiles every served version of every kind now, in
// parallel, and returns the first error in CRD and version order.
func compileAll(kinds map[schema.GroupKind]*kindInfo) error {
	all := make([]*kindInfo, 0, len(kinds))
	for _, k := range kinds {
		all = append(all, k)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].crdName < all[j].crdName })
	var versions []*lazyVersion
	for _, k := range all {
		if err := k.decoded(); err != nil {
			return err
		}
		for _, name := range k.served {
			versions = append(versions, k.versions[name])
		}
	}
	parallel.For(len(versions), func(i int) { versions[i].compiled() })
	for _, l := range versions {
		if _, err := l.compiled(); err != nil {
			return err
		}
	}
	return nil
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
		cel:        newCELShape(s),
	}, nil
}
