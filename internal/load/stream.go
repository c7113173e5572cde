package load

import (
	"bufio"
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

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/routeshift/routeshift/internal/parallel"
)

// ReadStream reads a multi-document YAML stream. Every document must be a
// mapping (a Kubernetes object); a v1 List expands into its items. Documents
// that hold only comments produce no object: their text is kept as leading
// text of the next object read from text; after the last object it becomes
// a text-only Object (nil Node) at the end, so that writing the objects
// back loses no comment.
//
// path names the stream in Source and in errors, which read
// "path: document N: line L: problem"; N counts objects from 0 as
// Source.Index does.
func ReadStream(r io.Reader, path string) ([]*Object, error) {
	return ReadOptions{}.ReadStream(r, path)
}

// ReadOptions change what readers keep of what they read.
type ReadOptions struct {
	// Thin keeps only each object's identity and metadata in Node, as
	// Object.Thin does, from the moment its document is parsed: for callers
	// that hold many objects and read the rest of each through Tree, one
	// at a time (diff's models), so that every tree need not be held at
	// once.
	Thin bool
	// Each, if not nil, is called on every object as soon as its
	// document is parsed, on the goroutines that parse (see
	// ReadResourceListEach): a caller that reads what it needs there and
	// thins the object never holds every tree at once. The object it is
	// given has its identity and its document's text, but not yet its
	// place (Source.Index) or the comment-only documents before it; Each
	// may only read it, attach a memo (SetMemo) and Thin it, which carry
	// over to the object returned.
	Each func(*Object)
}

// ReadStream is ReadStream with these options.
func (opt ReadOptions) ReadStream(r io.Reader, path string) ([]*Object, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return readStream(data, path, opt)
}

// readStream splits data into documents and parses each on its own, so that
// every object keeps its own text. data must not be modified afterwards:
// objects keep slices of it.
func readStream(data []byte, path string, opt ReadOptions) ([]*Object, error) {
	var (
		objs    []*Object
		pending []segment // comment-only documents not yet attached to an object
		last    *Object   // the last object that has text
		lastRaw []segment // the pieces of last's text
	)
	segs := splitDocuments(data)
	parsed := parseAll(data, segs, opt.Thin, opt.Each, path)
	for i, s := range segs {
		idx := len(objs)
		root := parsed[i].root
		if s.content {
			if err := parsed[i].err; err != nil {
				return nil, fmt.Errorf("%s: document %d: %w", path, idx, err)
			}
		} else if err := checkText(data[s.start:s.end], s.line); err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", path, idx, err)
		}
		if root == nil {
			pending = append(pending, s)
			continue
		}
		if root.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("%s: document %d: %w", path, idx, &SyntaxError{
				Line: root.Line, Msg: fmt.Sprintf("document is a %s, want a mapping (a Kubernetes object)", kindName(root))})
		}
		if field(root, "kind") == "List" && field(root, "apiVersion") == "v1" {
			items, err := listItems(root, path, idx)
			if err != nil {
				return nil, err
			}
			objs = append(objs, items...)
			continue
		}
		lastRaw = append(pending, s)
		pending = nil
		last = (&Object{Node: root, Source: Source{Path: path, Index: idx}, raw: pieces(data, lastRaw), rawIndent: -1, rawLine: lastRaw[0].line, thinned: parsed[i].thinned}).identify()
		last.memo = parsed[i].memo
		objs = append(objs, last)
	}
	if len(pending) > 0 && last != nil {
		// Comments (or a final "---") after the last object stay at the
		// end of the stream as text of their own: attached to the last
		// object, they would travel with it wherever a caller moves or
		// inserts objects, and could be lost on a second pass.
		objs = append(objs, (&Object{Source: Source{Path: path, Index: len(objs)}, raw: pieces(data, pending), rawIndent: -1}).identify())
	}
	return objs, nil
}

type parsedDocument struct {
	root    *yaml.Node
	err     error
	thinned bool // root is only the document's head
	memo    any  // what each attached
}

