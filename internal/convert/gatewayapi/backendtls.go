package gatewayapi

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	gwv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
)

// backendTLS generates a BackendTLSPolicy for every Service that an
// Ingress with backend-protocol HTTPS or GRPCS proxies to, because Gateway
// API configures TLS to a backend per Service, not per route. The first
// Ingress (in the controller's order of groups) decides a Service's
// policy; a different setting from another Ingress is reported.
func (e *emitter) backendTLS() []*Object {
	type decided struct {
		by  *ingressnginx.Ingress
		tls ingressnginx.BackendTLS
	}
	seen := map[string]decided{}
	var out []*Object
	for _, g := range e.groups {
		p := g.ing.Settings.BackendProtocol
		if e.failed[g.ing] || p != "HTTPS" && p != "GRPCS" {
			continue
		}
		st := g.ing.Settings.BackendTLS
		for _, l := range g.locations {
			for _, be := range []*ingressnginx.Backend{l.Backend, canaryBackend(l)} {
				if be == nil || l.Implicit {
					continue
				}
				key := be.Namespace + "/" + be.Service
				if d, ok := seen[key]; ok {
					if d.tls != st {
						e.findings.Warnf(g.ing.Object, "metadata.annotations", "Service %s already gets its BackendTLSPolicy from Ingress %s, whose proxy-ssl-* settings differ; Gateway API has one policy per Service",
							key, qualified(d.by.Namespace, d.by.Name))
					}
					continue
				}
				seen[key] = decided{g.ing, st}
				if obj := e.backendTLSPolicy(g.ing, be, st); obj != nil {
					out = append(out, obj)
				}
			}
		}
	}
	return out
}

func canaryBackend(l *ingressnginx.Location) *ingressnginx.Backend {
	if l.Canary == nil {
		return nil
	}
	return l.Canary.Backend
}

func (e *emitter) backendTLSPolicy(ing *ingressnginx.Ingress, be *ingressnginx.Backend, st ingressnginx.BackendTLS) *Object {
	host := st.Name
	if host == "" {
		// nginx sends no SNI and, without proxy-ssl-verify, checks no name;
		// the policy needs one, and the Service's cluster name is what a
		// backend certificate most often carries.
		host = be.Service + "." + be.Namespace + ".svc"
		if be.Namespace == "" {
			host = be.Service
		}
	}
	p := &gwv1.BackendTLSPolicy{
		TypeMeta:   metav1.TypeMeta{APIVersion: gwv1.GroupVersion.String(), Kind: "BackendTLSPolicy"},
		ObjectMeta: e.meta(e.names.take(be.Namespace+"/BackendTLSPolicy", be.Service+"-backend-tls"), be.Namespace, ing),
	}
	p.Spec.TargetRefs = []gwv1.LocalPolicyTargetReferenceWithSectionName{{LocalPolicyTargetReference: gwv1.LocalPolicyTargetReference{
		Group: "", Kind: "Service", Name: gwv1.ObjectName(be.Service),
	}}}
	p.Spec.Validation.Hostname = gwv1.PreciseHostname(host)
	switch {
	case st.Secret != "" && st.SecretNamespace != be.Namespace:
		e.findings.Warnf(ing.Object, "metadata.annotations", "proxy-ssl-secret %s/%s is in another namespace than Service %s; BackendTLSPolicy can only name a CA in its own namespace, so the system CAs are used", st.SecretNamespace, st.Secret, be.Service)
		p.Spec.Validation.WellKnownCACertificates = ptr.To(gwv1.WellKnownCACertificatesSystem)
	case st.Secret != "":
		// ingress-nginx reads ca.crt from a Secret; Gateway API's core form
		// is a ConfigMap, a Secret is implementation-specific.
		p.Spec.Validation.CACertificateRefs = []gwv1.LocalObjectReference{{Group: "", Kind: "Secret", Name: gwv1.ObjectName(st.Secret)}}
		ing.Note("proxy-ssl-secret", ingressnginx.Approximated, "caCertificateRefs to a Secret is implementation-specific (the core form is a ConfigMap with ca.crt)")
	default:
		p.Spec.Validation.WellKnownCACertificates = ptr.To(gwv1.WellKnownCACertificatesSystem)
	}
	if !st.Verify {
		ing.Note("backend-protocol", ingressnginx.Approximated, "BackendTLSPolicy always verifies the backend's certificate, which ingress-nginx did not (proxy-ssl-verify off)")
		e.findings.Warnf(ing.Object, "metadata.annotations", "ingress-nginx sent TLS to Service %s without verifying its certificate; the BackendTLSPolicy verifies it against %q, so the backend needs a certificate valid for that name and trusted by the CA",
			be.Service, host)
	}
	return &Object{Kind: "BackendTLSPolicy", Namespace: be.Namespace, Name: p.Name, Source: ing, Value: p}
}
