package load

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// The types below hold what NewObjectFromValue must follow as
// encoding/json does, or leave to it: embedded structs, tags and their
// options, methods of value and pointer receivers, and the kinds it
// hands over (floats, byte slices, maps with other keys).

type vtMeta struct {
	Name              string            `json:"name,omitempty"`
	Namespace         string            `json:"namespace,omitempty"`
	Labels            map[string]string `json:"labels,omitempty"`
	CreationTimestamp metav1.Time       `json:"creationTimestamp,omitempty,omitzero"`
	Generation        int64             `json:"generation,omitempty"`
}

type VTTypeMeta struct {
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
}

// vtValueZero has IsZero on its value, vtPtrZero on its pointer.
type vtValueZero struct{ N int }

func (z vtValueZero) IsZero() bool { return z.N < 0 }

type vtPtrZero struct{ N int }

func (z *vtPtrZero) IsZero() bool { return z.N == 7 }

// vtValueJSON marshals itself by value, vtPtrJSON by pointer, vtText as
// text.
type vtValueJSON struct{ S string }

func (v vtValueJSON) MarshalJSON() ([]byte, error) { return json.Marshal("value:" + v.S) }

type vtPtrJSON struct{ S string }

func (v *vtPtrJSON) MarshalJSON() ([]byte, error) { return json.Marshal([]string{"ptr", v.S}) }

type vtText int

func (v vtText) MarshalText() ([]byte, error) {
	return []byte("text<" + string(rune('a'+v%26)) + ">"), nil
}

type VTInner struct {
	Deep string  `json:"deep"`
	Skip string  `json:"-"`
	Opt  *string `json:"opt,omitempty"`
}

type vtSpec struct {
	VTInner
	Str        string                   `json:"str"`
	StrOmit    string                   `json:"strOmit,omitempty"`
	Ptr        *string                  `json:"ptr"`
	PtrOmit    *string                  `json:"ptrOmit,omitempty"`
	Int        int32                    `json:"int,omitempty"`
	Uint       uint16                   `json:"uint"`
	Bool       bool                     `json:"bool"`
	Float      float64                  `json:"float,omitempty"`
	Float32    float32                  `json:"float32"`
	Bytes      []byte                   `json:"bytes,omitempty"`
	Array      [2]byte                  `json:"array"`
	Ints       [3]int                   `json:"ints"`
	List       []string                 `json:"list"`
	ListOmit   []string                 `json:"listOmit,omitempty"`
	Structs    []VTInner                `json:"structs,omitempty"`
	Map        map[string]any           `json:"map,omitempty"`
	IntMap     map[int]string           `json:"intMap,omitempty"`
	TextMap    map[vtText]int           `json:"textMap,omitempty"`
	Any        any                      `json:"any"`
	ValueJSON  vtValueJSON              `json:"valueJSON"`
	PtrJSON    vtPtrJSON                `json:"ptrJSON"`
	PtrJSONPtr *vtPtrJSON               `json:"ptrJSONPtr,omitempty"`
	Text       vtText                   `json:"text"`
	ValueZero  vtValueZero              `json:"valueZero,omitzero"`
	PtrZero    vtPtrZero                `json:"ptrZero,omitzero"`
	PlainZero  struct{ A, B int }       `json:"plainZero,omitzero"`
	Duration   metav1.Duration          `json:"duration"`
	Port       intstr.IntOrString       `json:"port"`
	Time       *metav1.Time             `json:"time,omitempty"`
	NoTag      string                   //nolint:tagliatelle // the Go name is the key
	Nested     map[string][]vtValueJSON `json:"nested,omitempty"`
	unexported string
}

type vtObject struct {
	VTTypeMeta `json:",inline"`
	Metadata   vtMeta `json:"metadata,omitempty"`
	Spec       vtSpec `json:"spec"`
	Status     vtSpec `json:"status"`
}

// vtClash has two fields encoding/json must choose between.
type vtClash struct {
	VTInner
	Deep string `json:"deep"`
}

// vtOddTag has a tag name this package does not follow itself, and
// vtQuoted the ",string" option.
type vtOddTag struct {
	A string `json:"a b"`
	C string `json:"c"`
}

type vtQuoted struct {
	N   int    `json:"n,string"`
	Str string `json:"str"`
}

type vtHidden struct{ Shown string }

// vtUnexportedEmbed embeds an unexported struct, whose promoted fields
// reflect cannot hand out.
type vtUnexportedEmbed struct {
	vtHidden
	Kind string `json:"kind"`
}

