package load

import (
	"bytes"
	"runtime"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/routeshift/routeshift/internal/parallel"
)

// This file reads a ResourceList's items apart: the items region is cut
// into one text per item by looking at lines alone, and the items are
// parsed on every core, in runs of neighbours. Parsing the list as one document was a third of a
// large run and could use one core only. The cut follows the rules
// attachItemText applies after a whole parse (comments between items go
// with the item above), so both ways give the same items, texts and
// sources; FuzzReadResourceList holds them to that. Anything unusual (a
// flow-style list, CR line breaks, an item that is not a mapping, any parse
// error) is left to the whole parse, which also words the errors.

// itemsCut is the items region of a ResourceList document.
type itemsCut struct {
	// keyLine is the line of "items:"; from and to are the byte offsets of
	// the region after it (the items and the comments among them).
	keyLine  int
	from, to int
	col      int // the column of every item's "-"
	dashLine int // the line of the first item's "-"
	items    []itemText
}

type itemText struct {
	start, end int // byte offsets in the document text
	line       int // line number of start in the input
}

// cutItems finds the items of doc, a ResourceList document starting at
// line firstLine of the input, by its lines. ok is false when the text is
// not the plain block layout orchestrators write.
func cutItems(doc []byte, firstLine int) (cut itemsCut, ok bool) {
	if bytes.IndexByte(doc, '\r') >= 0 || !lineBreaksAreLF(doc) {
		return cut, false
	}
	cut.keyLine = -1
	cut.col = -1
	line := firstLine
	inItems := false
	for pos := 0; pos < len(doc); line++ {
		next := len(doc)
		if i := bytes.IndexByte(doc[pos:], '\n'); i >= 0 {
			next = pos + i + 1
		}
		l := doc[pos:next]
		start := pos
		pos = next
		kind := classify(l)
		if !inItems {
			if kind == lineContent && isItemsKey(l) {
				if cut.keyLine >= 0 {
					return cut, false // a duplicate key: the whole parse reports it
				}
				cut.keyLine, cut.from, inItems = line, next, true
			}
			continue
		}
		if kind == lineBlank || kind == lineComment {
			continue
		}
		indent := indentOf(l)
		isDash := indent < len(l) && l[indent] == '-' && isBlankOrEnd(l, indent+1)
		switch {
		case isDash && (cut.col < 0 || indent == cut.col):
			cut.col = indent
			cut.items = append(cut.items, itemText{start: start, line: line})
		case cut.col >= 0 && indent > cut.col:
			// inside the current item
		case indent == 0 && (kind == lineDocEnd || isTopLevelKey(l)):
			cut.to = start
			inItems = false
		default:
			return cut, false
		}
	}
	if inItems {
		cut.to = len(doc)
	}
	if cut.keyLine < 0 || len(cut.items) == 0 {
		return cut, false
	}
	// Comment lines between "items:" and the first item go with it, as
	// attachItemText gives them.
	cut.dashLine = cut.items[0].line
	cut.items[0].start, cut.items[0].line = cut.from, cut.keyLine+1
	for i := range cut.items {
		cut.items[i].end = cut.to
		if i+1 < len(cut.items) {
			cut.items[i].end = cut.items[i+1].start
		}
	}
	return cut, true
}

// isItemsKey recognises "items:" at column 0 with nothing after it.
func isItemsKey(l []byte) bool {
	rest, ok := bytes.CutPrefix(l, []byte("items:"))
	return ok && len(bytes.TrimRight(rest, " \n")) == 0
}

// isTopLevelKey recognises the start of a plain top-level key, the only
// thing that may end a block sequence at column 0 here.
func isTopLevelKey(l []byte) bool {
	c := l[0]
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
		return false
	}
	i := bytes.IndexByte(l, ':')
	return i > 0 && isBlankOrEnd(l, i+1) && !bytes.ContainsAny(l[:i], " \t#\"'{}[],&*!|>%@`")
}

// readItemsApart reads a ResourceList document (doc, starting at input line
// firstLine) with its items parsed apart; ok is false when it cannot, and
// the caller parses the whole document instead.
func readItemsApart(doc []byte, firstLine int, each func(*Object)) (header *yaml.Node, items []*Object, ok bool) {
	cut, ok := cutItems(doc, firstLine)
	if !ok {
		return nil, nil, false
	}
	// The header keeps every line, the items' as empty ones, so its
	// positions stay those of the input.
	head := make([]byte, 0, len(doc)-(cut.to-cut.from)+bytes.Count(doc[cut.from:cut.to], []byte("\n")))
	head = append(head, doc[:cut.from]...)
	for range bytes.Count(doc[cut.from:cut.to], []byte("\n")) {
		head = append(head, '\n')
	}
	head = append(head, doc[cut.to:]...)
	root, err := parseDocument(head, firstLine)
	if err != nil || root == nil || root.Kind != yaml.MappingNode {
		return nil, nil, false
	}
	value, idx := mapValue(root, "items")
	if !isNull(value) || idx < 0 {
		return nil, nil, false
	}
	// Items are parsed in runs of neighbours, one run per document: a
	// parser per item cost more in set-up than the parallel parse saved.
	runs := min(len(cut.items), 4*runtime.GOMAXPROCS(0))
	nodes := make([]*yaml.Node, len(cut.items))
	items = make([]*Object, len(cut.items))
	failed := make([]bool, runs)
	parallel.For(runs, func(r int) {
		from, to := r*len(cut.items)/runs, (r+1)*len(cut.items)/runs
		first, last := cut.items[from], cut.items[to-1]
		seq, err := parseDocument(doc[first.start:last.end], first.line)
		if err != nil || seq == nil || seq.Kind != yaml.SequenceNode || len(seq.Content) != to-from {
			failed[r] = true
			return
		}
		for i, n := range seq.Content {
			if n.Kind != yaml.MappingNode {
				failed[r] = true
				return
			}
			nodes[from+i] = n
		}
		for i := from; i < to; i++ {
			it := cut.items[i]
			items[i] = NewObject(nodes[i], sourceOf(nodes[i], Source{Index: i}))
			items[i].raw, items[i].rawIndent, items[i].rawLine = doc[it.start:it.end:it.end], cut.col, it.line
			if each != nil {
				each(items[i])
				nodes[i] = items[i].Node
			}
		}
	})
	for _, f := range failed {
		if f {
			return nil, nil, false
		}
	}
	// The header's items value becomes the sequence of the items, as a
	// whole parse gives it.
	root.Content[idx+1] = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: nodes,
		Line: cut.dashLine, Column: cut.col + 1}
	return root, items, true
}
