package load

import (
	"encoding/json"
	"reflect"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TestJSONMatchesDecoding checks the direct writer against the slow path
// it replaces: decoding the node into Go values and marshalling them.
func TestJSONMatchesDecoding(t *testing.T) {
	for _, doc := range []string{
		"a: 1\nb: true\nc: null\nd: x\ne: [1, 2.5, \"3\", ~]\nf: {g: {h: []}}\n",
		"port: 0x1F\nweight: 1_000\nratio: 1e3\nname: 'quoted: yes'\nmulti: |\n  line one\n  line two\n",
		"unicode: ünï \"q\" \\ \t\nempty: ''\nk8s: {apiVersion: v1, kind: Service}\n",
		"- a\n- b: [c]\n",
	} {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(doc), &n); err != nil {
			t.Fatal(err)
		}
		got, err := JSON(&n)
		if err != nil {
			t.Fatalf("%q: %v", doc, err)
		}
		var v any
		if err := n.Decode(&v); err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(v)
		var a, b any
		if err := json.Unmarshal(got, &a); err != nil {
			t.Fatalf("%q: invalid JSON %s: %v", doc, got, err)
		}
		_ = json.Unmarshal(want, &b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%q:\n got  %s\n want %s", doc, got, want)
		}
	}
}

func TestJSONRejectsWhatJSONCannotHold(t *testing.T) {
	for _, doc := range []string{"n: .inf\n", "n: .nan\n"} {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(doc), &n); err != nil {
			t.Fatal(err)
		}
		if _, err := JSON(&n); err == nil {
			t.Errorf("%q must be an error", doc)
		}
	}
}
