package fn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/utils/ptr"
	gwfeatures "sigs.k8s.io/gateway-api/pkg/features"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/routeshift/routeshift/internal/annotations"
	"github.com/routeshift/routeshift/internal/convert/features"
	"github.com/routeshift/routeshift/internal/convert/gatewayapi"
	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/load"
)

// APIVersion and Kind of the function's own configuration object.
const (
	APIVersion = "routeshift.dev/v1alpha1"
	Kind       = "IngressToGateway"
)

// Config is the IngressToGateway functionConfig.
type Config struct {
	APIVersion string         `json:"apiVersion"`
	Kind       string         `json:"kind"`
	Metadata   map[string]any `json:"metadata,omitempty"`
	Spec       Spec           `json:"spec"`
}

// Spec says which Ingresses to convert and where their routes go. Every
// field has a default; see Defaults.
type Spec struct {
	// IngressClassNames are the classes the ingress-nginx controller served.
	// Ingresses of other classes pass through with an info result.
	IngressClassNames []string `json:"ingressClassNames,omitempty"`
	// IncludeUnclassed converts Ingresses with no class, as ingress-nginx
	// does when it is the default class (the first of IngressClassNames is
	// assumed and reported).
	IncludeUnclassed *bool `json:"includeUnclassed,omitempty"`
	// AnnotationsPrefix is the controller's --annotations-prefix.
	AnnotationsPrefix string `json:"annotationsPrefix,omitempty"`
	// Gateways are the ordered targets; the first whose selectors match a
	// rule's host, the Ingress's namespace and class wins.
	Gateways []Gateway `json:"gateways,omitempty"`
	// Implementation selects implementation-specific policies; only
	// "standard" (Gateway API objects only) is generated so far.
	Implementation string `json:"implementation,omitempty"`
	// ImplementationVersion is the release of the implementation the
	// output must be accepted by. For envoy-gateway: a release line with
	// data, v1.7, v1.8 or v1.9 (or a patch release of one, v1.8.3); unset
	// means the newest. The converter emits only what that release accepts
	// (its Gateway API conformance report's supportedFeatures and its
	// CRDs), approximating the rest with a warning that names the release.
	// Other implementations have no release data and take no version.
	ImplementationVersion string `json:"implementationVersion,omitempty"`
	// Ingress: "keep" leaves converted Ingresses in place (dual-stack
	// migration); "remove" drops those converted with no error.
	Ingress string `json:"ingress,omitempty"`
	// FailOn is the lowest result severity that makes the run fail:
	// error, warning or never.
	FailOn string `json:"failOn,omitempty"`
	// UnsafeAnnotations is the severity of the results for snippets and
	// injection-prone annotations, which are never translated: error (the
	// default: someone must look at them) or warning.
	UnsafeAnnotations string `json:"unsafeAnnotations,omitempty"`
	// Controller describes the ingress-nginx controller that served the
	// Ingresses: its version and the ConfigMap settings that change what it
	// accepts and routes. Unset fields take the last release's defaults.
	// routeshift diff reads the same block (it decodes it itself).
	Controller *Controller `json:"controller,omitempty"`
	// ValidateOutput checks generated objects against the Gateway API CRD
	// schemas and CEL rules before returning them: always, never, or auto
	// (the default: up to 500 generated objects, reported beyond).
	ValidateOutput string `json:"validateOutput,omitempty"`
	// ExternalDNS says how ExternalDNS annotations move to the generated
	// objects (see docs/what-else-moves.md).
	ExternalDNS *ExternalDNS `json:"externalDNS,omitempty"`
}

// ExternalDNS configures the carry-over of ExternalDNS annotations.
type ExternalDNS struct {
	// AnnotationPrefix is the prefix the ExternalDNS that reads the
	// generated objects expects (its --annotation-prefix; since v0.22 the
	// default is external-dns.kubernetes.io/, before it was
	// external-dns.alpha.kubernetes.io/). Empty keeps the prefix each
	// Ingress uses.
	AnnotationPrefix string `json:"annotationPrefix,omitempty"`
}

