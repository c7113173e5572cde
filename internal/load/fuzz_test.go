package load

import (
	"bytes"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// streamSeeds are inputs the tests use, as fuzzing seeds.
var streamSeeds = []string{
	streamInput,
	"",
	"\ufeffa: 1\n---\nb: 2\n",
	"a: 1\n...\nb: 2\n...\n# end\n",
	"%YAML 1.1\n---\na: 1\n",
	"--- {a: 1}\n--- !!map\nb: 2\n",
	"a: 1\r\n---\r\n# c\r\nb: 2\r\n",
	"apiVersion: v1\nkind: List\nitems:\n- kind: A # a\n  metadata: {name: a}\n- {kind: B}\n---\nkind: C\n",
	"a: 1\n---\nkind: x\n  bad: [\n",
	"metadata:\n  name: a\n  name: b\n",
	"a: &x 1\nb: *x\n",
	"a: \x00\n",
	"a: 1\r---\rb: 2\n",
	"---\n~\n",
	"- a\n",
}

// sameTree reports whether two trees hold the same data: kinds, tags,
// values and order, ignoring style, comments and positions, and how a null
// is spelled ("", ~, null).
func sameTree(a, b *yaml.Node) bool {
	if a == nil || b == nil {
		return a == b // text-only objects (trailing comments) have no tree
	}
	if a.Kind != b.Kind || a.ShortTag() != b.ShortTag() || len(a.Content) != len(b.Content) {
		return false
	}
	if a.Value != b.Value && a.ShortTag() != "!!null" {
		return false
	}
	for i := range a.Content {
		if !sameTree(a.Content[i], b.Content[i]) {
			return false
		}
	}
	return true
}

func FuzzReadStream(f *testing.F) {
	for _, s := range streamSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		objs, err := ReadStream(bytes.NewReader(data), "fuzz.yaml")
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := WriteStream(&out, objs); err != nil {
			t.Fatalf("WriteStream: %v", err)
		}
		again, err := ReadStream(bytes.NewReader(out.Bytes()), "fuzz.yaml")
		if err != nil {
			t.Fatalf("re-reading the output: %v\ninput:  %q\noutput: %q", err, data, out.Bytes())
		}
		if len(again) != len(objs) {
			t.Fatalf("read %d objects, re-read %d\ninput:  %q\noutput: %q", len(objs), len(again), data, out.Bytes())
		}
		allText := len(objs) > 0
		for i := range objs {
			if !sameTree(objs[i].Node, again[i].Node) {
				t.Fatalf("object %d changed\ninput:  %q\noutput: %q", i, data, out.Bytes())
			}
			allText = allText && objs[i].Raw() != nil
		}
		if allText && !bytes.Equal(out.Bytes(), data) {
			t.Fatalf("output differs from input\ninput:  %q\noutput: %q", data, out.Bytes())
		}
	})
}

