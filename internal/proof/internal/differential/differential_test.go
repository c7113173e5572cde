package differential

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	sigsyaml "sigs.k8s.io/yaml"

	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/proof/internal/kube"
)

// reading is what one reader made of a stream: per object its identity,
// its JSON or why there is none, and what the metadata rules say.
type reading struct {
	err     error
	objects []object
}

type object struct {
	id      string // apiVersion kind namespace/name path[index]
	json    []byte
	jsonErr error
	metaErr error
	raw     []byte // the document's text, when the reader keeps it
}

func byConverter(data []byte) reading {
	objs, err := load.ReadStream(bytes.NewReader(data), "in.yaml")
	if err != nil {
		return reading{err: err}
	}
	var r reading
	for _, o := range objs {
		if o.Node == nil {
			continue // trailing comments, kept as text
		}
		ob := object{id: fmt.Sprintf("%s %s %s/%s %s", o.APIVersion(), o.Kind(), o.Namespace(), o.Name(), o.Source), raw: o.Raw()}
		ob.json, ob.jsonErr = load.JSON(o.Node)
		ob.metaErr = load.CheckMetadata(o.Node)
		r.objects = append(r.objects, ob)
	}
	return r
}

func byProof(data []byte) reading {
	objs, err := kube.ReadStream(data, "in.yaml")
	if err != nil {
		return reading{err: err}
	}
	var r reading
	for _, o := range objs {
		ob := object{id: fmt.Sprintf("%s %s %s/%s %s", o.APIVersion(), o.Kind(), o.Namespace(), o.Name(), o.Source())}
		ob.json, ob.jsonErr = o.JSON()
		if _, err := o.Labels(); err != nil {
			// Labels names the object; the rule's own words follow.
			ob.metaErr = errors.New(strings.TrimPrefix(err.Error(), o.Ref()+": "))
		}
		r.objects = append(r.objects, ob)
	}
	return r
}

// compare returns how the two readings differ, or "".
func compare(conv, proof reading) string {
	if (conv.err != nil) != (proof.err != nil) {
		return fmt.Sprintf("converter: %v; proof: %v", conv.err, proof.err)
	}
	if conv.err != nil {
		return ""
	}
	if len(conv.objects) != len(proof.objects) {
		return fmt.Sprintf("converter read %d objects, proof %d", len(conv.objects), len(proof.objects))
	}
	for i, c := range conv.objects {
		p := proof.objects[i]
		switch {
		case c.id != p.id:
			return fmt.Sprintf("object %d: converter %q, proof %q", i, c.id, p.id)
		case (c.jsonErr != nil) != (p.jsonErr != nil):
			return fmt.Sprintf("%s: converter JSON %s (%v), proof JSON %s (%v)", c.id, clip(c.json), c.jsonErr, clip(p.json), p.jsonErr)
		case c.jsonErr == nil && !sameJSON(c.json, p.json):
			return fmt.Sprintf("%s:\n converter %s\n proof     %s", c.id, clip(c.json), clip(p.json))
		case fmt.Sprint(c.metaErr) != fmt.Sprint(p.metaErr):
			return fmt.Sprintf("%s: metadata: converter %v; proof %v", c.id, c.metaErr, p.metaErr)
		}
	}
	return ""
}

// apiServer compares the converter's JSON of every object read from a
// stream document with sigs.k8s.io/yaml's, when the latter reads it.
// Readers agree with each other (compare), so this holds both.
func apiServer(conv reading) string {
	for _, c := range conv.objects {
		if c.raw == nil || c.jsonErr != nil {
			continue
		}
		want, err := sigsyaml.YAMLToJSON(c.raw)
		if err != nil || string(want) == "null" {
			// yaml.v2 refuses some YAML 1.2 that yaml.v3 reads, and reads
			// only the first of the comment-only documents that may come
			// with an object's text.
			continue
		}
		if !sameJSON(c.json, want) {
			return fmt.Sprintf("%s:\n routeshift %s\n API server %s", c.id, clip(c.json), clip(want))
		}
	}
	return ""
}

func clip(b []byte) string {
	if len(b) > 400 {
		return string(b[:400]) + "..."
	}
	return string(b)
}

func sameJSON(a, b []byte) bool {
	var x, y any
	return decode(a, &x) == nil && decode(b, &y) == nil && reflect.DeepEqual(x, y)
}

func decode(data []byte, v *any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	return d.Decode(v)
}

func inputs(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, pattern := range []string{
		"../../../../testdata/corpus/*.yaml",
		"../../../../testdata/cases/*/input.yaml",
		"../../../../testdata/cases/*/expected.yaml",
		"../../../../testdata/bad/*.yaml",
		"../../../../testdata/routing/conformance/*/*.yaml",
	} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out[f] = data
		}
	}
	if len(out) < 150 {
		t.Fatalf("found %d inputs: are the paths right?", len(out))
	}
	return out
}

// TestReadersAgreeOnTheTestdata reads every manifest of the repository
// with both readers.
func TestReadersAgreeOnTheTestdata(t *testing.T) {
	objects, refused := 0, 0
	for name, data := range inputs(t) {
		conv, proof := byConverter(data), byProof(data)
		if d := compare(conv, proof); d != "" {
			t.Errorf("%s: %s", name, d)
		}
		if d := apiServer(conv); d != "" {
			t.Errorf("%s: %s", name, d)
		}
		if conv.err != nil {
			refused++
		}
		objects += len(conv.objects)
	}
	t.Logf("%d objects read alike; %d files refused by both", objects, refused)
}

