package load

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// The API server's reading of scalars.
//
// kubectl and the API server turn YAML into JSON with sigs.k8s.io/yaml's
// YAMLToJSON, which reads YAML 1.1 through yaml.v2 (go.yaml.in/yaml/v2
// resolve.go, decode.go; sigs.k8s.io/yaml v1.6.0 yaml.go). The node trees
// this package builds are tagged by yaml.v3's resolver (YAML 1.2 core
// schema as yaml.v3 implements it). The two agree on numbers, nulls and
// timestamps: both strip '_' and hand the rest to strconv.ParseInt with base
// 0, so 017 is octal 15, 0o17 is 15, 0x1F is 31, 0b101 is 5 and 1_000 is
// 1000 in both, and neither reads "12:30" as a sexagesimal number. They
// differ on booleans only: YAML 1.1 also reads y, yes, on, n, no, off (in
// three spellings each) as true and false, where yaml.v3 keeps them as
// strings. What YAMLToJSON then writes differs from the YAML text in two
// more ways, which appendScalarJSON and keyString reproduce: a !!binary
// scalar is its decoded bytes, and a non-string mapping key is its string
// form (017: is the key "15", on: the key "true", 1.50: the key "1.5").
// Timestamps stay the text they were (yaml.v2 decodes them into
// interface{} as strings, decode.go), so 2024-01-01 is a string.

// apiKind is what the API server's reader makes of a scalar.
type apiKind uint8

const (
	apiString apiKind = iota
	apiNull
	apiBool
	apiInt
	apiFloat
	apiBinary
)

func (k apiKind) String() string {
	return [...]string{"a string", "null", "a boolean", "an integer", "a number", "binary data"}[k]
}

// yaml11Bool returns the value of a YAML 1.1 boolean that YAML 1.2 reads
// as a string, and whether s is one.
func yaml11Bool(s string) (value, ok bool) {
	if len(s) > 3 || len(s) == 0 {
		return false, false
	}
	switch s {
	case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON":
		return true, true
	case "n", "N", "no", "No", "NO", "off", "Off", "OFF":
		return false, true
	}
	return false, false
}

// scalarKind tells what the API server reads scalar n as. A plain scalar
// is resolved by its text; a quoted or block scalar is a string; an
// explicit standard tag (!!int "17") resolves the text as that type and is
// an error when it does not fit, as in yaml.v2; any other explicit tag
// leaves the text a string.
func scalarKind(n *yaml.Node) (apiKind, error) {
	if n.Style&yaml.TaggedStyle == 0 {
		if n.Style != 0 {
			return apiString, nil
		}
		// The parsers tag plain scalars as the API server reads them
		// (fastResolve, checkTree); a tree built in memory is taken at its
		// tags' word.
		switch n.Tag {
		case yaml.NodeTagNull:
			return apiNull, nil
		case yaml.NodeTagBool:
			return apiBool, nil
		case yaml.NodeTagInt:
			if strings.IndexByte(n.Value, 'o') >= 0 {
				if _, ok := parseInt(n.Value); !ok {
					return apiString, nil // 0o+7: an integer to yaml.v3 only
				}
			}
			return apiInt, nil
		case yaml.NodeTagFloat:
			return apiFloat, nil
		}
		return apiString, nil // timestamps too
	}
	var want apiKind
	switch n.ShortTag() {
	case yaml.NodeTagString:
		return apiString, nil
	case "!!binary":
		return apiBinary, nil
	case yaml.NodeTagNull:
		want = apiNull
	case yaml.NodeTagBool:
		want = apiBool
	case yaml.NodeTagInt:
		want = apiInt
	case yaml.NodeTagFloat:
		want = apiFloat
	case fastTimestampTag:
		if fastResolve(n.Value) == fastTimestampTag {
			return apiString, nil // kept as text, as untagged
		}
		return 0, fmt.Errorf("line %d: %s is not a timestamp", n.Line, clipValue(n.Value))
	default:
		return apiString, nil // a local tag (!foo): yaml.v2 keeps the text
	}
	got := resolvePlain(n.Value)
	switch {
	case got == want, got == apiInt && want == apiFloat:
		return want, nil
	}
	return 0, fmt.Errorf("line %d: %s %s is not %s", n.Line, clipValue(n.Value), n.ShortTag(), want)
}

