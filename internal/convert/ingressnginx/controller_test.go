package ingressnginx

import (
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/annotations"
	"github.com/routeshift/routeshift/internal/finding"
)

// TestControllerProfile: what the profile's risk level, snippet setting
// and annotation validation make of one Ingress, as ingress-nginx does
// (controller.go in this package).
func TestControllerProfile(t *testing.T) {
	snippet := "  annotations:\n    nginx.ingress.kubernetes.io/configuration-snippet: |\n      more_set_headers \"X-Frame-Options: DENY\";\n"
	requestURI := "  annotations:\n    nginx.ingress.kubernetes.io/permanent-redirect: https://new.example.com$request_uri\n"
	plain := "  annotations:\n    nginx.ingress.kubernetes.io/permanent-redirect: https://new.example.com/landing?from=old\n"
	for _, c := range []struct {
		name, extra string
		opt         Options
		served      bool
		fate        Fate   // of the annotation, for a served Ingress
		result      string // a finding about the Ingress must say this
	}{
		// v1.12+ defaults: a Critical annotation refuses the Ingress.
		{"snippet, defaults", snippet, opts, false, 0, "configuration-snippet is Critical risk, above annotations-risk-level High"},
		// Let in but not allowed: dropped, and the result says so.
		{"snippet, dropped", snippet, Options{ClassNames: opts.ClassNames, MaxRisk: annotations.Critical}, true, Ignored, "configuration-snippet ignored: allow-snippet-annotations is false"},
		// Let in and allowed: triaged, as before.
		{"snippet, allowed", snippet, Options{ClassNames: opts.ClassNames, MaxRisk: annotations.Critical, AllowSnippets: true}, true, Approximated, ""},
		// Allowed but above the risk level: still refused.
		{"snippet, allowed, risk High", snippet, Options{ClassNames: opts.ClassNames, AllowSnippets: true}, false, 0, "Critical risk"},
		// v1.12+: $request_uri fails annotation validation.
		{"request_uri, defaults", requestURI, opts, false, 0, "fails the annotation validation of ingress-nginx v1.12"},
		// Before v1.12: expanded, converted keeping path and query.
		{"request_uri, no validation", requestURI, Options{ClassNames: opts.ClassNames, NoAnnotationValidation: true}, true, Converted, "holds the nginx variable $request_uri"},
		{"plain redirect, defaults", plain, opts, true, Converted, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, fs := Build(objects(t, ingress("a", c.extra, "h.example.com / Prefix a")), c.opt)
			ing := m.Ingresses[0]
			if ing.Served != c.served {
				t.Fatalf("served %v, want %v; findings:\n%s", ing.Served, c.served, messages(fs))
			}
			if c.result != "" && !strings.Contains(messages(fs), c.result) {
				t.Errorf("want a finding saying %q:\n%s", c.result, messages(fs))
			}
			if !c.served {
				if fs.Max() != finding.Error {
					t.Errorf("a refused Ingress must fail with an error:\n%s", messages(fs))
				}
				return
			}
			for _, a := range m.Annotations(ing) {
				if a.Fate != c.fate {
					t.Errorf("%s: fate %s (%s), want %s", a.Key, a.Fate, a.Reason, c.fate)
				}
			}
			if c.fate == Ignored && ing.Settings.Snippet != nil {
				t.Error("a dropped snippet must not be triaged")
			}
		})
	}
}

func messages(fs finding.List) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.Message + "\n")
	}
	return b.String()
}