func FuzzReadResourceList(f *testing.F) {
	for _, s := range []string{
		rlHeader + kustomizeItems,
		rlHeader + kustomizeItems + functionConfig,
		rlHeader + strings.ReplaceAll(kustomizeItems, "\n", "\n  "),
		rlHeader + "items: [{kind: A, metadata: {name: a}}, {kind: B}]\n",
		rlHeader + "items: # the objects\n# first\n-\n  # alone\n  kind: A\n- &anchor\n  kind: C\n-   kind: D\r\n    m: {n: d}\r\n- kind: E",
		rlHeader + "items:\n- kind: A\r  metadata: {name: a}\n- kind: B\n",
		rlHeader + "items:\n- a: \"x\nb\"\nfunctionConfig: {}\n",
		"",
		rlHeader + "items: []\n",
		rlHeader + "items:\n- kind: A\n# end of A\n...\n# after the document\n",
		rlHeader + "items:\n- kind: A\n  data:\n    x: |\n      line",
		// Layouts items.go reads apart, and near misses it must leave to
		// the whole parse.
		rlHeader + "items:\n# first\n- kind: A\n  data:\n    x: |\n      line\n\n# between\n-\n  kind: B\n# after\nfunctionConfig:\n  kind: C\n",
		rlHeader + "items:\n  - kind: A\n    m: 1\n  # c\n  - kind: B\n...\n",
		rlHeader + "items:\n- kind: A\n  s: \"x\n  y\"\n- kind: B\nresults: []\n",
		rlHeader + "items:\n- kind: A\nitems:\n- kind: B\n",
		rlHeader + "items:\n- kind: A\n- - nested\n- scalar\n",
		rlHeader + "items:\n- kind: A\n-kind: B\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		IsResourceList(data)
		rl, err := ReadResourceList(data)
		sameAsWhole(t, data, rl, err)
		if err != nil {
			return
		}
		// Results follow the items, so an item's text that ran past the end
		// of the items would show.
		results := []byte("- done\n")
		var out bytes.Buffer
		if err := WriteResourceList(&out, rl.Items, results); err != nil {
			t.Fatalf("WriteResourceList: %v", err)
		}
		again, err := ReadResourceList(out.Bytes())
		if err != nil {
			t.Fatalf("re-reading the output: %v\ninput:  %q\noutput: %q", err, data, out.Bytes())
		}
		if len(again.Items) != len(rl.Items) {
			t.Fatalf("read %d items, re-read %d\ninput:  %q\noutput: %q", len(rl.Items), len(again.Items), data, out.Bytes())
		}
		for i := range rl.Items {
			if !sameTree(rl.Items[i].Node, again.Items[i].Node) {
				t.Fatalf("item %d changed\ninput:  %q\noutput: %q", i, data, out.Bytes())
			}
		}
		if r, _ := mapValue(again.Header, "results"); r == nil || r.Kind != yaml.SequenceNode || len(r.Content) != 1 || r.Content[0].Value != "done" {
			t.Fatalf("results lost\ninput:  %q\noutput: %q", data, out.Bytes())
		}
		if !IsResourceList(out.Bytes()) {
			t.Fatalf("output is not recognised as a ResourceList: %q", out.Bytes())
		}
	})
}

// sameAsWhole checks that reading the items apart (items.go) gives what
// reading the list as one document gives: the same error or none, and the
// same items, texts, sources and values.
func sameAsWhole(t *testing.T, data []byte, rl *ResourceList, err error) {
	t.Helper()
	whole, wholeErr := readResourceList(data, false, nil)
	if (err == nil) != (wholeErr == nil) || err != nil && err.Error() != wholeErr.Error() {
		t.Fatalf("read apart: %v; whole: %v\ninput: %q", err, wholeErr, data)
	}
	if err != nil {
		return
	}
	if len(rl.Items) != len(whole.Items) {
		t.Fatalf("read apart: %d items; whole: %d\ninput: %q", len(rl.Items), len(whole.Items), data)
	}
	for i, o := range rl.Items {
		w := whole.Items[i]
		a, _ := JSON(o.Node)
		b, _ := JSON(w.Node)
		if !bytes.Equal(a, b) || !bytes.Equal(o.raw, w.raw) || o.rawIndent != w.rawIndent || o.rawLine != w.rawLine || o.Source != w.Source {
			t.Fatalf("item %d differs:\napart: %s %q %d %v\nwhole: %s %q %d %v\ninput: %q", i, a, o.raw, o.rawIndent, o.Source, b, w.raw, w.rawIndent, w.Source, data)
		}
		if o.Node.Line != w.Node.Line || o.Node.Column != w.Node.Column {
			t.Fatalf("item %d at %d:%d apart, %d:%d whole\ninput: %q", i, o.Node.Line, o.Node.Column, w.Node.Line, w.Node.Column, data)
		}
	}
	if (rl.Header == nil) != (whole.Header == nil) {
		t.Fatalf("header apart %v, whole %v\ninput: %q", rl.Header != nil, whole.Header != nil, data)
	}
	if rl.Header == nil {
		return
	}
	a, _ := JSON(rl.Header)
	b, _ := JSON(whole.Header)
	if !bytes.Equal(a, b) {
		t.Fatalf("headers differ:\napart: %s\nwhole: %s\ninput: %q", a, b, data)
	}
}
