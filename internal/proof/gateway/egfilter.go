package gateway

import (
	"regexp"
	"strings"

	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/internal/proof/internal/kube"
)

// egRewrite is an Envoy Gateway HTTPRouteFilter (gateway.envoyproxy.io)
// whose only effect is a regex path rewrite (urlRewrite.path type
// ReplaceRegexMatch): Envoy's regex_rewrite, RE2's GlobalReplace of the
// pattern over the path without its query, "\1" naming a capture
// (api/v1alpha1/httproutefilter_types.go, v1.9.0). Only
// --implementation envoy-gateway reads it; for the specification and the
// other implementations an ExtensionRef filter stays unverifiable.
type egRewrite struct {
	re           *regexp.Regexp
	substitution string
}

var envoyCapture = regexp.MustCompile(`\\(\d)`)

func (e *egRewrite) rewrite(path string) string {
	repl := strings.ReplaceAll(e.substitution, "$", "$$")
	repl = envoyCapture.ReplaceAllString(repl, "$${$1}")
	return e.re.ReplaceAllString(path, repl)
}

// readEGFilter keeps an HTTPRouteFilter the model can apply: a path rewrite
// by regex and nothing else; any other content leaves it out, so that the
// ExtensionRef naming it stays unverifiable.
func (m *Model) readEGFilter(o *kube.Object) error {
	var f struct {
		Spec struct {
			URLRewrite *struct {
				Hostname any `json:"hostname"`
				Path     *struct {
					Type              string `json:"type"`
					ReplaceRegexMatch *struct {
						Pattern      string `json:"pattern"`
						Substitution string `json:"substitution"`
					} `json:"replaceRegexMatch"`
				} `json:"path"`
			} `json:"urlRewrite"`
			DirectResponse      any `json:"directResponse"`
			CredentialInjection any `json:"credentialInjection"`
		} `json:"spec"`
	}
	if err := kube.Decode(o, &f); err != nil {
		return err
	}
	u := f.Spec.URLRewrite
	if u == nil || u.Hostname != nil || f.Spec.DirectResponse != nil || f.Spec.CredentialInjection != nil ||
		u.Path == nil || u.Path.Type != "ReplaceRegexMatch" || u.Path.ReplaceRegexMatch == nil {
		return nil
	}
	re, err := regexp.Compile(u.Path.ReplaceRegexMatch.Pattern)
	if err != nil {
		return nil // Envoy Gateway rejects it; the ExtensionRef stays unverifiable
	}
	if m.egFilters == nil {
		m.egFilters = map[string]*egRewrite{}
	}
	m.egFilters[kube.Namespace(o)+"/"+o.Name()] = &egRewrite{re: re, substitution: u.Path.ReplaceRegexMatch.Substitution}
	return nil
}

func (m *Model) egFilter(ns string, ref *gatewayv1.LocalObjectReference) (*egRewrite, bool) {
	if m.opts.Implementation != EnvoyGateway || ref == nil || string(ref.Group) != "gateway.envoyproxy.io" || string(ref.Kind) != "HTTPRouteFilter" {
		return nil, false
	}
	f, ok := m.egFilters[ns+"/"+string(ref.Name)]
	return f, ok
}
