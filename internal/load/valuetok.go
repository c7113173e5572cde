package load

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// NewObjectFromValue is NewObjectFromJSON(json.Marshal(v)) without the
// JSON text in between: it records the tokens that reading v's JSON would
// give straight from the Go value, and writes them as NewObjectFromJSON
// does. Generated objects are typed Gateway API values; marshalling each to
// JSON and reading that JSON back was two thirds of encoding them.
//
// It follows encoding/json wherever that is simple (struct fields by their
// json tags, omitempty, omitzero, embedded structs, pointers, interfaces,
// maps with string keys, strings, booleans and integers); everything else
// (a type with its own MarshalJSON or MarshalText, floats, byte slices,
// maps with other keys, a string that is not valid UTF-8, a struct whose
// fields encoding/json would have to choose between) is marshalled by
// encoding/json itself and its tokens spliced in, so the result is
// encoding/json's by construction there. TestNewObjectFromValue and
// FuzzNewObjectFromValue hold the two equal.
func NewObjectFromValue(v any, src Source, drop ...string) (*Object, error) {
	t := tokenPool.Get().(*tokens)
	t.data, t.toks, t.arena, t.keys = t.scratch[:0], t.toks[:0], t.arena[:0], t.keys[:0]
	defer func() {
		t.scratch = t.data[:0]
		t.release()
	}()
	w := valueTokens{t: t}
	if err := w.value(reflect.ValueOf(v)); err != nil {
		return nil, err
	}
	return objectFromTokens(t, w.size, src, drop)
}

// valueTokens appends the tokens of Go values to t. size counts about what
// their JSON would take, to size the YAML buffer as NewObjectFromJSON does.
type valueTokens struct {
	t    *tokens
	size int
}

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	isZeroerType      = reflect.TypeFor[interface{ IsZero() bool }]()
)

func (w *valueTokens) value(v reflect.Value) error {
	if !v.IsValid() { // a nil interface at the top
		w.literal('n', "")
		return nil
	}
	t := v.Type()
	p := planFor(t)
	if p.marshal {
		return w.marshal(v)
	}
	switch v.Kind() {
	case reflect.String:
		s := v.String()
		if !utf8.ValidString(s) {
			return w.marshal(v) // encoding/json replaces the invalid bytes
		}
		w.str(s)
	case reflect.Bool:
		if v.Bool() {
			w.literal('l', "true")
		} else {
			w.literal('l', "false")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		at := len(w.t.data)
		w.t.data = strconv.AppendInt(w.t.data, v.Int(), 10)
		w.appended('l', at)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		at := len(w.t.data)
		w.t.data = strconv.AppendUint(w.t.data, v.Uint(), 10)
		w.appended('l', at)
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			w.literal('n', "")
			return nil
		}
		return w.value(v.Elem())
	case reflect.Slice:
		if v.IsNil() {
			w.literal('n', "")
			return nil
		}
		return w.list(v)
	case reflect.Array:
		return w.list(v)
	case reflect.Map:
		return w.mapping(v)
	case reflect.Struct:
		at := w.open('{')
		for i := range p.fields {
			f := &p.fields[i]
			fv := v.FieldByIndex(f.index)
			if f.omitEmpty && isEmptyValue(fv) || f.omitZero && f.zero(fv) {
				continue
			}
			w.str(f.name)
			if err := w.value(fv); err != nil {
				return err
			}
		}
		w.close(at)
	default:
		return w.marshal(v) // planFor leaves no other kind
	}
	return nil
}

// typePlan is how values of one type are tokenized: by encoding/json
// (marshal), or here, a struct by its fields.
type typePlan struct {
	marshal bool
	fields  []jsonField
}

// plans caches typePlan by type: asking reflect whether a type has
// marshalling methods, for every value, was a third of the time.
var plans sync.Map

