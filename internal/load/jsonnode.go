package load

import (
	"fmt"
	"sort"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// NodeFromJSON builds a node tree from JSON, mapping keys sorted, numbers
// kept as written, leaving out the keys drop names (paths of keys from
// the root, such as "status" or "metadata.creationTimestamp"). It is the
// tree form of what EncodeJSON and NewObjectFromJSON write, and the
// reference their tests hold them to; it goes straight to nodes because
// decoding into Go maps first cost most of a large conversion's time.
func NodeFromJSON(data []byte, drop ...string) (*yaml.Node, error) {
	p := &jsonParser{data: data, drop: map[string]bool{}}
	for _, d := range drop {
		p.drop["."+d] = true // paths start with ".", so an empty key is a key too
	}
	p.space()
	n, err := p.value("")
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.data) {
		return nil, fmt.Errorf("json: unexpected data at offset %d", p.i)
	}
	return n, nil
}

type jsonParser struct {
	data []byte
	i    int
	drop map[string]bool
}

func (p *jsonParser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) fail(what string) error {
	return fmt.Errorf("json: %s at offset %d", what, p.i)
}

func (p *jsonParser) value(path string) (*yaml.Node, error) {
	if p.i >= len(p.data) {
		return nil, p.fail("unexpected end")
	}
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object(path)
	case c == '[':
		return p.array(path)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}, nil
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range [...]struct{ text, tag string }{{"true", "!!bool"}, {"false", "!!bool"}, {"null", "!!null"}} {
			if len(p.data)-p.i >= len(lit.text) && string(p.data[p.i:p.i+len(lit.text)]) == lit.text {
				p.i += len(lit.text)
				return &yaml.Node{Kind: yaml.ScalarNode, Tag: lit.tag, Value: lit.text}, nil
			}
		}
		return nil, p.fail("invalid literal")
	default:
		start := p.i
		float := false
		for p.i < len(p.data) {
			c := p.data[p.i]
			if c >= '0' && c <= '9' || c == '-' || c == '+' {
				p.i++
			} else if c == '.' || c == 'e' || c == 'E' {
				float = true
				p.i++
			} else {
				break
			}
		}
		if start == p.i {
			return nil, p.fail("unexpected character")
		}
		tag := "!!int"
		if float {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: string(p.data[start:p.i])}, nil
	}
}

func (p *jsonParser) object(path string) (*yaml.Node, error) {
	p.i++ // {
	type pair struct {
		key string
		val *yaml.Node
	}
	var pairs []pair
	p.space()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}, nil
	}
	for {
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return nil, p.fail("expected a key")
		}
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return nil, p.fail("expected ':'")
		}
		p.i++
		p.space()
		sub := path + "." + k
		v, err := p.value(sub)
		if err != nil {
			return nil, err
		}
		if !p.drop[sub] {
			pairs = append(pairs, pair{k, v})
		}
		p.space()
		if p.i >= len(p.data) {
			return nil, p.fail("unexpected end")
		}
		if p.data[p.i] == ',' {
			p.i++
			continue
		}
		if p.data[p.i] == '}' {
			p.i++
			break
		}
		return nil, p.fail("expected ',' or '}'")
	}
	sort.SliceStable(pairs, func(a, b int) bool { return pairs[a].key < pairs[b].key })
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: make([]*yaml.Node, 0, 2*len(pairs))}
	for _, kv := range pairs {
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: kv.key}, kv.val)
	}
	return n, nil
}

func (p *jsonParser) array(path string) (*yaml.Node, error) {
	p.i++ // [
	n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	p.space()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return n, nil
	}
	for {
		p.space()
		// Paths name mapping keys only; items inherit no path, so a drop
		// never reaches into lists.
		v, err := p.value("\x00")
		if err != nil {
			return nil, err
		}
		n.Content = append(n.Content, v)
		p.space()
		if p.i >= len(p.data) {
			return nil, p.fail("unexpected end")
		}
		if p.data[p.i] == ',' {
			p.i++
			continue
		}
		if p.data[p.i] == ']' {
			p.i++
			return n, nil
		}
		return nil, p.fail("expected ',' or ']'")
	}
}

// str reads a JSON string, unescaping it.
func (p *jsonParser) str() (string, error) {
	p.i++ // opening quote
	start := p.i
	for p.i < len(p.data) {
		c := p.data[p.i]
		if c == '"' {
			s := string(p.data[start:p.i])
			p.i++
			return s, nil
		}
		if c == '\\' {
			break
		}
		p.i++
	}
	buf := append([]byte(nil), p.data[start:p.i]...)
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			return string(buf), nil
		case c == '\\':
			if p.i+1 >= len(p.data) {
				return "", p.fail("unterminated escape")
			}
			e := p.data[p.i+1]
			p.i += 2
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, err := p.hex4()
				if err != nil {
					return "", err
				}
				if utf16.IsSurrogate(r) && p.i+1 < len(p.data) && p.data[p.i] == '\\' && p.data[p.i+1] == 'u' {
					p.i += 2
					r2, err := p.hex4()
					if err != nil {
						return "", err
					}
					r = utf16.DecodeRune(r, r2)
				}
				buf = utf8.AppendRune(buf, r)
			default:
				return "", p.fail("invalid escape")
			}
		default:
			buf = append(buf, c)
			p.i++
		}
	}
	return "", p.fail("unterminated string")
}

func (p *jsonParser) hex4() (rune, error) {
	if p.i+4 > len(p.data) {
		return 0, p.fail("short \\u escape")
	}
	v, err := strconv.ParseUint(string(p.data[p.i:p.i+4]), 16, 32)
	if err != nil {
		return 0, p.fail("invalid \\u escape")
	}
	p.i += 4
	return rune(v), nil
}
