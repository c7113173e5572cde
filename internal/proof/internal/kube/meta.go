package kube

import (
	"fmt"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// checkMetadata holds labels and annotations to the API server's rules,
// as every routeshift command does (docs/reading.md; the converter's
// side is load.CheckMetadata, with the same messages): both are maps of
// strings, so an unquoted 10, 017, true, on, yes or null is refused, as is
// a key the API server would read as another string (on: is "true"); and
// no key or value holds a character of forbidden. The first offending
// entry in document order is named, annotations before labels. It returns
// the labels.
func checkMetadata(root *yaml.Node) (map[string]string, error) {
	var labels map[string]string
	for _, field := range [...]string{"annotations", "labels"} {
		m, err := stringMap(lookup(root, "metadata", field), "metadata."+field)
		if err != nil {
			return nil, err
		}
		if field == "labels" {
			labels = m
		}
	}
	return labels, nil
}

func stringMap(m *yaml.Node, path string) (map[string]string, error) {
	if m == nil || m.Kind == yaml.ScalarNode && m.Style == 0 && resolveText("", m.Value).typ == typeNull {
		return nil, nil
	}
	if m.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: must be a map of strings", path)
	}
	out := make(map[string]string, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		rk, err := resolveNode(k, k.Line)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		key, err := rk.key(k.Line, k.Value)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if key != k.Value {
			return nil, fmt.Errorf("%s: key %q is read as %q (the API server reads YAML 1.1); quote it", path, clip(k.Value), key)
		}
		if r, bad := firstForbidden(key); bad {
			return nil, fmt.Errorf("%s: key %q holds %U, %s", path, clip(key), r, forbiddenWhy)
		}
		if v.Kind != yaml.ScalarNode {
			what := map[yaml.Kind]string{yaml.MappingNode: "map", yaml.SequenceNode: "list", yaml.AliasNode: "alias"}[v.Kind]
			return nil, fmt.Errorf("%s.%s: value of kind %s is not a string (the API server rejects it); quote it", path, key, what)
		}
		rv, err := resolveNode(v, v.Line)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", path, key, err)
		}
		switch rv.typ {
		case typeString, typeBinary, typeTimestamp:
		default:
			return nil, fmt.Errorf("%s.%s: value %q is not a string (the API server rejects it); quote it", path, key, clip(v.Value))
		}
		if r, bad := firstForbidden(rv.text); bad {
			return nil, fmt.Errorf("%s.%s: value holds %U, %s", path, key, r, forbiddenWhy)
		}
		out[key] = rv.text
	}
	return out, nil
}

const forbiddenWhy = "which annotations and labels must not hold (control characters other than tab and line feed, " +
	"U+2028, U+2029, U+FEFF and non-characters); write it another way"

// forbidden is the characters no label or annotation may hold: control
// characters but tab and line feed (C0 with CR, DEL, C1 with NEL), the
// line and paragraph separators, the byte order mark, and non-characters.
// YAML readers drop or change them, nginx.conf cannot hold them, and no
// annotation means them.
func forbidden(r rune) bool {
	if r == '\t' || r == '\n' {
		return false
	}
	return r < 0x20 || r >= 0x7f && r <= 0x9f ||
		r == 0x2028 || r == 0x2029 || r == 0xfeff ||
		r >= 0xfdd0 && r <= 0xfdef || r&0xffff >= 0xfffe
}

func firstForbidden(s string) (rune, bool) {
	for _, r := range s {
		if r == utf8.RuneError {
			continue // YAML text is valid UTF-8; U+FFFD itself is allowed
		}
		if forbidden(r) {
			return r, true
		}
	}
	return 0, false
}
