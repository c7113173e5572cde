package load

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

var encodeJSONSeeds = []string{
	`{"b":1,"a":{"z":[1,2.5,-3e2,true,false,null,"x"],"y":{}},"c":[]}`,
	`{"s":"quote \" backslash \\ slash \/ nl \n tab \t uni \u00fc emoji \ud83d\ude00 ctl \u0001"}`,
	`[{"k":"v"},[],"",0]`,
	`[[1,[2,{}]],[[]],{"a":[{"b":[]}]},[{}]]`,
	` { "spaced" : [ 1 , 2 ] } `,
	`{"status":{"a":1},"metadata":{"name":"x","creationTimestamp":null},"spec":{"status":"kept","metadata":{"creationTimestamp":1}}}`,
	`{"dup":1,"dup":2,"a\u0000b":"yes","":"","true":"no","1":"0x1","k: v":"- x","#":"a #b"}`,
	`{}`, `[]`, `"top"`, `12`, `null`,
	`{"status":1}`,
	`{"items":[{"status":1,"metadata":{"creationTimestamp":2}}]}`,
}

// TestEncodeJSONMatchesNodes holds EncodeJSON to what it replaces: the
// node tree NodeFromJSON builds, written by the writers' encoder.
func TestEncodeJSONMatchesNodes(t *testing.T) {
	for _, doc := range encodeJSONSeeds {
		checkEncodeJSON(t, []byte(doc))
	}
}

func FuzzEncodeJSON(f *testing.F) {
	for _, doc := range encodeJSONSeeds {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkEncodeJSON(t, data)
	})
}

func checkEncodeJSON(t *testing.T, data []byte) {
	t.Helper()
	drop := []string{"status", "metadata.creationTimestamp"}
	node, nodeErr := NodeFromJSON(data, drop...)
	if nodeErr != nil {
		if _, err := EncodeJSON(data, drop...); err == nil {
			t.Fatalf("%q: NodeFromJSON fails (%v), EncodeJSON does not", data, nodeErr)
		}
		return
	}
	want, err := encodeNode(node)
	if err != nil {
		if _, encErr := EncodeJSON(data, drop...); encErr == nil {
			t.Fatalf("%q: the node encoder fails (%v), EncodeJSON does not", data, err)
		}
		return
	}
	got, err := EncodeJSON(data, drop...)
	if err != nil {
		t.Fatalf("%q: EncodeJSON: %v", data, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%q:\nEncodeJSON:\n%s\nnode encoder:\n%s", data, got, want)
	}
	if node.Kind != yaml.MappingNode {
		if _, err := NewObjectFromJSON(data, Source{}, drop...); err == nil {
			t.Fatalf("%q: NewObjectFromJSON accepted a document that is not an object", data)
		}
		return
	}
	obj, err := NewObjectFromJSON(data, Source{}, drop...)
	if err != nil {
		t.Fatalf("%q: NewObjectFromJSON: %v", data, err)
	}
	// The head is the root's apiVersion, kind and metadata pairs.
	head := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for i := 0; i+1 < len(node.Content); i += 2 {
		switch node.Content[i].Value {
		case "apiVersion", "kind", "metadata":
			head.Content = append(head.Content, node.Content[i], node.Content[i+1])
		}
	}
	if !bytes.Equal(obj.encoded, want) {
		t.Fatalf("%q: texts differ:\n%s\n%s", data, obj.encoded, want)
	}
	a, _ := JSON(obj.Node)
	b, _ := JSON(head)
	if !bytes.Equal(a, b) || !sameTree(obj.Node, head) || !reflect.DeepEqual(obj.Node, head) {
		t.Fatalf("%q: heads differ: %s, %s", data, a, b)
	}
}

func TestEncodeJSONRejectsBrokenInput(t *testing.T) {
	for _, doc := range []string{``, `{`, `{"a"}`, `{"a":}`, `[1,]x`, `"unterminated`, `{"a":1}x`, `tru`, `"\x"`, `{"a":1,}`} {
		if _, err := EncodeJSON([]byte(doc)); err == nil {
			t.Errorf("%q must be an error", doc)
		}
	}
}

// An object built from Go values comes out as the node route writes it.
func TestNewObjectFromJSON(t *testing.T) {
	data, _ := json.Marshal(map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"name": "x", "creationTimestamp": nil, "labels": map[string]string{"a": "b"}},
		"data":     map[string]string{"k": "1"}, "status": map[string]any{}})
	o, err := NewObjectFromJSON(data, Source{Path: "gen.yaml"}, "status", "metadata.creationTimestamp")
	if err != nil {
		t.Fatal(err)
	}
	const want = "apiVersion: v1\ndata:\n  k: \"1\"\nkind: ConfigMap\nmetadata:\n  labels:\n    a: b\n  name: x\n"
	if string(o.encoded) != want {
		t.Errorf("text:\n%s\nwant:\n%s", o.encoded, want)
	}
	if o.Kind() != "ConfigMap" || o.Name() != "x" || o.Label("a") != "b" || Lookup(o.Node, "data") != nil {
		t.Errorf("head holds the wrong fields: %s/%s label %q", o.Kind(), o.Name(), o.Label("a"))
	}
}
