package gatewayapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	gwv1 "sigs.k8s.io/gateway-api/apis/v1"
	gwv1beta1 "sigs.k8s.io/gateway-api/apis/v1beta1"

	"github.com/routeshift/routeshift/internal/load"
)

// generatedKinds are the typed values Encode is given, by kind.
var generatedKinds = map[string]func() any{
	"Gateway":          func() any { return &gwv1.Gateway{} },
	"HTTPRoute":        func() any { return &gwv1.HTTPRoute{} },
	"GRPCRoute":        func() any { return &gwv1.GRPCRoute{} },
	"TLSRoute":         func() any { return &gwv1.TLSRoute{} },
	"BackendTLSPolicy": func() any { return &gwv1.BackendTLSPolicy{} },
	"ListenerSet":      func() any { return &gwv1.ListenerSet{} },
	"ReferenceGrant":   func() any { return &gwv1beta1.ReferenceGrant{} },
}

// goldenObjects are the Gateway API objects of every YAML file under the
// repository's testdata, as JSON, with their kinds: what the converter
// generates, and hand-written inputs with more fields set.
func goldenObjects(t testing.TB) (kinds []string, docs [][]byte) {
	root := filepath.Join("..", "..", "..", "testdata")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil || !bytes.Contains(data, []byte("gateway.networking.k8s.io/")) {
			return err
		}
		objs, err := load.ReadStream(bytes.NewReader(data), path)
		if err != nil {
			return nil // the bad inputs
		}
		for _, o := range objs {
			if generatedKinds[o.Kind()] == nil || !strings.HasPrefix(o.APIVersion(), "gateway.networking.k8s.io/") {
				continue
			}
			n, err := o.Tree()
			if err != nil {
				continue
			}
			if doc, err := load.JSON(n); err == nil {
				kinds, docs = append(kinds, o.Kind()), append(docs, doc)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return kinds, docs
}

// TestEncodeMatchesJSON holds Encode (load.NewObjectFromValue) to the
// JSON route it replaced, on every Gateway API object of the testdata.
func TestEncodeMatchesJSON(t *testing.T) {
	kinds, docs := goldenObjects(t)
	if len(docs) < 100 {
		t.Fatalf("only %d Gateway API objects found under testdata", len(docs))
	}
	for i, doc := range docs {
		checkEncode(t, kinds[i], doc)
	}
}

// FuzzEncode decodes the fuzzer's JSON into a generated kind (encoding/json,
// not strictly: whatever fields it fills) and holds the two encoders equal.
func FuzzEncode(f *testing.F) {
	kinds, docs := goldenObjects(f)
	for i, doc := range docs {
		if i%7 == 0 { // a spread of kinds and shapes is enough to start from
			f.Add(kinds[i], doc)
		}
	}
	f.Add("HTTPRoute", []byte(`{"metadata":{"name":"a\u00ff<b>","annotations":{"x\u2028":"&"},"creationTimestamp":"2024-01-02T03:04:05Z"},"spec":{"rules":[{"timeouts":{"request":"1s"},"matches":[{"path":{"type":"Exact","value":"/\ud800"}}]}]},"status":{"parents":[]}}`))
	f.Fuzz(func(t *testing.T, kind string, doc []byte) {
		checkEncode(t, kind, doc)
	})
}

func checkEncode(t *testing.T, kind string, doc []byte) {
	t.Helper()
	mk := generatedKinds[kind]
	if mk == nil {
		return
	}
	v := mk()
	if json.Unmarshal(doc, v) != nil {
		return
	}
	o := &Object{Kind: kind, Value: v}
	src := load.Source{Path: "in.yaml", Index: 3}
	got, gotErr := o.Encode(src)
	want, wantErr := o.encodeJSON(src)
	if (gotErr != nil) != (wantErr != nil) {
		t.Fatalf("%s %s: Encode: %v, through JSON: %v", kind, doc, gotErr, wantErr)
	}
	if gotErr != nil {
		return
	}
	var g, w bytes.Buffer
	if err := load.WriteStream(&g, []*load.Object{got}); err != nil {
		t.Fatal(err)
	}
	if err := load.WriteStream(&w, []*load.Object{want}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(g.Bytes(), w.Bytes()) {
		t.Fatalf("%s %s: Encode wrote\n%s\nthrough JSON\n%s", kind, doc, g.Bytes(), w.Bytes())
	}
	if !reflect.DeepEqual(got.Node, want.Node) || got.Kind() != want.Kind() || got.Name() != want.Name() || got.Namespace() != want.Namespace() || got.Source != want.Source {
		t.Fatalf("%s %s: the head nodes differ", kind, doc)
	}
}

// BenchmarkEncode compares Encode with the JSON route on the Gateway API
// objects of testdata (decoded once).
func BenchmarkEncode(b *testing.B) {
	kinds, docs := goldenObjects(b)
	var objs []*Object
	for i, doc := range docs {
		v := generatedKinds[kinds[i]]()
		if json.Unmarshal(doc, v) == nil {
			objs = append(objs, &Object{Kind: kinds[i], Value: v})
		}
	}
	for _, bc := range []struct {
		name string
		enc  func(*Object, load.Source) (*load.Object, error)
	}{{"value", (*Object).Encode}, {"json", (*Object).encodeJSON}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, o := range objs {
					if _, err := bc.enc(o, load.Source{}); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// encodeJSON is Encode through the JSON text: json.Marshal, then
// load.NewObjectFromJSON.
func (o *Object) encodeJSON(src load.Source) (*load.Object, error) {
	data, err := json.Marshal(o.Value)
	if err != nil {
		return nil, fmt.Errorf("%s %s/%s: %w", o.Kind, o.Namespace, o.Name, err)
	}
	obj, err := load.NewObjectFromJSON(data, src, dropped...)
	if err != nil {
		return nil, fmt.Errorf("%s %s/%s: %w", o.Kind, o.Namespace, o.Name, err)
	}
	return obj, nil
}
