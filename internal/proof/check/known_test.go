package check

import "github.com/routeshift/routeshift/internal/proof/gateway"

// rejected marks a case whose input the evaluators refuse (an error naming
// the object), as diff's exit code 2 would.
const rejected = -1

type known struct {
	n   int
	why string
}

// Reasons shared by many cases.
const (
	// lua_ingress.lua strips the trailing "/" of request_uri before the
	// ssl-redirect; a RequestRedirect keeps the path. Found by this check;
	// the converter reports it as an approximation.
	slash = "ssl-redirect drops the trailing slash (http://h/x/ -> https://h/x), the Gateway redirect keeps it (warned as approximated)"
	// The converter reports an error and generates nothing for the
	// Ingress, so the Gateway side has no route for it.
	notConverted = "the converter reports an error and generates nothing for the Ingress"
	// The functionConfig is invalid; nothing is generated at all.
	badConfig = "the converter rejects the configuration; nothing is generated"
)

// knownDifferences lists, per golden case, how many probed requests route
// differently between the Ingresses (input.yaml) and the converter's
// output (expected.yaml), and why. Each is a difference the converter
// reports (a warning or an error result) or one this check found and the
// converter does not report yet (marked "not warned"). A case not listed
// must route the same; the comparison itself is never weakened.
var knownDifferences = map[string]known{
	"acme-challenge-exempt":      {2, slash},
	"app-root":                   {1, slash},
	"force-ssl-redirect":         {1, slash},
	"from-to-www-twin-defined":   {1, slash},
	"ssl-redirect-mixed":         {1, slash},
	"tls-same-namespace":         {1, slash},
	"tls-cross-namespace-secret": {2, slash},
	"split-grants":               {20, slash + " (20 hosts)"},
	"split-listeners":            {70, slash + " (70 hosts)"},
	"tls-certificate-conflict":   {2, slash + "; the certificate conflict itself is warned"},
	"configmap-config":           {1, slash + " (the target Gateway is not in the manifests and is assumed)"},
	"attach-sections":            {1, slash},
	"istio-access-and-affinity":  {3, slash},
	"ngf-policies":               {2, slash},
	"attach-existing-gateway": {6, "the existing Gateway's listeners have no allowedRoutes, so they admit routes " +
		"from their own namespace only and the generated routes do not attach (an error result on each route)"},
	"attach-without-sections": {9, notConverted + " (a redirecting TLS host needs sectionNames); " +
		"the plain host's route, attached without sectionName, also answers HTTPS (warned as approximated)"},
	"attach-missing-listener":      {6, notConverted + " (the Gateway has no https listener)"},
	"backend-grpc":                 {7, slash + " (the gRPC host's plain-HTTP side redirects like any TLS host)"},
	"backend-grpc-tls-redirect":    {6, slash + " (on the gRPC host's plain-HTTP side; the ACME solver's path is exempt and served)"},
	"backend-grpc-invalid-path":    {15, notConverted + " (a gRPC path that is no service name)"},
	"backend-protocol-other":       {3, notConverted + " (backend-protocol FCGI)"},
	"canary-cookie":                {3, "canary-by-cookie is not translated (warned)"},
	"create-collides-with-input":   {6, notConverted + " (the Gateway to create is already in the input)"},
	"default-backend-catch-all":    {5, "catch-all fall-through: unmatched paths of a known host get 404 from ingress-nginx, the host-less route on the Gateway (warned)"},
	"empty-input":                  {3, "no Ingress: ingress-nginx answers 404, no Gateway listens"},
	"from-to-www-redirect":         {4, "the twin host is served over http only; https://example.com is not (warned as approximated)"},
	"failed-ingress-accounting":    {16, notConverted + " (an invalid host, unresolvable ports, a FastCGI backend); the Ingresses with a snippet or redirect variables are refused by both sides (risk level, annotation validation)"},
	"ingress-remove":               {3, notConverted + " (named port without its Service)"},
	"invalid-config-targets":       {6, badConfig},
	"invalid-config-unknown-field": {6, badConfig},
	"listenersets-attach-refused":  {6, badConfig + " (listenerSets on a Gateway it does not create)"},
	"listenersets-per-namespace":   {4, slash + " (the HTTPS side, on the ListenerSets, routes the same)"},
	"targets-by-selector":          {15, badConfig + " (a duplicate target)"},
	"invalid-hosts-and-paths": {11, "the API server refuses the URL and upper-case hosts and strict-validate-path-type the path with a space, " +
		"so neither side serves them; " + notConverted + " (an ImplementationSpecific path with regex characters, which ingress-nginx serves as a prefix)"},
	"named-port-missing-on-service":     {6, notConverted + " (the Service has no such port)"},
	"named-port-unresolved":             {3, notConverted + " (the port name needs its Service)"},
	"no-target-matches":                 {6, notConverted + " (no gateway target for the host)"},
	"redirect-code-inexpressible":       {11, notConverted + " (redirect code 300)"},
	"redirect-invalid-url":              {11, notConverted + " (a temporal-redirect that is no absolute http(s) URL, which ingress-nginx ignores); javascript:alert(1) fails annotation validation, so both sides refuse that Ingress"},
	"redirect-request-uri-refused":      {3, "both sides refuse both Ingresses (annotation validation, v1.12+), so no Gateway listens; ingress-nginx's catch-all answers 404"},
	"redirect-variables-unsupported":    {15, notConverted + " (redirect URLs whose nginx variables no RequestRedirect expresses, and a temporal-redirect ingress-nginx ignored)"},
	"rewrite-capture-family":            {11, "capture-group rewrites as PathPrefix + ReplacePrefixMatch: the bare prefix, an empty (.+) remainder, P(.*) followed by other than '/', upper case (each warned per path)"},
	"rewrite-prefix-idiom-target":       {3, "regex mode: /V1 matches case-insensitively; /v1 rewrites to /internal/v1/ in nginx, /internal/v1 with ReplacePrefixMatch (warned as approximated)"},
	"trailing-slash-prefix":             {1, "Prefix /docs/: nginx answers /docs with 301 to /docs/, the Gateway forwards it (warned)"},
	"unclassed-excluded":                {3, "nothing is converted, so no Gateway listens; ingress-nginx's catch-all answers 404"},
	"use-regex-invalid-re2":             {3, notConverted + " (a PCRE-only regex); the other paths of the host are unverifiable"},
	"removed-api-versions":              {2, slash + " (v1beta1 Ingresses read as the API server converted them to v1)"},
	"certmanager-attach":                {1, slash},
	"certmanager-attach-remove":         {1, slash},
	"certmanager-create-keep":           {4, slash + " (4 hosts)"},
	"certmanager-create-remove":         {4, slash + " (4 hosts)"},
	"certmanager-gateway-conflict":      {4, slash + " (4 hosts)"},
	"certmanager-gateway-shim":          {4, slash + " (4 hosts)"},
	"certmanager-remove-default-issuer": {1, slash},
	"externaldns-create-keep":           {1, slash},
	"rollouts-create-keep":              {1, slash},
	"rollouts-create-remove": {4, slash + "; the Flagger Canary moves to gatewayapi:v1, so Flagger generates the " +
		"HTTPS route itself and the converted one is left out (reported on the Ingress)"},
	"invalid-config-externaldns-prefix":     {6, badConfig},
	"invalid-config-implementation-version": {6, badConfig + " (envoy-gateway v1.6 has no release data)"},
	"invalid-config-listenersets-v1.7":      {6, badConfig + " (Envoy Gateway v1.7 has no ListenerSet)"},
	"invalid-config-version-istio":          {6, badConfig + " (istio has no release data)"},
	"envoy-gateway-v1.7": {3, "Envoy Gateway v1.7 refuses 307 and 308 redirects (the whole HTTPRoute), so temporal-redirect-code 307 " +
		"answers 302 (warned); the 308 of shop.example.com's plain-HTTP side answers 301 (warned), unverifiable here behind auth-url"},
	"wrong-types":            {rejected, "an Ingress that does not decode: diff names it and stops"},
	"upstream-vhost-hostile": {rejected, "a carriage return in an annotation value: every command refuses the Ingress"},
	"wildcard-host":          {rejected, "unquoted *.example.com is a YAML alias: the input does not parse"},
}