func vtValues() []any {
	s := "<script>&amp;</script>\u2028"
	full := &vtObject{
		VTTypeMeta: VTTypeMeta{APIVersion: "example.dev/v1", Kind: "Thing"},
		Metadata: vtMeta{Name: "web", Namespace: "shop", Labels: map[string]string{"b": "2", "a": "1", "": "empty", "y": "yes"},
			CreationTimestamp: metav1.NewTime(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)), Generation: 3},
		Spec: vtSpec{
			VTInner: VTInner{Deep: "d", Skip: "never", Opt: &s},
			Str:     "plain", Ptr: &s, Int: -5, Uint: 9, Bool: true, Float: math.Copysign(0, -1), Float32: 1e-7,
			Bytes: []byte("bytes\x00\xff"), Array: [2]byte{1, 2}, Ints: [3]int{1, -2, 3},
			List: []string{}, ListOmit: nil, Structs: []VTInner{{Deep: "x"}, {}},
			Map: map[string]any{"f": 1.5, "big": 1e21, "small": 1e-7, "neg0": math.Copysign(0, -1), "s": "x", "n": nil, "l": []any{1.0, "a", true, map[string]any{}},
				"m": map[string]any{"k": "v"}, "bad\xffkey": 1},
			IntMap: map[int]string{2: "two", 10: "ten"}, TextMap: map[vtText]int{1: 1, 3: 3},
			Any:       []vtValueJSON{{S: "a"}},
			ValueJSON: vtValueJSON{S: "v"}, PtrJSON: vtPtrJSON{S: "p"}, PtrJSONPtr: &vtPtrJSON{S: "pp"}, Text: 4,
			ValueZero: vtValueZero{N: -1}, PtrZero: vtPtrZero{N: 7},
			Duration: metav1.Duration{Duration: 90 * time.Second}, Port: intstr.FromString("http"),
			NoTag: "no tag", Nested: map[string][]vtValueJSON{"k": {{S: "n"}}}, unexported: "hidden",
		},
		Status: vtSpec{Str: "dropped"},
	}
	bad := &vtObject{VTTypeMeta: VTTypeMeta{Kind: "Bad\xff"}, Metadata: vtMeta{Name: "n\xc3", Labels: map[string]string{"k\xfe": "v"}},
		Spec: vtSpec{Str: "tab\there", Port: intstr.FromInt32(8080), PtrZero: vtPtrZero{N: 1}, ValueZero: vtValueZero{N: 2}, PlainZero: struct{ A, B int }{0, 1}}}
	return []any{
		full, *full, bad, &vtObject{}, vtObject{},
		&vtClash{VTInner: VTInner{Deep: "inner"}, Deep: "outer"},
		&vtObject{Metadata: vtMeta{Name: "bad-label-value", Labels: map[string]string{"ok": "v\xff", "fine": "x"}}},
		&vtOddTag{A: "a", C: "c"},
		&vtQuoted{N: 3, Str: "s"},
		&vtUnexportedEmbed{vtHidden: vtHidden{Shown: "x"}, Kind: "k"},
		map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x", "creationTimestamp": "2024"}, "data": map[string]any{"a": 1.25}},
		map[string]string{}, map[string]any{"status": 1},
		&struct {
			Metadata *vtMeta `json:"metadata"`
			Items    []any   `json:"items"`
		}{Items: []any{nil, vtObject{}, &vtPtrJSON{S: "q"}, vtPtrJSON{S: "r"}}},
	}
}

// TestNewObjectFromValue holds NewObjectFromValue to NewObjectFromJSON of
// json.Marshal's text: the same YAML and the same head node, or both
// failing.
func TestNewObjectFromValue(t *testing.T) {
	for i, v := range vtValues() {
		checkFromValue(t, i, v)
	}
	// What encoding/json refuses, NewObjectFromValue refuses.
	for i, v := range []any{
		map[string]any{"c": make(chan int)},
		map[string]any{"f": math.Inf(1)},
		&struct {
			F func() `json:"f"`
		}{},
		[]string{"not an object"},
	} {
		if _, err := NewObjectFromValue(v, Source{}); err == nil {
			t.Errorf("value %d (%T): no error", i, v)
		}
	}
}

func checkFromValue(t *testing.T, i int, v any) {
	t.Helper()
	drop := []string{"status", "metadata.creationTimestamp"}
	src := Source{Path: "x.yaml", Index: i}
	got, gotErr := NewObjectFromValue(v, src, drop...)
	data, err := json.Marshal(v)
	var want *Object
	if err == nil {
		want, err = NewObjectFromJSON(data, src, drop...)
	}
	switch {
	case err != nil && gotErr != nil:
		return
	case err != nil || gotErr != nil:
		t.Fatalf("value %d (%T): through JSON: %v, from the value: %v", i, v, err, gotErr)
	}
	if !bytes.Equal(got.encoded, want.encoded) {
		t.Fatalf("value %d (%T): text differs\nfrom the value:\n%s\nthrough JSON:\n%s", i, v, got.encoded, want.encoded)
	}
	if !reflect.DeepEqual(got.Node, want.Node) || *got.id != *want.id || got.Source != want.Source {
		t.Fatalf("value %d (%T): head node or identity differs: %+v against %+v", i, v, got.id, want.id)
	}
}

// FuzzNewObjectFromValue decodes the fuzzer's JSON into the test types
// and into plain maps, and holds both encoders equal on what it got.
func FuzzNewObjectFromValue(f *testing.F) {
	for _, v := range vtValues() {
		if data, err := json.Marshal(v); err == nil {
			f.Add(data)
		}
	}
	for _, doc := range encodeJSONSeeds {
		f.Add([]byte(doc))
	}
	f.Add([]byte(`{"spec":{"str":"a\u00ff\ud800","map":{"k":[1,{"x":null}]},"ptrZero":{"N":7},"valueZero":{"N":-3},"any":{"z":1}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for i, into := range []any{&vtObject{}, &map[string]any{}, &vtClash{}, &struct {
			Spec  *vtSpec `json:"spec"`
			Items []vtObject
		}{}} {
			if json.Unmarshal(data, into) != nil {
				continue
			}
			checkFromValue(t, i, into)
			if strings.Contains(string(data), "\"status\"") {
				checkFromValue(t, i, reflect.ValueOf(into).Elem().Interface())
			}
		}
	})
}
