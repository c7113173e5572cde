package status

import (
	"fmt"
	"os"
	"strings"

	gwv1 "sigs.k8s.io/gateway-api/apis/v1"
	"sigs.k8s.io/yaml"
)

// DeclaredAPIVersion and DeclaredKind identify a declared-objects file.
const (
	DeclaredAPIVersion = "routeshift.dev/v1alpha1"
	DeclaredKind       = "DeclaredObjects"
)

// Declared lists what the tree refers to but does not hold: a Gateway owned
// by the platform team's repository, a Secret written by cert-manager, a
// Namespace whose labels a listener's selector reads. Without it the check
// would have to guess; with it, the result stays exact. Its file form:
//
//	apiVersion: routeshift.dev/v1alpha1
//	kind: DeclaredObjects
//	gatewayClasses: [eg]              # optional; when any GatewayClass is known, Gateways of other classes are Unknown
//	gateways:                         # Gateways owned elsewhere: their listeners, as in Gateway.spec.listeners
//	- namespace: infra
//	  name: shared
//	  listeners:
//	  - {name: https, port: 443, protocol: HTTPS, hostname: "*.example.com",
//	     allowedRoutes: {namespaces: {from: All}}}
//	  allowedListeners: {namespaces: {from: All}}   # optional: which ListenerSets may attach (default: none)
//	namespaces:                       # Namespaces managed elsewhere, with their labels
//	- name: shop
//	  labels: {team: shop}
//	secrets: [infra/wildcard-tls]     # namespace/name, or namespace/* for every Secret of a namespace
//	services: [payments/*]            # the same for Services
//	referenceGrants:                  # ReferenceGrants managed elsewhere: namespace and spec
//	- namespace: certs
//	  name: gateways-read-certs
//	  spec: {from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: infra}],
//	         to: [{group: "", kind: Secret}]}
//	features: [GRPCRoute, TLSRoute]   # optional: the implementation's supported features (conformance names)
//
// Declared Gateways are trusted as written: their own certificates and
// conflicts are their owner's concern, only their listeners are used to
// attach routes. Declared Secrets and Services are trusted to exist and be
// well formed.
//
// Features, when present (even empty), is the complete list of optional
// features of the implementation, with the names the conformance suite uses:
// GRPCRoute, TLSRoute, TCPRoute, UDPRoute, TLSRouteModeTerminate,
// TLSRouteModeMixed. When nil, results that depend on them are Unknown.
type Declared struct {
	GatewayClasses  []string                 `json:"gatewayClasses,omitempty"`
	Gateways        []DeclaredGateway        `json:"gateways,omitempty"`
	Namespaces      []DeclaredNamespace      `json:"namespaces,omitempty"`
	Secrets         []string                 `json:"secrets,omitempty"`
	Services        []string                 `json:"services,omitempty"`
	ReferenceGrants []DeclaredReferenceGrant `json:"referenceGrants,omitempty"`
	Features        []string                 `json:"features"`
}

// DeclaredGateway is a Gateway owned elsewhere.
type DeclaredGateway struct {
	Namespace        string          `json:"namespace"`
	Name             string          `json:"name"`
	GatewayClassName string          `json:"gatewayClassName,omitempty"`
	Listeners        []gwv1.Listener `json:"listeners"`
	// AllowedListeners, as in Gateway.spec: which ListenerSets of the tree
	// may attach. Unset, ListenerSets naming this Gateway are undecided.
	AllowedListeners *gwv1.AllowedListeners `json:"allowedListeners,omitempty"`
}

// DeclaredNamespace is a Namespace managed elsewhere, with its labels
// (kubernetes.io/metadata.name is implicit, as on every Namespace).
type DeclaredNamespace struct {
	Name   string            `json:"name"`
	Labels map[string]string `json:"labels,omitempty"`
}

// DeclaredReferenceGrant is a ReferenceGrant managed elsewhere.
type DeclaredReferenceGrant struct {
	Namespace string                  `json:"namespace"`
	Name      string                  `json:"name,omitempty"`
	Spec      gwv1.ReferenceGrantSpec `json:"spec"`
}

// declaredFile is the file form: Declared plus the type header.
type declaredFile struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Declared   `json:",inline"`
}

// ReadDeclared reads a declared-objects file.
func ReadDeclared(path string) (Declared, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Declared{}, err
	}
	return ParseDeclared(data, path)
}

// ParseDeclared parses a declared-objects file; path names it in errors.
// Unknown fields are errors, so that a typo does not silently declare
// nothing.
func ParseDeclared(data []byte, path string) (Declared, error) {
	var f declaredFile
	if err := yaml.UnmarshalStrict(data, &f); err != nil {
		// sigs.k8s.io/yaml goes through JSON and says so twice; the
		// reader only needs the field.
		msg := err.Error()
		for _, p := range []string{"error unmarshaling JSON: ", "while decoding JSON: ", "json: "} {
			msg = strings.TrimPrefix(msg, p)
		}
		return Declared{}, fmt.Errorf("%s: %s", path, msg)
	}
	if f.APIVersion != DeclaredAPIVersion || f.Kind != DeclaredKind {
		return Declared{}, fmt.Errorf("%s: want apiVersion %s and kind %s, got %q and %q",
			path, DeclaredAPIVersion, DeclaredKind, f.APIVersion, f.Kind)
	}
	if err := f.Declared.validate(); err != nil {
		return Declared{}, fmt.Errorf("%s: %w", path, err)
	}
	return f.Declared, nil
}

func (d Declared) validate() error {
	for i, g := range d.Gateways {
		if g.Namespace == "" || g.Name == "" {
			return fmt.Errorf("gateways[%d]: namespace and name are required", i)
		}
		if len(g.Listeners) == 0 {
			return fmt.Errorf("gateways[%d] (%s/%s): listeners are required: routes attach to them", i, g.Namespace, g.Name)
		}
		for j, l := range g.Listeners {
			if l.Name == "" || l.Port == 0 || l.Protocol == "" {
				return fmt.Errorf("gateways[%d] (%s/%s): listeners[%d]: name, port and protocol are required", i, g.Namespace, g.Name, j)
			}
		}
	}
	for i, n := range d.Namespaces {
		if n.Name == "" {
			return fmt.Errorf("namespaces[%d]: name is required", i)
		}
	}
	for field, refs := range map[string][]string{"secrets": d.Secrets, "services": d.Services} {
		for i, r := range refs {
			if _, _, err := splitRef(r); err != nil {
				return fmt.Errorf("%s[%d]: %w", field, i, err)
			}
		}
	}
	for i, g := range d.ReferenceGrants {
		if g.Namespace == "" {
			return fmt.Errorf("referenceGrants[%d]: namespace is required", i)
		}
	}
	for i, f := range d.Features {
		if !knownFeatures[f] {
			return fmt.Errorf("features[%d]: unknown feature %q (known: %s)", i, f, strings.Join(featureNames(), ", "))
		}
	}
	return nil
}

// splitRef reads "namespace/name" or "namespace/*".
func splitRef(s string) (ns, name string, err error) {
	ns, name, ok := strings.Cut(s, "/")
	if !ok || ns == "" || name == "" || strings.Contains(name, "/") {
		return "", "", fmt.Errorf("%q: want namespace/name or namespace/*", s)
	}
	return ns, name, nil
}
