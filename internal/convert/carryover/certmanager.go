package carryover

import (
	"encoding/json"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	gwv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/internal/convert/gatewayapi"
	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
)

// cert-manager's annotation keys, as its ingress-shim and gateway-shim read
// them (github.com/cert-manager/cert-manager v1.21.2,
// pkg/apis/certmanager/v1/types.go, pkg/apis/acme/v1/types.go;
// pkg/controller/certificate-shim/sync.go and helper.go read them).
const (
	cmIssuer        = "cert-manager.io/issuer"
	cmClusterIssuer = "cert-manager.io/cluster-issuer"
	cmIssuerKind    = "cert-manager.io/issuer-kind"
	cmIssuerGroup   = "cert-manager.io/issuer-group"
	tlsACME         = "kubernetes.io/tls-acme"
	cmIgnoreTLS     = "cert-manager.io/ignore-tls-listeners"
)

// shimKeys are the annotations ingress-shim turns into Certificate fields
// (translateAnnotations in helper.go), besides the issuer keys. gateway-shim
// reads the same set from a Gateway.
var shimKeys = []string{
	"cert-manager.io/common-name", "cert-manager.io/alt-names", "cert-manager.io/ip-sans", "cert-manager.io/email-sans",
	"cert-manager.io/subject-organizations", "cert-manager.io/subject-organizationalunits", "cert-manager.io/subject-countries",
	"cert-manager.io/subject-provinces", "cert-manager.io/subject-localities", "cert-manager.io/subject-postalcodes",
	"cert-manager.io/subject-streetaddresses", "cert-manager.io/subject-serialnumber",
	"cert-manager.io/duration", "cert-manager.io/renew-before", "cert-manager.io/renew-before-percentage", "cert-manager.io/usages",
	"cert-manager.io/revision-history-limit", "cert-manager.io/private-key-algorithm", "cert-manager.io/private-key-encoding",
	"cert-manager.io/private-key-size", "cert-manager.io/private-key-rotation-policy", "cert-manager.io/secret-template",
}

// http01Keys steer the Ingress-based HTTP-01 solver (setIssuerSpecificConfig
// in sync.go); a Gateway API solver has no Ingress class or name to override.
var http01Keys = []string{
	"acme.cert-manager.io/http01-edit-in-place", "acme.cert-manager.io/http01-ingress-class", "acme.cert-manager.io/http01-ingress-ingressclassname",
}

// issuerRef is the issuer of a certificate: Kind is Issuer or
// ClusterIssuer (or an external issuer's kind with Group).
type issuerRef struct {
	Name, Kind, Group string
	// Namespace is the Issuer's namespace (the Certificate's); "" for
	// ClusterIssuers.
	Namespace string
}

// key identifies the issuer; cert-manager.io written out is the default
// group.
func (r issuerRef) key() string {
	group := r.Group
	if group == "cert-manager.io" {
		group = ""
	}
	return group + "/" + r.Kind + "/" + r.Namespace + "/" + r.Name
}

func (r issuerRef) String() string {
	s := r.Kind + " " + qualified(r.Namespace, r.Name)
	if r.Group != "" && r.Group != "cert-manager.io" {
		s += " (" + r.Group + ")"
	}
	return s
}

// certificate is what ingress-shim makes of one TLS block of an Ingress.
type certificate struct {
	ing               *ingressnginx.Ingress
	namespace, secret string
	hosts             []string
	issuer            issuerRef
	// shim are the cert-manager annotations gateway-shim would read; config
	// is their canonical text, equal for Ingresses that can share a Gateway.
	shim   map[string]string
	config string
	spec   map[string]any
	// carrier says where the certificate went, for the fates.
	carrier string
}

