package validate

import (
	"strings"
	"testing"
)

// widgetCRD is a minimal vendor-style CRD: a namespaced policy whose spec
// has a pattern, an enum, a default and a CEL rule, so that every stage
// NewFromCRDs must wire up is exercised without a vendor's real files.
const widgetCRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.dev
spec:
  group: example.dev
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
  - name: v1alpha1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          apiVersion: {type: string}
          kind: {type: string}
          metadata: {type: object}
          spec:
            type: object
            x-kubernetes-validations:
            - rule: "self.min <= self.max"
              message: min must not exceed max
            properties:
              size: {type: string, pattern: '^[0-9]+Mi$'}
              mode: {type: string, enum: [Fast, Slow], default: Fast}
              min: {type: integer}
              max: {type: integer}
`

const gadgetCRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.dev
spec:
  group: example.dev
  names: {kind: Gadget, plural: gadgets}
  scope: Cluster
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              enabled: {type: boolean}
`

func TestNewFromCRDs(t *testing.T) {
	// Two files, one of them with two documents and stray separators, as
	// vendors ship them.
	v, err := NewFromCRDs(map[string][]byte{
		"widgets.yaml": []byte("---\n" + widgetCRD),
		"more.yaml":    []byte(gadgetCRD + "\n---\n# nothing here\n---\n"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if !v.Knows("example.dev/v1alpha1", "Widget") || !v.Knows("example.dev/v1", "Gadget") {
		t.Fatal("kinds from the files are not known")
	}
	if v.Knows("gateway.networking.k8s.io/v1", "HTTPRoute") {
		t.Error("a vendor validator must not know Gateway API kinds it was not given")
	}

	good := map[string]any{
		"apiVersion": "example.dev/v1alpha1", "kind": "Widget",
		"metadata": map[string]any{"name": "w", "namespace": "shop"},
		"spec":     map[string]any{"size": "8Mi", "min": 1, "max": 2},
	}
	if errs := v.Validate(good); errs != nil {
		t.Errorf("valid object rejected: %v", errs)
	}

	bad := map[string]any{
		"apiVersion": "example.dev/v1alpha1", "kind": "Widget",
		"metadata": map[string]any{"name": "w", "namespace": "shop"},
		"spec":     map[string]any{"size": "8m", "min": 3, "max": 2, "colour": "red"},
	}
	assertErrors(t, v.Validate(bad), []string{
		`Widget/shop/w: spec.colour: Forbidden: unknown field`,
		`Widget/shop/w: spec.size: Invalid value: "8m": spec.size in body should match '^[0-9]+Mi$'`,
		`Widget/shop/w: spec: Invalid value: min must not exceed max`,
	})

	wrongVersion := map[string]any{"apiVersion": "example.dev/v9", "kind": "Gadget", "metadata": map[string]any{"name": "g"}}
	assertErrors(t, v.Validate(wrongVersion), []string{
		`Gadget/g: apiVersion: Unsupported value: "example.dev/v9": supported values: "example.dev/v1"`,
	})
}

func TestNewFromCRDsErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string][]byte
		want  string
	}{
		{"nothing", map[string][]byte{}, "no CustomResourceDefinition documents"},
		{"only separators", map[string][]byte{"a.yaml": []byte("---\n---\n")}, "no CustomResourceDefinition documents"},
		{"not a CRD", map[string][]byte{"a.yaml": []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")}, `crd file a.yaml, document 1: kind "ConfigMap", want CustomResourceDefinition`},
		{"duplicate kind", map[string][]byte{"a.yaml": []byte(widgetCRD), "b.yaml": []byte(widgetCRD)}, "already defined"},
		{"not YAML", map[string][]byte{"a.yaml": []byte("kind: [unclosed\n")}, "crd file a.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewFromCRDs(tt.files)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
