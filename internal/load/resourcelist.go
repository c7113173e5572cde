package load

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/routeshift/routeshift/internal/parallel"
)

// ResourceList is the input of a KRM function: the objects to transform and
// the function's configuration.
type ResourceList struct {
	// Items are the objects, in order. Items read from a block sequence keep
	// their original lines, so WriteResourceList can copy them unchanged.
	Items []*Object
	// FunctionConfig is the function's configuration, or nil if absent.
	// Its Source comes from its path annotations, or is "functionConfig".
	FunctionConfig *Object
	// Header is the ResourceList's root mapping as parsed: apiVersion,
	// kind, results of earlier functions and any other field. Its items
	// and functionConfig values are the nodes of Items and FunctionConfig.
	Header *yaml.Node
}

const (
	resourceListKind  = "ResourceList"
	resourceListGroup = "config.kubernetes.io/"

	// The annotations kyaml deprecated in favour of kioutil.PathAnnotation
	// and kioutil.IndexAnnotation. kustomize still writes them (and older
	// orchestrators write only them), so they are the fallback.
	legacyPathAnnotation  = "config.kubernetes.io/path"
	legacyIndexAnnotation = "config.kubernetes.io/index"
)

// IsResourceList reports whether data looks like a ResourceList, to choose
// between function mode and stream mode. It only looks for "kind:
// ResourceList" among the top-level keys of the first document, without
// parsing, except for flow-style (JSON) input, which it parses.
func IsResourceList(data []byte) bool {
	inDoc := false
	for pos := 0; pos < len(data); {
		next := len(data)
		if i := bytes.IndexByte(data[pos:], '\n'); i >= 0 {
			next = pos + i + 1
		}
		l := data[pos:next]
		if pos == 0 {
			l = bytes.TrimPrefix(l, bom)
		}
		pos = next
		switch classify(l) {
		case lineDocStart:
			if inDoc {
				return false
			}
			inDoc = true
			if !markerHasContent(l) {
				continue
			}
			l = trimIndent(l[3:])
		case lineDocEnd:
			if inDoc {
				return false
			}
			continue
		case lineBlank, lineComment, lineDirective:
			continue
		}
		inDoc = true
		if len(l) > 0 && l[0] == '{' {
			var probe struct {
				Kind string `yaml:"kind"`
			}
			return yaml.Unmarshal(data, &probe) == nil && probe.Kind == resourceListKind
		}
		if v, ok := topLevelValue(l, "kind"); ok {
			return v == resourceListKind
		}
	}
	return false
}

// topLevelValue returns the plain or quoted scalar value of key if line is
// "key: value" at column 0.
func topLevelValue(line []byte, key string) (string, bool) {
	for _, k := range []string{key, `"` + key + `"`, "'" + key + "'"} {
		if rest, ok := bytes.CutPrefix(line, []byte(k)); ok {
			if rest, ok = bytes.CutPrefix(bytes.TrimLeft(rest, " \t"), []byte(":")); ok {
				v, _, _ := bytes.Cut(rest, []byte(" #"))
				v = bytes.TrimSpace(v)
				if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
					v = v[1 : len(v)-1]
				}
				return string(v), true
			}
		}
	}
	return "", false
}

// ReadResourceList parses a config.kubernetes.io/v1 (or v1alpha1)
// ResourceList. Empty input, and a list without items, are valid empty
// lists. data is copied, so the caller may reuse it.
func ReadResourceList(data []byte) (*ResourceList, error) {
	return readResourceList(data, true, nil)
}

// ReadResourceListEach is ReadResourceList calling each on every item as
// soon as it is read, on the goroutines that parse the items (so each
// must be safe for concurrent use), before the list is returned. A caller
// that reads what it needs of an object there and thins it (Object.Thin)
// never holds every item's tree at once: items are parsed in runs, and a
// run's trees go as soon as each has been through each. Items are
// complete when each sees them (identity, Source and text); the items
// sequence of the list's Header holds their nodes as each left them. each
// may also see objects that are then discarded (when a run cannot be read
// apart and the list is read again as one document), so it must only
// change the object it is given.
func ReadResourceListEach(data []byte, each func(*Object)) (*ResourceList, error) {
	return readResourceList(data, true, each)
}

