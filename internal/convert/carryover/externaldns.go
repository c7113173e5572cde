package carryover

import (
	"fmt"
	"slices"
	"strings"

	"github.com/routeshift/routeshift/internal/convert/gatewayapi"
	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
)

// ExternalDNS's annotation prefixes: v0.22 made external-dns.kubernetes.io/
// the default (sigs.k8s.io/external-dns v0.22.0,
// source/annotations/annotations.go DefaultAnnotationPrefix; v0.21.0 had
// external-dns.alpha.kubernetes.io/), --annotation-prefix chooses another
// (pkg/apis/externaldns/types.go), and v0.23.0 added
// --enable-legacy-annotation-prefix to read the old one as well.
const (
	ExternalDNSPrefix       = "external-dns.kubernetes.io/"
	ExternalDNSLegacyPrefix = "external-dns.alpha.kubernetes.io/"
)

// Where the Gateway API sources read each ExternalDNS annotation
// (docs/annotations/annotations.md, "Gateway API Annotation Placement",
// and source/gateway.go of v0.22.0): target from the Gateway (or a
// ListenerSet), everything else from the routes.
var (
	// dnsRouteKeys go on every route generated for the Ingress.
	dnsRouteKeys = []string{"hostname", "ttl", "controller", "set-identifier", "alias", "record-type",
		"cloudflare-proxied", "cloudflare-custom-hostname", "cloudflare-region-key", "cloudflare-record-comment", "cloudflare-tags", "azure-tags"}
	// dnsRoutePrefixes are the provider-specific families, read from routes.
	dnsRoutePrefixes = []string{"aws-", "scw-", "webhook-", "coredns-", "cloudflare-"}
	// dnsIgnored only mean something on other sources.
	dnsIgnored = map[string]string{
		"internal-hostname": "read from Services only",
		"access":            "read from NodePort Services only",
		"endpoints-type":    "read from headless Services only",
		"ingress":           "read from Istio and Gloo gateways only",
	}
)

