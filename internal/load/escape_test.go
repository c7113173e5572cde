package load

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
	sigsyaml "sigs.k8s.io/yaml"
)

// hostileStrings hold every character a YAML reader drops, changes or
// refuses, alone and inside text, as an annotation value or a regex path
// may hold them once a double-quoted escape has produced them.
var hostileStrings = []string{
	"/a\u0085b", "\u0085", "a\u0080b\u009f", "\u2028", "x\u2029y", "\ufeffbom", "a\ufeff",
	"\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\U0010ffff", "del\x7f", "nul\x00", "bell\x07",
	"cr\rlf\n", "tab\there", "multi\nline\u0085\n", "  lead", "trail ", "'q'", `"dq"`, `back\slash`,
	"yes", "on", "017", "0x1F", "1_000", "~", "null", "12:30", "2024-01-01", ".inf", "# c", "- x", "a: b",
	"ünï €", "😀", "\ufffd",
}

// TestWritersRoundTrip holds every YAML writer of this package to reading
// back what it was given, with this package's readers (both parsers) and
// with sigs.k8s.io/yaml, the API server's reader.
func TestWritersRoundTrip(t *testing.T) {
	for _, s := range hostileStrings {
		jsonDoc, _ := json.Marshal(map[string]string{"k": s})
		fromJSON, err := EncodeJSON(jsonDoc)
		if err != nil {
			t.Fatalf("%q: EncodeJSON: %v", s, err)
		}
		// A comment keeps emitSimple away: the yaml.v3 encoder writes it.
		tree := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", HeadComment: "# c", Content: []*yaml.Node{
			{Kind: yaml.ScalarNode, Tag: "!!str", Value: "k"}, {Kind: yaml.ScalarNode, Tag: "!!str", Value: s}}}
		encoded, err := encodeNode(tree)
		if err != nil {
			t.Fatalf("%q: encodeNode: %v", s, err)
		}
		for name, text := range map[string][]byte{
			"stringText": []byte("k: " + stringText(s) + "\n"),
			"EncodeJSON": fromJSON,
			"encodeNode": encoded,
		} {
			objs, err := ReadStream(bytes.NewReader(text), "out.yaml")
			if err != nil {
				t.Errorf("%s(%q) wrote %q, which does not read back: %v", name, s, text, err)
				continue
			}
			if got := objs[0].Field("k"); got != s {
				t.Errorf("%s(%q) wrote %q, which reads back as %q", name, s, text, got)
			}
			if n, err := parseYAML(text, 1); err != nil || Lookup(n, "k").Value != s || Lookup(n, "k").Tag != "!!str" {
				t.Errorf("%s(%q) wrote %q, which yaml.v3 reads differently (%v)", name, s, text, err)
			}
			var v map[string]any
			if err := sigsyaml.Unmarshal(text, &v); err != nil || v["k"] != s {
				t.Errorf("%s(%q) wrote %q, which sigs.k8s.io/yaml reads as %q (%v)", name, s, text, v["k"], err)
			}
		}
	}
}

// TestForbiddenRune pins the rule for annotation and label characters.
func TestForbiddenRune(t *testing.T) {
	for _, r := range []rune{0, 7, '\r', 0x1b, 0x7f, 0x80, 0x85, 0x9f, 0x2028, 0x2029, 0xfeff, 0xfdd0, 0xfdef, 0xfffe, 0xffff, 0x1fffe, 0x10ffff} {
		if !ForbiddenRune(r) {
			t.Errorf("%U must be forbidden", r)
		}
	}
	for _, r := range []rune{'\t', '\n', ' ', 'a', 0xa0, 0xe9, 0xfffd, 0xfdcf, 0xfdf0, 0x1f600, 0x2027, 0x202a} {
		if ForbiddenRune(r) {
			t.Errorf("%U must be allowed", r)
		}
	}
	if strings.ContainsFunc("ordinary text", ForbiddenRune) {
		t.Error("ordinary text holds a forbidden rune")
	}
}