// shadowed: what the implementation models found in the standard output
// of a capture rewrite in regex mode. No standard filter rewrites a
// RegularExpression match's path, so the converter warns (as approximated,
// naming the implementations that try regular expressions first); with
// spec.implementation: envoy-gateway it rewrites with a regular expression
// and is exact (golden case rewrite-prefix-idiom-envoy-gateway, not listed
// here: no request differs).
const shadowed = "the standard output has PathPrefix /api beside RegularExpression (?i)^/.* on one host; " +
	"the implementation tries the regex first, so /api does not reach its rule (warned as approximated)"

// knownAs lists, per golden case, the implementations under which the count
// of differing requests is not the specification's (knownDifferences):
// where the specification calls a request unverifiable or falls through to
// another hostname's routes, an implementation decides.
var knownAs = map[string]map[gateway.Implementation]known{
	"default-backend-catch-all": allImplementations(known{0, "a virtual host does not fall through to the host-less route; nor does ingress-nginx"}),
	"rewrite-capture-family": except(allImplementations(known{16, "the specification's 11, and the middle-capture host's 5 it calls unverifiable: " +
		"its RegularExpression rule forwards the path unrewritten (warned)"}),
		gateway.EnvoyGateway, known{19, "the others' 16, and 3 requests of root.example.com: Envoy Gateway writes PathPrefix / " +
			"with ReplacePrefixMatch /app/ as Envoy's prefix_rewrite of \"/\" to \"/app\", so /x reaches the backend as /appx " +
			"(internal/xds/translator/route.go, v1.8.0 and v1.9.1; seen in egctl's output by TestEnvoyGatewayTranslator)"}),
	"rewrite-captures-unsupported": allImplementations(known{5, "the capture-group rewrite is not translated (warned): the path reaches the backend unrewritten"}),
	"trailing-slash-prefix":        {gateway.NginxGatewayFabric: {0, "nginx-gateway-fabric may or may not redirect /docs under PathPrefix /docs/: unverifiable"}},
	"rewrite-prefix-idiom": {
		gateway.EnvoyGateway:       {5, shadowed},
		gateway.Kgateway:           {5, shadowed},
		gateway.Istio:              {2, "Istio tries PathPrefix /api first, but matches it case-sensitively: /API goes to the regex rule (warned as approximated)"},
		gateway.NginxGatewayFabric: {4, shadowed},
	},
}

// except is m with impl's entry replaced by k.
func except(m map[gateway.Implementation]known, impl gateway.Implementation, k known) map[gateway.Implementation]known {
	m[impl] = k
	return m
}

func allImplementations(k known) map[gateway.Implementation]known {
	out := map[gateway.Implementation]known{}
	for _, i := range gateway.Implementations() {
		out[i] = k
	}
	return out
}
