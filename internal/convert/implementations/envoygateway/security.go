package envoygateway

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/routeshift/routeshift/internal/convert/implementations/intent"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/htpasswd"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/policy"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/value"
	"github.com/routeshift/routeshift/internal/finding"
)

// sourceRanges writes nginx's access lines as Envoy Gateway authorization
// rules in nginx's order: deny lines first, then the allowlist and a final
// deny all; without an allowlist everything else is allowed.
//
// A list that does not parse makes ingress-nginx deny the location, so the
// routes fail closed too (defaultAction Deny, no rules) rather than open.
func sourceRanges(b *policy.Builder) {
	allowName := b.AllowlistName(supports[intent.OldAllowlist])
	a := b.Intent().Access
	var rules []any
	failed := false
	for _, r := range []struct {
		v      intent.Value[[]netip.Prefix]
		action string
	}{{a.Deny, "Deny"}, {a.Allow, "Allow"}} {
		if r.v.Set && r.v.Err != nil {
			failed = true
		}
		cidrs, ok := policy.Valid(b, r.v, finding.Error, "ingress-nginx denies the location; the routes deny every client until it is fixed")
		if !ok {
			continue
		}
		list := make([]any, len(cidrs))
		for i, c := range cidrs {
			list[i] = c.String()
		}
		rules = append(rules, map[string]any{"name": r.v.Name, "action": r.action, "principal": map[string]any{"clientCIDRs": list}})
	}
	for _, r := range rules {
		name := r.(map[string]any)["name"].(string)
		h := supports[name]
		if failed {
			h.Approximated = true
			h.Note = "Valid, but another source-range annotation is not, so every client is denied."
		}
		b.Handle(name, h)
	}
	switch {
	case failed:
		b.Spec(apiVersion, sp)["authorization"] = map[string]any{"defaultAction": "Deny"}
	case len(rules) > 0:
		def := "Allow"
		if b.Has(allowName) {
			def = "Deny"
		}
		b.Spec(apiVersion, sp)["authorization"] = map[string]any{"defaultAction": def, "rules": rules}
	}
}

// basicAuth copies an ingress-nginx htpasswd Secret into the form Envoy
// Gateway reads (key .htpasswd, {SHA} hashes only). Whenever auth-type is
// set but the list cannot be produced, the SecurityPolicy still references
// the Secret it would have produced: Envoy Gateway then answers 500 on the
// routes until someone creates it, as ingress-nginx denies a location whose
// authentication is broken. Open routes would be the worse failure.
func basicAuth(b *policy.Builder) {
	ba := b.Intent().Basic
	if !ba.Type.Set {
		for _, k := range []string{ba.Secret.Name, ba.SecretType.Name, ba.Realm.Name} {
			if b.Has(k) {
				noEffect(b, k, "No effect without auth-type.")
			}
		}
		return
	}
	in := b.Input()
	target := value.Ref{Namespace: in.Namespace, Name: b.Name("htpasswd")}
	b.Spec(apiVersion, sp)["basicAuth"] = map[string]any{"users": map[string]any{"name": target.Name}}
	closed := fmt.Sprintf("the SecurityPolicy references Secret %s, which is not generated: until it exists with a .htpasswd key of {SHA} hashes, Envoy Gateway answers 500 on these routes", target)

	if err := htpasswd.Type(ba.Type, "Envoy Gateway"); err != nil {
		b.Invalid(finding.Error, ba.Type.Name, err, closed)
		return
	}
	if !ba.Secret.Set {
		b.Report(finding.Error, ba.Type.Name, "annotation %s: basic authentication without auth-secret; %s", ba.Type.Name, closed)
		return
	}
	ref, err := ba.Secret.V, ba.Secret.Err
	if err == nil && ref.Namespace != in.Namespace {
		err = errors.New("the Secret is in another namespace, and user lists are not copied across namespaces")
	}
	if err == nil && ref == target {
		err = errors.New("the Secret has the name of the one generated from it")
	}
	if err != nil {
		b.Invalid(finding.Error, ba.Secret.Name, err, closed)
		return
	}
	data, ok := in.Secrets[ref.String()]
	if !ok {
		b.Report(finding.Error, ba.Secret.Name, "annotation %s: Secret %s is not in the input; %s", ba.Secret.Name, ref, closed)
		return
	}
	if _, ok := policy.Valid(b, ba.SecretType, finding.Error, closed); ba.SecretType.Set && !ok {
		return
	}
	users, err := htpasswd.Read(data, ba.Kind())
	if err != nil {
		b.Report(finding.Error, ba.Secret.Name, "annotation %s: Secret %s cannot be used: %v; %s", ba.Secret.Name, ref, err, closed)
		return
	}
	content := strings.Join(users.Lines, "\n") + "\n"
	b.Add("v1", "Secret", target.Namespace, target.Name, map[string]any{
		"type": "Opaque",
		"data": map[string]any{".htpasswd": base64.StdEncoding.EncodeToString([]byte(content))},
	})
	handle(b, ba.Type.Name)
	handle(b, ba.Secret.Name)
	if ba.SecretType.Set {
		handle(b, ba.SecretType.Name)
	}
	if _, ok := policy.Valid(b, ba.Realm, finding.Warning, "the realm is not shown"); ok {
		handle(b, ba.Realm.Name)
	}
}