// Controller is the controller profile: data the converter and diff each
// read on their own. Unset fields take the defaults of Version, itself by
// default the last release, ingress-nginx controller-v1.15.1
// (internal/ingress/controller/config/config.go; controller.go in this
// package says which defaults changed in which release).
type Controller struct {
	// Version of ingress-nginx ("1.15.1", "v1.11"): it chooses the
	// defaults of the settings left out.
	Version string `json:"version,omitempty"`
	// StrictValidatePathType (default true since v1.12): Exact and Prefix
	// paths outside ^/[[:alnum:]._-/]*$ make the controller refuse the
	// Ingress.
	StrictValidatePathType *bool `json:"strictValidatePathType,omitempty"`
	// AllowSnippetAnnotations (default false since v1.9): the controller
	// drops snippet annotations unless allowed, and so does the
	// conversion; allowed, a configuration-snippet is triaged.
	AllowSnippetAnnotations *bool `json:"allowSnippetAnnotations,omitempty"`
	// AnnotationsRiskLevel (Low, Medium, High or Critical; default High
	// since v1.12, Critical before): an annotation of a higher risk (the
	// snippets are Critical) makes the controller refuse the Ingress.
	AnnotationsRiskLevel string `json:"annotationsRiskLevel,omitempty"`
	// EnableAnnotationValidation (the controller's
	// --enable-annotation-validation, default true since v1.12): a redirect
	// URL holding an nginx variable ($request_uri) makes the controller
	// refuse the Ingress; before, nginx expanded it.
	EnableAnnotationValidation *bool `json:"enableAnnotationValidation,omitempty"`
	// UseForwardedHeaders (default false): X-Forwarded-* are trusted.
	UseForwardedHeaders *bool `json:"useForwardedHeaders,omitempty"`
	// SSLRedirect (default true) is the ssl-redirect annotation's default.
	SSLRedirect *bool `json:"sslRedirect,omitempty"`
	// DefaultBackend is --default-backend-service, namespace/name[:port].
	DefaultBackend string `json:"defaultBackend,omitempty"`
}

// Gateway is one target.
type Gateway struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
	// Create emits the Gateway with the listeners its routes need; false
	// (the default) attaches routes to an existing Gateway.
	Create           bool          `json:"create,omitempty"`
	GatewayClassName string        `json:"gatewayClassName,omitempty"`
	Hosts            []string      `json:"hosts,omitempty"`
	Namespaces       []string      `json:"namespaces,omitempty"`
	IngressClassName []string      `json:"ingressClassNames,omitempty"`
	SectionNames     *SectionNames `json:"sectionNames,omitempty"`
	// ListenerSets, with create: "perNamespace" keeps only the HTTP
	// listener on the Gateway and gives each namespace a ListenerSet with
	// its HTTPS and TLS listeners and certificates; unset keeps them all on
	// the Gateway.
	ListenerSets string `json:"listenerSets,omitempty"`
}

// SectionNames are listener names of an existing Gateway.
type SectionNames struct {
	HTTP  string `json:"http,omitempty"`
	HTTPS string `json:"https,omitempty"`
	// TLS is the TLS passthrough listener, for ssl-passthrough hosts.
	TLS string `json:"tls,omitempty"`
}

// Implementations that spec.implementation accepts.
var Implementations = []string{"standard", "envoy-gateway", "kgateway", "istio", "nginx-gateway-fabric"}

// Defaults returns the configuration used without a functionConfig: the
// nginx class (and unclassed Ingresses), one created Gateway "routeshift"
// in gateway-system whose class "routeshift" is inert until the user names
// a real GatewayClass, Ingresses kept, failing on errors.
func Defaults() Spec {
	return Spec{
		IngressClassNames: []string{"nginx"},
		IncludeUnclassed:  ptr.To(true),
		AnnotationsPrefix: annotations.DefaultPrefix,
		Gateways:          []Gateway{{Name: "routeshift", Namespace: "gateway-system", Create: true, GatewayClassName: "routeshift"}},
		Implementation:    "standard",
		Ingress:           "keep",
		FailOn:            "error",
		UnsafeAnnotations: "error",
		ValidateOutput:    "auto",
	}
}

