package nginx

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"

	"github.com/routeshift/routeshift/internal/annotations"
	"github.com/routeshift/routeshift/internal/proof/internal/kube"
	"github.com/routeshift/routeshift/internal/proof/routing"
)

// Profile is the controller configuration that changes what ingress-nginx
// accepts and how it routes: its version and the ConfigMap settings (and
// flags) that matter to routing. A nil field takes the default of Version,
// itself by default the last release, ingress-nginx controller-v1.15.1
// (internal/ingress/controller/config/config.go NewDefault). The same block
// is spec.controller of the converter's functionConfig; diff decodes it
// itself (ParseProfile) and shares no code with the converter.
//
// Defaults by version (ingress-nginx changelog/controller-1.12.0.md, "Enable
// security features by default", #11819; config.go NewDefault of
// controller-v1.9.1 and v1.12.0; changelog/controller-1.9.0.md, "Disable
// user snippets per default", #10393): strict-validate-path-type,
// --enable-annotation-validation and annotations-risk-level High from v1.12;
// allow-snippet-annotations false from v1.9; annotations-risk-level
// Critical from v1.9 to v1.11 (and no risk check before).
type Profile struct {
	// Version is the controller version ("1.15.1", "v1.11", ...): it
	// chooses the defaults of the fields left out. Default: the last
	// release.
	Version string `json:"version,omitempty"`
	// StrictValidatePathType (ConfigMap strict-validate-path-type, default
	// true since v1.12): an Ingress with an Exact or Prefix path outside
	// (?i)^/[[:alnum:]._\-/]*$ is refused whole (inspector/rules.go).
	StrictValidatePathType *bool `json:"strictValidatePathType,omitempty"`
	// AllowSnippetAnnotations (default false since v1.9): when false the
	// controller drops every *-snippet directive (controller.go
	// dropSnippetDirectives) and the Ingress routes as without them; when
	// true snippets make the locations they touch unverifiable. Snippets
	// are Critical risk: under annotationsRiskLevel High (the default) the
	// Ingress is refused whatever this says.
	AllowSnippetAnnotations *bool `json:"allowSnippetAnnotations,omitempty"`
	// AnnotationsRiskLevel (ConfigMap annotations-risk-level: Low, Medium,
	// High or Critical; default High since v1.12, Critical before): an
	// Ingress with an annotation of a higher risk is refused whole, its
	// annotation parser's Validate failing annotations.Extract, which the
	// store's syncIngress and the admission webhook both act on
	// (internal/ingress/annotations/annotations.go, parser/validators.go
	// CheckAnnotationRisk). The risks are the catalogue's
	// (internal/annotations), taken from the parsers.
	AnnotationsRiskLevel string `json:"annotationsRiskLevel,omitempty"`
	// EnableAnnotationValidation (flag --enable-annotation-validation,
	// default true since v1.12): each annotation value must pass its
	// parser's validator, or annotations.Extract fails and the Ingress is
	// refused whole. The model checks the redirect annotations, whose
	// validator (parser.URLIsValidRegex) has no '$': a redirect to
	// https://host$request_uri is refused, where earlier controllers
	// expanded the variable.
	EnableAnnotationValidation *bool `json:"enableAnnotationValidation,omitempty"`
	// UseForwardedHeaders (default false) trusts X-Forwarded-Proto for
	// redirects; probes never send it, so it is read and recorded only.
	UseForwardedHeaders *bool `json:"useForwardedHeaders,omitempty"`
	// SSLRedirect (default true) is the default of the ssl-redirect
	// annotation.
	SSLRedirect *bool `json:"sslRedirect,omitempty"`
	// DefaultBackend is --default-backend-service, "namespace/name" or
	// "namespace/name:port" (port 80 when left out): what answers requests
	// no Ingress path or default backend takes, instead of the built-in 404.
	DefaultBackend string `json:"defaultBackend,omitempty"`
}