// certManager carries each converted Ingress's ingress-shim certificates:
// onto a created Gateway's annotations where gateway-shim would issue the
// same Secret with the same names, as Certificate objects elsewhere.
func (c *run) certManager() {
	var all []*certificate
	for _, ing := range c.in.Converted {
		all = append(all, c.shimCertificates(ing)...)
	}
	// One Certificate per Secret: ingress-shim names it after the Secret,
	// and a second Ingress asking for the same one is refused ("not owned").
	seen := map[string]*certificate{}
	var certs []*certificate
	for _, ct := range all {
		k := ct.namespace + "/" + ct.secret
		if first := seen[k]; first != nil {
			if first.config != ct.config || !slices.Equal(first.hosts, ct.hosts) {
				c.out.Findings.Warnf(ct.ing.Object, "metadata.annotations", "cert-manager: Secret %s is also asked for by Ingress %s with other hosts or settings; ingress-shim keeps the Certificate of the Ingress created first, and the conversion carries Ingress %s's (input order)",
					k, qualified(first.ing.Namespace, first.ing.Name), qualified(first.ing.Namespace, first.ing.Name))
			}
			continue
		}
		seen[k] = ct
		certs = append(certs, ct)
	}
	user := c.userCertificates()
	// First the Gateway each certificate could go on, then which Gateways
	// can take annotations at all, then where each certificate goes.
	byGateway := map[*gatewayapi.Object]*certificate{} // the config each Gateway carries
	covered := map[*gatewayapi.Object]map[string]bool{}
	onGateway := map[*certificate]*gatewayapi.Object{}
	why := map[*certificate]string{}
	for _, ct := range certs {
		if user[ct.namespace+"/"+ct.secret] {
			continue
		}
		gw, listeners, reason := c.gatewayFor(ct)
		if gw != nil {
			if first := byGateway[gw]; first != nil && first.config != ct.config {
				gw, reason = nil, fmt.Sprintf("Gateway %s already carries the cert-manager annotations of Ingress %s, which differ", qualified(gw.Namespace, gw.Name), qualified(first.ing.Namespace, first.ing.Name))
			}
		}
		why[ct] = reason
		if gw == nil {
			continue
		}
		if byGateway[gw] == nil {
			byGateway[gw] = ct
			covered[gw] = map[string]bool{}
		}
		for _, l := range listeners {
			covered[gw][l] = true
		}
		onGateway[ct] = gw
	}
	// gateway-shim issues for every terminating listener of an annotated
	// Gateway whose Secret is in the Gateway's namespace; only cert-manager
	// v1.21 skips those named in cert-manager.io/ignore-tls-listeners (the
	// key is not in v1.20.0's pkg/apis/certmanager/v1/types.go). A Gateway
	// with such a listener that cert-manager does not issue for would have
	// that Secret overwritten by older versions, so its certificates become
	// Certificate objects instead.
	for gw := range byGateway {
		if l := uncoveredLocal(gw, covered[gw]); l != "" {
			for ct, g := range onGateway {
				if g == gw {
					delete(onGateway, ct)
					why[ct] = fmt.Sprintf("Gateway %s also serves listener %s, whose certificate does not come from the same cert-manager annotations, and gateway-shim before v1.21 (which added cert-manager.io/ignore-tls-listeners) would issue it from them", qualified(gw.Namespace, gw.Name), l)
				}
			}
			delete(byGateway, gw)
		}
	}
	for _, ct := range certs {
		k := qualified(ct.namespace, ct.secret)
		if user[ct.namespace+"/"+ct.secret] {
			c.out.Findings.Infof(ct.ing.Object, "spec.tls", "cert-manager: Certificate %s in the input manages Secret %s; ingress-shim leaves it alone and so does the conversion", k, k)
			ct.carrier = "Certificate " + k + " of the input"
			continue
		}
		c.certs[k] = ct
		if gw := onGateway[ct]; gw != nil {
			listeners := certListeners(gw, ct)
			c.out.Findings.Infof(ct.ing.Object, "spec.tls", "cert-manager: the certificate of Secret %s (%s, from %s) is issued by gateway-shim from the annotations carried to Gateway %s (listeners %s)",
				k, strings.Join(ct.hosts, ", "), ct.issuer, qualified(gw.Namespace, gw.Name), strings.Join(listeners, ", "))
			ct.carrier = "the annotations of Gateway " + qualified(gw.Namespace, gw.Name) + " (gateway-shim)"
			continue
		}
		c.out.Objects = append(c.out.Objects, c.certificateObject(ct))
		ct.carrier = "the generated Certificate " + k
		c.out.Findings.Infof(ct.ing.Object, "spec.tls", "cert-manager: generated Certificate %s (hosts %s, %s) so the Secret keeps renewing without the Ingress: %s", k, strings.Join(ct.hosts, ", "), ct.issuer, why[ct])
	}
	for _, gw := range sortedGateways(byGateway) {
		ann := map[string]string{}
		for k, v := range byGateway[gw].shim {
			ann[k] = v
		}
		if ignore := uncovered(gw, covered[gw]); len(ignore) > 0 {
			ann[cmIgnoreTLS] = strings.Join(ignore, ",")
		}
		c.annotate(gw, ann)
	}
	for _, ct := range certs {
		if ct.carrier != "" {
			c.noteShim(ct)
		}
	}
	if len(c.certs) > 0 {
		c.out.Findings.Infof(nil, "", "cert-manager: certificates follow the Ingresses (%d); cert-manager reads Gateways and its Gateway API HTTP-01 solver only with Gateway API support on (Helm value config.gatewayAPI.enabled: true, formerly config.enableGatewayAPI) and the Gateway API CRDs installed before it starts", len(c.certs))
	}
}