// readResourceList reads the list with its items parsed apart when apart
// is true and the text allows it (items.go), else as one document; each,
// if not nil, is called on every item (see ReadResourceListEach).
func readResourceList(data []byte, apart bool, each func(*Object)) (*ResourceList, error) {
	data = bytes.Clone(data)
	var seg *segment
	for _, s := range splitDocuments(data) {
		if !s.content {
			if err := checkText(data[s.start:s.end], s.line); err != nil {
				return nil, fmt.Errorf("ResourceList: %w", err)
			}
			continue
		}
		if seg != nil {
			return nil, fmt.Errorf("ResourceList: line %d: a second document; a ResourceList is one document", s.line)
		}
		seg = &s
	}
	if seg == nil {
		return &ResourceList{}, nil
	}
	var root *yaml.Node
	var items []*Object
	ok := false
	if apart {
		root, items, ok = readItemsApart(data[seg.start:seg.end], seg.line, each)
	}
	if !ok {
		var err error
		if root, err = parseDocument(data[seg.start:seg.end], seg.line); err != nil {
			return nil, fmt.Errorf("ResourceList: %w", err)
		}
	}
	if root == nil {
		return &ResourceList{}, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("ResourceList: line %d: input is a %s, want a mapping", root.Line, kindName(root))
	}
	apiVersion, kind := field(root, "apiVersion"), field(root, "kind")
	if kind != resourceListKind || (apiVersion != resourceListGroup+"v1" && apiVersion != resourceListGroup+"v1alpha1") {
		return nil, fmt.Errorf("not a ResourceList: apiVersion %q, kind %q; want apiVersion %sv1, kind %s",
			apiVersion, kind, resourceListGroup, resourceListKind)
	}
	rl := &ResourceList{Header: root}
	if fc, _ := mapValue(root, "functionConfig"); !isNull(fc) {
		if fc.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("ResourceList: line %d: functionConfig is a %s, want a mapping", fc.Line, kindName(fc))
		}
		rl.FunctionConfig = NewObject(fc, sourceOf(fc, Source{Path: "functionConfig"}))
	}
	if ok {
		rl.Items = items
		return rl, nil
	}
	seq, keyIdx := mapValue(root, "items")
	if isNull(seq) {
		return rl, nil
	}
	if seq.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("ResourceList: line %d: items is a %s, want a sequence", seq.Line, kindName(seq))
	}
	rl.Items = make([]*Object, len(seq.Content))
	for i, it := range seq.Content {
		if it.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("ResourceList: line %d: items[%d] is a %s, want a mapping (a Kubernetes object)",
				it.Line, i, kindName(it))
		}
		rl.Items[i] = NewObject(it, sourceOf(it, Source{Index: i}))
	}
	if seq.Style&yaml.FlowStyle == 0 && lineBreaksAreLF(data) {
		attachItemText(data, seg.end, root, keyIdx, rl.Items)
	}
	if each != nil {
		for i, o := range rl.Items {
			each(o)
			seq.Content[i] = o.Node
		}
	}
	return rl, nil
}

// sourceOf reads an item's Source from the annotations kpt and kustomize
// set, falling back to def for what is missing.
func sourceOf(n *yaml.Node, def Source) Source {
	ann := func(keys ...string) (string, bool) {
		a, _ := mapValue(n, "metadata")
		a, _ = mapValue(a, "annotations")
		for _, k := range keys {
			if v, _ := mapValue(a, k); v != nil && v.Kind == yaml.ScalarNode {
				return v.Value, true
			}
		}
		return "", false
	}
	if p, ok := ann(kioutil.PathAnnotation, legacyPathAnnotation); ok {
		def.Path = p
	}
	if s, ok := ann(kioutil.IndexAnnotation, legacyIndexAnnotation); ok {
		if i, err := strconv.Atoi(s); err == nil {
			def.Index = i
		}
	}
	return def
}

// attachItemText gives each item of a block sequence its original lines:
// from the line of its "-" to the line before the next item's "-" (so
// comments between items go with the item above), the last item ending
// where the items value ends. Comment lines between "items:" and the first
// item go with the first item. An item whose "-" cannot be found keeps no
// text and is encoded when written: correct, only not byte-identical.
// docEnd is where the ResourceList document ends in data.
func attachItemText(data []byte, docEnd int, root *yaml.Node, keyIdx int, items []*Object) {
	lines := newLineIndex(data)
	keyLine := root.Content[keyIdx].Line
	dashes := make([]int, len(items)) // line of each item's "-", or 0
	col := -1
	prev := keyLine
	for i, o := range items {
		line, c, ok := findDash(data, lines, o.Node, prev)
		if ok && (col < 0 || c == col) {
			dashes[i], col = line, c
			prev = line
		}
	}
	// The last item ends where the next top-level key begins, or the
	// document ends (before its "..." line, if it has one).
	end := docEnd
	if lastLineKind(data[:docEnd]) == lineDocEnd {
		end = bytes.LastIndexByte(bytes.TrimSuffix(data[:docEnd], []byte("\n")), '\n') + 1
	}
	if keyIdx+2 < len(root.Content) {
		end = lines.start(data, root.Content[keyIdx+2].Line)
	}
	for i, o := range items {
		if dashes[i] == 0 {
			continue
		}
		first := dashes[i]
		if i == 0 && onlyComments(data, lines, keyLine+1, dashes[0]) {
			first = keyLine + 1
		}
		start := lines.start(data, first)
		stop := end
		if i+1 < len(items) {
			if dashes[i+1] == 0 {
				continue
			}
			stop = lines.start(data, dashes[i+1])
		}
		if start < stop {
			o.raw, o.rawIndent, o.rawLine = data[start:stop:stop], col, first
		}
	}
}

