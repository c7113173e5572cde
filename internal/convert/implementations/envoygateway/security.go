package envoygateway

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

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
	allowName := b.AllowlistName(supports["whitelist-source-range"])
	var rules []any
	failed := false
	for _, r := range []struct{ name, action string }{{"denylist-source-range", "Deny"}, {allowName, "Allow"}} {
		raw, ok := b.Raw(r.name)
		if !ok {
			continue
		}
		cidrs, err := value.CIDRs(raw)
		if err != nil {
			b.Invalid(finding.Error, r.name, err, "ingress-nginx denies the location; the routes deny every client until it is fixed")
			failed = true
			continue
		}
		list := make([]any, len(cidrs))
		for i, c := range cidrs {
			list[i] = c.String()
		}
		rules = append(rules, map[string]any{"name": r.name, "action": r.action, "principal": map[string]any{"clientCIDRs": list}})
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
	const typ, secret, secretType, realm = "auth-type", "auth-secret", "auth-secret-type", "auth-realm"
	raw, ok := b.Raw(typ)
	if !ok {
		for _, k := range []string{secret, secretType, realm} {
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

	if err := htpasswd.Type(raw, "Envoy Gateway"); err != nil {
		b.Invalid(finding.Error, typ, err, closed)
		return
	}
	rawRef, ok := b.Raw(secret)
	if !ok {
		b.Report(finding.Error, typ, "annotation %s: basic authentication without auth-secret; %s", typ, closed)
		return
	}
	ref, err := value.ObjectRef(rawRef, in.Namespace)
	if err == nil && ref.Namespace != in.Namespace {
		err = errors.New("the Secret is in another namespace, and user lists are not copied across namespaces")
	}
	if err == nil && ref == target {
		err = errors.New("the Secret has the name of the one generated from it")
	}
	if err != nil {
		b.Invalid(finding.Error, secret, err, closed)
		return
	}
	data, ok := in.Secrets[ref.String()]
	if !ok {
		b.Report(finding.Error, secret, "annotation %s: Secret %s is not in the input; %s", secret, ref, closed)
		return
	}
	kind := "auth-file"
	if raw, ok := b.Raw(secretType); ok {
		k, err := htpasswd.Kind(raw)
		if err != nil {
			b.Invalid(finding.Error, secretType, err, closed)
			return
		}
		kind = k
	}
	users, err := htpasswd.Read(data, kind)
	if err != nil {
		b.Report(finding.Error, secret, "annotation %s: Secret %s cannot be used: %v; %s", secret, ref, err, closed)
		return
	}
	content := strings.Join(users.Lines, "\n") + "\n"
	b.Add("v1", "Secret", target.Namespace, target.Name, map[string]any{
		"type": "Opaque",
		"data": map[string]any{".htpasswd": base64.StdEncoding.EncodeToString([]byte(content))},
	})
	handle(b, typ)
	handle(b, secret)
	if b.Has(secretType) {
		handle(b, secretType)
	}
	if raw, ok := b.Raw(realm); ok {
		if _, err := value.Realm(raw); err != nil {
			b.Invalid(finding.Warning, realm, err, "the realm is not shown")
		} else {
			handle(b, realm)
		}
	}
}