// parseAll parses the documents among segs on every core: documents parse
// on their own, and parsing was most of reading a large stream. With thin,
// each object's tree is cut to its head as soon as it is parsed (v1 Lists
// stay whole: their items have no text of their own).
func parseAll(data []byte, segs []segment, thin bool, each func(*Object), path string) []parsedDocument {
	out := make([]parsedDocument, len(segs))
	parallel.For(len(segs), func(i int) {
		s := segs[i]
		if !s.content {
			return
		}
		root, err := parseDocument(data[s.start:s.end], s.line)
		whole := err == nil && root != nil && root.Kind == yaml.MappingNode && !(field(root, "kind") == "List" && field(root, "apiVersion") == "v1")
		if whole && each != nil {
			// The index is the document's, which is the object's unless
			// a v1 List or comment-only documents came before it; each
			// must not rely on it.
			o := (&Object{Node: root, Source: Source{Path: path, Index: i}, raw: data[s.start:s.end:s.end], rawIndent: -1, rawLine: s.line}).identify()
			each(o)
			root, out[i].thinned, out[i].memo = o.Node, o.thinned, o.memo
		}
		if thin && whole && !out[i].thinned {
			root, out[i].thinned = head(root), true
		}
		out[i].root, out[i].err = root, err
	})
	return out
}

// pieces returns the text of consecutive segments: a slice of data when
// they are adjacent, which is the usual case, and a copy when a List
// document came between them.
func pieces(data []byte, segs []segment) []byte {
	adjacent := true
	n := 0
	for i, s := range segs {
		n += s.end - s.start
		if i > 0 && segs[i-1].end != s.start {
			adjacent = false
		}
	}
	start, end := segs[0].start, segs[len(segs)-1].end
	if adjacent {
		return data[start:end:end]
	}
	out := make([]byte, 0, n)
	for _, s := range segs {
		out = append(out, data[s.start:s.end]...)
	}
	return out
}

// listItems expands a v1 List (what `kubectl get -o yaml` prints). The items
// have no text of their own and are encoded when written.
func listItems(list *yaml.Node, path string, idx int) ([]*Object, error) {
	items, _ := mapValue(list, "items")
	if isNull(items) {
		return nil, nil
	}
	if items.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s: document %d: %w", path, idx, &SyntaxError{
			Line: items.Line, Msg: fmt.Sprintf("List items is a %s, want a sequence", kindName(items))})
	}
	objs := make([]*Object, 0, len(items.Content))
	for i, it := range items.Content {
		if it.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("%s: document %d: %w", path, idx+i, &SyntaxError{
				Line: it.Line, Msg: fmt.Sprintf("List item %d is a %s, want a mapping (a Kubernetes object)", i, kindName(it))})
		}
		objs = append(objs, NewObject(it, Source{Path: path, Index: idx + i}))
	}
	return objs, nil
}

// ReadPaths reads files, directories and "-" (stdin) in the order given.
// A directory is read recursively: its .yaml and .yml files in lexical order
// of their slash-separated paths, skipping hidden files and directories
// (.git, .github, editor files) and not following symbolic links to
// directories. Source.Path is the path as given joined with the file's path
// inside the directory, with forward slashes; stdin is "-".
func ReadPaths(paths []string, stdin io.Reader) ([]*Object, error) {
	return ReadOptions{}.ReadPaths(paths, stdin)
}

// ReadPaths is ReadPaths with these options.
func (opt ReadOptions) ReadPaths(paths []string, stdin io.Reader) ([]*Object, error) {
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
			got, err := opt.ReadStream(stdin, "-")
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
			got, err := readStream(data, f.name, opt)
			if err != nil {
				return nil, err
			}
			objs = append(objs, got...)
		}
	}
	return objs, nil
}

type fileName struct {
	file string // for the file system
	name string // for Source: as given, slash-separated
}

