package kube

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"github.com/routeshift/routeshift/internal/parallel"
)

// The proof's reader of manifests. It shares nothing with the converter's
// (internal/load and its fast parser): a misreading there must not hit both
// sides of a diff alike. It parses with yaml.v3 and resolves scalars as
// the API server does (scalar.go); what it accepts and what it makes of it
// are held to the converter's reader and to sigs.k8s.io/yaml by
// internal/proof/internal/differential.
//
// Like the converter's reader, it refuses what a tree would silently get
// wrong or what Kubernetes would refuse: documents that are not mappings,
// duplicate keys, aliases and merge keys (the API server's reader would
// expand them; routeshift refuses them everywhere, so that every command
// reads the same objects). What only decoding an object finds (two keys
// the API server would read as one, on: and true:; labels that are not
// strings) is kept with the object and is an error when a model decodes
// it, as in the converter.

// ReadStream reads a multi-document YAML stream; path names it in
// Source and errors ("path: document N: line L: problem"). A v1 List
// expands into its items.
func ReadStream(data []byte, path string) ([]*Object, error) {
	docs := splitStream(data)
	type parsed struct {
		objs []*Object
		err  error
	}
	out := make([]parsed, len(docs))
	parallel.For(len(docs), func(i int) {
		out[i].objs, out[i].err = readDocument(docs[i])
	})
	var objs []*Object
	for _, p := range out {
		if p.err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", path, len(objs), p.err)
		}
		for j, o := range p.objs {
			o.source = Source{Path: path, Index: len(objs) + j}
		}
		objs = append(objs, p.objs...)
	}
	return objs, nil
}

// document is one document's text, the line it starts at, and whether it
// holds a node at all.
type document struct {
	text    []byte
	line    int
	content bool
}

// splitStream cuts a stream at its document markers: a line that starts
// with "---" or "..." followed by a blank or the end ends the document
// before it, wherever it occurs (YAML 1.2, c-forbidden). A "---" line
// stays with the document it starts, which may have content after it, and
// so do the comments and directives before it.
func splitStream(data []byte) []document {
	var docs []document
	cur := document{line: 1}
	start, opened, line := 0, false, 1
	for pos := 0; pos < len(data); line++ {
		end := len(data)
		if i := bytes.IndexByte(data[pos:], '\n'); i >= 0 {
			end = pos + i + 1
		}
		l := data[pos:end]
		if pos == 0 {
			l = bytes.TrimPrefix(l, []byte("\ufeff"))
		}
		marker := len(l) >= 3 && (len(l) == 3 || strings.IndexByte(" \t\r\n", l[3]) >= 0)
		switch {
		case marker && string(l[:3]) == "---":
			if opened || cur.content {
				cur.text = data[start:pos]
				docs = append(docs, cur)
				cur, start = document{line: line}, pos
			}
			opened = true
			cur.content = cur.content || nodeAfter(l[3:])
		case marker && string(l[:3]) == "...":
			cur.text = data[start:end]
			docs = append(docs, cur)
			cur, start, opened = document{line: line + 1}, end, false
		case len(l) > 0 && l[0] == '%':
			cur.content = cur.content || opened // a directive only before "---"
		default:
			cur.content = cur.content || nodeAfter(l)
		}
		pos = end
	}
	cur.text = data[start:]
	return append(docs, cur)
}

// nodeAfter reports whether l holds more than blanks and a comment.
func nodeAfter(l []byte) bool {
	l = bytes.TrimLeft(l, " \t")
	switch string(l) {
	case "", "\n", "\r\n", "\r":
		return false
	}
	return l[0] != '#'
}

// readDocument parses one document: no object for an empty one, the
// object, or a List's items.
func readDocument(d document) ([]*Object, error) {
	if err := printable(d.text, d.line); err != nil {
		return nil, err
	}
	if !d.content {
		return nil, nil // comments, directives, markers: nothing to read
	}
	dec := yaml.NewDecoder(bytes.NewReader(d.text))
	var doc yaml.Node
	if err := decodeSafely(dec, &doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, lineError(err, d.line)
	}
	var more yaml.Node
	switch err := decodeSafely(dec, &more); {
	case err == nil:
		return nil, fmt.Errorf("line %d: a second document starts inside this one; line breaks must be LF or CRLF", more.Line+d.line-1)
	case !errors.Is(err, io.EOF):
		return nil, lineError(err, d.line)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	root := doc.Content[0]
	if err := check(root, d.line); err != nil {
		return nil, err
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: document is a %s, want a mapping (a Kubernetes object)", root.Line+d.line-1, kindName(root))
	}
	if scalarAt(root, "apiVersion") == "v1" && scalarAt(root, "kind") == "List" {
		items := lookup(root, "items")
		if items == nil || items.Kind == yaml.ScalarNode && items.Tag == "!!null" {
			return nil, nil
		}
		if items.Kind != yaml.SequenceNode {
			return nil, fmt.Errorf("line %d: List items is a %s, want a sequence", items.Line+d.line-1, kindName(items))
		}
		objs := make([]*Object, 0, len(items.Content))
		for i, it := range items.Content {
			if it.Kind != yaml.MappingNode {
				return nil, fmt.Errorf("line %d: List item %d is a %s, want a mapping (a Kubernetes object)", it.Line+d.line-1, i, kindName(it))
			}
			objs = append(objs, newObject(it, d.line))
		}
		return objs, nil
	}
	return []*Object{newObject(root, d.line)}, nil
}

// printable refuses what YAML does not allow anywhere in a stream, comments
// included (YAML 1.2, c-printable): invalid UTF-8, control characters but
// tab, line feed, carriage return and NEL, and U+FFFE and U+FFFF.
func printable(text []byte, line int) error {
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\n':
				line++
			case c < 0x20 && c != '\t' && c != '\r' || c == 0x7f:
				return fmt.Errorf("line %d: control character %U is not allowed in YAML", line, rune(c))
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(text[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return fmt.Errorf("line %d: invalid UTF-8 byte %#x (YAML input must be UTF-8)", line, c)
		case r >= 0x80 && r <= 0x9f && r != 0x85 || r == 0xfffe || r == 0xffff:
			return fmt.Errorf("line %d: control character %U is not allowed in YAML", line, r)
		}
		i += size
	}
	return nil
}

// decodeSafely turns a panic of the parser into an error: the input is
// untrusted.
func decodeSafely(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("YAML parser failed: %v", r)
		}
	}()
	return dec.Decode(n)
}

