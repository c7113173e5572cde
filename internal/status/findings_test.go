package status

import (
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/load"
)

func TestFindings(t *testing.T) {
	in := gatewayYAML("gw", "{name: s, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: gone}]}}") +
		routeYAML("HTTPRoute", "infra", "r", "parentRefs: [{name: gw}, {name: elsewhere}], rules: [{backendRefs: [{name: web, port: 80, weight: 0}]}]") +
		serviceYAML("infra", "web", 80)
	objs, err := load.ReadStream(strings.NewReader(in), "in.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range Run(objs, Declared{}).Findings(objs) {
		ref := "-"
		if f.Object != nil {
			ref = f.Object.Ref()
		}
		got = append(got, f.Severity.String()+" "+ref+" "+f.Field+" "+f.Message)
	}
	want := []string{
		"error Gateway infra/gw (in.yaml[0]) spec.listeners[0] listener s: ResolvedRefs False InvalidCertificateRef: certificateRefs[0]: Secret infra/gone is neither in the manifests nor declared",
		"info HTTPRoute infra/r (in.yaml[1]) spec.parentRefs[1] parent Gateway infra/elsewhere: Accepted Unknown Pending: Gateway infra/elsewhere is neither in the manifests nor declared",
		"warning HTTPRoute infra/r (in.yaml[1]) spec.rules[0] every backendRef has weight 0 (backendRefs[0] (web)): the rule sends no traffic to any backend",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var l finding.List = Run(objs, Declared{}).Findings(objs)
	if l.Max() != finding.Error {
		t.Errorf("max severity %v", l.Max())
	}
}
