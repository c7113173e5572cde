package nginxgatewayfabric

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

// basicAuth writes an AuthenticationFilter of type Basic. NGF reads the
// htpasswd lines from the key auth of an Opaque Secret in the filter's
// namespace (graph/authentication_filter.go, secrets.AuthKey, v2.6.7),
// which is an ingress-nginx auth-file Secret as it is, so that Secret is
// referenced, whatever its hashes. An auth-map Secret is copied into one.
// Every failure still emits the filter, referencing the copy that was not
// generated: NGF answers 500 on a rule whose filter is invalid, as
// ingress-nginx denies a location whose authentication is broken.
func basicAuth(b *policy.Builder) {
	ba := b.Intent().Basic
	typ, secret, secretType, realm := ba.Type.Name, ba.Secret.Name, ba.SecretType.Name, ba.Realm.Name
	if !ba.Type.Set {
		for _, k := range []string{secret, secretType, realm} {
			if b.Has(k) {
				noEffect(b, k, "No effect without auth-type.")
			}
		}
		return
	}
	in := b.Input()
	copyRef := value.Ref{Namespace: in.Namespace, Name: b.Name("htpasswd")}
	// ingress-nginx writes auth_basic "<auth-realm>", "" without it.
	realmValue := ""
	if r, ok := policy.Valid(b, ba.Realm, finding.Warning, "the login prompt shows an empty realm"); ok {
		if strings.ContainsAny(r, `\$`) {
			b.Invalid(finding.Warning, realm, errors.New("contains a backslash or $, which NGINX Gateway Fabric writes into its configuration unescaped"), "the login prompt shows an empty realm")
		} else {
			realmValue = r
			handle(b, realm)
		}
	}
	filter := func(secretName string) {
		b.Add(apiVersion, af, in.Namespace, b.Name("basic-auth"), map[string]any{"spec": map[string]any{
			"type":  "Basic",
			"basic": map[string]any{"secretRef": map[string]any{"name": secretName}, "realm": realmValue},
		}})
	}
	closed := fmt.Sprintf("the AuthenticationFilter references Secret %s, which is not generated: until it exists with an auth key of htpasswd lines, NGINX Gateway Fabric answers 500 on these routes", copyRef)
	fail := func() { filter(copyRef.Name) }

	if err := htpasswd.Type(ba.Type, "NGINX Gateway Fabric"); err != nil {
		b.Invalid(finding.Error, typ, err, closed)
		fail()
		return
	}
	if !ba.Secret.Set {
		b.Report(finding.Error, typ, "annotation %s: basic authentication without auth-secret; %s", typ, closed)
		fail()
		return
	}
	ref, err := ba.Secret.V, ba.Secret.Err
	if err == nil && ref.Namespace != in.Namespace {
		err = errors.New("the Secret is in another namespace; NGINX Gateway Fabric reads Secrets of the filter's namespace only, and user lists are not copied across namespaces")
	}
	if err == nil && ref == copyRef {
		err = errors.New("the Secret has the name of the one generated from it")
	}
	if err != nil {
		b.Invalid(finding.Error, secret, err, closed)
		fail()
		return
	}
	if _, ok := policy.Valid(b, ba.SecretType, finding.Error, closed); ba.SecretType.Set && !ok {
		fail()
		return
	}
	if ba.Kind() == "auth-file" {
		// The same file under the same key: nginx reads it as
		// ingress-nginx's nginx did, present in the input or not.
		filter(ref.Name)
	} else {
		data, ok := in.Secrets[ref.String()]
		if !ok {
			b.Report(finding.Error, secret, "annotation %s: Secret %s is not in the input, and an auth-map Secret must be to be converted; %s", secret, ref, closed)
			fail()
			return
		}
		users, err := htpasswd.ReadAny(data, "auth-map")
		if err != nil {
			b.Report(finding.Error, secret, "annotation %s: Secret %s cannot be used: %v; %s", secret, ref, err, closed)
			fail()
			return
		}
		b.Add("v1", "Secret", copyRef.Namespace, copyRef.Name, map[string]any{
			"type": "Opaque",
			"data": map[string]any{"auth": base64.StdEncoding.EncodeToString([]byte(strings.Join(users.Lines, "\n") + "\n"))},
		})
		filter(copyRef.Name)
	}
	handle(b, typ)
	handle(b, secret)
	if ba.SecretType.Set {
		handle(b, secretType)
	}
}

// sourceRanges writes nginx's access lines, as ingress-nginx's template
// does: a deny line per denied range, then an allow line per allowed range
// and "deny all". They are built here from parsed ranges (no annotation
// text reaches them) and carried by a SnippetsFilter, NGF's one way to set
// allow and deny. A list that does not parse makes ingress-nginx deny the
// location, so the filter then holds "deny all" alone.
func sourceRanges(b *policy.Builder) {
	b.AllowlistName(supports[intent.OldAllowlist])
	a := b.Intent().Access
	if !a.Allow.Set && !a.Deny.Set {
		if a.Satisfy.Set {
			noEffect(b, a.Satisfy.Name, "No effect without an access list beside basic authentication.")
		}
		return
	}
	var lines []string
	var carried []string
	failed := false
	for _, l := range []struct {
		v      intent.Value[[]netip.Prefix]
		action string
	}{{a.Deny, "deny"}, {a.Allow, "allow"}} {
		if l.v.Set && l.v.Err != nil {
			failed = true
		}
		cidrs, ok := policy.Valid(b, l.v, finding.Error, "ingress-nginx denies the location; the routes deny every client until it is fixed")
		if !ok {
			continue
		}
		for _, c := range cidrs {
			lines = append(lines, l.action+" "+c.String()+";")
		}
		if l.action == "allow" {
			lines = append(lines, "deny all;")
		}
		carried = append(carried, l.v.Name)
	}
	if failed {
		lines = []string{"deny all;"}
	}
	lines = satisfy(b, lines, failed)
	for _, name := range carried {
		h := supports[name]
		if failed {
			h.Approximated = true
			h.Note = "Valid, but another source-range annotation is not, so every client is denied."
		}
		b.Handle(name, h)
	}
	b.Add(apiVersion, sf, b.Input().Namespace, b.Name("access"), map[string]any{"spec": map[string]any{
		"snippets": []any{map[string]any{"context": "http.server.location", "value": strings.Join(lines, " ")}},
	}})
}

// satisfy writes ingress-nginx's satisfy line into the access lines, which
// share the location with auth_basic: with "any", an allowed address or a
// valid login is enough. It matters only beside both an access list and
// basic authentication, and never beside a list that did not parse, which
// ingress-nginx turns into a denied location whatever the login.
func satisfy(b *policy.Builder, lines []string, failed bool) []string {
	in := b.Intent()
	v := in.Access.Satisfy
	mode, ok := policy.Valid(b, v, finding.Warning, "nginx requires both the address and the login, its default")
	switch {
	case !ok:
		return lines
	case mode == "all":
		noEffect(b, v.Name, "all is nginx's default: the address and the login are both required.")
	case failed:
		noEffect(b, v.Name, "No effect: a source range does not parse, so ingress-nginx denies the location whatever the login.")
	case !in.Basic.Type.OK() || in.Basic.Type.V != "basic":
		noEffect(b, v.Name, "No effect without basic authentication beside the access list.")
	default:
		handle(b, v.Name)
		return append([]string{"satisfy any;"}, lines...)
	}
	return lines
}
