package load

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// kustomizeItems is the items block of a ResourceList as kustomize and kpt
// write it: "- " at column 0, reader annotations, single-quoted values.
const kustomizeItems = "items:\n" +
	"- apiVersion: networking.k8s.io/v1\n" +
	"  kind: Ingress\n" +
	"  metadata:\n" +
	"    name: web\n" +
	"    namespace: shop\n" +
	"    annotations:\n" +
	"      nginx.ingress.kubernetes.io/rewrite-target: /$2\n" +
	"      config.kubernetes.io/index: '0'\n" +
	"      config.kubernetes.io/path: 'shop/ingress.yaml'\n" +
	"      internal.config.kubernetes.io/index: '0'\n" +
	"      internal.config.kubernetes.io/path: 'shop/ingress.yaml'\n" +
	"  spec:\n" +
	"    ingressClassName: nginx\n" +
	"    rules:\n" +
	"    - host: shop.example.com # the public name\n" +
	"      http:\n" +
	"        paths:\n" +
	"        - path: /api(/|$)(.*)\n" +
	"          pathType: ImplementationSpecific\n" +
	"          backend:\n" +
	"            service: {name: api, port: {number: 80}}\n" +
	"- apiVersion: v1\n" +
	"  kind: Service\n" +
	"  metadata:\n" +
	"    name: api\n" +
	"    namespace: shop\n" +
	"    annotations:\n" +
	"      config.kubernetes.io/index: '1'\n" +
	"      internal.config.kubernetes.io/index: '1'\n" +
	"      internal.config.kubernetes.io/path: 'shop/ingress.yaml'\n" +
	"  spec:\n" +
	"    ports:\n" +
	"    - port: 80\n" +
	"# the last one has only the legacy annotations\n" +
	"- apiVersion: v1\n" +
	"  kind: ConfigMap\n" +
	"  metadata:\n" +
	"    name: settings\n" +
	"    annotations:\n" +
	"      config.kubernetes.io/index: '7'\n" +
	"      config.kubernetes.io/path: 'legacy.yaml'\n" +
	"  data:\n" +
	"    motd: |\n" +
	"      hello\n" +
	"\n" +
	"      world\n"

const rlHeader = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n"

const functionConfig = "functionConfig:\n" +
	"  apiVersion: v1\n" +
	"  kind: ConfigMap\n" +
	"  metadata:\n" +
	"    name: routeshift\n" +
	"  data:\n" +
	"    gatewayName: public\n"

func mustReadRL(t testing.TB, in string) *ResourceList {
	t.Helper()
	rl, err := ReadResourceList([]byte(in))
	if err != nil {
		t.Fatalf("ReadResourceList: %v", err)
	}
	return rl
}

func writeRL(t testing.TB, items []*Object, results []byte) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteResourceList(&b, items, results); err != nil {
		t.Fatalf("WriteResourceList: %v", err)
	}
	return b.String()
}

func TestResourceListRoundTripIsByteIdentical(t *testing.T) {
	in := rlHeader + kustomizeItems
	rl := mustReadRL(t, in)
	want := "Ingress shop/web (shop/ingress.yaml[0]); Service shop/api (shop/ingress.yaml[1]); ConfigMap settings (legacy.yaml[7])"
	if got := refs(rl.Items); got != want {
		t.Errorf("items:\n got %s\nwant %s", got, want)
	}
	if rl.FunctionConfig != nil {
		t.Errorf("unexpected functionConfig")
	}
	if got := writeRL(t, rl.Items, nil); got != in {
		t.Errorf("round trip changed the text:\n got %q\nwant %q", got, in)
	}

	// With a functionConfig after the items, which the output leaves out.
	rl = mustReadRL(t, rlHeader+kustomizeItems+functionConfig)
	if got := writeRL(t, rl.Items, nil); got != in {
		t.Errorf("with functionConfig, got %q\nwant %q", got, in)
	}
	if rl.FunctionConfig == nil || rl.FunctionConfig.Name() != "routeshift" || rl.FunctionConfig.Source.Path != "functionConfig" {
		t.Errorf("functionConfig not read: %+v", rl.FunctionConfig)
	}
	if field(rl.Header, "kind") != "ResourceList" {
		t.Errorf("Header is not the root mapping")
	}

	// With results.
	results := []byte("- message: converted 1 Ingress\n  severity: info\n")
	want = in + "results:\n- message: converted 1 Ingress\n  severity: info\n"
	if got := writeRL(t, rl.Items, results); got != want {
		t.Errorf("with results, got %q\nwant %q", got, want)
	}
}

