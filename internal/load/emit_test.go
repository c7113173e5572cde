package load

import (
	"bytes"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TestEmitSimpleRoundTrips checks the hand-written emitter against the
// YAML parser: whatever it writes must read back as the same tree, and
// scalars that could read as something else must be quoted.
func TestEmitSimpleRoundTrips(t *testing.T) {
	strs := []string{"", "a", "true", "True", "no", "null", "~", "123", "1_000", "0x1F", "1e3", ".5", "-a", "- a", "*", "*.example.com",
		"a: b", "a:b", "a #b", "a#b", "/api/v1", "(?i)^/api.*", "@x", "`x", "|", ">", "%x", "!x", "&x", "'x", "\"x", "{a}", "[a]",
		"a ", " a", "line\nbreak", "tab\there", "\x00nul", "ünïcode", "x,y", "=", "key=value", "2024-01-01", "1.2.3", "yes-please",
		"ns/name", "Ingress shop/web", "max-age=31536000", "https://app.example.com", "GET", "X-Frame-Options", "a?b", "a\\b"}
	for _, s := range strs {
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
			{Kind: yaml.ScalarNode, Tag: "!!str", Value: s},
			{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{
				{Kind: yaml.ScalarNode, Tag: "!!str", Value: s},
				{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
					{Kind: yaml.ScalarNode, Tag: "!!str", Value: "k"}, {Kind: yaml.ScalarNode, Tag: "!!str", Value: s},
					{Kind: yaml.ScalarNode, Tag: "!!str", Value: "n"}, {Kind: yaml.ScalarNode, Tag: "!!int", Value: "8080"},
					{Kind: yaml.ScalarNode, Tag: "!!str", Value: "e"}, {Kind: yaml.MappingNode, Tag: "!!map"},
				}},
			}},
		}}
		var buf bytes.Buffer
		if !emitSimple(&buf, n) {
			t.Fatalf("%q: not simple", s)
		}
		var back yaml.Node
		if err := yaml.Unmarshal(buf.Bytes(), &back); err != nil {
			t.Fatalf("%q: output does not parse: %v\n%s", s, err, buf.String())
		}
		root := back.Content[0]
		item := root.Content[1].Content[1]
		for _, got := range []*yaml.Node{root.Content[0], root.Content[1].Content[0], item.Content[1]} {
			if got.Value != s || got.ShortTag() != "!!str" {
				t.Errorf("%q came back as %s %q:\n%s", s, got.ShortTag(), got.Value, buf.String())
			}
		}
		if item.Content[3].ShortTag() != "!!int" || item.Content[5].Kind != yaml.MappingNode {
			t.Errorf("%q: int or empty map lost:\n%s", s, buf.String())
		}
	}
}

func TestEmitSimpleRefusesWhatItCannotKeep(t *testing.T) {
	for _, doc := range []string{"a: b # comment\n", "a: &x b\nc: *x\n", "a: 'quoted'\n", "a: [1, 2]\n", "a: !custom b\n"} {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(doc), &n); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if emitSimple(&buf, n.Content[0]) {
			t.Errorf("%q was emitted by the simple emitter, losing what the encoder keeps", doc)
		}
	}
}