// listFiles returns p itself if it is a file (whatever its extension: the
// user named it), or the YAML files below it if it is a directory.
func listFiles(p string) ([]fileName, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return []fileName{{file: p, name: filepath.ToSlash(p)}}, nil
	}
	var files []fileName
	err = filepath.WalkDir(p, func(file string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if file == p {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !isYAMLName(d.Name()) {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if st, err := os.Stat(file); err != nil || !st.Mode().IsRegular() {
				return nil
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(p, file)
		if err != nil {
			return err
		}
		files = append(files, fileName{file: file, name: path.Join(filepath.ToSlash(p), filepath.ToSlash(rel))})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading directory %s: %w", p, err)
	}
	// WalkDir visits a directory before its sibling files ("a/x.yaml" before
	// "a.yaml"); sort whole paths so the order does not depend on that.
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	return files, nil
}

func isYAMLName(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

// WriteStream writes objects as a multi-document stream. An object read
// from a stream and not marked changed is written from its original text,
// byte for byte; any other object is encoded (see encodeNode). Documents are
// separated by "---\n" unless a document's own text already starts with its
// marker, so reading and writing a stream reproduces it exactly.
func WriteStream(w io.Writer, objs []*Object) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var prev []byte // text written for the previous object
	for i, o := range objs {
		text := o.Raw()
		if i < len(objs)-1 && !canAppendNewline(text, o.Node) {
			text = nil
		}
		generated := text == nil
		if generated {
			var err error
			if text, err = encodeObject(o); err != nil {
				return err
			}
		} else if i > 0 {
			// A byte order mark is only allowed at the start of the stream.
			text = bytes.TrimPrefix(text, bom)
		}
		if i > 0 {
			if len(prev) > 0 && prev[len(prev)-1] != '\n' {
				bw.WriteByte('\n')
			}
			prevEnded := lastLineKind(prev) == lineDocEnd
			switch k := prologue(text); {
			case generated:
				bw.WriteString("---\n")
			case k == lineDocStart, k == lineDocEnd:
				// The text brings its own marker.
			case k == lineDirective:
				// Directives may only follow the end of a document.
				if !prevEnded {
					bw.WriteString("...\n")
				}
			case !prevEnded:
				bw.WriteString("---\n")
			}
		}
		bw.Write(text)
		prev = text
	}
	return bw.Flush()
}

// canAppendNewline reports whether a line break can be written after text
// without changing the object. Text that ends without one cannot get one
// when it ends in a literal or folded scalar: the scalar's value would gain
// a trailing newline. Such an object is encoded unless it is written last.
func canAppendNewline(text []byte, n *yaml.Node) bool {
	if len(text) == 0 || text[len(text)-1] == '\n' {
		return true
	}
	for n != nil && len(n.Content) > 0 {
		n = n.Content[len(n.Content)-1]
	}
	return n == nil || n.Kind != yaml.ScalarNode || n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0
}

// encodeObject encodes an object without usable text.
func encodeObject(o *Object) ([]byte, error) {
	if o.encoded != nil {
		return o.encoded, nil
	}
	if o.Node == nil {
		return nil, fmt.Errorf("%s: object has no node", o.Source)
	}
	n, err := o.Tree()
	if err != nil {
		return nil, err
	}
	b, err := encodeNode(n)
	if err != nil {
		return nil, fmt.Errorf("encoding %s: %w", o.Ref(), err)
	}
	return b, nil
}

// encodeNode encodes a node the way kustomize does (kyaml's encoder):
// 2-space indentation, sequences not indented under their key. The output
// depends only on the node, so generated objects come out the same every
// time.
func encodeNode(n *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	if emitSimple(&buf, n) {
		return buf.Bytes(), nil
	}
	enc := yaml.NewEncoder(&buf)
	if err := enc.Encode(nullSafe(n, false, false)); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// nullSafe works around the encoder writing an empty null scalar as a quoted
// empty string where a plain empty scalar is not allowed: in flow
// collections and as a mapping key. It returns n itself when there is
// nothing to change, or a copy with those scalars written as null; the
// caller's nodes are never modified.
//
// It also keeps YAML 1.1's booleans (on, yes, ...), which the readers tag
// !!bool as the API server reads them, as they were spelt: the encoder,
// which resolves as YAML 1.2 does, would write "!!bool on", which YAML 1.2
// readers (kustomize, kpt) refuse, and as a string it would quote them.
// Untagged, it writes them plain, so every reader reads what it read in
// the input. The strings "on", "yes", ... are quoted, which the encoder
// does not do.
func nullSafe(n *yaml.Node, flow, key bool) *yaml.Node {
	if n.Kind == yaml.ScalarNode {
		if (flow || key) && n.Value == "" && n.ShortTag() == "!!null" && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
			c := *n
			c.Value, c.Tag = "null", "!!null"
			return &c
		}
		if _, ok := yaml11Bool(n.Value); ok && n.Style == 0 {
			c := *n
			switch n.Tag {
			case yaml.NodeTagBool:
				c.Tag = ""
				return &c
			case yaml.NodeTagString:
				// The encoder writes the string "on" plain, which the API
				// server reads as true.
				c.Style = yaml.DoubleQuotedStyle
				return &c
			}
		}
		return n
	}
	flow = flow || n.Style&yaml.FlowStyle != 0
	var content []*yaml.Node
	for i, child := range n.Content {
		fixed := nullSafe(child, flow, n.Kind == yaml.MappingNode && i%2 == 0)
		if fixed != child && content == nil {
			content = append(make([]*yaml.Node, 0, len(n.Content)), n.Content[:i]...)
		}
		if content != nil {
			content = append(content, fixed)
		}
	}
	if content == nil {
		return n
	}
	c := *n
	c.Content = content
	return &c
}