// shimCertificates returns the Certificates ingress-shim makes for ing,
// or none (with a finding) when cert-manager would make none.
func (c *run) shimCertificates(ing *ingressnginx.Ingress) []*certificate {
	ann := ing.Spec.Annotations
	_, hasIssuer := ann[cmIssuer]
	_, hasCluster := ann[cmClusterIssuer]
	acme, _ := strconv.ParseBool(ann[tlsACME])
	if !hasIssuer && !hasCluster && !acme {
		return nil
	}
	fail := func(format string, args ...any) []*certificate {
		for _, k := range append(append([]string{cmIssuer, cmClusterIssuer, cmIssuerKind, cmIssuerGroup, tlsACME}, shimKeys...), http01Keys...) {
			if _, ok := ann[k]; ok {
				ing.Note(k, ingressnginx.Ignored, "cert-manager issues nothing for this Ingress today (%s)", fmt.Sprintf(format, args...))
			}
		}
		c.out.Findings.Warnf(ing.Object, "metadata.annotations", "cert-manager: "+format+"; cert-manager issues nothing for this Ingress, so nothing is carried", args...)
		return nil
	}
	if !hasIssuer && !hasCluster {
		// ingress-shim then uses its --default-issuer-* flags, which no
		// manifest shows, and gateway-shim does not read tls-acme.
		ing.Note(tlsACME, ingressnginx.Ignored, "asks for cert-manager's default issuer (controller flags --default-issuer-name/-kind/-group), which the manifests do not name")
		c.notCarriedf(ing.Object, "metadata.annotations."+tlsACME,
			"cert-manager: %s asks ingress-shim for a certificate from its default issuer (controller flags --default-issuer-name, --default-issuer-kind, --default-issuer-group), which the manifests do not name and gateway-shim does not read; add cert-manager.io/cluster-issuer (or issuer) naming that issuer to the Ingress so its certificates can be carried", tlsACME)
		return nil
	}
	ref := issuerRef{Group: ann[cmIssuerGroup]}
	if hasIssuer {
		ref.Name, ref.Kind, ref.Namespace = ann[cmIssuer], "Issuer", ing.Namespace
	}
	if hasCluster {
		ref.Name, ref.Kind, ref.Namespace = ann[cmClusterIssuer], "ClusterIssuer", ""
	}
	if k, ok := ann[cmIssuerKind]; ok {
		ref.Kind = k
		if k == "ClusterIssuer" {
			ref.Namespace = ""
		}
	}
	switch {
	case ref.Name == "":
		return fail("the issuer annotation is empty")
	case hasIssuer && hasCluster:
		return fail("both %s and %s are set, which ingress-shim rejects", cmIssuer, cmClusterIssuer)
	case hasCluster && (ann[cmIssuerKind] != "" || ann[cmIssuerGroup] != ""):
		return fail("%s is set with %s or %s, which ingress-shim rejects", cmClusterIssuer, cmIssuerKind, cmIssuerGroup)
	}
	seen := map[string]bool{}
	for _, t := range ing.Spec.Spec.TLS {
		if seen[t.SecretName] {
			return fail("Secret %q is named by two spec.tls entries, which ingress-shim rejects", t.SecretName)
		}
		seen[t.SecretName] = true
	}
	shim := map[string]string{}
	if hasIssuer {
		shim[cmIssuer] = ann[cmIssuer]
	} else {
		shim[cmClusterIssuer] = ann[cmClusterIssuer]
	}
	for _, k := range append([]string{cmIssuerKind, cmIssuerGroup}, shimKeys...) {
		if v, ok := ann[k]; ok {
			shim[k] = v
		}
	}
	base, err := certificateSpec(ann)
	if err != nil {
		return fail("%v, which ingress-shim rejects", err)
	}
	config, _ := json.Marshal(shim)
	var out []*certificate
	for _, t := range ing.Spec.Spec.TLS {
		if t.SecretName == "" || len(t.Hosts) == 0 {
			continue // ingress-shim skips such blocks too
		}
		if errs := validation.IsDNS1123Subdomain(t.SecretName); len(errs) > 0 {
			// The API server would refuse such a Certificate (and Secret).
			c.out.Findings.Warnf(ing.Object, "spec.tls", "cert-manager: Secret name %q is not a valid object name (%s); no Certificate is generated for it", clip(t.SecretName), strings.Join(errs, "; "))
			continue
		}
		spec := cloneJSON(base)
		var dns, ips []string
		for _, h := range t.Hosts {
			if !slices.Contains(dns, h) && !slices.Contains(ips, h) {
				if net.ParseIP(h) != nil {
					ips = append(ips, h)
				} else {
					dns = append(dns, h)
				}
			}
		}
		addList(spec, "dnsNames", dns, true)
		addList(spec, "ipAddresses", ips, true)
		spec["secretName"] = t.SecretName
		ir := map[string]any{"name": ref.Name, "kind": ref.Kind}
		if ref.Group != "" {
			ir["group"] = ref.Group
		}
		spec["issuerRef"] = ir
		out = append(out, &certificate{ing: ing, namespace: ing.Namespace, secret: t.SecretName, hosts: t.Hosts, issuer: ref, shim: shim, config: string(config), spec: spec})
	}
	if len(out) > 0 {
		c.issuerUsers[ref.key()] = append(c.issuerUsers[ref.key()], ing)
		if len(c.issuerUsers[ref.key()]) == 1 {
			c.issuerOrder = append(c.issuerOrder, ref.key())
		}
	}
	return out
}