// ParseProfile reads a profile: the block itself, or an IngressToGateway
// functionConfig whose spec.controller it is. Unknown fields are errors, so
// that a misspelt setting does not pass as its default.
func ParseProfile(data []byte) (Profile, error) {
	var probe struct {
		Kind string `json:"kind"`
	}
	if err := yaml.Unmarshal(data, &probe); err != nil {
		return Profile{}, err
	}
	var p Profile
	if probe.Kind != "" {
		var cfg struct {
			Spec struct {
				Controller Profile `json:"controller"`
			} `json:"spec"`
		}
		if err := yaml.Unmarshal(data, &cfg); err != nil {
			return Profile{}, err
		}
		p = cfg.Spec.Controller
	} else if err := yaml.UnmarshalStrict(data, &p); err != nil {
		return Profile{}, err
	}
	return p, p.Validate()
}

// Validate checks the values.
func (p Profile) Validate() error {
	if _, _, err := p.version(); err != nil {
		return err
	}
	if _, err := p.riskLevel(); err != nil {
		return err
	}
	if p.DefaultBackend != "" {
		if _, err := p.defaultBackend(); err != nil {
			return err
		}
	}
	return nil
}

// lastRelease is the release the defaults follow when Version is empty.
const lastMajor, lastMinor = 1, 15

// version is Version's major and minor: "1.15", "1.15.1", "v1.15.1" or
// "controller-v1.15.1" (the release tag).
func (p Profile) version() (major, minor int, err error) {
	if p.Version == "" {
		return lastMajor, lastMinor, nil
	}
	v := strings.TrimPrefix(strings.TrimPrefix(p.Version, "controller-"), "v")
	parts := strings.Split(v, ".")
	bad := fmt.Errorf("version %q: want an ingress-nginx controller version such as 1.15.1", p.Version)
	if len(parts) < 2 || len(parts) > 3 {
		return 0, 0, bad
	}
	var n [3]int
	for i, part := range parts {
		if part == "" || len(part) > 4 || strings.Trim(part, "0123456789") != "" {
			return 0, 0, bad
		}
		n[i], _ = strconv.Atoi(part)
	}
	if n[0] != 1 {
		return 0, 0, bad
	}
	return n[0], n[1], nil
}

// atLeast reports whether the controller is minor release 1.minor or later.
func (p Profile) atLeast(minor int) bool {
	_, m, err := p.version()
	return err != nil || m >= minor
}

func (p Profile) strict() bool {
	if p.StrictValidatePathType != nil {
		return *p.StrictValidatePathType
	}
	return p.atLeast(12)
}

func (p Profile) snippets() bool {
	if p.AllowSnippetAnnotations != nil {
		return *p.AllowSnippetAnnotations
	}
	return !p.atLeast(9)
}

func (p Profile) validation() bool {
	if p.EnableAnnotationValidation != nil {
		return *p.EnableAnnotationValidation
	}
	return p.atLeast(12)
}

// riskLevel is the highest annotation risk the controller accepts. The
// controller reads an unknown level as Low (parser.StringRiskToRisk); a
// profile must name one.
func (p Profile) riskLevel() (annotations.Risk, error) {
	switch strings.ToLower(p.AnnotationsRiskLevel) {
	case "":
		if p.atLeast(12) {
			return annotations.High, nil
		}
		return annotations.Critical, nil
	case "low":
		return annotations.Low, nil
	case "medium":
		return annotations.Medium, nil
	case "high":
		return annotations.High, nil
	case "critical":
		return annotations.Critical, nil
	}
	return 0, fmt.Errorf("annotationsRiskLevel %q: want Low, Medium, High or Critical", p.AnnotationsRiskLevel)
}

// redirectValue is parser.URLIsValidRegex, the validator of
// permanent-redirect and temporal-redirect (redirect/redirect.go), with
// parser.ValidateRegex's refusal of CR and LF.
var redirectValue = regexp.MustCompile(`^[\-._~a-zA-Z0-9/:,?&=]*$`)

