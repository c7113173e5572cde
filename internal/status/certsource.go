package status

import (
	"fmt"
	"strconv"
	"strings"

	netv1 "k8s.io/api/networking/v1"
	gwv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/internal/load"
)

// Where a listener's certificate comes from when no Secret in the
// manifests holds it: cert-manager makes Secrets from Certificates, from
// Ingresses through its ingress-shim and from Gateways through its
// gateway-shim (cert-manager v1.21.2, pkg/controller/certificate-shim:
// sync.go reads cert-manager.io/issuer, cert-manager.io/cluster-issuer and,
// on Ingresses only, kubernetes.io/tls-acme: "true"; gateway-shim skips
// listeners named in cert-manager.io/ignore-tls-listeners, listeners
// without hostname, passthrough ones, and references to Secrets in other
// namespaces). A Secret cert-manager will make counts as resolved: the
// listener gets its certificate once the issuer has signed it.

const (
	certManagerGroup = "cert-manager.io"
	cmIssuer         = "cert-manager.io/issuer"
	cmClusterIssuer  = "cert-manager.io/cluster-issuer"
	cmIgnoreTLS      = "cert-manager.io/ignore-tls-listeners"
)

// addIssued records the Secrets a cert-manager Certificate or an
// ingress-shim Ingress of the manifests makes; it reports whether o was
// one of those (nothing else reads them).
func (w *world) addIssued(o *load.Object, group, kind string, key nsName) bool {
	switch {
	case group == certManagerGroup && kind == "Certificate":
		var v struct {
			Spec struct {
				SecretName string `json:"secretName"`
				IssuerRef  struct {
					Name string `json:"name"`
					Kind string `json:"kind"`
				} `json:"issuerRef"`
			} `json:"spec"`
		}
		if err := decode(o, &v); err != nil {
			w.fail(err)
			return true
		}
		if v.Spec.SecretName != "" {
			w.issue(nsName{key.ns, v.Spec.SecretName}, fmt.Sprintf("cert-manager Certificate %s (%s %s)", key, orDefault(v.Spec.IssuerRef.Kind, "Issuer"), v.Spec.IssuerRef.Name))
		}
		return true
	case group == "networking.k8s.io" && kind == "Ingress":
		var ing netv1.Ingress
		if err := decode(o, &ing); err != nil {
			return true // the Ingress is not this check's to judge
		}
		ann := ing.Annotations
		acme, _ := strconv.ParseBool(ann["kubernetes.io/tls-acme"])
		issuer := ann[cmClusterIssuer]
		if issuer == "" {
			issuer = ann[cmIssuer]
		}
		if issuer == "" && !acme {
			return true
		}
		for _, t := range ing.Spec.TLS {
			if t.SecretName != "" && len(t.Hosts) > 0 {
				w.issue(nsName{key.ns, t.SecretName}, fmt.Sprintf("cert-manager ingress-shim, from Ingress %s", key))
			}
		}
		return true
	}
	return false
}

// issue keeps the first source of a Secret.
func (w *world) issue(key nsName, source string) {
	if _, ok := w.issued[key]; !ok {
		w.issued[key] = source
	}
}

// issuer says what makes the Secret key for listener l of g, "" when
// nothing in the manifests does.
func (w *world) issuer(g *gateway, l *listener, key nsName) string {
	if src := w.issued[key]; src != "" {
		return src
	}
	if l.set != nil {
		// gateway-shim reads the Gateway's annotations for the Gateway's
		// own listeners; a ListenerSet's are not modelled.
		return ""
	}
	ann := g.annotations
	name, which := ann[cmClusterIssuer], cmClusterIssuer
	if name == "" {
		name, which = ann[cmIssuer], cmIssuer
	}
	tls := l.spec.TLS
	switch {
	case name == "", l.spec.Hostname == nil, *l.spec.Hostname == "", key.ns != g.key.ns,
		l.spec.Protocol != gwv1.HTTPSProtocolType && l.spec.Protocol != gwv1.TLSProtocolType,
		tls == nil, tls.Mode != nil && *tls.Mode != gwv1.TLSModeTerminate:
		return ""
	}
	for _, ignored := range strings.Split(ann[cmIgnoreTLS], ",") {
		if strings.TrimSpace(ignored) == string(l.spec.Name) {
			return ""
		}
	}
	return fmt.Sprintf("cert-manager gateway-shim, from Gateway %s's %s: %s", g.key, which, name)
}

// certificateSources describes, for a listener that terminates TLS, where
// each certificateRef comes from; nil for other listeners.
func (w *world) certificateSources(g *gateway, l *listener) []string {
	tls := l.spec.TLS
	if tls == nil || tls.Mode != nil && *tls.Mode != gwv1.TLSModeTerminate {
		return nil
	}
	var out []string
	for _, ref := range tls.CertificateRefs {
		if ref.Group != nil && *ref.Group != coreGroup || ref.Kind != nil && *ref.Kind != kindSecret {
			out = append(out, fmt.Sprintf("%s %s: implementation-specific", groupKind(orDefault(string(ptrOr(ref.Group)), coreGroup), orDefault(string(ptrOr(ref.Kind)), kindSecret)), ref.Name))
			continue
		}
		ownerNS, _ := l.owner(g)
		key := nsName{ownerNS, string(ref.Name)}
		if ref.Namespace != nil && *ref.Namespace != "" {
			key.ns = string(*ref.Namespace)
		}
		s, ok := w.secret(key)
		switch {
		case ok && s != nil:
			out = append(out, fmt.Sprintf("Secret %s: in the manifests (%s)", key, s.obj.Source))
		case ok:
			out = append(out, fmt.Sprintf("Secret %s: declared", key))
		case w.issuer(g, l, key) != "":
			out = append(out, fmt.Sprintf("Secret %s: %s", key, w.issuer(g, l, key)))
		default:
			out = append(out, fmt.Sprintf("Secret %s: no source", key))
		}
	}
	if len(out) == 0 {
		return []string{"no certificateRefs"}
	}
	return out
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func ptrOr[T ~string](p *T) T {
	if p == nil {
		return ""
	}
	return *p
}