// resolvePlain resolves the text of an explicitly tagged scalar as
// yaml.v2 does with a standard tag other than !!timestamp: as a plain
// scalar, except that timestamps are not tried.
func resolvePlain(v string) apiKind {
	switch fastResolve(v) {
	case yaml.NodeTagNull:
		return apiNull
	case yaml.NodeTagBool:
		return apiBool
	case yaml.NodeTagInt:
		if _, ok := parseInt(v); !ok {
			return apiString // 0o+7
		}
		return apiInt
	case yaml.NodeTagFloat:
		return apiFloat
	case fastTimestampTag:
		if _, ok := parseInt(v); ok {
			return apiInt
		}
	}
	return apiString
}

// parseInt reads an integer scalar as yaml.v2 does: '_' dropped, then Go's
// base prefixes (0x, 0o, 0b, and a leading 0 for octal), then binary with
// a sign after the prefix (0b-1 is -1). The text is a uint64 beyond
// int64's range. yaml.v3 also tries 0o with a sign after the prefix
// (0o+7); yaml.v2 does not, and such a scalar is a string to the API
// server (see scalarKind).
func parseInt(v string) (string, bool) {
	plain := strings.ReplaceAll(v, "_", "")
	if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return strconv.FormatInt(i, 10), true
	}
	if u, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return strconv.FormatUint(u, 10), true
	}
	if rest, ok := strings.CutPrefix(plain, "0b"); ok {
		if i, err := strconv.ParseInt(rest, 2, 64); err == nil {
			return strconv.FormatInt(i, 10), true
		}
		if u, err := strconv.ParseUint(rest, 2, 64); err == nil {
			return strconv.FormatUint(u, 10), true
		}
	} else if rest, ok := strings.CutPrefix(plain, "-0b"); ok {
		if i, err := strconv.ParseInt("-"+rest, 2, 64); err == nil {
			return strconv.FormatInt(i, 10), true
		}
	}
	return "", false
}

// appendScalarJSON appends the JSON value the API server's reader makes of
// scalar n: what sigs.k8s.io/yaml.YAMLToJSON writes for it.
func appendScalarJSON(b []byte, n *yaml.Node) ([]byte, error) {
	kind, err := scalarKind(n)
	if err != nil {
		return b, err
	}
	return appendKindJSON(b, n, kind)
}

func appendKindJSON(b []byte, n *yaml.Node, kind apiKind) ([]byte, error) {
	v := n.Value
	switch kind {
	case apiNull:
		return append(b, "null"...), nil
	case apiBool:
		if t, ok := yaml11Bool(v); ok {
			return strconv.AppendBool(b, t), nil
		}
		switch v {
		case "true", "True", "TRUE":
			return append(b, "true"...), nil
		case "false", "False", "FALSE":
			return append(b, "false"...), nil
		}
		return b, fmt.Errorf("line %d: %s is not a boolean", n.Line, clipValue(v))
	case apiInt:
		if isDecimal(v) {
			return append(b, v...), nil
		}
		s, ok := parseInt(v)
		if !ok {
			// Beyond uint64: yaml.v2 reads it as a float, as yaml.v3 tags it.
			return appendFloatJSON(b, n)
		}
		return append(b, s...), nil
	case apiFloat:
		if s, ok := parseInt(v); ok {
			// !!float 017: yaml.v2 reads the integer, then converts it.
			f, _ := strconv.ParseFloat(s, 64)
			enc, _ := json.Marshal(f)
			return append(b, enc...), nil
		}
		return appendFloatJSON(b, n)
	case apiBinary:
		s, err := decodeBinary(n)
		if err != nil {
			return b, err
		}
		return appendJSONString(b, s), nil
	}
	return appendJSONString(b, v), nil
}

func decodeBinary(n *yaml.Node) (string, error) {
	data, err := base64.StdEncoding.DecodeString(n.Value)
	if err != nil {
		return "", fmt.Errorf("line %d: !!binary value is not valid base64", n.Line)
	}
	return string(data), nil
}