// externalDNS moves each converted Ingress's ExternalDNS annotations to
// where the Gateway API sources read them.
func (c *run) externalDNS() {
	type target struct {
		value string
		ing   *ingressnginx.Ingress // nil for a route of an earlier run
		who   string
	}
	// targets wanted per generated Gateway, by the Ingresses whose routes
	// attach to it (every one of them, with or without a target).
	wanted := map[*gatewayapi.Object][]target{}
	used := false
	var legacy []string
	for _, ing := range c.in.Converted {
		keys := c.dnsKeys(ing)
		var tv, tkey string
		for _, k := range sortedKeys(keys) {
			name, prefix := keys[k], strings.TrimSuffix(k, keys[k])
			used = true
			out := c.in.ExternalDNSPrefix
			if out == "" {
				out = prefix
			}
			if out == ExternalDNSLegacyPrefix && !slices.Contains(legacy, qualified(ing.Namespace, ing.Name)) {
				legacy = append(legacy, qualified(ing.Namespace, ing.Name))
			}
			value := ing.Spec.Annotations[k]
			switch {
			case ing.Canary:
				ing.Note(k, ingressnginx.Ignored, "a canary Ingress adds no hosts of its own: its primary's routes carry the primary's ExternalDNS annotations")
			case dnsIgnored[name] != "":
				ing.Note(k, ingressnginx.Ignored, "ExternalDNS: %s", dnsIgnored[name])
			case name == "target":
				tv, tkey = value, k
			case name == "ingress-hostname-source":
				c.onRoutes(ing, k, out+"gateway-hostname-source", value)
			case slices.Contains(dnsRouteKeys, name) || slices.ContainsFunc(dnsRoutePrefixes, func(p string) bool { return strings.HasPrefix(name, p) }):
				c.onRoutes(ing, k, out+name, value)
			default:
				ing.Note(k, ingressnginx.Unsupported, "ExternalDNS does not read it from Gateway API objects (docs/annotations/annotations.md of v0.22)")
				c.out.Findings.Warnf(ing.Object, "metadata.annotations."+k, "ExternalDNS: annotation %s is not one its Gateway API sources read; it is not carried", k)
			}
		}
		if ing.Canary {
			continue
		}
		gws := c.parentGateways(ing)
		if tkey != "" && len(gws) == 0 {
			ing.Note(tkey, ingressnginx.Unsupported, "the target Gateway is not created by this run")
			c.notCarriedf(ing.Object, "metadata.annotations."+tkey, "ExternalDNS: the Gateway API sources read %starget from the Gateway, and the routes attach to %s, which this run does not create; its owner must set %starget: %q on it (or on a ListenerSet, with --gateway-listener-sets), or the records of %s point at the Gateway's own address",
				outPrefix(c.in.ExternalDNSPrefix, tkey), c.attachTargets(ing), outPrefix(c.in.ExternalDNSPrefix, tkey), tv, strings.Join(c.hostsOf(ing), ", "))
		}
		for _, g := range gws {
			wanted[g] = append(wanted[g], target{tv, ing, qualified(ing.Namespace, ing.Name)})
		}
	}
	// Routes an earlier run generated for Ingresses that are gone (remove)
	// still attach to the Gateway and get its target like any other: they
	// count as asking for none, so that a second run decides as the first.
	var earlier []earlierRoute
	for _, ts := range wanted {
		if slices.ContainsFunc(ts, func(t target) bool { return t.value != "" }) {
			earlier = c.earlierRoutes() // only a target needs them
			break
		}
	}
	for _, r := range earlier {
		for _, p := range r.parents {
			if g := c.gateways[p.Namespace+"/"+p.Name]; g != nil && len(wanted[g]) > 0 {
				wanted[g] = append(wanted[g], target{who: r.kind + " " + qualified(r.namespace, r.name) + " of an earlier run"})
			}
		}
	}
	for _, g := range sortedGatewayKeys(wanted) {
		ts := wanted[g]
		agree := true
		for _, t := range ts[1:] {
			agree = agree && t.value == ts[0].value
		}
		withTarget := slices.IndexFunc(ts, func(t target) bool { return t.value != "" })
		if withTarget < 0 {
			continue
		}
		if agree {
			key := ""
			keys := c.dnsKeys(ts[0].ing) // agreeing on a target, every entry is an Ingress
			for _, k := range sortedKeys(keys) {
				if keys[k] == "target" && key == "" {
					key = k
				}
			}
			c.annotate(g, map[string]string{outPrefix(c.in.ExternalDNSPrefix, key) + "target": ts[0].value})
			for _, t := range ts {
				keys := c.dnsKeys(t.ing)
				for _, k := range sortedKeys(keys) {
					if keys[k] == "target" {
						t.ing.Note(k, ingressnginx.Converted, "ExternalDNS target on Gateway %s", qualified(g.Namespace, g.Name))
					}
				}
			}
			continue
		}
		var who []string
		for _, t := range ts {
			v := t.value
			if v == "" {
				v = "none"
			}
			who = append(who, fmt.Sprintf("%s: %s", t.who, v))
		}
		for _, t := range ts {
			if t.ing == nil {
				continue
			}
			keys := c.dnsKeys(t.ing)
			for _, k := range sortedKeys(keys) {
				if keys[k] == "target" {
					t.ing.Note(k, ingressnginx.Unsupported, "the Ingresses on Gateway %s disagree on the target", qualified(g.Namespace, g.Name))
					c.notCarriedf(t.ing.Object, "metadata.annotations."+k, "ExternalDNS: the target is read from the Gateway and applies to every route on it, and the Ingresses on Gateway %s disagree (%s); give them separate targets in spec.gateways", qualified(g.Namespace, g.Name), strings.Join(who, "; "))
				}
			}
		}
	}
	if !used {
		return
	}
	flags := "ExternalDNS: the DNS records of the converted Ingresses follow their routes only when ExternalDNS reads Gateway API objects: run it with --source=gateway-httproute (and --source=gateway-grpcroute, --source=gateway-tlsroute for gRPC and passthrough hosts), keep --source=ingress until the Ingresses are gone, add --gateway-listener-sets if targets are set on ListenerSets, and check --gateway-name/--gateway-namespace/--gateway-label-filter admit the Gateways"
	if len(legacy) > 0 {
		flags += fmt.Sprintf("; the annotations of %s keep the legacy prefix %s, which ExternalDNS v0.22 and later read only with --annotation-prefix=%s or, since v0.23, --enable-legacy-annotation-prefix (or set spec.externalDNS.annotationPrefix: %s)", strings.Join(legacy, ", "), ExternalDNSLegacyPrefix, ExternalDNSLegacyPrefix, ExternalDNSPrefix)
	}
	c.out.Findings.Infof(nil, "spec.externalDNS", "%s", flags)
}

