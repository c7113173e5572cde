package load

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
	sigsyaml "sigs.k8s.io/yaml"
)

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
	"2024-01-01", "2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43Z", "2001-12-14 21:59:43.10", "2001-12-14 21:59:43.10 -5", "2024-1-2",
	"0.0.0.0", "1.2.3", "v1", "80Mi", "8m", "0777", "0o777", "00", "0", "-", "+", ".", "1-2",
	`"017"`, `'on'`, `!!str 017`, `!!str on`, `!!int "017"`, `!!int 0x10`, `!!float 1`, `!!float 017`, `!!bool yes`, `!!null ""`,
	`!!binary aGVsbG8=`, `!foo 017`, `!!timestamp 2024-01-01`, "|\n  on\n", ">\n  017\n",
}

// TestJSONReadsAsAPIServer holds JSON to sigs.k8s.io/yaml's YAMLToJSON,
// what kubectl and the API server read, for every form above as a value
// and as a key: the same JSON value, or an error from both.
func TestJSONReadsAsAPIServer(t *testing.T) {
	for _, form := range yaml11Forms {
		for _, doc := range []string{"v: " + form + "\n", "l: [" + form + "]\n", form + ": v\n"} {
			if form == "" && doc[0] == ':' || bytes.HasPrefix([]byte(form), []byte("|")) && doc[0] != 'v' ||
				bytes.HasPrefix([]byte(form), []byte(">")) && doc[0] != 'v' {
				continue
			}
			checkAgainstAPIServer(t, doc)
		}
	}
}

func checkAgainstAPIServer(t *testing.T, doc string) {
	t.Helper()
	objs, err := ReadStream(bytes.NewReader([]byte(doc)), "t.yaml")
	if err != nil {
		// What this package refuses to read (aliases, duplicate keys, flow
		// forms yaml.v3 rejects) is not a reading difference.
		return
	}
	want, wantErr := sigsyaml.YAMLToJSON([]byte(doc))
	got, gotErr := JSON(objs[0].Node)
	if (wantErr != nil) != (gotErr != nil) {
		t.Errorf("%q: API server: %s (%v); load.JSON: %s (%v)", doc, want, wantErr, got, gotErr)
		return
	}
	if wantErr != nil {
		return
	}
	if !sameJSON(got, want) {
		t.Errorf("%q:\n load.JSON  %s\n API server %s", doc, got, want)
	}
}

// sameJSON compares two JSON texts as values, numbers by their text.
func sameJSON(a, b []byte) bool {
	var x, y any
	return decodeNumbers(a, &x) == nil && decodeNumbers(b, &y) == nil && reflect.DeepEqual(x, y)
}

func decodeNumbers(data []byte, v *any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	return d.Decode(v)
}

func TestJSONMatchesAPIServerOnDocuments(t *testing.T) {
	for _, doc := range []string{
		"a: 1\nb: true\nc: null\nd: x\ne: [1, 2.5, \"3\", ~]\nf: {g: {h: []}}\n",
		"port: 0x1F\nweight: 1_000\nratio: 1e3\nname: 'quoted: yes'\nmulti: |\n  line one\n  line two\n",
		"unicode: ünï \"q\" \\ \t\nempty: ''\nk8s: {apiVersion: v1, kind: Service}\n",
		"ssl-redirect: on\nweight: 017\ndate: 2024-01-01\n1: one\non: true-key\n",
		"- a\n- b: [c]\n",
	} {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(doc), &n); err != nil {
			t.Fatal(err)
		}
		checkAgainstAPIServer(t, doc)
	}
}

func TestJSONRejectsWhatJSONCannotHold(t *testing.T) {
	for _, doc := range []string{"n: .inf\n", "n: .nan\n", "~: x\n", "18446744073709551615: x\n", "017: a\n15: b\n", "on: a\ntrue: b\n"} {
		objs, err := ReadStream(bytes.NewReader([]byte(doc)), "t.yaml")
		if err != nil {
			t.Fatalf("%q: %v", doc, err)
		}
		if got, err := JSON(objs[0].Node); err == nil {
			t.Errorf("%q must be an error, got %s", doc, got)
		}
	}
}

func TestCheckMetadata(t *testing.T) {
	for _, c := range []struct{ value, want string }{
		{`"10"`, ""},
		{`'on'`, ""},
		{"text", ""},
		{"|\n      multi\n      line", ""},
		{"10", `metadata.annotations.k: value "10" is not a string (the API server rejects it); quote it`},
		{"017", `metadata.annotations.k: value "017" is not a string (the API server rejects it); quote it`},
		{"on", `metadata.annotations.k: value "on" is not a string (the API server rejects it); quote it`},
		{"yes", `metadata.annotations.k: value "yes" is not a string (the API server rejects it); quote it`},
		{"~", `metadata.annotations.k: value "~" is not a string (the API server rejects it); quote it`},
		{"2024-01-01", ""},
		{`"a\x85b"`, "metadata.annotations.k: value holds U+0085, " + forbiddenWhy},
		{`"a\u2028b"`, "metadata.annotations.k: value holds U+2028, " + forbiddenWhy},
		{`"\uFFFE"`, "metadata.annotations.k: value holds U+FFFE, " + forbiddenWhy},
		{`"a\rb"`, "metadata.annotations.k: value holds U+000D, " + forbiddenWhy},
		{`"a\tb\nc"`, ""},
		{"[a]", `metadata.annotations.k: value of kind list is not a string (the API server rejects it); quote it`},
	} {
		doc := fmt.Sprintf("metadata:\n  annotations:\n    k: %s\n", c.value)
		objs, err := ReadStream(bytes.NewReader([]byte(doc)), "t.yaml")
		if err != nil {
			t.Fatalf("%q: %v", doc, err)
		}
		got := ""
		if err := CheckMetadata(objs[0].Node); err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("%s:\n got  %s\n want %s", c.value, got, c.want)
		}
	}
	for doc, want := range map[string]string{
		"metadata:\n  labels:\n    on: x\n":                          `metadata.labels: key "on" is read as "true" (the API server reads YAML 1.1); quote it`,
		"metadata:\n  labels: [a]\n":                                 "metadata.labels: must be a map of strings",
		"metadata:\n  labels:\n    \"a\\x85\": x\n":                  "metadata.labels: key \"a\\u0085\" holds U+0085, " + forbiddenWhy,
		"metadata:\n  labels:\n    a: 1\n  annotations:\n    b: 2\n": `metadata.annotations.b: value "2" is not a string (the API server rejects it); quote it`,
	} {
		objs, err := ReadStream(bytes.NewReader([]byte(doc)), "t.yaml")
		if err != nil {
			t.Fatalf("%q: %v", doc, err)
		}
		if err := CheckMetadata(objs[0].Node); err == nil || err.Error() != want {
			t.Errorf("%q:\n got  %v\n want %s", doc, err, want)
		}
	}
}
