package kube

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v3"
)

// Scalars as the API server reads them.
//
// kubectl and the API server turn YAML into JSON with sigs.k8s.io/yaml
// (YAMLToJSON), which decodes YAML 1.1 with yaml.v2. This file resolves
// plain scalars from their text the way yaml.v2 does (go.yaml.in/yaml/v2
// v2.4, resolve.go: resolve and parseTimestamp; decode.go: a timestamp
// decoded into interface{} stays its text) and converts keys as YAMLToJSON
// does (sigs.k8s.io/yaml v1.6.0, yaml.go: convertToJSONableObject). It
// does not trust the tags yaml.v3 put on the nodes, which follow YAML 1.2:
// the converter's reader (internal/load) starts from those, and the two
// are held to each other and to sigs.k8s.io/yaml by the differential test
// (internal/proof/internal/differential).

type scalarType uint8

const (
	typeString scalarType = iota
	typeNull
	typeBool
	typeInt
	typeFloat
	typeTimestamp
	typeBinary
)

func (t scalarType) String() string {
	return [...]string{"a string", "null", "a boolean", "an integer", "a number", "a timestamp", "binary data"}[t]
}

// resolved is a scalar as yaml.v2 decodes it into interface{}.
type resolved struct {
	typ  scalarType
	b    bool
	i    int64
	u    uint64 // an integer beyond int64
	big  bool   // u holds the integer
	f    float64
	text string // strings, timestamps (kept as text) and decoded binary
}

var boolWords = map[string]bool{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true,
	"true": true, "True": true, "TRUE": true, "on": true, "On": true, "ON": true,
	"n": false, "N": false, "no": false, "No": false, "NO": false,
	"false": false, "False": false, "FALSE": false, "off": false, "Off": false, "OFF": false,
}

// yamlFloat is yaml.v2's yamlStyleFloat.
var yamlFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

var timestampLayouts = []string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

func isTimestamp(s string) bool {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, l := range timestampLayouts {
		if _, err := time.Parse(l, s); err == nil {
			return true
		}
	}
	return false
}

// resolveText is yaml.v2's resolve for a plain scalar with tag "" or one
// of the standard tags it resolves (tag is "" for none).
func resolveText(tag, in string) resolved {
	str := resolved{typ: typeString, text: in}
	if tag == "!!str" {
		return str
	}
	if in == "" || in == "~" || in == "null" || in == "Null" || in == "NULL" {
		return resolved{typ: typeNull}
	}
	if v, ok := boolWords[in]; ok {
		return resolved{typ: typeBool, b: v}
	}
	switch in {
	case ".nan", ".NaN", ".NAN":
		return resolved{typ: typeFloat, f: math.NaN()}
	case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
		return resolved{typ: typeFloat, f: math.Inf(1)}
	case "-.inf", "-.Inf", "-.INF":
		return resolved{typ: typeFloat, f: math.Inf(-1)}
	}
	switch c := in[0]; {
	case c == '.':
		if f, err := strconv.ParseFloat(in, 64); err == nil {
			return resolved{typ: typeFloat, f: f}
		}
	case c == '+' || c == '-' || c >= '0' && c <= '9':
		if (tag == "" || tag == "!!timestamp") && isTimestamp(in) {
			return resolved{typ: typeTimestamp, text: in}
		}
		plain := strings.ReplaceAll(in, "_", "")
		if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return resolved{typ: typeInt, i: i}
		}
		if u, err := strconv.ParseUint(plain, 0, 64); err == nil {
			return resolved{typ: typeInt, u: u, big: true}
		}
		if yamlFloat.MatchString(plain) {
			if f, err := strconv.ParseFloat(plain, 64); err == nil {
				return resolved{typ: typeFloat, f: f}
			}
		}
		if rest, ok := strings.CutPrefix(plain, "0b"); ok {
			if i, err := strconv.ParseInt(rest, 2, 64); err == nil {
				return resolved{typ: typeInt, i: i}
			}
			if u, err := strconv.ParseUint(rest, 2, 64); err == nil {
				return resolved{typ: typeInt, u: u, big: true}
			}
		} else if rest, ok := strings.CutPrefix(plain, "-0b"); ok {
			if i, err := strconv.ParseInt("-"+rest, 2, 64); err == nil {
				return resolved{typ: typeInt, i: i}
			}
		}
	}
	return str
}