// withDefaults fills unset fields from Defaults.
func (s Spec) withDefaults() Spec {
	d := Defaults()
	if s.IngressClassNames == nil {
		s.IngressClassNames = d.IngressClassNames
	}
	if s.IncludeUnclassed == nil {
		s.IncludeUnclassed = d.IncludeUnclassed
	}
	if s.AnnotationsPrefix == "" {
		s.AnnotationsPrefix = d.AnnotationsPrefix
	}
	if s.Gateways == nil {
		s.Gateways = d.Gateways
	}
	if s.Implementation == "" {
		s.Implementation = d.Implementation
	}
	if s.ImplementationVersion == "" {
		s.ImplementationVersion = features.Newest(s.Implementation)
	}
	if s.Ingress == "" {
		s.Ingress = d.Ingress
	}
	if s.FailOn == "" {
		s.FailOn = d.FailOn
	}
	if s.UnsafeAnnotations == "" {
		s.UnsafeAnnotations = d.UnsafeAnnotations
	}
	if s.ValidateOutput == "" {
		s.ValidateOutput = d.ValidateOutput
	}
	return s
}

// validate returns every problem, each naming its field.
func (s Spec) validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("spec.%s: %s", field, fmt.Sprintf(format, args...)))
	}
	if len(s.IngressClassNames) == 0 {
		bad("ingressClassNames", "must name at least one class")
	}
	var release *features.Release
	switch {
	case !slices.Contains(Implementations, s.Implementation):
		bad("implementation", "%q is not one of %v", s.Implementation, Implementations)
	case s.ImplementationVersion != "":
		var err error
		if release, err = features.Lookup(s.Implementation, s.ImplementationVersion); err != nil {
			bad("implementationVersion", "%v", err)
		}
	}
	if s.Ingress != "keep" && s.Ingress != "remove" {
		bad("ingress", "%q is not keep or remove", s.Ingress)
	}
	if s.FailOn != "error" && s.FailOn != "warning" && s.FailOn != "never" {
		bad("failOn", "%q is not error, warning or never", s.FailOn)
	}
	if s.UnsafeAnnotations != "error" && s.UnsafeAnnotations != "warning" {
		bad("unsafeAnnotations", "%q is not error or warning", s.UnsafeAnnotations)
	}
	if s.ValidateOutput != "auto" && s.ValidateOutput != "always" && s.ValidateOutput != "never" {
		bad("validateOutput", "%q is not auto, always or never", s.ValidateOutput)
	}
	if len(s.Gateways) == 0 {
		bad("gateways", "must list at least one target")
	}
	if p := s.externalDNSPrefix(); p != "" {
		if errs := validation.IsDNS1123Subdomain(strings.TrimSuffix(p, "/")); len(errs) > 0 || strings.Count(p, "/") != 1 {
			bad("externalDNS.annotationPrefix", "%q is not an annotation prefix (a DNS subdomain, optionally followed by '/')", s.ExternalDNS.AnnotationPrefix)
		}
	}
	if c := s.Controller; c != nil {
		if err := c.check(); err != nil {
			bad("controller", "%v", err)
		}
	}
	if c := s.Controller; c != nil && c.DefaultBackend != "" {
		ns, name, _ := strings.Cut(strings.SplitN(c.DefaultBackend, ":", 2)[0], "/")
		if len(validation.IsDNS1123Label(ns)) > 0 || len(validation.IsDNS1123Label(name)) > 0 {
			bad("controller.defaultBackend", "%q is not namespace/name or namespace/name:port", c.DefaultBackend)
		}
	}
	seen := map[string]bool{}
	for i, g := range s.Gateways {
		f := fmt.Sprintf("gateways[%d]", i)
		switch {
		case g.Name == "":
			bad(f+".name", "is required")
		case len(validation.IsDNS1123Subdomain(g.Name)) > 0:
			bad(f+".name", "%q is not a valid object name", g.Name)
		}
		if g.Namespace != "" && len(validation.IsDNS1123Label(g.Namespace)) > 0 {
			bad(f+".namespace", "%q is not a valid namespace", g.Namespace)
		}
		if g.Create && g.GatewayClassName == "" {
			bad(f+".gatewayClassName", "is required when create is true")
		}
		if !g.Create && g.Namespace == "" {
			bad(f+".namespace", "is required when create is false (the existing Gateway's namespace)")
		}
		if !g.Create && g.GatewayClassName != "" {
			bad(f+".gatewayClassName", "only applies when create is true")
		}
		if g.Create && g.SectionNames != nil {
			bad(f+".sectionNames", "only applies when create is false (created Gateways name their own listeners)")
		}
		switch {
		case g.ListenerSets != "" && g.ListenerSets != gatewayapi.ListenerSetsPerNamespace:
			bad(f+".listenerSets", "%q is not %s (or unset)", g.ListenerSets, gatewayapi.ListenerSetsPerNamespace)
		case g.ListenerSets != "" && !g.Create:
			bad(f+".listenerSets", "only applies when create is true (routeshift does not write ListenerSets for a Gateway it does not create, whose allowedListeners it cannot set)")
		case g.ListenerSets != "" && release != nil && !release.Supports(gwfeatures.SupportListenerSet):
			bad(f+".listenerSets", "%s does not support ListenerSets (its conformance report does not list the ListenerSet feature, and its Gateway API %s CRDs do not serve gateway.networking.k8s.io/v1 ListenerSet); leave it unset or target a later release", release, release.GatewayAPI)
		}
		if key := g.Namespace + "/" + g.Name; seen[key] && g.Create {
			bad(f, "Gateway %s is created by an earlier target too", key)
		}
		seen[g.Namespace+"/"+g.Name] = true
	}
	return errors.Join(errs...)
}