func planFor(t reflect.Type) *typePlan {
	if p, ok := plans.Load(t); ok {
		return p.(*typePlan)
	}
	p := &typePlan{}
	switch {
	case t.Implements(marshalerType) || t.Implements(textMarshalerType) ||
		reflect.PointerTo(t).Implements(marshalerType) || reflect.PointerTo(t).Implements(textMarshalerType):
		p.marshal = true
	case (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && t.Elem().Kind() == reflect.Uint8:
		p.marshal = true // base64, or elements with marshalling of their own
	case t.Kind() == reflect.Struct:
		p.fields = structFields(t)
		p.marshal = p.fields == nil
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Array, reflect.Map, reflect.Struct,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
	default:
		p.marshal = true // floats, and what encoding/json refuses
	}
	q, _ := plans.LoadOrStore(t, p)
	return q.(*typePlan)
}

func (w *valueTokens) list(v reflect.Value) error {
	at := w.open('[')
	for i := range v.Len() {
		if err := w.value(v.Index(i)); err != nil {
			return err
		}
	}
	w.close(at)
	return nil
}

func (w *valueTokens) mapping(v reflect.Value) error {
	if v.Type().Key().Kind() != reflect.String {
		return w.marshal(v) // encoding/json's key text (numbers, MarshalText)
	}
	if v.IsNil() {
		w.literal('n', "")
		return nil
	}
	if t := v.Type(); t.Elem().Kind() == reflect.String && !planFor(t.Elem()).marshal {
		return w.stringMap(v)
	}
	for it := v.MapRange(); it.Next(); {
		if !utf8.ValidString(it.Key().String()) {
			return w.marshal(v)
		}
	}
	// Map order is random, but the emitter sorts every mapping's keys, and
	// a map's keys are distinct.
	at := w.open('{')
	for it := v.MapRange(); it.Next(); {
		w.str(it.Key().String())
		if err := w.value(it.Value()); err != nil {
			return err
		}
	}
	w.close(at)
	return nil
}

// stringMap is mapping for maps of strings (labels, annotations, on every
// generated object): keys and values are read into two reused values
// rather than copied out of the map one by one.
func (w *valueTokens) stringMap(v reflect.Value) error {
	t := v.Type()
	k, e := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
	for it := v.MapRange(); it.Next(); {
		k.SetIterKey(it)
		e.SetIterValue(it)
		if !utf8.ValidString(k.String()) || !utf8.ValidString(e.String()) {
			return w.marshal(v)
		}
	}
	at := w.open('{')
	for it := v.MapRange(); it.Next(); {
		k.SetIterKey(it)
		e.SetIterValue(it)
		w.str(k.String())
		w.str(e.String())
	}
	w.close(at)
	return nil
}

func (w *valueTokens) open(kind byte) int {
	at := len(w.t.toks)
	w.t.toks = append(w.t.toks, jtok{kind: kind, start: int32(len(w.t.data))})
	w.size += 2
	return at
}

func (w *valueTokens) close(at int) {
	w.t.toks[at].stop = int32(len(w.t.data))
	w.t.toks[at].next = int32(len(w.t.toks))
}

// str appends a string token with its bytes in the arena.
func (w *valueTokens) str(s string) {
	d := int32(len(w.t.data))
	w.t.toks = append(w.t.toks, jtok{kind: 's', arena: true, off: int32(len(w.t.arena)), n: int32(len(s)), start: d, stop: d, next: int32(len(w.t.toks) + 1)})
	w.t.arena = append(w.t.arena, s...)
	w.size += len(s) + 3
}

// literal appends a literal token (kind 'l') or null ('n') with its text.
func (w *valueTokens) literal(kind byte, text string) {
	at := len(w.t.data)
	w.t.data = append(w.t.data, text...)
	w.appended(kind, at)
}

// appended records the literal whose text was appended to data from at on.
func (w *valueTokens) appended(kind byte, at int) {
	w.t.toks = append(w.t.toks, jtok{kind: kind, start: int32(at), stop: int32(len(w.t.data)), next: int32(len(w.t.toks) + 1)})
	w.size += len(w.t.data) - at + 1
}

// marshal splices in the tokens of encoding/json's text for v. Through
// its address when it has one, as encoding/json calls a MarshalJSON with
// a pointer receiver only on a value it can address.
func (w *valueTokens) marshal(v reflect.Value) error {
	if !v.CanInterface() {
		// collectFields gives up on unexported embedded structs, the only
		// way to reach such a value.
		return fmt.Errorf("json: cannot encode an unexported %s", v.Type())
	}
	x := v.Interface()
	if v.CanAddr() {
		x = v.Addr().Interface()
	}
	data, err := json.Marshal(x)
	if err != nil {
		return err
	}
	f, err := tokenize(data)
	if err != nil {
		return err
	}
	defer f.release()
	base, arena, first := int32(len(w.t.data)), int32(len(w.t.arena)), int32(len(w.t.toks))
	w.t.data = append(w.t.data, data...)
	w.t.arena = append(w.t.arena, f.arena...)
	for _, k := range f.toks {
		k.start += base
		k.stop += base
		k.next += first
		if k.kind == 's' {
			if k.arena {
				k.off += arena
			} else {
				k.off += base
			}
		}
		w.t.toks = append(w.t.toks, k)
	}
	w.size += len(data)
	return nil
}

// jsonField is one member of a struct's JSON object, as encoding/json's
// typeFields finds it.
type jsonField struct {
	name                string
	index               []int
	omitEmpty, omitZero bool
	isZero              func(reflect.Value) bool
}

func (f *jsonField) zero(v reflect.Value) bool {
	if f.isZero != nil {
		return f.isZero(v)
	}
	return v.IsZero()
}

// structFields returns t's fields, or nil when encoding/json should
// marshal t itself (planFor caches the answer).
func structFields(t reflect.Type) []jsonField {
	fields, ok := collectFields(t, nil, map[reflect.Type]bool{})
	if !ok {
		return nil
	}
	seen := map[string]bool{}
	for _, f := range fields {
		if seen[f.name] {
			return nil // encoding/json's rules for which one wins
		}
		seen[f.name] = true
	}
	if fields == nil {
		return []jsonField{} // no members: {}
	}
	return fields
}

// collectFields walks t's fields in encoding/json's order (typeFields),
// promoting those of embedded structs. ok is false for what it does not
// follow: an embedded pointer or unexported struct, the ",string" option,
// a tag name encoding/json would not accept as written.
func collectFields(t reflect.Type, index []int, visiting map[reflect.Type]bool) (out []jsonField, ok bool) {
	if visiting[t] {
		return nil, false
	}
	visiting[t] = true
	defer delete(visiting, t)
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Anonymous {
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if !sf.IsExported() && ft.Kind() != reflect.Struct {
				continue
			}
			if !sf.IsExported() {
				// Its promoted fields are read-only to reflect (Interface
				// panics on them); encoding/json reads them its own way.
				return nil, false
			}
		} else if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if !plainTagName(name) {
			return nil, false
		}
		idx := append(append([]int(nil), index...), i)
		ft := sf.Type
		if ft.Name() == "" && ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
			if sf.Type.Kind() == reflect.Pointer {
				return nil, false
			}
			inner, ok := collectFields(ft, idx, visiting)
			if !ok {
				return nil, false
			}
			out = append(out, inner...)
			continue
		}
		f := jsonField{name: cmpOr(name, sf.Name), index: idx}
		for opt := range strings.SplitSeq(opts, ",") {
			switch opt {
			case "omitempty":
				f.omitEmpty = true
			case "omitzero":
				f.omitZero = true
				f.isZero = zeroer(sf.Type)
			case "string":
				return nil, false
			}
		}
		out = append(out, f)
	}
	return out, true
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// plainTagName accepts the tag names generated objects use (and "", the
// Go field's name): encoding/json ignores names with other characters
// than its list allows, which is not worth following here.
func plainTagName(name string) bool {
	for _, c := range name {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.', c == '/':
		default:
			return false
		}
	}
	return true
}