// gatewayFor returns the created Gateway whose annotations can carry ct
// (gateway-shim would issue the same Secret for the same hosts) and its
// listeners, or nil and why not.
func (c *run) gatewayFor(ct *certificate) (*gatewayapi.Object, []string, string) {
	var gws []*gatewayapi.Object
	hosts := map[string]bool{}
	var listeners []string
	for _, sl := range c.secretListeners()[ct.namespace+"/"+ct.secret] {
		if !slices.Contains(gws, sl.gateway) {
			gws = append(gws, sl.gateway)
		}
		hosts[sl.hostname] = true
		listeners = append(listeners, sl.listener)
	}
	switch {
	case ct.namespace == "":
		return nil, nil, "the Ingress has no namespace, so the Secret's namespace is only known once applied, and gateway-shim issues only for Secrets in the Gateway's own namespace"
	case len(gws) == 0:
		return nil, nil, "no Gateway this run creates serves it (attach mode: annotations on a Gateway owned elsewhere are its owner's)"
	case len(gws) > 1:
		return nil, nil, fmt.Sprintf("its hosts are split over Gateways %s and %s", qualified(gws[0].Namespace, gws[0].Name), qualified(gws[1].Namespace, gws[1].Name))
	case gws[0].Namespace != ct.namespace:
		return nil, nil, fmt.Sprintf("Gateway %s reads the Secret from namespace %s, and gateway-shim issues only for Secrets in the Gateway's own namespace", qualified(gws[0].Namespace, gws[0].Name), ct.namespace)
	}
	for _, h := range ct.hosts {
		if !hosts[h] {
			return nil, nil, fmt.Sprintf("Gateway %s has no HTTPS listener with this Secret for host %q (gateway-shim would issue for the listeners' hostnames only)", qualified(gws[0].Namespace, gws[0].Name), h)
		}
	}
	if len(hosts) != len(ct.hosts) || ct.shim["cert-manager.io/alt-names"] != "" || ct.shim["cert-manager.io/ip-sans"] != "" {
		return nil, nil, fmt.Sprintf("Gateway %s would give the certificate other names than the Ingress's tls hosts", qualified(gws[0].Namespace, gws[0].Name))
	}
	return gws[0], listeners, ""
}

