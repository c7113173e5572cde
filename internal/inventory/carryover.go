package inventory

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/routeshift/routeshift/internal/load"
)

// Care is what moves with an Ingress besides its routes, and needs a
// reader's attention at its wave (docs/what-else-moves.md): certificates
// cert-manager's ingress-shim issues from it, DNS names ExternalDNS
// publishes for it, and the Argo Rollouts and Flagger Canaries that steer
// traffic through it.
type Care struct {
	// Certificates counts its spec.tls entries that ingress-shim issues
	// (an issuer annotation or kubernetes.io/tls-acme: "true").
	Certificates int `json:"certificates"`
	// DNSNames are its hosts and ExternalDNS hostname annotations, when it
	// carries ExternalDNS annotations.
	DNSNames []string `json:"dnsNames"`
	// Rollouts are "Rollout ns/name" and "Canary ns/name" objects of the
	// input whose nginx traffic routing names it.
	Rollouts []string `json:"rollouts"`
}

// CareCounts sums Care over a wave.
type CareCounts struct {
	Certificates int `json:"certificates"`
	DNSNames     int `json:"dnsNames"`
	Rollouts     int `json:"rollouts"`
}

func (c CareCounts) String() string {
	var parts []string
	for _, p := range []struct {
		n    int
		noun string
	}{{c.Certificates, "certificate"}, {c.DNSNames, "DNS name"}, {c.Rollouts, "rollout"}} {
		if p.n > 0 {
			parts = append(parts, count(p.n, p.noun))
		}
	}
	return strings.Join(parts, ", ")
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// care fills Care on every in-scope Ingress.
func (b *builder) care(objs []*load.Object) {
	steer := steering(objs)
	for _, e := range b.entries {
		if !e.out.InScope || e.m.Spec == nil {
			continue
		}
		ann := e.m.Spec.Annotations
		c := Care{DNSNames: []string{}, Rollouts: []string{}}
		acme, _ := strconv.ParseBool(ann["kubernetes.io/tls-acme"])
		if ann["cert-manager.io/issuer"] != "" || ann["cert-manager.io/cluster-issuer"] != "" || acme {
			for _, t := range e.m.Spec.Spec.TLS {
				if t.SecretName != "" && len(t.Hosts) > 0 {
					c.Certificates++
				}
			}
		}
		dns := false
		for k, v := range ann {
			for _, p := range []string{"external-dns.alpha.kubernetes.io/", "external-dns.kubernetes.io/"} {
				if strings.HasPrefix(k, p) {
					dns = true
					if k == p+"hostname" {
						for _, h := range strings.Split(v, ",") {
							c.DNSNames = addName(c.DNSNames, strings.TrimSpace(h))
						}
					}
				}
			}
		}
		if dns {
			for _, h := range e.out.Hosts {
				c.DNSNames = addName(c.DNSNames, h)
			}
			slices.Sort(c.DNSNames)
		}
		c.Rollouts = append(c.Rollouts, steer[e.m.Namespace+"/"+e.m.Name]...)
		if c.Certificates > 0 || len(c.DNSNames) > 0 || len(c.Rollouts) > 0 {
			e.out.Care = &c
		}
	}
}

func addName(names []string, h string) []string {
	if h == "" || slices.Contains(names, h) {
		return names
	}
	return append(names, h)
}

// steering maps namespace/name of an Ingress to the Rollouts and Canaries
// of objs that steer it through nginx.
func steering(objs []*load.Object) map[string][]string {
	out := map[string][]string{}
	for _, o := range objs {
		ns := o.Namespace()
		switch {
		case o.Kind() == "Rollout" && strings.HasPrefix(o.APIVersion(), "argoproj.io/"):
			nginx := load.Lookup(o.Node, "spec", "strategy", "canary", "trafficRouting", "nginx")
			var names []string
			if n := load.Lookup(nginx, "stableIngress"); n != nil {
				names = append(names, n.Value)
			}
			for _, n := range items(load.Lookup(nginx, "stableIngresses")) {
				names = append(names, n.Value)
			}
			for _, n := range names {
				out[ns+"/"+n] = append(out[ns+"/"+n], fmt.Sprintf("Rollout %s/%s", ns, o.Name()))
			}
		case o.Kind() == "Canary" && strings.HasPrefix(o.APIVersion(), "flagger.app/"):
			if p := load.Lookup(o.Node, "spec", "provider"); p == nil || p.Value != "nginx" {
				continue
			}
			if n := load.Lookup(o.Node, "spec", "ingressRef", "name"); n != nil {
				out[ns+"/"+n.Value] = append(out[ns+"/"+n.Value], fmt.Sprintf("Canary %s/%s", ns, o.Name()))
			}
		}
	}
	return out
}

// waveCare sums the Care of the Ingresses of a wave's groups; nil when
// there is none.
func waveCare(groups []Group, byRef map[string]*Care) *CareCounts {
	var c CareCounts
	for _, g := range groups {
		for _, ref := range g.Ingresses {
			if x := byRef[ref]; x != nil {
				c.Certificates += x.Certificates
				c.DNSNames += len(x.DNSNames)
				c.Rollouts += len(x.Rollouts)
			}
		}
	}
	if c == (CareCounts{}) {
		return nil
	}
	return &c
}
