package load

import (
	"fmt"
	"unicode/utf8"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// CheckMetadata applies the API server's rules to an object's labels and
// annotations, the rules every command holds an object to before reading
// it (docs/reading.md):
//
//   - They are maps of strings (ObjectMeta's map[string]string). A value
//     the API server's reader takes for something else is an error, not a
//     string: an unquoted 10, 017, true, on, yes or null. A key it would
//     turn into another string (on: is "true") is an error too.
//   - Keys and values hold no character that YAML readers drop or change
//     and that no annotation means: see ForbiddenRune.
//
// The first offending entry in document order is reported, annotations
// before labels. root is the object's root mapping.
func CheckMetadata(root *yaml.Node) error {
	for _, field := range [...]string{"annotations", "labels"} {
		if err := checkStringMap(Lookup(root, "metadata", field), "metadata."+field); err != nil {
			return err
		}
	}
	return nil
}

func checkStringMap(m *yaml.Node, path string) error {
	if isNull(m) {
		return nil
	}
	if m.Kind != yaml.MappingNode {
		return fmt.Errorf("%s: must be a map of strings", path)
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		key, err := keyString(k)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if key != k.Value {
			return fmt.Errorf("%s: key %q is read as %q (the API server reads YAML 1.1); quote it", path, clipValue(k.Value), key)
		}
		if r, ok := forbiddenIn(key); ok {
			return fmt.Errorf("%s: key %q holds %U, %s", path, clipValue(key), r, forbiddenWhy)
		}
		if v.Kind != yaml.ScalarNode {
			return fmt.Errorf("%s.%s: value %s is not a string (the API server rejects it); quote it", path, key, shortValue(v))
		}
		kind, err := scalarKind(v)
		if err != nil {
			return fmt.Errorf("%s.%s: %w", path, key, err)
		}
		if kind != apiString && kind != apiBinary {
			return fmt.Errorf("%s.%s: value %s is not a string (the API server rejects it); quote it", path, key, shortValue(v))
		}
		value := v.Value
		if kind == apiBinary {
			if value, err = decodeBinary(v); err != nil {
				return fmt.Errorf("%s.%s: %w", path, key, err)
			}
		}
		if r, ok := forbiddenIn(value); ok {
			return fmt.Errorf("%s.%s: value holds %U, %s", path, key, r, forbiddenWhy)
		}
	}
	return nil
}

func shortValue(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		return "of kind " + map[yaml.Kind]string{yaml.MappingNode: "map", yaml.SequenceNode: "list", yaml.AliasNode: "alias"}[n.Kind]
	}
	return fmt.Sprintf("%q", clipValue(n.Value))
}

// forbiddenWhy is the end of the message for a forbidden character.
const forbiddenWhy = "which annotations and labels must not hold (control characters other than tab and line feed, " +
	"U+2028, U+2029, U+FEFF and non-characters); write it another way"

// ForbiddenRune reports whether r may not appear in an annotation or label
// key or value. YAML readers drop or change these characters (a raw U+0085
// is a line break to yaml.v3, and the C1 controls, U+FFFE and U+FFFF are
// not allowed in a YAML stream at all), ingress-nginx writes annotation
// values into nginx.conf where a control character ends or corrupts a
// directive, and none of them has a meaning in any annotation:
//
//   - C0 controls except tab and line feed (U+0000-U+0008, U+000B-U+001F;
//     carriage return too: a CR that survives reading came from a "\r"
//     escape), and DEL (U+007F);
//   - C1 controls (U+0080-U+009F), NEL (U+0085) among them;
//   - the line and paragraph separators U+2028 and U+2029;
//   - U+FEFF, the byte order mark, which readers strip;
//   - non-characters: U+FDD0-U+FDEF and the last two code points of every
//     plane (U+FFFE, U+FFFF, U+1FFFE, ...).
//
// Tab and line feed are allowed: configuration snippets are multi-line
// and may be indented with tabs.
func ForbiddenRune(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x2028 || r == 0x2029 || r == 0xfeff:
		return true
	case r >= 0xfdd0 && r <= 0xfdef:
		return true
	case r&0xfffe == 0xfffe:
		return true
	}
	return false
}

// forbiddenIn returns the first forbidden rune of s.
func forbiddenIn(s string) (rune, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			continue
		}
		if c < utf8.RuneSelf {
			if ForbiddenRune(rune(c)) {
				return rune(c), true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if ForbiddenRune(r) {
			return r, true
		}
		i += size - 1
	}
	return 0, false
}
