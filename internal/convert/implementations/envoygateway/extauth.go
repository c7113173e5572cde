package envoygateway

import (
	"errors"
	"strings"

	"github.com/routeshift/routeshift/internal/convert/implementations/internal/policy"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/value"
	"github.com/routeshift/routeshift/internal/finding"
)

// headersToExtAuth are the request headers sent to the auth service beyond
// the ones Envoy always sends (Host, Method, Path, Content-Length,
// Authorization). nginx's auth_request sends every header; these are the
// ones auth services commonly read: the session cookie and the original
// request's address, host and scheme.
var headersToExtAuth = []any{"Cookie", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto"}

// extAuth turns auth-url into Envoy Gateway's HTTP external authorization,
// but only when the URL names an in-cluster Service: Envoy sends the check
// to a backendRef, not to a URL. Anything else leaves the routes without
// the authentication ingress-nginx enforced, which is an error finding.
func (i impl) extAuth(b *policy.Builder) {
	ea := b.Intent().External
	name, respHeaders := ea.URL.Name, ea.ResponseHeaders.Name
	if !ea.URL.Set {
		if ea.ResponseHeaders.Set {
			noEffect(b, respHeaders, "No effect without auth-url.")
		}
		return
	}
	instead := "the routes are NOT authenticated; point auth-url at the auth Service's cluster DNS name (http://<service>.<namespace>.svc.cluster.local:<port>/<path>) or write the SecurityPolicy by hand"
	if errors.Is(ea.URL.Err, value.ErrHTTPS) {
		instead = "the routes are NOT authenticated; write the SecurityPolicy by hand with a BackendTLSPolicy for the auth Service"
	}
	svc, ok := policy.Valid(b, ea.URL, finding.Error, instead)
	if !ok {
		return
	}
	in := b.Input()
	ref := map[string]any{"name": svc.Name, "port": svc.Port}
	if svc.Namespace != in.Namespace {
		ref["namespace"] = svc.Namespace
		b.GrantService("ext-auth", "gateway.envoyproxy.io", sp, svc.Namespace, svc.Name)
	}
	// pathOverride, not path: Envoy appends the request's path to path,
	// where nginx's auth_request calls exactly the URL. A release without
	// pathOverride gets path, and the difference in the Note (table).
	http := map[string]any{"backendRefs": []any{ref}, "pathOverride": svc.Path}
	if i.lacks(pathOverrideSince) {
		delete(http, "pathOverride")
		if svc.Path != "" && svc.Path != "/" {
			http["path"] = svc.Path
		}
	}
	if names, ok := policy.Valid(b, ea.ResponseHeaders, finding.Warning, "no header of the auth service's answer reaches the backend"); ok {
		http["headersToBackend"] = policy.List(names)
		handle(b, respHeaders)
	}
	b.Spec(apiVersion, sp)["extAuth"] = map[string]any{"http": http, "headersToExtAuth": headersToExtAuth}
	b.Handle(name, i.table()[name])
	if strings.HasSuffix(svc.Path, "/oauth2/auth") {
		b.Report(finding.Warning, name, "annotation %s: %s looks like oauth2-proxy's /oauth2/auth, which answers 202 to an authenticated request; Envoy lets only 200 through, so every request would be denied: use an endpoint that answers 200 (for oauth2-proxy, a static://200 upstream)", name, svc.Path)
	}
}
