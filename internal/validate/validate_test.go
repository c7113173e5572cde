package validate

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Compiling a channel costs about 0.2 s; the tests share one
// Validator per channel, which also exercises sharing it.
var validators = map[Channel]func() (*Validator, error){
	Standard:     sync.OnceValues(func() (*Validator, error) { return New(Standard) }),
	Experimental: sync.OnceValues(func() (*Validator, error) { return New(Experimental) }),
}

func validator(t testing.TB, ch Channel) *Validator {
	t.Helper()
	v, err := validators[ch]()
	if err != nil {
		t.Fatalf("New(%s): %v", ch, err)
	}
	return v
}

// mustDecode parses a test fixture; fixtures are tab-free YAML.
func mustDecode(t testing.TB, doc string) map[string]any {
	t.Helper()
	obj, err := decodeYAML([]byte(doc))
	if err != nil {
		t.Fatalf("fixture does not decode: %v\n%s", err, doc)
	}
	return obj
}

// assertErrors compares the full error texts, ignoring order: the OpenAPI
// validator's order is not part of any contract.
func assertErrors(t *testing.T, got []error, want []string) {
	t.Helper()
	var texts []string
	for _, e := range got {
		texts = append(texts, e.Error())
	}
	slices.Sort(texts)
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(texts, want) {
		t.Errorf("errors:\n got: %s\nwant: %s", strings.Join(texts, "\n      "), strings.Join(want, "\n      "))
	}
}

func TestNewLoadsBothChannels(t *testing.T) {
	standardKinds := []string{"BackendTLSPolicy", "Gateway", "GatewayClass", "GRPCRoute", "HTTPRoute", "ListenerSet", "ReferenceGrant", "TCPRoute", "TLSRoute", "UDPRoute"}
	tests := []struct {
		ch    Channel
		kinds []string // group gateway.networking.k8s.io unless it has a dot
	}{
		{Standard, standardKinds},
		{Experimental, append(slices.Clone(standardKinds), "gateway.networking.x-k8s.io/XBackendTrafficPolicy", "gateway.networking.x-k8s.io/XBackend", "gateway.networking.x-k8s.io/XMesh")},
	}
	for _, tt := range tests {
		t.Run(string(tt.ch), func(t *testing.T) {
			v := validator(t, tt.ch)
			if len(v.kinds) != len(tt.kinds) {
				t.Errorf("%d kinds, want %d", len(v.kinds), len(tt.kinds))
			}
			for _, k := range tt.kinds {
				group := "gateway.networking.k8s.io"
				if g, kind, ok := strings.Cut(k, "/"); ok {
					group, k = g, kind
				}
				// v1alpha1 is served by no kind here: Knows ignores versions.
				if !v.Knows(group+"/v1alpha1", k) {
					t.Errorf("Knows(%s, %s) = false", group, k)
				}
			}
		})
	}
	if _, err := New("beta"); err == nil || !strings.Contains(err.Error(), `unknown channel "beta"`) {
		t.Errorf("New(beta) = %v, want unknown channel error", err)
	}
}

func TestNotGatewayAPIKindsAreIgnored(t *testing.T) {
	v := validator(t, Standard)
	for _, obj := range []map[string]any{
		{"apiVersion": "v1", "kind": "Service", "metadata": map[string]any{"name": "Not A DNS Name"}},
		{"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Nonsense"},
		{"apiVersion": "gateway.networking.x-k8s.io/v1alpha1", "kind": "XMesh"}, // experimental only
		{"apiVersion": 3, "kind": "HTTPRoute"},
		{},
	} {
		if v.Knows(stringOf(obj["apiVersion"]), stringOf(obj["kind"])) {
			t.Errorf("Knows(%v, %v) = true", obj["apiVersion"], obj["kind"])
		}
		if errs := v.Validate(obj); errs != nil {
			t.Errorf("Validate(%v) = %v, want nil", obj, errs)
		}
	}
}

func stringOf(v any) string { s, _ := v.(string); return s }

func TestFieldErrorGivesPathAndObject(t *testing.T) {
	v := validator(t, Standard)
	errs := v.Validate(mustDecode(t, `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  rules:
  - backendRefs: [{name: svc}]
`))
	if len(errs) != 1 {
		t.Fatalf("got %v, want one error", errs)
	}
	var fe *FieldError
	if !errors.As(errs[0], &fe) {
		t.Fatalf("%T is not a *FieldError", errs[0])
	}
	var inner *field.Error
	if !errors.As(errs[0], &inner) || inner != fe.Err {
		t.Errorf("errors.As does not reach the *field.Error")
	}
	if fe.Object() != "HTTPRoute/shop/web" || fe.Err.Field != "spec.rules[0].backendRefs[0]" || fe.Err.Type != field.ErrorTypeInvalid {
		t.Errorf("got object %q field %q type %q", fe.Object(), fe.Err.Field, fe.Err.Type)
	}
}

// TestConcurrentValidate backs the doc's promise that one Validator can be
// shared; run with -race to make it meaningful.
func TestConcurrentValidate(t *testing.T) {
	v := validator(t, Standard)
	bad := route(`
- backendRefs:
  - name: api
`)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				errs, err := v.ValidateYAML([]byte(bad))
				if err != nil || len(errs) != 1 {
					t.Errorf("got (%v, %v), want one error", errs, err)
					return
				}
			}
		})
	}
	wg.Wait()
}
