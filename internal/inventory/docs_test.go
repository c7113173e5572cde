package inventory

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// docs/inventory.md documents the JSON form (lists as `name[]`) and the
// reason codes, wave kinds and internal labels; a
// field or code it does not name is a change nobody described.
func TestDocsNameEveryFieldAndCode(t *testing.T) {
	data, err := os.ReadFile("../../docs/inventory.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(typ reflect.Type) {
		for typ.Kind() == reflect.Slice || typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] {
			return
		}
		seen[typ] = true
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name != "" && !strings.Contains(doc, "`"+name+"`") && !strings.Contains(doc, "`"+name+"[]`") {
				t.Errorf("docs/inventory.md does not name the JSON field %s (%s.%s)", name, typ.Name(), f.Name)
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeOf(Report{}))
	for _, code := range allCodes {
		if !strings.Contains(doc, "`"+code+"`") {
			t.Errorf("docs/inventory.md does not name the reason code %s", code)
		}
	}
	for _, k := range waveKinds {
		if !strings.Contains(doc, "`"+k.kind+"`") {
			t.Errorf("docs/inventory.md does not name the wave kind %s", k.kind)
		}
	}
	for label := range internalLabels {
		if !strings.Contains(doc, "`"+label+"`") {
			t.Errorf("docs/inventory.md does not name the internal label %s", label)
		}
	}
}
