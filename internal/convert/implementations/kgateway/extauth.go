package kgateway

import (
	"errors"

	"github.com/routeshift/routeshift/internal/convert/implementations/internal/policy"
	"github.com/routeshift/routeshift/internal/finding"
)

// headersToForward are the request headers sent to the auth service beyond
// the ones Envoy always sends (Host, Method, Path, Content-Length,
// Authorization); nginx sends every header, and these are the ones auth
// services commonly read.
var headersToForward = []any{"cookie", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto"}

// extAuth turns auth-url into a GatewayExtension of type ExtAuth and a
// TrafficPolicy reference to it. kgateway's HTTP service takes a path
// prefix to which Envoy appends the request's path, so only an auth URL
// whose path is / means the same thing; any other path would send checks
// to paths the auth service does not serve, and every request would be
// denied.
func extAuth(b *policy.Builder) {
	ea := b.Intent().External
	name, respHeaders := ea.URL.Name, ea.ResponseHeaders.Name
	if !ea.URL.Set {
		if ea.ResponseHeaders.Set {
			noEffect(b, respHeaders, "No effect without auth-url.")
		}
		return
	}
	svc, err := ea.URL.V, ea.URL.Err
	if err == nil && svc.Path != "/" {
		err = errors.New("kgateway sends the check to the URL's path followed by the request's path, where nginx calls exactly the URL; only the path / translates")
	}
	if err != nil {
		b.Invalid(finding.Error, name, err, "the routes are NOT authenticated; write the GatewayExtension and TrafficPolicy by hand")
		return
	}
	in := b.Input()
	ext := b.Name("ext-auth")
	ref := map[string]any{"name": svc.Name, "port": svc.Port}
	if svc.Namespace != in.Namespace {
		ref["namespace"] = svc.Namespace
		b.GrantService("ext-auth", "gateway.kgateway.dev", ge, svc.Namespace, svc.Name)
	}
	http := map[string]any{"backendRef": ref}
	if names, ok := policy.Valid(b, ea.ResponseHeaders, finding.Warning, "no header of the auth service's answer reaches the backend"); ok {
		http["authorizationResponse"] = map[string]any{"headersToBackend": policy.List(names)}
		handle(b, respHeaders)
	}
	b.Add(apiVersion, ge, in.Namespace, ext, map[string]any{
		"spec": map[string]any{
			"type":    "ExtAuth",
			"extAuth": map[string]any{"httpService": http, "headersToForward": headersToForward},
		},
	})
	b.Spec(apiVersion, tp)["extAuth"] = map[string]any{"extensionRef": map[string]any{"name": ext}}
	handle(b, name)
}
