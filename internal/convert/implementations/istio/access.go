package istio

import (
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"strings"

	"github.com/routeshift/routeshift/internal/convert/implementations/intent"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/policy"
	"github.com/routeshift/routeshift/internal/finding"
)

// sourceRanges writes nginx's access lines as one DENY AuthorizationPolicy
// per Gateway of the Ingress's routes. A policy attached to a Gateway sees
// every route on it, so each rule is scoped to the Ingress's hosts and
// paths, and only DENY is used: Istio denies a request that any DENY rule
// matches, then, if any ALLOW policy exists on the workload, every request
// none allows, so an ALLOW policy for one Ingress would close all the
// others. The denylist is a rule matching its addresses
// (remoteIpBlocks), the allowlist one matching every other address
// (notRemoteIpBlocks); nginx's deny lines, then allow lines, then deny all
// amount to the same.
//
// A list that does not parse makes ingress-nginx deny the location, so the
// rules then deny every client in the Ingress's scope rather than none.
func sourceRanges(b *policy.Builder) {
	allowName := b.AllowlistName(supports[intent.OldAllowlist])
	a := b.Intent().Access
	type list struct {
		name, field string
		cidrs       []any
	}
	var lists []list
	failed, set := false, false
	for _, l := range []struct {
		v     intent.Value[[]netip.Prefix]
		field string
	}{{a.Deny, "remoteIpBlocks"}, {a.Allow, "notRemoteIpBlocks"}} {
		if !l.v.Set {
			continue
		}
		set = true
		cidrs, ok := policy.Valid(b, l.v, finding.Error, "ingress-nginx denies the location; the AuthorizationPolicy denies every client on the Ingress's hosts and paths until it is fixed")
		if !ok {
			failed = true
			continue
		}
		out := list{name: l.v.Name, field: l.field}
		for _, c := range cidrs {
			out.cidrs = append(out.cidrs, c.String())
		}
		lists = append(lists, out)
	}
	if !set {
		return
	}
	// Scope findings name the annotation the user most likely reads for
	// access: the allowlist when there is one.
	subject := "denylist-source-range"
	if b.Has(allowName) {
		subject = allowName
	}
	in := b.Input()
	gws, unattached := gateways(in.Routes)
	var s scoper
	for _, g := range gws {
		to, ok := s.to(g)
		if !ok {
			continue // redirects only: nginx answers them before checking
		}
		var rules []any
		if failed {
			rules = append(rules, rule(nil, to))
		} else {
			for _, l := range lists {
				rules = append(rules, rule(map[string]any{l.field: l.cidrs}, to))
			}
		}
		b.Add(securityAPI, ap, g.Namespace, apName(in.Namespace, in.Name, g.Name), map[string]any{"spec": map[string]any{
			"action":     "DENY",
			"targetRefs": []any{map[string]any{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": g.Name}},
			"rules":      rules,
		}})
	}
	for _, n := range s.sortedNotes() {
		b.Report(n.sev, subject, "annotation %s: %s", subject, n.message)
	}
	if len(unattached) > 0 {
		b.Report(finding.Error, subject, "annotation %s: not carried for route(s) %s, which attach to no Gateway an AuthorizationPolicy can target: ingress-nginx checks the client address there, the routes would not", subject, strings.Join(unattached, ", "))
	}
	if len(in.Routes) > 0 && len(gws) == 0 {
		return // nothing carries the lists; the error says so
	}
	for _, l := range lists {
		h := supports[l.name]
		switch {
		case failed:
			h.Note = "Valid, but another source-range annotation is not, so every client is denied on the Ingress's hosts and paths."
		case len(unattached) > 0:
			h.Note = "Carried, except on the routes the error finding names, which no policy protects."
		}
		b.Handle(l.name, h)
	}
}

// rule is one AuthorizationPolicy rule: from the given source (nil: any
// client) to the given operations (nil: any request on the Gateway).
func rule(source map[string]any, to []any) map[string]any {
	r := map[string]any{}
	if source != nil {
		r["from"] = []any{map[string]any{"source": source}}
	}
	if to != nil {
		r["to"] = to
	}
	return r
}

// apName names the policy of one Ingress on one Gateway:
// "<namespace>.<ingress>.<gateway>". Policies of every namespace's
// Ingresses meet in the Gateway's namespace, and one Ingress may use two
// Gateways there, so all three parts are needed. A namespace has no dot,
// so the name is unambiguous unless the Ingress's or the Gateway's name has
// one; then a hash of the three parts keeps it unique.
func apName(namespace, ingress, gw string) string {
	name := namespace + "." + ingress + "." + gw
	if strings.Contains(ingress+gw, ".") {
		sum := sha256.Sum256([]byte(namespace + "/" + ingress + "/" + gw))
		name += "-" + hex.EncodeToString(sum[:])[:8]
	}
	return policy.Fit(name)
}