// findDash finds the "-" that introduces item n: on n's own line before it
// ("- apiVersion: v1", "-   kind: x"), or alone on an earlier line (but
// after line after) with only blank and comment lines between. It returns the line and column of the "-".
func findDash(data []byte, lines lineIndex, n *yaml.Node, after int) (line, col int, ok bool) {
	l := lines.line(data, n.Line)
	if n.Line <= after || n.Column < 1 || n.Column-1 > len(l) {
		return 0, 0, false
	}
	prefix := l[:n.Column-1]
	col = indentOf(prefix)
	if col < len(prefix) && prefix[col] == '-' {
		rest := prefix[col+1:]
		if len(rest) > 0 && len(trimIndent(rest)) == 0 {
			return n.Line, col, true
		}
		return 0, 0, false
	}
	if col != len(prefix) {
		return 0, 0, false
	}
	for line = n.Line - 1; line > after; line-- {
		l = lines.line(data, line)
		switch classify(l) {
		case lineBlank, lineComment:
			continue
		}
		col = indentOf(l)
		if col < len(prefix) && l[col] == '-' {
			if rest := trimIndent(l[col+1:]); len(rest) == 0 || (rest[0] == '#' && len(rest) < len(l)-col-1) {
				return line, col, true
			}
		}
		return 0, 0, false
	}
	return 0, 0, false
}

// indentOf counts leading spaces.
func indentOf(l []byte) int {
	i := 0
	for i < len(l) && l[i] == ' ' {
		i++
	}
	return i
}

// onlyComments reports whether lines from..to-1 are all blank or comments.
func onlyComments(data []byte, lines lineIndex, from, to int) bool {
	for n := from; n < to; n++ {
		if k := classify(lines.line(data, n)); k != lineBlank && k != lineComment {
			return false
		}
	}
	return true
}

// WriteResourceList writes a config.kubernetes.io/v1 ResourceList with the
// given items and, if results is not nil, results: the YAML text of the
// results list, a block sequence at column 0 as EncodeJSON writes it.
//
// The items form one block sequence, so every "-" must be at the same
// column: the column of the first item that has ResourceList text
// (0 if none). Items with text at that column are copied byte for byte;
// all others (generated, changed, read from a stream, or indented
// differently) are encoded and indented to match.
func WriteResourceList(w io.Writer, items []*Object, results []byte) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n")
	if len(items) == 0 {
		bw.WriteString("items: []\n")
	} else {
		bw.WriteString("items:\n")
	}
	indent := 0
	for _, o := range items {
		if o.raw != nil && o.rawIndent >= 0 {
			indent = o.rawIndent
			break
		}
	}
	verbatim := func(i int) bool {
		o := items[i]
		last := i == len(items)-1 && results == nil
		return o.raw != nil && o.rawIndent == indent && (last || canAppendNewline(o.raw, o.Node))
	}
	encoded, err := encodeAll(items, func(i int) bool { return !verbatim(i) })
	if err != nil {
		return err
	}
	for i, o := range items {
		if verbatim(i) {
			bw.Write(o.raw)
			if last := i == len(items)-1 && results == nil; !last && o.raw[len(o.raw)-1] != '\n' {
				bw.WriteByte('\n')
			}
			continue
		}
		writeItem(bw, encoded[i], indent)
	}
	switch {
	case results == nil:
	case len(bytes.TrimSpace(results)) == 0: // an empty list
		bw.WriteString("results: []\n")
	default:
		bw.WriteString("results:\n")
		bw.Write(results)
	}
	return bw.Flush()
}

// encodeAll encodes, in parallel, the objects that need it, in order;
// need says which. Encoding generated objects is a large share of a big
// run and each object encodes on its own, so every core can take a share.
func encodeAll(objs []*Object, need func(i int) bool) ([][]byte, error) {
	out := make([][]byte, len(objs))
	errs := make([]error, len(objs))
	var todo []int
	for i := range objs {
		if need(i) {
			todo = append(todo, i)
		}
	}
	parallel.For(len(todo), func(j int) {
		i := todo[j]
		out[i], errs[i] = encodeObject(objs[i])
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// writeItem writes an encoded object as a sequence item: "- " at column
// indent before the first line, indent+2 spaces before the others. Empty
// lines stay empty, so block scalars keep their exact content.
func writeItem(bw *bufio.Writer, text []byte, indent int) {
	// The margin is written whole: a large run writes millions of lines
	// here, and a byte at a time was most of the cost of each.
	margin := spaces(indent + 2)
	for first := true; len(text) > 0; first = false {
		line := text
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			line = text[:i+1]
		}
		text = text[len(line):]
		switch {
		case first:
			bw.WriteString(margin[:indent])
			bw.WriteString("- ")
		case line[0] != '\n':
			bw.WriteString(margin)
		}
		bw.Write(line)
	}
}

// spaces returns n spaces.
func spaces(n int) string {
	const some = "                                "
	if n <= len(some) {
		return some[:n]
	}
	return strings.Repeat(" ", n)
}