// yaml11Forms are the scalars YAML 1.1 (sigs.k8s.io/yaml, so kubectl and
// the API server) and YAML 1.2 (yaml.v3's core schema) may read
// differently, and their neighbours.
var yaml11Forms = []string{
	"017", "0o17", "-0o17", "08", "09.5", "0x1F", "0x_1F", "-0x1F", "0b101", "-0b101", "0b", "0x", "1_000", "1__0", "_1",
	"+1", "-0", "+0.5", ".5", "-.5", "1e3", "1E3", "1.5e-3", "1.", "6.02e+23", "1e400",
	"9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616",
	"-9223372036854775808", "-9223372036854775809", "99999999999999999999",
	"12:30", "1:30:00", "190:20:30",
	"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
	"true", "True", "TRUE", "false", "False", "FALSE", "yEs", "oN", "tRUE",
	"~", "null", "Null", "NULL", "nULL", "",
	".inf", "-.Inf", "+.INF", ".nan", ".NaN", "inf", "nan", "infinity",
	"2024-01-01", "2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43Z", "2001-12-14 21:59:43.10", "2024-1-2",
	"0.0.0.0", "1.2.3", "v1", "80Mi", "8m", "0777", "0o777", "00", "0", "-", "+", ".", "1-2",
	`"017"`, `'on'`, `!!str 017`, `!!str on`, `!!int "017"`, `!!int 0x10`, `!!float 1`, `!!float 017`, `!!bool yes`,
	`!!null ""`, `!!binary aGVsbG8=`, `!!timestamp 2024-01-01`, `"a\x85b"`, `"\u2028"`, `"\uFFFE"`, `"tab\there"`,
}

// TestScalarForms reads every form as a value, a list item, a key, an
// annotation value and a label key with both readers, and compares both
// with sigs.k8s.io/yaml.
func TestScalarForms(t *testing.T) {
	for _, form := range yaml11Forms {
		docs := []string{
			"v: " + form + "\n",
			"l: [" + form + "]\n",
			"metadata:\n  name: x\n  annotations:\n    a: " + form + "\n",
		}
		if form != "" {
			docs = append(docs, form+": v\n", "metadata:\n  labels:\n    "+form+": v\n")
		}
		for _, doc := range docs {
			data := []byte(doc)
			conv, proof := byConverter(data), byProof(data)
			if d := compare(conv, proof); d != "" {
				t.Errorf("%q: %s", doc, d)
			}
			want, wantErr := sigsyaml.YAMLToJSON(data)
			if conv.err != nil {
				continue
			}
			c := conv.objects[0]
			if (wantErr != nil) != (c.jsonErr != nil) {
				t.Errorf("%q: API server %s (%v); routeshift %s (%v)", doc, want, wantErr, c.json, c.jsonErr)
			} else if wantErr == nil && !sameJSON(c.json, want) {
				t.Errorf("%q:\n routeshift %s\n API server %s", doc, c.json, want)
			}
		}
	}
}

// TestUnquotedAnnotationValues pins the two cases the issue names: an
// unquoted number and an unquoted on are refused, in the same words, by
// both readers.
func TestUnquotedAnnotationValues(t *testing.T) {
	for value, want := range map[string]string{
		"10":  `metadata.annotations.nginx.ingress.kubernetes.io/canary-weight: value "10" is not a string (the API server rejects it); quote it`,
		"017": `metadata.annotations.nginx.ingress.kubernetes.io/canary-weight: value "017" is not a string (the API server rejects it); quote it`,
		"on":  `metadata.annotations.nginx.ingress.kubernetes.io/canary-weight: value "on" is not a string (the API server rejects it); quote it`,
		"yes": `metadata.annotations.nginx.ingress.kubernetes.io/canary-weight: value "yes" is not a string (the API server rejects it); quote it`,
	} {
		doc := []byte("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\n  annotations:\n    nginx.ingress.kubernetes.io/canary-weight: " + value + "\n")
		for name, r := range map[string]reading{"converter": byConverter(doc), "proof": byProof(doc)} {
			if r.err != nil || len(r.objects) != 1 || fmt.Sprint(r.objects[0].metaErr) != want {
				t.Errorf("%s, %s: got %+v, want %s", name, value, r, want)
			}
		}
	}
}

// FuzzReaders holds the two readers to each other on any input, and to
// sigs.k8s.io/yaml where it reads the input too.
func FuzzReaders(f *testing.F) {
	for _, form := range yaml11Forms {
		f.Add([]byte("v: " + form + "\n" + form + ": [" + form + "]\n"))
	}
	for _, s := range []string{
		"apiVersion: v1\nkind: List\nitems:\n- {kind: A, metadata: {name: a}}\n- kind: B\n",
		"a: 1\n---\n# c\n---\nb: {c: [1, 2.5, on]}\n...\nd: 017\n",
		"metadata:\n  annotations:\n    a: \"x\\x85\"\n    b: 10\n  labels:\n    on: x\n",
		"a: &x 1\nb: *x\n", "<<: {a: 1}\n", "a: 1\na: 2\n", "on: 1\ntrue: 2\n", "017: a\n15: b\n",
		"--- |\n  text\n", "---\n~\n", "- a\n", "\ufeffa: 1\n", "a: 1\r\nb: 2\r\n", "a: \"\\u2028\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		conv, proof := byConverter(data), byProof(data)
		if d := compare(conv, proof); d != "" {
			t.Fatalf("input %q: %s", data, d)
		}
		if d := apiServer(conv); d != "" && !bytes.Contains(data, []byte("!")) {
			// Tags are left out: yaml.v3, which both readers parse with,
			// forgets the non-specific tag "!" that yaml.v2 obeys.
			t.Fatalf("input %q: %s", data, d)
		}
	})
}