// secretListener is a listener of a created Gateway that serves a Secret.
type secretListener struct {
	gateway            *gatewayapi.Object
	listener, hostname string
}

// secretListeners indexes the created Gateways' terminating listeners with
// a hostname by the namespace/name of the Secrets they serve, in Gateway
// and listener order; built once, since a large conversion has thousands
// of listeners and as many certificates.
func (c *run) secretListeners() map[string][]secretListener {
	if c.bySecret != nil {
		return c.bySecret
	}
	c.bySecret = map[string][]secretListener{}
	for _, key := range sortedKeys(c.gateways) {
		g := c.gateways[key]
		gw, ok := g.Value.(*gwv1.Gateway)
		if !ok {
			continue
		}
		for _, l := range gw.Spec.Listeners {
			if l.TLS == nil || l.Hostname == nil {
				continue
			}
			for _, ref := range l.TLS.CertificateRefs {
				ns := g.Namespace
				if ref.Namespace != nil {
					ns = string(*ref.Namespace)
				}
				k := ns + "/" + string(ref.Name)
				c.bySecret[k] = append(c.bySecret[k], secretListener{g, string(l.Name), string(*l.Hostname)})
			}
		}
	}
	return c.bySecret
}

// uncovered are the TLS listeners of gw whose certificates are not
// gateway-shim's: they go into cert-manager.io/ignore-tls-listeners so it
// leaves their Secrets alone.
func uncovered(g *gatewayapi.Object, covered map[string]bool) []string {
	gw, ok := g.Value.(*gwv1.Gateway)
	if !ok {
		return nil
	}
	var out []string
	for _, l := range gw.Spec.Listeners {
		if l.TLS != nil && (l.TLS.Mode == nil || *l.TLS.Mode == gwv1.TLSModeTerminate) && !covered[string(l.Name)] {
			out = append(out, string(l.Name))
		}
	}
	return out
}

// uncoveredLocal is the first terminating listener of gw, with a Secret in
// the Gateway's own namespace, whose certificate gateway-shim would issue
// though no carried Ingress asks for it; "" when there is none.
func uncoveredLocal(g *gatewayapi.Object, covered map[string]bool) string {
	gw, ok := g.Value.(*gwv1.Gateway)
	if !ok {
		return ""
	}
	for _, l := range gw.Spec.Listeners {
		if l.TLS == nil || l.Hostname == nil || covered[string(l.Name)] || l.TLS.Mode != nil && *l.TLS.Mode != gwv1.TLSModeTerminate {
			continue
		}
		for _, ref := range l.TLS.CertificateRefs {
			if ref.Namespace == nil || string(*ref.Namespace) == g.Namespace {
				return string(l.Name)
			}
		}
	}
	return ""
}