// ParseConfig reads a functionConfig: the IngressToGateway kind, a
// ConfigMap with flat data keys (what `kpt fn eval -- key=value` passes),
// or nothing (obj nil, or kpt's empty placeholder ConfigMap) for defaults.
// The returned Spec has every default applied.
func ParseConfig(obj *load.Object) (Spec, error) {
	var spec Spec
	switch {
	case obj == nil:
	case obj.Kind() == Kind && obj.APIVersion() == APIVersion:
		var c Config
		if err := strictNode(obj, &c); err != nil {
			return Spec{}, fmt.Errorf("functionConfig %s %s: %w", Kind, obj.Name(), err)
		}
		spec = c.Spec
	case obj.Kind() == "ConfigMap" && obj.APIVersion() == "v1":
		var cm struct {
			Data map[string]string `json:"data"`
		}
		if err := looseNode(obj, &cm); err != nil {
			return Spec{}, fmt.Errorf("functionConfig ConfigMap %s: %w", obj.Name(), err)
		}
		var err error
		if spec, err = fromData(cm.Data); err != nil {
			return Spec{}, fmt.Errorf("functionConfig ConfigMap %s: %w", obj.Name(), err)
		}
	default:
		return Spec{}, fmt.Errorf("functionConfig %s %s: want %s %s or a v1 ConfigMap", obj.APIVersion(), obj.Kind(), APIVersion, Kind)
	}
	spec = spec.withDefaults()
	if err := spec.validate(); err != nil {
		return Spec{}, fmt.Errorf("functionConfig: %w", err)
	}
	return spec, nil
}

// dataKeys are the ConfigMap form's keys. One target is described by the
// flat gateway* keys; several need the "gateways" key holding a YAML list.
var dataKeys = []string{"ingressClassNames", "includeUnclassed", "annotationsPrefix", "implementation", "implementationVersion", "ingress", "failOn", "unsafeAnnotations", "validateOutput", "externalDNSAnnotationPrefix",
	"gateways", "gatewayName", "gatewayNamespace", "gatewayCreate", "gatewayClassName", "gatewayHosts", "httpSectionName", "httpsSectionName", "gatewayListenerSets"}

