package policy

import (
	"errors"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/convert/gatewayapi"
	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/finding"
	_ "github.com/routeshift/routeshift/internal/golden"
)

func TestLabelsMatchGatewayAPI(t *testing.T) {
	if ManagedByLabel != gatewayapi.ManagedByLabel || ManagedByValue != gatewayapi.ManagedByValue || SourceAnnotation != gatewayapi.SourceAnnotation {
		t.Error("labels differ from package gatewayapi's; routeshift would not recognise its own policies")
	}
}

func TestFit(t *testing.T) {
	if got := Fit("Web."); got != "web" {
		t.Errorf("Fit = %q", got)
	}
	long := strings.Repeat("a", 70)
	got := Fit(long)
	if len(got) > 63 || got == Fit(strings.Repeat("a", 71)) {
		t.Errorf("Fit(long) = %q: too long or not unique", got)
	}
}

func input(routes ...implementations.Route) implementations.Input {
	return implementations.Input{Namespace: "shop", Name: "web", Annotations: map[string]string{"a": "1", "b": "2"}, Routes: routes}
}

func TestOutputMergesSortsAndTargets(t *testing.T) {
	b := New(input(
		implementations.Route{Namespace: "shop", Name: "web-a"},
		implementations.Route{Namespace: "shop", Name: "web-b"},
	))
	b.Spec("x.dev/v1", "Zeta")["one"] = 1
	b.Spec("x.dev/v1", "Alpha")["two"] = 2
	b.Spec("x.dev/v1", "Alpha")["three"] = 3
	b.Spec("x.dev/v1", "Empty") // never filled: not emitted
	b.Add("v1", "Secret", "shop", "web-htpasswd", map[string]any{"data": map[string]any{}})
	b.Report(finding.Warning, "b", "second")
	b.Report(finding.Warning, "a", "first")
	b.Invalid(finding.Error, "a", errors.New("why"), "instead")
	b.Handle("a", implementations.Handling{Resource: "r"})

	out := b.Output()
	var kinds []string
	for _, o := range out.Objects {
		kinds = append(kinds, o.Kind+"/"+o.Name)
	}
	if strings.Join(kinds, " ") != "Alpha/web Secret/web-htpasswd Zeta/web" {
		t.Errorf("objects = %v", kinds)
	}
	alpha := out.Objects[0].Value["spec"].(map[string]any)
	if alpha["two"] != 2 || alpha["three"] != 3 || len(alpha["targetRefs"].([]any)) != 2 {
		t.Errorf("Alpha spec = %v", alpha)
	}
	md := out.Objects[0].Value["metadata"].(map[string]any)
	if md["annotations"].(map[string]any)[SourceAnnotation] != "Ingress shop/web" {
		t.Errorf("metadata = %v", md)
	}
	if out.Findings[0].Annotation != "a" || out.Findings[2].Annotation != "b" {
		t.Errorf("findings not sorted by annotation: %+v", out.Findings)
	}
	if want := `annotation a: value "1" not translated (why): instead`; out.Findings[1].Message != want {
		t.Errorf("Invalid message = %q, want %q", out.Findings[1].Message, want)
	}
	if _, ok := out.Handled["a"]; !ok {
		t.Error("Handled lost")
	}
}

func TestOutputWithoutRoutesEmitsNothing(t *testing.T) {
	b := New(input())
	b.Spec("x.dev/v1", "Alpha")["one"] = 1
	b.Add("v1", "Secret", "shop", "s", nil)
	b.Handle("a", implementations.Handling{})
	out := b.Output()
	if len(out.Objects) != 0 || len(out.Handled) != 1 {
		t.Errorf("out = %+v", out)
	}
}

func TestOutputOnePolicyPerRouteNamespace(t *testing.T) {
	b := New(input(
		implementations.Route{Namespace: "b", Name: "r1"},
		implementations.Route{Namespace: "a", Name: "r2"},
	))
	b.Spec("x.dev/v1", "Alpha")["one"] = 1
	out := b.Output()
	if len(out.Objects) != 2 || out.Objects[0].Namespace != "a" || out.Objects[1].Namespace != "b" {
		t.Fatalf("objects = %+v", out.Objects)
	}
	refs := out.Objects[0].Value["spec"].(map[string]any)["targetRefs"].([]any)
	if len(refs) != 1 || refs[0].(map[string]any)["name"] != "r2" {
		t.Errorf("namespace a targets %v", refs)
	}
}

func TestNoEffect(t *testing.T) {
	in := input()
	in.Annotations["c"] = "x\r\ny"
	b := New(in)
	static := implementations.Handling{Approximated: true, Resource: "r", Note: "static"}
	b.NoEffect("a", static, "No effect without b.")
	b.NoEffect("c", static, "No effect without b.")
	out := b.Output()
	if h := out.Handled["a"]; h != (implementations.Handling{Resource: "r", Note: "No effect without b."}) {
		t.Errorf("Handled[a] = %+v", h)
	}
	if _, ok := out.Handled["c"]; ok || len(out.Findings) != 1 || out.Findings[0].Annotation != "c" {
		t.Errorf("a hostile value was handled: %+v", out)
	}
}

func TestGrantService(t *testing.T) {
	b := New(input(implementations.Route{Namespace: "shop", Name: "web"}))
	b.GrantService("ext-auth", "x.dev", "Policy", "auth", "authz")
	out := b.Output()
	if len(out.Objects) != 1 {
		t.Fatalf("objects = %+v", out.Objects)
	}
	o := out.Objects[0]
	spec := o.Value["spec"].(map[string]any)
	from := spec["from"].([]any)[0].(map[string]any)
	to := spec["to"].([]any)[0].(map[string]any)
	if o.Kind != "ReferenceGrant" || o.Namespace != "auth" || o.Name != "shop.web-ext-auth" ||
		from["group"] != "x.dev" || from["kind"] != "Policy" || from["namespace"] != "shop" ||
		to["kind"] != "Service" || to["name"] != "authz" || to["group"] != "" {
		t.Errorf("grant = %+v", o)
	}
}

func TestList(t *testing.T) {
	if got := List([]int64{1, 2}); len(got) != 2 || got[0] != int64(1) || got[1] != int64(2) {
		t.Errorf("List = %#v", got)
	}
	if got := List[string](nil); got == nil || len(got) != 0 {
		t.Errorf("List(nil) = %#v, want an empty list", got)
	}
}