// lineError shifts the parser's "yaml: line N: msg" to the line in the
// stream.
func lineError(err error, first int) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var n int
	var rest string
	if k, _ := fmt.Sscanf(msg, "line %d:", &n); k == 1 {
		_, rest, _ = strings.Cut(msg, ": ")
		return fmt.Errorf("line %d: %s", n+first-1, rest)
	}
	return fmt.Errorf("line %d: %s", first, msg)
}

// check refuses aliases, merge keys and duplicate keys (by their text:
// Kubernetes reads every key as a string, so 1 and "1" are one key).
func check(n *yaml.Node, first int) error {
	switch n.Kind {
	case yaml.AliasNode:
		return fmt.Errorf("line %d: YAML alias *%s is not supported: expand aliases first (for example with yq 'explode(.)')", n.Line+first-1, n.Value)
	case yaml.MappingNode:
		seen := make(map[string]int, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				continue
			}
			if k.Tag == "!!merge" {
				return fmt.Errorf("line %d: YAML merge key << is not supported: expand it first (for example with yq 'explode(.)')", k.Line+first-1)
			}
			if prev, ok := seen[k.Value]; ok {
				return fmt.Errorf("line %d: mapping key %q already defined at line %d", k.Line+first-1, k.Value, prev+first-1)
			}
			seen[k.Value] = k.Line
		}
	}
	for _, c := range n.Content {
		if err := check(c, first); err != nil {
			return err
		}
	}
	return nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "null"
		}
		return "scalar"
	case yaml.SequenceNode:
		return "sequence"
	case yaml.MappingNode:
		return "mapping"
	case yaml.AliasNode:
		return "alias"
	}
	return "document"
}

// ReadPaths reads files, directories and "-" (stdin) in the order given.
// A directory is read recursively: its .yaml and .yml files in lexical
// order of their slash-separated paths, skipping hidden files and
// directories and not descending into symbolic links to directories. A
// symbolic link to a file is followed only if the file is inside the
// directory: a tree under review must not pull in another team's files
// or /proc/self/environ. Source.Path is the path as given joined with the
// file's path inside the directory; stdin is "-".
func ReadPaths(paths []string, stdin io.Reader) ([]*Object, error) {
	var objs []*Object
	readStdin := false
	for _, p := range paths {
		if p == "-" {
			if readStdin {
				return nil, errors.New(`"-" (stdin) given more than once`)
			}
			readStdin = true
			if stdin == nil {
				return nil, errors.New(`"-" given but there is no stdin`)
			}
			data, err := io.ReadAll(stdin)
			if err != nil {
				return nil, fmt.Errorf("-: %w", err)
			}
			got, err := ReadStream(data, "-")
			if err != nil {
				return nil, err
			}
			objs = append(objs, got...)
			continue
		}
		files, err := listFiles(p)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			data, err := os.ReadFile(f.file)
			if err != nil {
				return nil, err
			}
			got, err := ReadStream(data, f.name)
			if err != nil {
				return nil, err
			}
			objs = append(objs, got...)
		}
	}
	return objs, nil
}

type file struct{ file, name string }

func listFiles(p string) ([]file, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return []file{{p, filepath.ToSlash(p)}}, nil
	}
	root, err := filepath.EvalSymlinks(p)
	if err != nil {
		return nil, err
	}
	if root, err = filepath.Abs(root); err != nil {
		return nil, err
	}
	var files []file
	err = filepath.WalkDir(p, func(f string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if f == p {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		ext := strings.ToLower(path.Ext(d.Name()))
		if d.IsDir() || ext != ".yaml" && ext != ".yml" {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			st, err := os.Stat(f)
			if err != nil || !st.Mode().IsRegular() {
				return nil
			}
			target, err := filepath.EvalSymlinks(f)
			if err == nil {
				target, err = filepath.Abs(target)
			}
			if err != nil {
				return err
			}
			if rel, err := filepath.Rel(root, target); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return fmt.Errorf("%s is a symbolic link to %s, outside %s; copy the file into the tree instead", f, target, p)
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(p, f)
		if err != nil {
			return err
		}
		files = append(files, file{f, path.Join(filepath.ToSlash(p), filepath.ToSlash(rel))})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading directory %s: %w", p, err)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	return files, nil
}