// zeroer is encoding/json's omitzero test for a field of type t: its
// IsZero method when it has one, else reflect's zero value.
func zeroer(t reflect.Type) func(reflect.Value) bool {
	switch {
	case t.Kind() == reflect.Interface && t.Implements(isZeroerType):
		return func(v reflect.Value) bool {
			return v.IsNil() || v.Elem().Kind() == reflect.Pointer && v.Elem().IsNil() ||
				v.Interface().(interface{ IsZero() bool }).IsZero()
		}
	case t.Kind() == reflect.Pointer && t.Implements(isZeroerType):
		return func(v reflect.Value) bool {
			return v.IsNil() || v.Interface().(interface{ IsZero() bool }).IsZero()
		}
	case t.Implements(isZeroerType):
		return func(v reflect.Value) bool { return v.Interface().(interface{ IsZero() bool }).IsZero() }
	case reflect.PointerTo(t).Implements(isZeroerType):
		return func(v reflect.Value) bool {
			if !v.CanAddr() {
				c := reflect.New(v.Type()).Elem()
				c.Set(v)
				v = c
			}
			return v.Addr().Interface().(interface{ IsZero() bool }).IsZero()
		}
	}
	return nil
}

// isEmptyValue is encoding/json's omitempty test.
func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64,
		reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}