// What kyaml's own reader and writer produce (the kio package kustomize and
// kpt use) round-trips too.
func TestResourceListFromKio(t *testing.T) {
	dir := t.TempDir()
	file := "# the shop\n" + strings.ReplaceAll(strings.TrimPrefix(kustomizeItems, "items:\n- "), "\n  ", "\n")
	file = strings.Replace(file, "\n- apiVersion", "\n---\napiVersion", -1)
	if err := os.WriteFile(filepath.Join(dir, "shop.yaml"), []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := kio.Pipeline{
		Inputs: []kio.Reader{kio.LocalPackageReader{PackagePath: dir}},
		Outputs: []kio.Writer{kio.ByteWriter{Writer: &out,
			WrappingAPIVersion: "config.kubernetes.io/v1", WrappingKind: "ResourceList"}},
	}.Execute()
	if err != nil {
		t.Fatal(err)
	}
	rl := mustReadRL(t, out.String())
	if len(rl.Items) != 3 {
		t.Fatalf("read %d items from\n%s", len(rl.Items), out.String())
	}
	if got := writeRL(t, rl.Items, nil); got != out.String() {
		t.Errorf("got %q\nwant %q", got, out.String())
	}
}

// A generated object between items is encoded at the items' column; the
// output is a ResourceList that reads back to the same items.
func TestWriteResourceListWithGeneratedItem(t *testing.T) {
	for _, indent := range []string{"", "  "} {
		items := kustomizeItems
		if indent != "" {
			items = strings.ReplaceAll(items, "\n", "\n"+indent)
			items = strings.TrimSuffix(strings.ReplaceAll(items, "\n"+indent+"\n", "\n\n"), indent)
		}
		in := rlHeader + items
		rl := mustReadRL(t, in)
		var gen yaml.Node
		if err := yaml.Unmarshal([]byte("apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  hostnames:\n  - shop.example.com\n  rules:\n  - matches:\n    - path: {type: PathPrefix, value: /api}\n"), &gen); err != nil {
			t.Fatal(err)
		}
		if rl.Items[0].rawIndent != len(indent) {
			t.Fatalf("rawIndent %d, want %d", rl.Items[0].rawIndent, len(indent))
		}
		if got := writeRL(t, rl.Items, nil); got != in {
			t.Errorf("indent %q: round trip got %q\nwant %q", indent, got, in)
		}
		out := append([]*Object{rl.Items[0], NewObject(gen.Content[0], Source{})}, rl.Items[1:]...)
		got := writeRL(t, out, nil)
		genText := indent + "- apiVersion: gateway.networking.k8s.io/v1\n" +
			indent + "  kind: HTTPRoute\n" +
			indent + "  metadata:\n" +
			indent + "    name: web\n" +
			indent + "    namespace: shop\n" +
			indent + "  spec:\n" +
			indent + "    hostnames:\n" +
			indent + "    - shop.example.com\n" +
			indent + "    rules:\n" +
			indent + "    - matches:\n" +
			indent + "      - path: {type: PathPrefix, value: /api}\n"
		want := strings.Replace(in, indent+"- apiVersion: v1\n"+indent+"  kind: Service", genText+indent+"- apiVersion: v1\n"+indent+"  kind: Service", 1)
		if got != want {
			t.Errorf("indent %q: got %q\nwant %q", indent, got, want)
		}
		again := mustReadRL(t, got)
		if g, w := refs(again.Items), refs(out); g != strings.Replace(w, "(item 0)", "(item 1)", 1) {
			t.Errorf("re-read items:\n got %s\nwant %s", g, w)
		}
		for i := range out {
			a, _ := encodeNode(out[i].Node)
			b, _ := encodeNode(again.Items[i].Node)
			if !bytes.Equal(a, b) {
				t.Errorf("item %d differs after re-reading:\n%s\n%s", i, a, b)
			}
		}
	}
}

// Changed items, and items of another indentation, are encoded at the
// column of the first item with text.
func TestWriteResourceListEncodesChangedItems(t *testing.T) {
	rl := mustReadRL(t, rlHeader+"items:\n- kind: A # a\n  metadata: {name: a}\n-   kind: B   # b\n    data:\n      x: |\n        1\n\n        2\n")
	other := mustReadRL(t, rlHeader+"items:\n  - kind: C # c\n")
	stream := mustReadStream(t, "kind: D # d\n")
	rl.Items[1].MarkChanged()
	got := writeRL(t, []*Object{rl.Items[0], rl.Items[1], other.Items[0], stream[0]}, nil)
	want := rlHeader + "items:\n- kind: A # a\n  metadata: {name: a}\n" +
		"- kind: B # b\n  data:\n    x: |\n      1\n\n      2\n" +
		"- kind: C # c\n" +
		"- kind: D # d\n"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	// With the indented item first, the others follow its column.
	got = writeRL(t, []*Object{other.Items[0], rl.Items[0]}, nil)
	want = rlHeader + "items:\n  - kind: C # c\n  - kind: A # a\n    metadata: {name: a}\n"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestReadResourceListFallsBackToEncoding(t *testing.T) {
	for name, in := range map[string]string{
		"flow items": rlHeader + "items: [{kind: A, metadata: {name: a}}, {kind: B}]\n",
		"JSON":       `{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [{"kind": "A", "metadata": {"name": "a"}}, {"kind": "B"}]}`,
		"lone CR":    rlHeader + "items:\n- kind: A\r  metadata: {name: a}\n- kind: B\n",
	} {
		t.Run(name, func(t *testing.T) {
			rl := mustReadRL(t, in)
			for _, o := range rl.Items {
				if o.raw != nil {
					t.Errorf("%s has text %q", o.Ref(), o.raw)
				}
			}
			// Encoding keeps each node's style.
			want := rlHeader + "items:\n- {kind: A, metadata: {name: a}}\n- {kind: B}\n"
			switch name {
			case "lone CR":
				want = rlHeader + "items:\n- kind: A\n  metadata: {name: a}\n- kind: B\n"
			case "JSON":
				want = rlHeader + "items:\n- {\"kind\": \"A\", \"metadata\": {\"name\": \"a\"}}\n- {\"kind\": \"B\"}\n"
			}
			if got := writeRL(t, rl.Items, nil); got != want {
				t.Errorf("got %q\nwant %q", got, want)
			}
		})
	}
}

func TestReadResourceListItemForms(t *testing.T) {
	in := rlHeader + "items: # the objects\n" +
		"# first\n" +
		"-\n" +
		"  # the dash alone\n" +
		"  kind: A\n" +
		"- # comment after the dash\n" +
		"  kind: B\n" +
		"- &anchor\n" +
		"  kind: C\n" +
		"-   kind: D\r\n" +
		"    metadata: {name: d}\r\n" +
		"- kind: E" // no final newline
	rl := mustReadRL(t, in)
	wantRaw := []string{
		"# first\n-\n  # the dash alone\n  kind: A\n",
		"- # comment after the dash\n  kind: B\n",
		"- &anchor\n  kind: C\n",
		"-   kind: D\r\n    metadata: {name: d}\r\n",
		"- kind: E",
	}
	for i, o := range rl.Items {
		if string(o.raw) != wantRaw[i] || o.rawIndent != 0 || o.Source.Index != i {
			t.Errorf("item %d: raw %q indent %d source %v, want %q", i, o.raw, o.rawIndent, o.Source, wantRaw[i])
		}
	}
	want := rlHeader + "items:\n" + strings.SplitN(in, "\n", 4)[3]
	if got := writeRL(t, rl.Items, nil); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	// The missing final newline is added when something follows.
	want = rlHeader + "items:\n" + "- kind: E\n" + "- kind: D\n  metadata: {name: d}\n"
	rl.Items[3].MarkChanged()
	if got := writeRL(t, []*Object{rl.Items[4], rl.Items[3]}, nil); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// A document end marker after the items is not part of the last item.
func TestReadResourceListDocumentEnd(t *testing.T) {
	rl := mustReadRL(t, rlHeader+"items:\n- kind: A\n# end of A\n...\n# after the document\n")
	if got, want := string(rl.Items[0].raw), "- kind: A\n# end of A\n"; got != want {
		t.Errorf("raw %q, want %q", got, want)
	}
	results, err := EncodeJSON([]byte("[]"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := writeRL(t, rl.Items, results), rlHeader+"items:\n- kind: A\n# end of A\nresults: []\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// Text that ends in a block scalar without a final newline cannot be
// followed by anything without changing the scalar: it is encoded then.
func TestBlockScalarWithoutFinalNewline(t *testing.T) {
	rl := mustReadRL(t, rlHeader+"items:\n- kind: A\n  data:\n    x: |\n      line")
	in := string(rl.Items[0].raw)
	if got := writeRL(t, rl.Items, nil); got != rlHeader+"items:\n"+in {
		t.Errorf("alone: got %q", got)
	}
	got := writeRL(t, []*Object{rl.Items[0], rl.Items[0]}, nil)
	want := rlHeader + "items:\n- kind: A\n  data:\n    x: |-\n      line\n" + in
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}

	objs := mustReadStream(t, "kind: B\n---\nkind: A\ndata:\n  x: |\n    line")
	got = writeStream(t, []*Object{objs[1], objs[0]})
	want = "kind: A\ndata:\n  x: |-\n    line\n---\nkind: B\n"
	if got != want {
		t.Errorf("stream: got %q\nwant %q", got, want)
	}
}

func TestReadResourceListEmpty(t *testing.T) {
	for _, in := range []string{"", "\n", "# nothing\n", rlHeader, rlHeader + "items: []\n", rlHeader + "items:\n", "---\n" + rlHeader + "items: ~\n...\n"} {
		rl, err := ReadResourceList([]byte(in))
		if err != nil || len(rl.Items) != 0 {
			t.Errorf("%q: %v, %v", in, rl, err)
		}
	}
	if got, want := writeRL(t, nil, nil), rlHeader+"items: []\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestReadResourceListErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"kind", "apiVersion: v1\nkind: List\n", `not a ResourceList: apiVersion "v1", kind "List"`},
		{"version", "apiVersion: config.kubernetes.io/v2\nkind: ResourceList\n", `not a ResourceList: apiVersion "config.kubernetes.io/v2"`},
		{"scalar", "hello\n", "ResourceList: line 1: input is a scalar, want a mapping"},
		{"malformed", rlHeader + "items:\n- kind: A\n  bad\n", "ResourceList: line 5: could not find expected ':'"},
		{"two documents", rlHeader + "---\n" + rlHeader, "ResourceList: line 3: a second document"},
		{"items", rlHeader + "items: {}\n", "ResourceList: line 3: items is a mapping, want a sequence"},
		{"item", rlHeader + "items:\n- kind: A\n- just text\n", "ResourceList: line 5: items[1] is a scalar"},
		{"functionConfig", rlHeader + "functionConfig: [1]\n", "functionConfig is a sequence"},
		{"duplicate key", rlHeader + "items:\n- kind: A\n  kind: B\n", `ResourceList: line 5: mapping key "kind" already defined at line 4`},
		{"alias bomb", rlHeader + "items:\n- " + strings.ReplaceAll(aliasBomb(), "\n", "\n  "), "ResourceList: line 7: YAML alias *l0 is not supported"},
		{"NUL", rlHeader + "items:\n- kind: \"\x00\"\n", "ResourceList: line 4: control character U+0000"},
		{"invalid UTF-8", rlHeader + "# \xc3\x28\n", "ResourceList: line 3: invalid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rl, err := ReadResourceList([]byte(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, error %v; want error containing %q", rl, err, tc.want)
			}
		})
	}
}

func TestIsResourceList(t *testing.T) {
	for in, want := range map[string]bool{
		rlHeader: true,
		"\ufeff# c\n---\nkind: \"ResourceList\" # x\n":                      true,
		"apiVersion: v1\nkind: 'ResourceList'\n":                            true,
		`{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList"}`: true,
		"":                                  false,
		"apiVersion: v1\nkind: List\n":      false,
		"items:\n- kind: ResourceList\n":    false,
		"a: 1\n---\nkind: ResourceList\n":   false,
		"kind: ResourceLists\n":             false,
		`{"kind": "Ingress"}`:               false,
		"--- {kind: ResourceList}\n":        true,
		"a: 1\n...\nkind: ResourceList\n":   false,
		"# kind: ResourceList\nkind: Foo\n": false,
	} {
		if got := IsResourceList([]byte(in)); got != want {
			t.Errorf("IsResourceList(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestReadResourceListApart checks that the usual layouts take the
// parallel path of items.go (FuzzReadResourceList checks that it agrees
// with the whole parse) and that others do not.
func TestReadResourceListApart(t *testing.T) {
	for in, want := range map[string]bool{
		rlHeader + kustomizeItems:                                   true,
		rlHeader + kustomizeItems + functionConfig:                  true,
		rlHeader + "items:\n  - kind: A\n  # c\n  - kind: B\n...\n": true,
		rlHeader + "items: [{kind: A}]\n":                           false,
		rlHeader + "items:\n- kind: A\r\n":                          false,
		rlHeader + "items:\n- kind: A\n\"functionConfig\": {}\n":    false,
	} {
		_, _, ok := readItemsApart([]byte(in), 1, nil)
		if ok != want {
			t.Errorf("read apart: %v, want %v, for\n%s", ok, want, in)
		}
	}
}

// TestThin checks that a thinned item keeps its identity and metadata and
// is written exactly as before, and that objects written from their Node
// are left whole.
func TestThin(t *testing.T) {
	in := rlHeader + kustomizeItems
	rl := mustReadRL(t, in)
	specLines := map[*Object]int{}
	for _, o := range rl.Items {
		if s := Lookup(o.Node, "spec"); s != nil {
			specLines[o] = s.Line
		}
		o.Thin()
		// Read again, the text gives the positions of the first reading.
		if tree, err := o.Tree(); err != nil || specLines[o] != 0 && Lookup(tree, "spec").Line != specLines[o] {
			t.Errorf("%s: spec read again at another line (%v)", o.Ref(), err)
		}
		if Lookup(o.Node, "spec") != nil {
			t.Errorf("%s: spec kept", o.Ref())
		}
		if o.Annotation("config.kubernetes.io/index") == "" {
			t.Errorf("%s: metadata lost", o.Ref())
		}
	}
	if rl.Items[0].Kind() != "Ingress" || rl.Items[0].Name() != "web" {
		t.Errorf("identity lost: %s", rl.Items[0].Ref())
	}
	if got := writeRL(t, rl.Items, nil); got != in {
		t.Errorf("thinned items written differently:\n%s", got)
	}
	// A thinned object still has its whole tree when asked, and a writer
	// that must encode it (a stream object in a ResourceList) writes it
	// whole.
	const doc = "# about A\nkind: A\nmetadata: {name: a}\nspec: {x: 1}\n"
	stream, err := ReadStream(strings.NewReader(doc), "a.yaml")
	if err != nil {
		t.Fatal(err)
	}
	stream[0].Thin()
	if Lookup(stream[0].Node, "spec") != nil {
		t.Errorf("a stream object kept its tree")
	}
	if tree, err := stream[0].Tree(); err != nil || Lookup(tree, "spec", "x") == nil || Lookup(tree, "spec").Line != 4 {
		t.Errorf("Tree of a thinned object: %v", err)
	}
	var b bytes.Buffer
	if err := WriteStream(&b, stream); err != nil || b.String() != doc {
		t.Errorf("thinned stream object written as %q (%v)", b.String(), err)
	}
	if got := writeRL(t, stream, nil); !strings.Contains(got, "spec: {x: 1}") {
		t.Errorf("a thinned stream object in a ResourceList lost its spec:\n%s", got)
	}
	stream[0].Node.Content[1].Value = "B"
	stream[0].MarkChanged()
	if got := writeRL(t, stream, nil); !strings.Contains(got, "kind: B") || !strings.Contains(got, "x: 1") {
		t.Errorf("a changed thinned object lost its change or its spec:\n%s", got)
	}
}

// TestReadResourceListEach: each sees every item once, complete (identity,
// Source, text), on both reading paths (items apart, and the whole list
// as one document when a layout cannot be cut), and the Header's items
// are the nodes each left.
func TestReadResourceListEach(t *testing.T) {
	var apart strings.Builder
	apart.WriteString(rlHeader + "items:\n")
	for i := range 40 {
		fmt.Fprintf(&apart, "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c%d\n    annotations:\n      internal.config.kubernetes.io/path: 'f.yaml'\n      internal.config.kubernetes.io/index: '%d'\n  data: {}\n", i, i)
	}
	flow := rlHeader + "items: [{apiVersion: v1, kind: ConfigMap, metadata: {name: a}}, {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}]\n"
	for name, in := range map[string]string{"apart": apart.String(), "flow": flow} {
		t.Run(name, func(t *testing.T) {
			var mu sync.Mutex
			seen := map[*Object]int{}
			rl, err := ReadResourceListEach([]byte(in), func(o *Object) {
				if o.Name() == "" || o.Kind() != "ConfigMap" {
					t.Errorf("item without identity: %q %q", o.Kind(), o.Name())
				}
				if name == "apart" && (o.Raw() != nil || o.raw == nil || o.Source.Path != "f.yaml") {
					t.Errorf("%s: incomplete: text %v, source %v", o.Name(), o.raw != nil, o.Source)
				}
				o.Thin()
				mu.Lock()
				seen[o]++
				mu.Unlock()
			})
			if err != nil {
				t.Fatal(err)
			}
			items := Lookup(rl.Header, "items")
			if items == nil || len(items.Content) != len(rl.Items) {
				t.Fatalf("header items %v, %d items", items, len(rl.Items))
			}
			for i, o := range rl.Items {
				if seen[o] != 1 {
					t.Errorf("item %d seen %d times", i, seen[o])
				}
				if items.Content[i] != o.Node {
					t.Errorf("item %d: the header holds another node than the item's", i)
				}
			}
		})
	}
}
