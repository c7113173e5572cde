package validate

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// TestEveryKindCompiles is what New used to prove by compiling everything:
// every embedded CRD decodes to the group and kind its header names, and
// compiles.
func TestEveryKindCompiles(t *testing.T) {
	for _, ch := range []Channel{Standard, Experimental} {
		v, err := New(ch)
		if err != nil {
			t.Fatal(err)
		}
		if err := compileAll(v.kinds); err != nil {
			t.Errorf("%s: %v", ch, err)
		}
		for gk, k := range v.kinds {
			if len(k.served) == 0 {
				t.Errorf("%s %s: no served versions", ch, gk)
			}
		}
	}
}

// TestLazyCompilesOnlyWhatIsUsed proves the laziness is real: validating an
// HTTPRoute v1 compiles that version of HTTPRoute's CRD and nothing else.
func TestLazyCompilesOnlyWhatIsUsed(t *testing.T) {
	v, err := New(Standard)
	if err != nil {
		t.Fatal(err)
	}
	v.Validate(map[string]any{"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
		"metadata": map[string]any{"name": "r", "namespace": "ns"}, "spec": map[string]any{}})
	var compiled []string
	for gk, k := range v.kinds {
		for name, l := range k.versions {
			if l.version != nil {
				compiled = append(compiled, gk.Kind+"/"+name)
			}
		}
	}
	if !slices.Equal(compiled, []string{"HTTPRoute/v1"}) {
		t.Errorf("compiled %v, want only HTTPRoute/v1", compiled)
	}
}

// TestLazyMatchesEager: the checks are the same as when every kind was
// compiled up front. Every object of every golden case's output is
// validated by a lazy validator (each kind compiled when first met) and by
// one compiled in full.
func TestLazyMatchesEager(t *testing.T) {
	eager, err := New(Experimental)
	if err != nil {
		t.Fatal(err)
	}
	if err := compileAll(eager.kinds); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../../testdata/cases/*/expected.yaml")
	if len(files) == 0 {
		t.Fatal("no golden outputs found")
	}
	lazy, err := New(Experimental)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		for _, obj := range readObjects(t, f) {
			if !eager.Knows(str(obj["apiVersion"]), str(obj["kind"])) {
				continue
			}
			// An invalid copy too: the error paths must agree as well.
			bad := map[string]any{}
			for k, val := range obj {
				bad[k] = val
			}
			bad["spec"] = map[string]any{"unknownField": true}
			for _, o := range []map[string]any{obj, bad} {
				a, b := errStrings(lazy.Validate(o)), errStrings(eager.Validate(o))
				if !slices.Equal(a, b) {
					t.Errorf("%s: lazy %v, eager %v", f, a, b)
				}
				checked++
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d objects checked", checked)
	}
}

// TestHeaderReadsEmbeddedCRDs: header, the cheap reader New relies on,
// agrees with the full decode on every embedded file, and declines text it
// cannot read plainly.
func TestHeaderReadsEmbeddedCRDs(t *testing.T) {
	for _, ch := range []Channel{Standard, Experimental} {
		entries, err := crdFS.ReadDir("crds/" + string(ch))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			data, _ := crdFS.ReadFile("crds/" + string(ch) + "/" + e.Name())
			name, gk, ok := header(data)
			crd, err := decodeCRD(data)
			if err != nil {
				t.Fatal(err)
			}
			want := schema.GroupKind{Group: crd.Spec.Group, Kind: crd.Spec.Names.Kind}
			if !ok || name != crd.Name || gk != want {
				t.Errorf("%s: header %q %v %v, decode %q %v", e.Name(), name, gk, ok, crd.Name, want)
			}
		}
	}
	for _, in := range []string{"", "spec:\n  group: g\n", "metadata:\n  name: \"x\"\nspec:\n  group: g\n  names:\n    kind: K\n"} {
		if _, _, ok := header([]byte(in)); ok {
			t.Errorf("header(%q) accepted", in)
		}
	}
}

func str(v any) string { s, _ := v.(string); return s }

func errStrings(errs []error) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Error()
	}
	return out
}

// TestProtoMatchesYAML: the protobuf copies the validator decodes are the
// embedded YAML CRDs exactly, so go generate must have run after the YAML
// last changed; every YAML file has one and nothing else is there.
func TestProtoMatchesYAML(t *testing.T) {
	for _, ch := range []Channel{Standard, Experimental} {
		entries, err := crdFS.ReadDir("crds/" + string(ch))
		if err != nil {
			t.Fatal(err)
		}
		pbs, err := crdFS.ReadDir("crdpb/" + string(ch))
		if err != nil {
			t.Fatal(err)
		}
		if len(pbs) != len(entries) {
			t.Errorf("%s: %d protobuf files for %d CRD files; run go generate ./internal/validate", ch, len(pbs), len(entries))
		}
		for _, e := range entries {
			data, _ := crdFS.ReadFile("crds/" + string(ch) + "/" + e.Name())
			want, err := decodeCRD(data)
			if err != nil {
				t.Fatal(err)
			}
			pb, err := crdFS.ReadFile(protoFile(ch, e.Name()))
			if err != nil {
				t.Errorf("%s/%s: %v; run go generate ./internal/validate", ch, e.Name(), err)
				continue
			}
			got, err := decodeCRDProto(pb)
			if err != nil {
				t.Fatalf("%s: %v", protoFile(ch, e.Name()), err)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("%s differs from %s/%s (-yaml +protobuf); run go generate ./internal/validate:\n%s", protoFile(ch, e.Name()), ch, e.Name(), d)
			}
		}
	}
}
