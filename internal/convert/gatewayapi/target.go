package gatewayapi

import (
	"path"
	"slices"

	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
)

// Target is a Gateway that routes are aimed at.
type Target struct {
	Name      string
	Namespace string
	// Create: emit this Gateway with the listeners its routes need. When
	// false the routes attach to an existing Gateway.
	Create           bool
	GatewayClassName string
	// Selectors; an empty selector matches everything. Hosts are globs as in
	// path.Match ("*" also matches dots); "" is the host of host-less rules.
	Hosts             []string
	Namespaces        []string
	IngressClassNames []string
	// SectionNames are the existing Gateway's listener names, used in
	// parentRefs when attaching.
	SectionNames SectionNames
	// ListenerSets: "" keeps every listener on the created Gateway;
	// ListenerSetsPerNamespace moves HTTPS and TLS listeners into one
	// ListenerSet per namespace. Only for Create.
	ListenerSets string
}

// SectionNames name the plain-HTTP, HTTPS and TLS passthrough listeners
// of an existing Gateway.
type SectionNames struct {
	HTTP  string
	HTTPS string
	TLS   string
}

func (t *Target) matches(host string, ing *ingressnginx.Ingress) bool {
	if len(t.Namespaces) > 0 && !slices.Contains(t.Namespaces, ing.Namespace) {
		return false
	}
	if len(t.IngressClassNames) > 0 && !slices.Contains(t.IngressClassNames, ing.Class) {
		return false
	}
	if len(t.Hosts) == 0 {
		return true
	}
	for _, pattern := range t.Hosts {
		if ok, _ := path.Match(pattern, host); ok {
			return true
		}
	}
	return false
}

// pick returns the first target whose selectors match, or nil.
func pick(targets []*Target, host string, ing *ingressnginx.Ingress) *Target {
	for _, t := range targets {
		if t.matches(host, ing) {
			return t
		}
	}
	return nil
}