// refusesAnnotations says why the controller refuses an Ingress for its
// annotations, or "": one above the risk level, or (with annotation
// validation) a redirect URL its validator refuses. Extract stops at the
// first error; which one does not matter to whether the Ingress is served.
func (p Profile) refusesAnnotations(ann map[string]string, prefix string) string {
	level, _ := p.riskLevel()
	var risky []string
	for key := range ann {
		name, ok := annotations.Split(key, prefix)
		if !ok {
			continue
		}
		if e, ok := annotations.Lookup(name); ok && e.Risk > level {
			risky = append(risky, fmt.Sprintf("annotation %s is %s risk, above annotations-risk-level %s", name, e.Risk, level))
		}
	}
	if len(risky) > 0 {
		sort.Strings(risky)
		return risky[0] + " (the controller refuses the Ingress)"
	}
	if !p.validation() {
		return ""
	}
	if prefix == "" {
		prefix = annotations.DefaultPrefix
	}
	// redirect.go reads temporal-redirect first (its validator runs in
	// GetStringAnnotation) and never reads permanent-redirect once it holds
	// a value.
	for _, name := range []string{"temporal-redirect", "permanent-redirect"} {
		v := ann[prefix+"/"+name]
		if v == "" {
			continue
		}
		if !redirectValue.MatchString(v) {
			return fmt.Sprintf("annotation %s %q fails the controller's annotation validation (characters outside [-._~a-zA-Z0-9/:,?&=], such as the $ of an nginx variable): the controller refuses the Ingress", name, v)
		}
		if name == "temporal-redirect" {
			// Set and valid: permanent-redirect is never read, even when
			// url.Parse then refuses the value (isValidURL's error ends
			// Parse).
			break
		}
	}
	return ""
}
func (p Profile) sslRedirect() bool { return p.SSLRedirect == nil || *p.SSLRedirect }

func (p Profile) defaultBackend() (*routing.Backend, error) {
	if p.DefaultBackend == "" {
		return nil, nil
	}
	ref, port := p.DefaultBackend, int64(80)
	if i := strings.LastIndexByte(ref, ':'); i >= 0 {
		n, err := strconv.ParseInt(ref[i+1:], 10, 32)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("defaultBackend %q: the port must be a number from 1 to 65535", p.DefaultBackend)
		}
		ref, port = ref[:i], n
	}
	ns, name, ok := strings.Cut(ref, "/")
	if !ok || len(validation.IsDNS1123Label(ns)) > 0 || len(validation.IsDNS1123Label(name)) > 0 {
		return nil, fmt.Errorf("defaultBackend %q: want namespace/name or namespace/name:port", p.DefaultBackend)
	}
	return &routing.Backend{Namespace: ns, Service: name, Port: int32(port), Weight: 1}, nil
}

// apply sets what the profile changes in an Ingress's parsed annotations.
func (p Profile) apply(s *settings, ann map[string]string, prefix string) {
	if _, ok := ann[prefix+"/ssl-redirect"]; !ok {
		s.sslRedirect = p.sslRedirect()
	}
	if !p.snippets() {
		s.unverifiable = dropSnippets(s.unverifiable)
		s.serverUnverifiable = dropSnippets(s.serverUnverifiable)
	}
}

func dropSnippets(names []string) []string {
	var out []string
	for _, n := range names {
		if !strings.HasSuffix(n, "-snippet") {
			out = append(out, n)
		}
	}
	return out
}

// Serves reports whether the controller serves an Ingress object: false
// for one of another class, and, with the reason, for one the API server or
// the controller refuses.
func (m *Model) Serves(o *kube.Object) (bool, string) {
	why, ok := m.verdict[o]
	return ok && why == "", why
}

// ServesIngress is Serves for the Ingress namespace/name ("" is the
// default namespace), for callers that read the manifests themselves.
func (m *Model) ServesIngress(namespace, name string) (bool, string) {
	if namespace == "" {
		namespace = "default"
	}
	for o, why := range m.verdict {
		if kube.Namespace(o) == namespace && o.Name() == name {
			return why == "", why
		}
	}
	return false, ""
}

func hasSnippet(names []string) bool {
	for _, n := range names {
		if strings.HasSuffix(n, "-snippet") {
			return true
		}
	}
	return false
}