// resolveNode is yaml.v2's reading of scalar n: quoted and block scalars
// are strings unless explicitly tagged; a standard tag resolves the text
// and must fit (!!float takes an integer); !!binary is base64; any other
// tag keeps the text.
// line is n's line in the stream, for messages.
func resolveNode(n *yaml.Node, line int) (resolved, error) {
	explicit := n.Style&yaml.TaggedStyle != 0
	if !explicit {
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			return resolved{typ: typeString, text: n.Value}, nil
		}
		return resolveText("", n.Value), nil
	}
	tag := n.ShortTag()
	var want scalarType
	switch tag {
	case "!!str":
		return resolved{typ: typeString, text: n.Value}, nil
	case "!!binary":
		data, err := base64.StdEncoding.DecodeString(n.Value)
		if err != nil {
			return resolved{}, fmt.Errorf("line %d: !!binary value is not valid base64", line)
		}
		return resolved{typ: typeBinary, text: string(data)}, nil
	case "!!null":
		want = typeNull
	case "!!bool":
		want = typeBool
	case "!!int":
		want = typeInt
	case "!!float":
		want = typeFloat
	case "!!timestamp":
		want = typeTimestamp
	default:
		return resolved{typ: typeString, text: n.Value}, nil
	}
	r := resolveText(tag, n.Value)
	switch {
	case r.typ == want:
		return r, nil
	case r.typ == typeInt && want == typeFloat:
		if r.big {
			return resolved{typ: typeFloat, f: float64(r.u)}, nil
		}
		return resolved{typ: typeFloat, f: float64(r.i)}, nil
	}
	return resolved{}, fmt.Errorf("line %d: %s %s is not %s", line, clip(n.Value), tag, want)
}

// appendJSON appends what YAMLToJSON's json.Marshal writes for r.
func (r resolved) appendJSON(b []byte, line int, text string) ([]byte, error) {
	switch r.typ {
	case typeNull:
		return append(b, "null"...), nil
	case typeBool:
		return strconv.AppendBool(b, r.b), nil
	case typeInt:
		if r.big {
			return strconv.AppendUint(b, r.u, 10), nil
		}
		return strconv.AppendInt(b, r.i, 10), nil
	case typeFloat:
		if math.IsInf(r.f, 0) || math.IsNaN(r.f) {
			return b, fmt.Errorf("line %d: number %s is not finite", line, clip(text))
		}
		enc, _ := json.Marshal(r.f)
		return append(b, enc...), nil
	}
	return appendString(b, r.text), nil
}

// appendString writes s as a JSON string; most need no escaping, and
// json.Marshal would allocate for each of them.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			enc, _ := json.Marshal(s) // a string always marshals
			return append(b, enc...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// key is the JSON key YAMLToJSON makes of a resolved mapping key.
func (r resolved) key(line int, text string) (string, error) {
	switch r.typ {
	case typeString, typeBinary, typeTimestamp:
		return r.text, nil
	case typeBool:
		return strconv.FormatBool(r.b), nil
	case typeInt:
		if !r.big {
			return strconv.FormatInt(r.i, 10), nil
		}
	case typeFloat:
		// YAMLToJSON formats at 32 bits, then renames: 1e70 is ".inf".
		switch s := strconv.FormatFloat(r.f, 'g', -1, 32); s {
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
	return "", fmt.Errorf("line %d: map key %s is %s, which the API server's reader cannot turn into a string; quote it",
		line, clip(text), r.typ)
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
