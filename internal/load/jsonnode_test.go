package load

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TestNodeFromJSONMatchesDecoding checks the hand parser against
// encoding/json: the node tree must read back as the same value.
func TestNodeFromJSONMatchesDecoding(t *testing.T) {
	for _, doc := range []string{
		`{"b":1,"a":{"z":[1,2.5,-3e2,true,false,null,"x"],"y":{}},"c":[]}`,
		`{"s":"quote \" backslash \\ slash \/ nl \n tab \t uni \u00fc emoji \ud83d\ude00 ctl \u0001"}`,
		`[{"k":"v"},[],"",0]`,
		` { "spaced" : [ 1 , 2 ] } `,
	} {
		n, err := NodeFromJSON([]byte(doc))
		if err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		back, err := JSON(n)
		if err != nil {
			t.Fatal(err)
		}
		var want, got any
		_ = json.Unmarshal([]byte(doc), &want)
		if err := json.Unmarshal(back, &got); err != nil {
			t.Fatalf("%s: %v", back, err)
		}
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%s came back as %s", doc, back)
		}
		var buf bytes.Buffer
		if !emitSimple(&buf, n) {
			t.Errorf("%s: generated tree not emitted simply", doc)
		}
		var y yaml.Node
		if err := yaml.Unmarshal(buf.Bytes(), &y); err != nil {
			t.Errorf("%s: emitted YAML does not parse: %v\n%s", doc, err, buf.String())
		}
	}
}

func TestNodeFromJSONDropsPaths(t *testing.T) {
	n, err := NodeFromJSON([]byte(`{"status":{"a":1},"metadata":{"name":"x","creationTimestamp":null},"spec":{"status":"kept"}}`), "status", "metadata.creationTimestamp")
	if err != nil {
		t.Fatal(err)
	}
	back, _ := JSON(n)
	if string(back) != `{"metadata":{"name":"x"},"spec":{"status":"kept"}}` {
		t.Errorf("got %s", back)
	}
}

func TestNodeFromJSONRejectsBrokenInput(t *testing.T) {
	for _, doc := range []string{``, `{`, `{"a"}`, `{"a":}`, `[1,]x`, `"unterminated`, `{"a":1}x`, `tru`, `"\x"`} {
		if _, err := NodeFromJSON([]byte(doc)); err == nil {
			t.Errorf("%q must be an error", doc)
		}
	}
}