// UsesSnippets reports whether the served Ingress namespace/name has
// snippets in effect: the profile allows them, so the locations they touch
// are unverifiable; false when the controller drops them (or there are
// none).
func (m *Model) UsesSnippets(namespace, name string) bool {
	if namespace == "" {
		namespace = "default"
	}
	for o := range m.snippets {
		if kube.Namespace(o) == namespace && o.Name() == name {
			return true
		}
	}
	return false
}

// refuses says why the API server or the controller would not serve an
// Ingress at all, or "".
func (p Profile) refuses(o *kube.Object, in *networkingv1.Ingress, prefix string) string {
	// Field names are case-sensitive to the API server ("metAdAtA" is not
	// metadata); the decoder here is not, so ask the manifest itself.
	if o.Name() == "" {
		return "metadata.name is missing (the API server refuses it)"
	}
	// The API server's validation (pkg/apis/networking/validation): names,
	// hosts as lower-case DNS names with at most a leading "*." label.
	if len(validation.IsDNS1123Subdomain(in.Name)) > 0 {
		return fmt.Sprintf("name %q is not a valid object name (the API server refuses it)", in.Name)
	}
	if in.Namespace != "" && len(validation.IsDNS1123Label(in.Namespace)) > 0 {
		return fmt.Sprintf("namespace %q is not a valid namespace name (the API server refuses it)", in.Namespace)
	}
	for _, r := range in.Spec.Rules {
		if r.Host != "" && !validHost(r.Host) {
			return fmt.Sprintf("host %q is not a lower-case DNS name (the API server refuses it)", r.Host)
		}
		if r.HTTP == nil {
			continue
		}
		for _, path := range r.HTTP.Paths {
			if path.Path != "" && !strings.HasPrefix(path.Path, "/") {
				return fmt.Sprintf("path %q does not start with / (the API server refuses it)", path.Path)
			}
			if t := path.PathType; t != nil && *t != networkingv1.PathTypeExact && *t != networkingv1.PathTypePrefix && *t != networkingv1.PathTypeImplementationSpecific {
				return fmt.Sprintf("pathType %q is unknown (the API server refuses it)", *t)
			}
			if p.strict() && path.PathType != nil && *path.PathType != networkingv1.PathTypeImplementationSpecific && !strictPath(path.Path) {
				return fmt.Sprintf("path %q has characters strict-validate-path-type refuses for pathType %s", path.Path, *path.PathType)
			}
			if why := badBackend(path.Backend); why != "" {
				return why
			}
		}
	}
	if db := in.Spec.DefaultBackend; db != nil {
		if why := badBackend(*db); why != "" {
			return "spec.defaultBackend: " + why
		}
	}
	for _, t := range in.Spec.TLS {
		for _, h := range t.Hosts {
			if !validHost(h) {
				return fmt.Sprintf("TLS host %q is not a lower-case DNS name (the API server refuses it)", h)
			}
		}
	}
	return p.refusesAnnotations(in.Annotations, prefix)
}

func validHost(h string) bool {
	name := strings.TrimPrefix(h, "*.")
	return !strings.Contains(name, "*") && len(validation.IsDNS1123Subdomain(name)) == 0
}

// strictPath is inspector/rules.go's validPathType: (?i)^/[[:alnum:]._\-/]*$.
func strictPath(p string) bool {
	if p == "" {
		return true
	}
	if p[0] != '/' {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-' || c == '/') {
			return false
		}
	}
	return true
}

func badBackend(b networkingv1.IngressBackend) string {
	switch {
	case b.Service != nil && b.Resource != nil:
		return "a backend has both service and resource (the API server refuses it)"
	case b.Service == nil && b.Resource == nil:
		return "a backend names no service (the API server refuses it)"
	case b.Service != nil && b.Service.Name == "":
		return "a backend service has no name (the API server refuses it)"
	case b.Service != nil && b.Service.Port.Name == "" && b.Service.Port.Number == 0:
		return "a backend service has no port (the API server refuses it)"
	}
	return ""
}