func fromData(data map[string]string) (Spec, error) {
	var s Spec
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !slices.Contains(dataKeys, k) {
			return s, fmt.Errorf("data.%s: unknown key (known: %s)", k, strings.Join(dataKeys, ", "))
		}
	}
	list := func(k string) []string {
		var out []string
		for _, v := range strings.Split(data[k], ",") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	boolean := func(k string) (*bool, error) {
		v, ok := data[k]
		if !ok {
			return nil, nil
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("data.%s: %q is not true or false", k, v)
		}
		return &b, nil
	}
	if _, ok := data["ingressClassNames"]; ok {
		s.IngressClassNames = list("ingressClassNames")
		if s.IngressClassNames == nil {
			s.IngressClassNames = []string{}
		}
	}
	var err error
	if s.IncludeUnclassed, err = boolean("includeUnclassed"); err != nil {
		return s, err
	}
	s.AnnotationsPrefix, s.Implementation, s.Ingress, s.FailOn = data["annotationsPrefix"], data["implementation"], data["ingress"], data["failOn"]
	s.ImplementationVersion = data["implementationVersion"]
	s.UnsafeAnnotations, s.ValidateOutput = data["unsafeAnnotations"], data["validateOutput"]
	if v, ok := data["externalDNSAnnotationPrefix"]; ok {
		s.ExternalDNS = &ExternalDNS{AnnotationPrefix: v}
	}
	if v, ok := data["gateways"]; ok {
		if err := sigsyaml.UnmarshalStrict([]byte(v), &s.Gateways); err != nil {
			return s, fmt.Errorf("data.gateways: %w", err)
		}
	}
	if name, ok := data["gatewayName"]; ok {
		if s.Gateways != nil {
			return s, fmt.Errorf("data.gatewayName: use either gateways or the gateway* keys, not both")
		}
		create, err := boolean("gatewayCreate")
		if err != nil {
			return s, err
		}
		g := Gateway{Name: name, Namespace: data["gatewayNamespace"], GatewayClassName: data["gatewayClassName"], Hosts: list("gatewayHosts"), ListenerSets: data["gatewayListenerSets"]}
		g.Create = create != nil && *create
		if data["httpSectionName"] != "" || data["httpsSectionName"] != "" {
			g.SectionNames = &SectionNames{HTTP: data["httpSectionName"], HTTPS: data["httpsSectionName"]}
		}
		s.Gateways = []Gateway{g}
	} else {
		for _, k := range []string{"gatewayNamespace", "gatewayCreate", "gatewayClassName", "gatewayHosts", "httpSectionName", "httpsSectionName", "gatewayListenerSets"} {
			if _, ok := data[k]; ok {
				return s, fmt.Errorf("data.%s: needs data.gatewayName", k)
			}
		}
	}
	return s, nil
}

func strictNode(obj *load.Object, into any) error {
	data, err := nodeJSON(obj)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

func looseNode(obj *load.Object, into any) error {
	data, err := nodeJSON(obj)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, into); err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

func nodeJSON(obj *load.Object) ([]byte, error) {
	var v any
	if err := obj.Node.Decode(&v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// options turns the spec into the model's and the emitter's settings.
func (s Spec) options() (ingressnginx.Options, []*gatewayapi.Target) {
	opt := ingressnginx.Options{ClassNames: s.IngressClassNames, IncludeUnclassed: *s.IncludeUnclassed, AnnotationsPrefix: s.AnnotationsPrefix,
		AccessCarried: s.Implementation != "" && s.Implementation != "standard"}
	if c := s.Controller; c != nil {
		c.apply(&opt)
	}
	var targets []*gatewayapi.Target
	for _, g := range s.Gateways {
		t := &gatewayapi.Target{Name: g.Name, Namespace: g.Namespace, Create: g.Create, GatewayClassName: g.GatewayClassName,
			Hosts: g.Hosts, Namespaces: g.Namespaces, IngressClassNames: g.IngressClassName, ListenerSets: g.ListenerSets}
		if g.SectionNames != nil {
			t.SectionNames = gatewayapi.SectionNames{HTTP: g.SectionNames.HTTP, HTTPS: g.SectionNames.HTTPS, TLS: g.SectionNames.TLS}
		}
		targets = append(targets, t)
	}
	return opt, targets
}

// Release is the target release of spec.implementation
// (spec.implementationVersion), nil for an implementation without release
// data. ParseConfig has checked the version.
func (s Spec) Release() *features.Release { return s.release() }

// release is Release.
func (s Spec) release() *features.Release {
	if s.ImplementationVersion == "" {
		return nil
	}
	r, err := features.Lookup(s.Implementation, s.ImplementationVersion)
	if err != nil {
		return nil
	}
	return r
}

// FailSeverity is the lowest severity that fails a run with spec.
func FailSeverity(s Spec) finding.Severity { return s.failSeverity() }

// failSeverity is the lowest severity that fails the run.
func (s Spec) failSeverity() finding.Severity {
	switch s.FailOn {
	case "warning":
		return finding.Warning
	case "never":
		return finding.Severity(100)
	}
	return finding.Error
}

// externalDNSPrefix is spec.externalDNS.annotationPrefix ending in '/', or
// "" when unset.
func (s Spec) externalDNSPrefix() string {
	if s.ExternalDNS == nil || s.ExternalDNS.AnnotationPrefix == "" {
		return ""
	}
	return strings.TrimSuffix(s.ExternalDNS.AnnotationPrefix, "/") + "/"
}
