package status

import (
	"crypto/tls"
	"encoding/base64"
	"fmt"

	gwv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// certificateRefs decides a terminating listener's ResolvedRefs from its
// certificates, following ListenerTLSConfig.CertificateRefs and the
// ListenerReasonInvalidCertificateRef doc: a reference to a nonexistent or
// unsupported resource or kind, or to malformed data, is
// InvalidCertificateRef, but "This reason must be used only when the
// reference is allowed ... If the reference is not allowed, the reason
// RefNotPermitted must be used instead" — so the grant is checked before
// the Secret is looked at. The first failing reference gives the reason;
// the message lists them all.
func (w *world) certificateRefs(g *gateway, l *listener) Condition {
	tlsCfg := l.spec.TLS
	if tlsCfg == nil || len(tlsCfg.CertificateRefs) == 0 {
		if tlsCfg != nil && len(tlsCfg.Options) > 0 {
			return unknown(condResolvedRefs, "no certificateRefs: the certificate comes from implementation-specific tls.options")
		}
		return cond(condResolvedRefs, False, string(gwv1.ListenerReasonInvalidCertificateRef),
			fmt.Sprintf("a %s listener needs tls.certificateRefs", l.spec.Protocol))
	}
	reason := ""
	var msgs []string
	for i, ref := range tlsCfg.CertificateRefs {
		r, msg := w.certificateRef(g, l, ref)
		if r == "" {
			continue
		}
		if reason == "" {
			reason = r
		}
		msgs = append(msgs, fmt.Sprintf("certificateRefs[%d]: %s", i, msg))
	}
	if reason == "" {
		return cond(condResolvedRefs, True, string(gwv1.ListenerReasonResolvedRefs), "")
	}
	return cond(condResolvedRefs, False, reason, joinCapped(msgs))
}

// certificateRef returns the reason and message for one invalid reference,
// or "" when it resolves.
func (w *world) certificateRef(g *gateway, l *listener, ref gwv1.SecretObjectReference) (string, string) {
	// A ListenerSet's certificates are looked up from its own namespace,
	// and a grant must admit the ListenerSet (ListenerEntry.TLS).
	ownerNS, ownerKind := l.owner(g)
	group, kind := coreGroup, kindSecret
	if ref.Group != nil {
		group = string(*ref.Group)
	}
	if ref.Kind != nil {
		kind = string(*ref.Kind)
	}
	invalid := string(gwv1.ListenerReasonInvalidCertificateRef)
	if group != coreGroup || kind != kindSecret {
		// Core support is a Secret; other kinds are implementation-specific
		// and the conformance suite (GatewayInvalidTLSConfiguration) expects
		// them to be InvalidCertificateRef.
		return invalid, fmt.Sprintf("%s is not a core Secret", groupKind(group, kind))
	}
	key := nsName{ownerNS, string(ref.Name)}
	if ref.Namespace != nil && string(*ref.Namespace) != "" {
		key.ns = string(*ref.Namespace)
	}
	if key.ns != ownerNS && !w.permitted(refFrom{gatewayGroup, ownerKind, ownerNS}, refTo{coreGroup, kindSecret, key.ns, key.name}) {
		return string(gwv1.ListenerReasonRefNotPermitted), fmt.Sprintf("Secret %s is in another namespace and no ReferenceGrant in %s allows %ss from %s to use it", key, key.ns, ownerKind, ownerNS)
	}
	s, ok := w.secret(key)
	if !ok && w.issuer(g, l, key) != "" {
		return "", "" // cert-manager makes it
	}
	if !ok {
		l.certAbsent = true
		return invalid, fmt.Sprintf("Secret %s is neither in the manifests nor declared", key)
	}
	if s == nil {
		return "", "" // declared: trusted
	}
	if err := s.keyPair(); err != nil {
		return invalid, fmt.Sprintf("Secret %s (%s): %v", key, s.obj.Source, err)
	}
	return "", ""
}

// keyPair checks that the Secret holds a certificate and its key, as a
// controller does when it loads them.
func (s *secret) keyPair() error {
	get := func(k string) ([]byte, error) {
		if v, ok := s.StringData[k]; ok {
			return []byte(v), nil
		}
		v, ok := s.Data[k]
		if !ok {
			return nil, fmt.Errorf("has no %s", k)
		}
		b, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			return nil, fmt.Errorf("data.%s is not base64: %v", k, err)
		}
		return b, nil
	}
	crt, err := get("tls.crt")
	if err != nil {
		return err
	}
	key, err := get("tls.key")
	if err != nil {
		return err
	}
	if _, err := tls.X509KeyPair(crt, key); err != nil {
		return fmt.Errorf("tls.crt and tls.key are not a valid certificate and key: %v", err)
	}
	return nil
}

func groupKind(group, kind string) string {
	if group == "" {
		return kind
	}
	return kind + "." + group
}