// certListeners are the listeners of gw that serve ct's Secret.
func certListeners(g *gatewayapi.Object, ct *certificate) []string {
	gw, _ := g.Value.(*gwv1.Gateway)
	var out []string
	for _, l := range gw.Spec.Listeners {
		if l.TLS == nil {
			continue
		}
		for _, ref := range l.TLS.CertificateRefs {
			ns := g.Namespace
			if ref.Namespace != nil {
				ns = string(*ref.Namespace)
			}
			if string(ref.Name) == ct.secret && ns == ct.namespace {
				out = append(out, string(l.Name))
			}
		}
	}
	return out
}

func sortedGateways(m map[*gatewayapi.Object]*certificate) []*gatewayapi.Object {
	out := make([]*gatewayapi.Object, 0, len(m))
	for g := range m {
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b *gatewayapi.Object) int {
		return strings.Compare(a.Namespace+"/"+a.Name, b.Namespace+"/"+b.Name)
	})
	return out
}

// certificateObject is the Certificate ingress-shim would have made, as a
// generated object of the Ingress.
func (c *run) certificateObject(ct *certificate) *gatewayapi.Object {
	v := map[string]any{
		"apiVersion": "cert-manager.io/v1",
		"kind":       "Certificate",
		"metadata": map[string]any{
			"name":        ct.secret,
			"namespace":   ct.namespace,
			"labels":      map[string]any{gatewayapi.ManagedByLabel: gatewayapi.ManagedByValue},
			"annotations": map[string]any{gatewayapi.SourceAnnotation: "Ingress " + qualified(ct.ing.Namespace, ct.ing.Name)},
		},
		"spec": ct.spec,
	}
	if ct.namespace == "" {
		delete(v["metadata"].(map[string]any), "namespace")
	}
	return &gatewayapi.Object{Kind: "Certificate", Namespace: ct.namespace, Name: ct.secret, Source: ct.ing, Value: v}
}

// noteShim gives the Ingress's cert-manager keys their fate.
func (c *run) noteShim(ct *certificate) {
	ing := ct.ing
	for k := range ct.shim {
		ing.Note(k, ingressnginx.Converted, "cert-manager certificate carried by %s", ct.carrier)
	}
	if _, ok := ing.Spec.Annotations[tlsACME]; ok {
		ing.Note(tlsACME, ingressnginx.Converted, "cert-manager certificate carried (the issuer annotation names the issuer)")
	}
	for _, k := range http01Keys {
		if _, ok := ing.Spec.Annotations[k]; ok {
			ing.Note(k, ingressnginx.Ignored, "steers cert-manager's Ingress HTTP-01 solver; the Gateway API solver of the Issuer replaces it")
		}
	}
}

// userCertificates are the Certificates of the input that no routeshift
// run generated, by namespace/name.
func (c *run) userCertificates() map[string]bool {
	out := map[string]bool{}
	for _, o := range c.in.Objects {
		if o.Kind() == "Certificate" && strings.HasPrefix(o.APIVersion(), "cert-manager.io/") && o.Label(gatewayapi.ManagedByLabel) != gatewayapi.ManagedByValue {
			out[o.Namespace()+"/"+o.Name()] = true
		}
	}
	return out
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}

// addList prepends (first) or appends values to a list field.
func addList(m map[string]any, key string, values []string, first bool) {
	if len(values) == 0 {
		return
	}
	old, _ := m[key].([]any)
	if first {
		m[key] = append(toAny(values), old...)
	} else {
		m[key] = append(old, toAny(values)...)
	}
}

func cloneJSON(m map[string]any) map[string]any {
	data, _ := json.Marshal(m)
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	return out
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