// dnsKeys are the ExternalDNS annotations of ing: full key -> name.
func (c *run) dnsKeys(ing *ingressnginx.Ingress) map[string]string {
	out := map[string]string{}
	for k := range ing.Spec.Annotations {
		for _, p := range []string{ExternalDNSPrefix, ExternalDNSLegacyPrefix, c.in.ExternalDNSPrefix} {
			if p != "" && strings.HasPrefix(k, p) && len(k) > len(p) {
				out[k] = k[len(p):]
			}
		}
	}
	return out
}

// outPrefix is the prefix to write a key under: the configured one, or
// the key's own.
func outPrefix(configured, key string) string {
	if configured != "" {
		return configured
	}
	for _, p := range []string{ExternalDNSLegacyPrefix, ExternalDNSPrefix} {
		if strings.HasPrefix(key, p) {
			return p
		}
	}
	return key[:strings.LastIndex(key, "/")+1]
}

// onRoutes puts one annotation on every route of ing.
func (c *run) onRoutes(ing *ingressnginx.Ingress, from, key, value string) {
	routes := c.routes[ing]
	if len(routes) == 0 {
		ing.Note(from, ingressnginx.Ignored, "the Ingress generates no route of its own")
		return
	}
	var names []string
	for _, r := range routes {
		c.annotate(r, map[string]string{key: value})
		names = append(names, r.Kind+" "+r.Name)
	}
	how := "ExternalDNS reads it from routes: " + strings.Join(names, ", ")
	if key[strings.LastIndex(key, "/")+1:] != from[strings.LastIndex(from, "/")+1:] || key[:strings.LastIndex(key, "/")] != from[:strings.LastIndex(from, "/")] {
		how += " as " + key
	}
	ing.Note(from, ingressnginx.Converted, "%s", how)
}

// parentGateways are the created Gateways ing's routes attach to.
func (c *run) parentGateways(ing *ingressnginx.Ingress) []*gatewayapi.Object {
	var out []*gatewayapi.Object
	for _, r := range c.routes[ing] {
		for _, p := range routeParents(r) {
			if g := c.gateways[p.Namespace+"/"+p.Name]; g != nil && !slices.Contains(out, g) {
				out = append(out, g)
			}
		}
	}
	return out
}

// attachTargets names the Gateways ing's routes attach to.
func (c *run) attachTargets(ing *ingressnginx.Ingress) string {
	var out []string
	for _, r := range c.routes[ing] {
		for _, p := range routeParents(r) {
			if s := "Gateway " + qualified(p.Namespace, p.Name); !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	if len(out) == 0 {
		return "no Gateway"
	}
	return strings.Join(out, ", ")
}

// hostsOf are the hosts of ing's rules.
func (c *run) hostsOf(ing *ingressnginx.Ingress) []string {
	var out []string
	for _, r := range ing.Spec.Spec.Rules {
		if r.Host != "" && !slices.Contains(out, r.Host) {
			out = append(out, r.Host)
		}
	}
	return out
}

func sortedGatewayKeys[V any](m map[*gatewayapi.Object]V) []*gatewayapi.Object {
	out := make([]*gatewayapi.Object, 0, len(m))
	for g := range m {
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b *gatewayapi.Object) int {
		return strings.Compare(a.Namespace+"/"+a.Name, b.Namespace+"/"+b.Name)
	})
	return out
}

// earlierRoute is a route of the input that an earlier run generated and
// this one does not (its Ingress is gone).
type earlierRoute struct {
	kind, namespace, name string
	parents               []parent
}

func (c *run) earlierRoutes() []earlierRoute {
	now := map[string]bool{}
	for _, g := range c.in.Generated {
		now[g.Kind+"/"+g.Namespace+"/"+g.Name] = true
	}
	var out []earlierRoute
	for _, o := range c.in.Objects {
		k := o.Kind()
		if k != "HTTPRoute" && k != "GRPCRoute" && k != "TLSRoute" || o.Label(gatewayapi.ManagedByLabel) != gatewayapi.ManagedByValue || now[k+"/"+o.Namespace()+"/"+o.Name()] {
			continue
		}
		v, err := decode(o)
		if err != nil {
			continue // the attach check reports unreadable routes
		}
		r := earlierRoute{kind: k, namespace: o.Namespace(), name: o.Name()}
		for _, p := range asList(path(v, "spec", "parentRefs")) {
			if kind := str(path(p, "kind")); kind != "" && kind != "Gateway" {
				continue
			}
			q := parent{Namespace: o.Namespace(), Name: str(path(p, "name")), SectionName: str(path(p, "sectionName"))}
			if ns := str(path(p, "namespace")); ns != "" {
				q.Namespace = ns
			}
			r.parents = append(r.parents, q)
		}
		out = append(out, r)
	}
	return out
}