// isDecimal reports whether v is a plain decimal integer that is its own
// JSON form: no sign, no leading zero, at most 18 digits (always int64).
func isDecimal(v string) bool {
	if len(v) == 0 || len(v) > 18 || (v[0] == '0' && len(v) > 1) {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}

// appendFloatJSON writes a float as encoding/json does, which is what
// YAMLToJSON's json.Marshal writes; infinities and NaN have no JSON form
// and fail there too.
func appendFloatJSON(b []byte, n *yaml.Node) ([]byte, error) {
	f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return b, fmt.Errorf("line %d: number %s is not finite", n.Line, clipValue(n.Value))
	}
	enc, _ := json.Marshal(f) // finite floats always marshal
	return append(b, enc...), nil
}

func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 || c == '<' || c == '>' || c == '&' {
			enc, _ := json.Marshal(s) // a string always marshals
			return append(b, enc...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// keyString returns the JSON key the API server's reader makes of mapping
// key k, converted as YAMLToJSON converts non-string keys, or an error for
// the keys it cannot convert (null, integers beyond int64).
func keyString(k *yaml.Node) (string, error) {
	if k.Kind != yaml.ScalarNode {
		return "", fmt.Errorf("line %d: a map key must be a scalar", k.Line)
	}
	// Most keys are plain words: skip the resolution.
	if k.Style == 0 && k.Tag == yaml.NodeTagString {
		return k.Value, nil
	}
	kind, err := scalarKind(k)
	if err != nil {
		return "", err
	}
	switch kind {
	case apiString:
		return k.Value, nil
	case apiBinary:
		return decodeBinary(k)
	case apiBool:
		enc, err := appendKindJSON(nil, k, kind)
		return string(enc), err
	case apiInt:
		if s, ok := parseInt(k.Value); ok {
			if _, err := strconv.ParseInt(s, 10, 64); err == nil {
				return s, nil
			}
		} else {
			return floatKey(k)
		}
	case apiFloat:
		return floatKey(k)
	}
	return "", fmt.Errorf("line %d: map key %s is %s, which the API server's reader cannot turn into a string; quote it",
		k.Line, clipValue(k.Value), kind)
}

// floatKey is a float key as YAMLToJSON spells it: 32-bit precision, and
// YAML's names for infinities and NaN.
func floatKey(k *yaml.Node) (string, error) {
	v := strings.ReplaceAll(k.Value, "_", "")
	if s, ok := parseInt(v); ok { // !!float 017 is 15
		v = s
	}
	var f float64
	switch v {
	case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
		f = math.Inf(1)
	case "-.inf", "-.Inf", "-.INF":
		f = math.Inf(-1)
	case ".nan", ".NaN", ".NAN":
		f = math.NaN()
	default:
		var err error
		if f, err = strconv.ParseFloat(v, 64); err != nil {
			return "", fmt.Errorf("line %d: %s is not a number", k.Line, clipValue(k.Value))
		}
	}
	// Formatted at 32 bits first, so 1e70 is +Inf, then renamed.
	switch s := strconv.FormatFloat(f, 'g', -1, 32); s {
	case "+Inf":
		return ".inf", nil
	case "-Inf":
		return "-.inf", nil
	case "NaN":
		return ".nan", nil
	default:
		return s, nil
	}
}

// StringScalar returns the string the API server reads scalar n as, and
// true, when it reads n as a string whose JSON form (JSON) gives back the
// same text: not null, a boolean, a number, binary or invalid UTF-8.
// Readers that decode common shapes straight from the tree (rather than
// through JSON) take what it refuses the long way.
func StringScalar(n *yaml.Node) (string, bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return "", false
	}
	if kind, err := scalarKind(n); err != nil || kind != apiString || !utf8.ValidString(n.Value) {
		return "", false
	}
	return n.Value, true
}

// DecimalScalar returns the integer the API server reads scalar n as, and
// true, when n is a plain decimal integer (no sign, base or leading zero)
// below 10^18, as JSON writes it; see StringScalar.
func DecimalScalar(n *yaml.Node) (int64, bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return 0, false
	}
	if kind, err := scalarKind(n); err != nil || kind != apiInt || !isDecimal(n.Value) {
		return 0, false
	}
	v, err := strconv.ParseInt(n.Value, 10, 64)
	return v, err == nil
}
