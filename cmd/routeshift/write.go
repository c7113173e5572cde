package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/routeshift/routeshift/internal/load"
)

// convert -w: the files read, the new text of each, and how it is written.
// The objects keep the text they were read from (internal/load), so a file
// is rewritten from its own bytes plus what was generated: nothing the
// conversion did not touch is reformatted.

// inputFile is one file convert -w read.
type inputFile struct {
	name    string // Source.Path of its objects: the argument joined with the path inside it, slash-separated
	file    string // the path to open
	rel     string // its path inside the argument it was found under (--layout mirror)
	data    []byte // its text
	objs    []*load.Object
	mode    fs.FileMode // permission bits, kept by the rewrite
	link    string      // the target, when the file is a symbolic link
	hasList bool        // it holds v1 List items, which have no text of their own
}

// tree is every file read, in reading order.
type tree struct {
	files  []*inputFile
	byName map[string]*inputFile
	byAbs  map[string]*inputFile
	notes  []string // what was skipped, for stderr
	outDir string
}

// readTree reads the YAML files of paths, and those already in outDir (so
// that objects an earlier run put there are regenerated in place).
func readTree(paths []string, outDir string) (*tree, error) {
	t := &tree{byName: map[string]*inputFile{}, byAbs: map[string]*inputFile{}, outDir: outDir}
	for _, p := range paths {
		if err := t.addRoot(p, true); err != nil {
			return nil, err
		}
	}
	if outDir != "" {
		st, err := os.Stat(outDir)
		switch {
		case err == nil && !st.IsDir():
			return nil, fmt.Errorf("--output-dir %s is not a directory", outDir)
		case err == nil:
			if err := t.addRoot(outDir, false); err != nil {
				return nil, err
			}
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("--output-dir: %w", err)
		}
	}
	for _, f := range t.files {
		if err := f.read(); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// addRoot lists one argument: a YAML file (an explicit file must be YAML:
// -w rewrites manifests only) or a directory, walked as load.ReadPaths
// walks it (hidden entries skipped, links to directories not followed).
func (t *tree) addRoot(p string, explicit bool) error {
	st, err := os.Stat(p)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		if !isYAMLName(p) {
			return fmt.Errorf("%s: not a .yaml or .yml file; -w, --check and --output-dir rewrite YAML manifests only", p)
		}
		if !st.Mode().IsRegular() {
			return fmt.Errorf("%s: not a regular file", p)
		}
		return t.add(p, filepath.ToSlash(p), path.Base(filepath.ToSlash(p)))
	}
	return filepath.WalkDir(p, func(file string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("reading directory %s: %w", p, err)
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
			st, err := os.Stat(file)
			switch {
			case err != nil:
				t.notes = append(t.notes, fmt.Sprintf("skipping %s: a broken symbolic link (%v)", file, err))
				return nil
			case st.IsDir():
				t.notes = append(t.notes, fmt.Sprintf("skipping %s: a symbolic link to a directory (not followed)", file))
				return nil
			case !st.Mode().IsRegular():
				return nil
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(p, file)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		return t.add(file, path.Join(filepath.ToSlash(p), rel), rel)
	})
}

// add records a file once, however many arguments reach it.
func (t *tree) add(file, name, rel string) error {
	abs, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	if t.byAbs[abs] != nil {
		return nil
	}
	if other := t.byName[name]; other != nil {
		return fmt.Errorf("%s and %s are read under the same name %s", other.file, file, name)
	}
	f := &inputFile{name: name, file: file, rel: rel}
	t.files = append(t.files, f)
	t.byName[name], t.byAbs[abs] = f, f
	return nil
}

func (f *inputFile) read() error {
	st, err := os.Lstat(f.file)
	if err != nil {
		return err
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		if f.link, err = os.Readlink(f.file); err != nil {
			return err
		}
		if st, err = os.Stat(f.file); err != nil {
			return err
		}
	}
	f.mode = st.Mode().Perm()
	if f.data, err = os.ReadFile(f.file); err != nil {
		return err
	}
	if f.objs, err = load.ReadStream(bytes.NewReader(f.data), f.name); err != nil {
		if bytes.Contains(f.data, []byte("{{")) {
			return fmt.Errorf("%w\n(it looks like a template: convert what it renders, e.g. helm template --post-renderer routeshift --post-renderer-args helm-post-render)", err)
		}
		return err
	}
	for _, o := range f.objs {
		if o.Node != nil && o.Raw() == nil {
			f.hasList = true
		}
	}
	return nil
}

func (t *tree) objects() []*load.Object {
	var objs []*load.Object
	for _, f := range t.files {
		objs = append(objs, f.objs...)
	}
	return objs
}

// change is one file to write.
type change struct {
	name    string // as reported
	file    string
	data    []byte // the new text
	mode    fs.FileMode
	existed bool
	link    string
	hasList bool
}

// plan distributes the conversion's output over the files: input objects
// stay in their file, in the output's order (a removed Ingress is gone);
// a generated object goes into the file of the object it replaces, or of
// its Ingress, or with --output-dir into the file the layout names. It
// returns the files whose text changes, in reading order, then new files
// by name.
func (t *tree) plan(out []*load.Object, o convertOptions) ([]change, error) {
	fileOf := map[*load.Object]*inputFile{}
	for _, f := range t.files {
		for _, obj := range f.objs {
			fileOf[obj] = f
		}
	}
	inOutput := map[*load.Object]bool{}
	for _, obj := range out {
		inOutput[obj] = true
	}
	// Objects of the input missing from the output, other than removed
	// Ingresses, were replaced by their regenerated version, which takes
	// their place.
	replaced := map[string]bool{}
	for obj := range fileOf {
		if !inOutput[obj] && obj.Kind() != "Ingress" {
			replaced[objectKey(obj)] = true
		}
	}
	lists := map[*inputFile][]*load.Object{}
	newFiles := map[string][]*load.Object{}
	appended := map[*inputFile][]*load.Object{}
	for _, obj := range out {
		if f := fileOf[obj]; f != nil {
			lists[f] = append(lists[f], obj)
			continue
		}
		src := t.byName[obj.Source.Path]
		if src == nil {
			return nil, fmt.Errorf("generated %s names %s, which was not read", obj.Ref(), obj.Source.Path)
		}
		if o.outputDir == "" || replaced[objectKey(obj)] {
			lists[src] = append(lists[src], obj)
			continue
		}
		target := filepath.Join(o.outputDir, filepath.FromSlash(src.rel))
		if o.layout == "namespace" {
			ns := obj.Namespace()
			if ns == "" {
				ns = "cluster-scoped"
			}
			target = filepath.Join(o.outputDir, ns+".yaml")
		}
		abs, err := filepath.Abs(target)
		if err != nil {
			return nil, err
		}
		if f := t.byAbs[abs]; f != nil {
			appended[f] = append(appended[f], obj)
			continue
		}
		if _, err := os.Lstat(target); err == nil {
			return nil, fmt.Errorf("%s: exists but was not read (not a YAML file, hidden, or under a link); cannot write generated objects into it", target)
		}
		newFiles[target] = append(newFiles[target], obj)
	}
	var changes []change
	for _, f := range t.files {
		objs := append(lists[f], appended[f]...)
		if sameObjects(objs, f.objs) {
			continue
		}
		var buf bytes.Buffer
		if err := load.WriteStream(&buf, objs); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		if bytes.Equal(buf.Bytes(), f.data) {
			continue
		}
		changes = append(changes, change{name: f.name, file: f.file, data: buf.Bytes(), mode: f.mode, existed: true, link: f.link, hasList: f.hasList})
	}
	targets := make([]string, 0, len(newFiles))
	for name := range newFiles {
		targets = append(targets, name)
	}
	sort.Strings(targets)
	for _, name := range targets {
		var buf bytes.Buffer
		if err := load.WriteStream(&buf, newFiles[name]); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		changes = append(changes, change{name: filepath.ToSlash(name), file: name, data: buf.Bytes(), mode: 0o644})
	}
	return changes, nil
}

func objectKey(o *load.Object) string {
	return o.APIVersion() + "|" + o.Kind() + "|" + o.Namespace() + "|" + o.Name()
}

func sameObjects(a, b []*load.Object) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// checkWritable refuses, before anything is written, the files a rewrite
// would damage: a symbolic link (the rename would replace the link by a
// file), a read-only file (its mode says nobody meant it to change; root
// could rename over it regardless), a v1 List (its items would come out as
// separate documents).
func checkWritable(plan []change) error {
	var errs []error
	for _, c := range plan {
		switch {
		case c.link != "":
			errs = append(errs, fmt.Errorf("%s is a symbolic link to %s: not written through; convert the file it points to", c.name, c.link))
		case c.hasList:
			errs = append(errs, fmt.Errorf("%s holds a v1 List, which cannot be rewritten in place; split it into documents, or use --output-dir", c.name))
		case c.existed && c.mode&0o200 == 0:
			errs = append(errs, fmt.Errorf("%s is read-only (mode %04o)", c.name, c.mode))
		}
	}
	return errors.Join(errs...)
}

// writeAtomic writes a file's new text to a temporary file beside it and
// renames it over the file, so that a reader, or a run that fails, sees the
// old text or the new one, never a mix.
func writeAtomic(c change) (err error) {
	dir := filepath.Dir(c.file)
	if !c.existed {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(c.file)+".routeshift-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", c.name, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			err = fmt.Errorf("writing %s: %w", c.name, err)
		}
	}()
	if _, err = tmp.Write(c.data); err != nil {
		return err
	}
	if err = tmp.Chmod(c.mode); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), c.file)
}

func isYAMLName(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}
