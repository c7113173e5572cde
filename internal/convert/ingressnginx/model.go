package ingressnginx

import (
	"time"

	netv1 "k8s.io/api/networking/v1"

	"github.com/routeshift/routeshift/internal/load"
)

// Model is what the controller serves.
type Model struct {
	// Ingresses are every Ingress in the input, in input order, whether
	// served or not.
	Ingresses []*Ingress
	// Servers are the served hosts, sorted by host. The server with Host ""
	// is the catch-all server ("_"): rules without a host and, through
	// CatchAll, unknown hosts.
	Servers []*Server
	// CatchAll is the backend for requests to unknown hosts, from the oldest
	// rule-less Ingress with spec.defaultBackend; nil means 404.
	CatchAll *Backend
	// CatchAllIngress is the Ingress CatchAll came from.
	CatchAllIngress *Ingress
	// prefix is the annotations prefix, for accounting.
	prefix string
}

// Ingress is one Ingress object and what the controller makes of it.
type Ingress struct {
	Object *load.Object
	Spec   *netv1.Ingress // nil when the object could not be decoded

	Namespace, Name string
	// Class is the effective ingress class; ClassAssumed is true when the
	// Ingress has none and is served as the default class.
	Class        string
	ClassAssumed bool
	// Served is true when the controller serves this Ingress (class
	// matches, decoded (v1beta1 converted to v1), no error in its definition).
	Served bool
	// inScope: of a watched class and a known API version (see InScope).
	inScope bool
	// Canary is true for canary Ingresses; they create no locations.
	Canary bool
	// Created is the creationTimestamp; zero in most manifests kept in git.
	Created time.Time

	// SSLRedirect and ForceSSLRedirect are the effective per-location
	// settings from the ssl-redirect and force-ssl-redirect annotations.
	SSLRedirect      bool
	ForceSSLRedirect bool

	// Settings are the parsed routing annotations.
	Settings Settings
	// fates are the fates decided while parsing and emitting, by short name.
	fates map[string]fateOf
}

// qualified is namespace/name, or the name alone without a namespace.
func (ing *Ingress) qualified() string {
	if ing.Namespace == "" {
		return ing.Name
	}
	return ing.Namespace + "/" + ing.Name
}

// Fate says what happened to one annotation of a served Ingress.
type Fate int

const (
	// Converted: its meaning is carried by the generated objects.
	Converted Fate = iota
	// Approximated: carried, but with a difference the message describes.
	Approximated
	// Unsupported: not translated (yet); routing may differ.
	Unsupported
	// Unsafe: raw nginx configuration or an injection vector; never translated.
	Unsafe
	// Ignored: has no effect on routing (another tool's annotation, or an
	// annotation that only tunes nginx internals).
	Ignored
)

func (f Fate) String() string {
	return [...]string{"converted", "approximated", "unsupported", "unsafe", "ignored"}[f]
}

// Annotation is one annotation key of an Ingress and its fate.
type Annotation struct {
	Key, Value string
	Fate       Fate
	Reason     string
}

// Server is one nginx server block: a host and its locations.
type Server struct {
	Host string
	// Creator is the oldest served Ingress with a rule for Host; it owns
	// the server-level settings and the implicit "/" location.
	Creator *Ingress
	// TLS is the certificate for the host, nil when it has none.
	TLS *TLS
	// RegexMode: some Ingress of the host sets use-regex or rewrite-target,
	// so nginx matches every path of the host as a case-insensitive regular
	// expression anchored at the start. RegexBy is the first such Ingress.
	RegexMode bool
	RegexBy   *Ingress
	// Passthrough: ssl-passthrough on the creating Ingress; the TLS stream
	// on port 443 goes to the "/" backend and bypasses every HTTP rule.
	Passthrough bool
	// WWWTwin is the www/non-www twin of Host that from-to-www-redirect
	// sends here with 308, "" without one.
	WWWTwin   string
	WWWTwinBy *Ingress
	// AppRoot redirects "/" with 302 (from the Ingress owning "/").
	AppRoot   string
	AppRootBy *Ingress
	// Locations sorted by path, Exact before Prefix for the same path; the
	// "/" Prefix location is always present (Implicit when no Ingress
	// defines it).
	Locations []*Location
}

// TLS is the certificate ingress-nginx uses for a host.
type TLS struct {
	SecretName, Namespace string
	Ingress               *Ingress
}

// PathType is the effective path type: ImplementationSpecific is Prefix.
type PathType string

const (
	Exact  PathType = "Exact"
	Prefix PathType = "Prefix"
)

// Location is one path of a server.
type Location struct {
	Path     string
	PathType PathType
	// Backend is where requests go; nil means the controller's default
	// backend (404).
	Backend *Backend
	// Ingress is the Ingress that defined the location; for an implicit
	// "/" it is the server's creator.
	Ingress *Ingress
	// Implicit marks the "/" location the controller adds to every server.
	Implicit bool
	// RedirectToHTTPS is true when plain-HTTP requests get a 308 to https.
	RedirectToHTTPS bool
	// Field is the path of the rule in the Ingress, for messages.
	Field string
	// Canary is the alternative backend ingress-nginx attached to this
	// location's upstream, nil without one.
	Canary *CanaryBackend
}

// CanaryBackend is a canary Ingress's backend and how it takes traffic.
type CanaryBackend struct {
	Backend  *Backend
	Settings *Canary
	Ingress  *Ingress
}

// Backend is a Service port; Port is always a number (named ports are
// resolved through the Service in the input).
type Backend struct {
	Namespace, Service string
	Port               int32
}
