package validate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	utiljson "k8s.io/apimachinery/pkg/util/json"
	"k8s.io/apimachinery/pkg/util/validation/field"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// decodeYAML turns one YAML document into the value the API server would
// decode from the same JSON: integers become int64 and other numbers float64.
// Plain YAML decoding yields float64 for every number, which CEL rejects on
// integer fields ("expected int, got float64"), hence the JSON detour.
func decodeYAML(doc []byte) (map[string]any, error) {
	doc, err := singleDocument(doc)
	if err != nil {
		return nil, err
	}
	js, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return nil, fmt.Errorf("decode YAML: %w", err)
	}
	if t := bytes.TrimSpace(js); len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return nil, errors.New("decode YAML: empty document")
	}
	var obj map[string]any
	if err := utiljson.Unmarshal(js, &obj); err != nil {
		return nil, fmt.Errorf("decode YAML: not an object: %w", err)
	}
	return obj, nil
}

// singleDocument returns doc's only document. YAMLToJSON would silently read
// the first of several, and a caller passing a whole file would then believe
// the rest had been validated.
func singleDocument(doc []byte) ([]byte, error) {
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(doc)))
	var first []byte
	for {
		d, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("split YAML documents: %w", err)
		}
		if len(bytes.TrimSpace(d)) == 0 || isSeparatorOnly(d) {
			continue
		}
		if first != nil {
			return nil, errors.New("decode YAML: more than one document; pass one at a time")
		}
		first = d
	}
	if first == nil {
		return doc, nil
	}
	return first, nil
}

// isSeparatorOnly spots a chunk that holds only a "---" line and comments,
// which the reader returns for a leading separator.
func isSeparatorOnly(d []byte) bool {
	for _, line := range bytes.Split(d, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' || bytes.Equal(line, []byte("---")) {
			continue
		}
		return false
	}
	return true
}

// normalize deep-copies obj into JSON-shaped values, because every later
// stage (pruning and defaulting) edits the object in place and the caller's
// map must stay untouched. On the way it turns the numbers a caller may
// reasonably hold (int, json.Number, integral float64 from encoding/json)
// into what the API server's decoder produces, so CEL sees int64.
func normalize(v any) (any, *field.Error) {
	out, err := normalizeValue(v)
	if err != nil {
		return nil, field.TypeInvalid(err.path(), err.value, err.msg)
	}
	return out, nil
}

// badValue records where normalize gave up; the path is collected while the
// recursion unwinds so that the common, valid case builds no paths at all.
type badValue struct {
	segs  []string // innermost first
	value any
	msg   string
}

func (b *badValue) path() *field.Path {
	var p *field.Path
	for i := len(b.segs) - 1; i >= 0; i-- {
		s := b.segs[i]
		switch {
		case p == nil:
			p = field.NewPath(s)
		case s[0] == '[':
			n, _ := strconv.Atoi(s[1 : len(s)-1])
			p = p.Index(n)
		default:
			p = p.Child(s)
		}
	}
	return p
}

func normalizeValue(v any) (any, *badValue) {
	switch x := v.(type) {
	case nil, string, bool, int64:
		return x, nil
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			c, err := normalizeValue(e)
			if err != nil {
				err.segs = append(err.segs, k)
				return nil, err
			}
			m[k] = c
		}
		return m, nil
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			c, err := normalizeValue(e)
			if err != nil {
				err.segs = append(err.segs, "["+strconv.Itoa(i)+"]")
				return nil, err
			}
			s[i] = c
		}
		return s, nil
	case int:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case float32:
		return normalizeFloat(float64(x)), nil
	case float64:
		return normalizeFloat(x), nil
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i, nil
		}
		f, err := x.Float64()
		if err != nil {
			return nil, &badValue{value: x.String(), msg: "not a number"}
		}
		return f, nil
	default:
		return nil, &badValue{value: fmt.Sprintf("%T", v), msg: "not a JSON value (want map[string]any, []any, string, bool, int64, float64 or nil)"}
	}
}

// normalizeFloat makes integral floats int64, as a JSON decoder that knew
// the number had no fraction would have.
func normalizeFloat(f float64) any {
	if f == math.Trunc(f) && f >= math.MinInt64 && f < math.MaxInt64 {
		return int64(f)
	}
	return f
}
