// Package source reads one side of a diff: a file, a directory of
// manifests, a kustomization directory, or "-" for stdin.
//
// A directory holding a kustomization.yaml (or .yml, or Kustomization) is
// rendered in-process by internal/render, safely enough for the head of an
// untrusted pull request: no process, no network and nothing outside the
// tree unless Options.Render allows it (see that package). Everything else,
// and what rendering makes, is read with the proof's own reader
// (internal/proof/internal/kube), not the converter's: it keeps every
// object's file and position for error messages and reads scalars as the
// API server does (docs/reading.md). A directory's symbolic links that leave the
// directory are refused first, so a tree cannot make diff read another
// team's files or /proc/self/environ.
package source

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/routeshift/routeshift/internal/proof/internal/kube"
	"github.com/routeshift/routeshift/internal/render"
	"sigs.k8s.io/yaml"
)

// Options controls kustomization rendering. (The proof's reader keeps
// every object as compact JSON, never as a node tree: there is nothing to
// thin.)
type Options struct {
	// Render says what rendering a kustomization may do beyond reading its
	// tree (remote fetches, functions) and its budgets.
	Render render.Options
}

// Side is what was read and how.
type Side struct {
	Objects []*kube.Object
	// How says how the side was read, for the report: "rendered the
	// kustomization at PATH in-process (...)", "read the file PATH",
	// "read the YAML files under PATH", "read stdin".
	How string
	// Results is the JSON list of the KRM results a ResourceList side
	// carries (a KRM function's output, whose items are the objects): the
	// converter's own results, read as data. Nil for any other side.
	Results []byte
}

// Read returns the objects of one side.
func Read(path string, stdin io.Reader, opts Options) (Side, error) {
	if path != "-" && render.IsKustomization(path) {
		out, err := render.Render(path, opts.Render)
		if err != nil {
			return Side{}, err
		}
		objs, err := kube.ReadStream(out.YAML, path+" (kustomize build)")
		if err != nil {
			return Side{}, err
		}
		side := Side{Objects: objs, How: renderedHow(path, opts.Render)}
		if len(out.Results) > 0 {
			if side.Results, err = joinResults(out.Results); err != nil {
				return Side{}, fmt.Errorf("%s: the results of its routeshift functions: %w", path, err)
			}
			side.How += fmt.Sprintf(", with the results of its routeshift %s", map[bool]string{true: "function", false: "functions"}[len(out.Results) == 1])
		}
		return side, nil
	}
	how := "read stdin"
	if path != "-" {
		st, err := os.Stat(path)
		if err != nil {
			return Side{}, err
		}
		how = "read the file " + path
		if st.IsDir() {
			if err := refuseEscapes(path); err != nil {
				return Side{}, err
			}
			how = "read the YAML files under " + path
			objs, err := kube.ReadPaths([]string{path}, nil)
			return Side{Objects: objs, How: how}, err
		}
	}
	data, err := readInput(path, stdin)
	if err != nil {
		return Side{}, err
	}
	// A KRM function's output (routeshift fn, kpt fn eval -o stdout):
	// the objects are its items, and it carries the function's results.
	name := path
	if path != "-" {
		name = filepath.ToSlash(path)
	}
	objs, results, ok, err := kube.ReadResourceList(data, name)
	if err != nil {
		return Side{}, err
	}
	if ok {
		how = strings.Replace(how, "read ", "read the ResourceList (a KRM function's output) in ", 1)
		if path == "-" {
			how = "read the ResourceList (a KRM function's output) on stdin"
		}
		if results != nil {
			how += ", with its results"
		}
		return Side{Objects: objs, How: how, Results: results}, nil
	}
	objs, err = kube.ReadStream(data, name)
	return Side{Objects: objs, How: how}, err
}

// joinResults joins the JSON result lists of several function runs into
// one.
func joinResults(lists [][]byte) ([]byte, error) {
	all := []json.RawMessage{}
	for _, l := range lists {
		var rs []json.RawMessage
		if err := json.Unmarshal(l, &rs); err != nil {
			return nil, err
		}
		all = append(all, rs...)
	}
	return json.Marshal(all)
}

// readInput reads a file, or stdin for "-".
func readInput(path string, stdin io.Reader) ([]byte, error) {
	if path != "-" {
		return os.ReadFile(path)
	}
	if stdin == nil {
		return nil, errors.New(`"-" given but there is no stdin`)
	}
	data, err := io.ReadAll(stdin)
	if err != nil {
		return nil, fmt.Errorf("-: %w", err)
	}
	return data, nil
}

func renderedHow(path string, o render.Options) string {
	var opened []string
	if o.AllowRemote {
		opened = append(opened, "remote fetches allowed")
	}
	if o.EnableExec {
		opened = append(opened, "exec functions allowed")
	} else if len(o.AllowExec) > 0 {
		opened = append(opened, "exec functions of "+strings.Join(o.AllowExec, ", ")+" allowed")
	}
	if len(opened) == 0 {
		opened = append(opened, "no remote fetches, no functions")
	}
	root := ""
	if o.Root != "" {
		root = ", reading " + o.Root
	}
	return fmt.Sprintf("rendered the kustomization at %s in-process (%s%s)", path, strings.Join(opened, ", "), root)
}

// refuseEscapes fails on a symbolic link below dir whose target is outside
// dir. It visits what the reader reads (hidden names are skipped there too); a
// link inside the tree is fine.
func refuseEscapes(dir string) error {
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return err
	}
	root, err = filepath.Abs(root)
	if err != nil {
		return err
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		target, err := filepath.EvalSymlinks(p)
		if err != nil {
			return nil // a dangling link is not read
		}
		if target, err = filepath.Abs(target); err != nil {
			return err
		}
		if target != root && !strings.HasPrefix(target, strings.TrimSuffix(root, string(filepath.Separator))+string(filepath.Separator)) {
			return fmt.Errorf("%q is a symbolic link to %q, outside %q: refused (copy the file into the tree if it belongs to it)", p, target, dir)
		}
		return nil
	})
}

// FunctionConfig returns the bytes of the routeshift functionConfig
// (kind IngressToGateway) a kustomization names among its transformers or
// generators, or nil: the configuration of the conversion that rendered
// this side, which says which implementation and controller to model.
// root is the tree rendering may read (render.Options.Root; "" is dir):
// the files are read within it, as the render reads them, so that an
// entry cannot make diff read a file outside the tree, or block on a
// named pipe.
func FunctionConfig(dir, root string) ([]byte, error) {
	if !render.IsKustomization(dir) {
		return nil, nil
	}
	if root == "" {
		root = dir
	}
	var err error
	if dir, err = filepath.Abs(dir); err != nil {
		return nil, err
	}
	if root, err = filepath.Abs(root); err != nil {
		return nil, err
	}
	tree, err := os.OpenRoot(root)
	if err != nil {
		return nil, err
	}
	defer tree.Close()
	read := func(p string) []byte {
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return nil
		}
		st, err := tree.Stat(rel)
		if err != nil || !st.Mode().IsRegular() || st.Size() > maxFunctionConfig {
			return nil
		}
		data, err := tree.ReadFile(rel)
		if err != nil {
			return nil
		}
		return data
	}
	var kfile []byte
	for _, name := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
		if b := read(filepath.Join(dir, name)); b != nil {
			kfile = b
			break
		}
	}
	var k struct {
		Transformers []string `json:"transformers"`
		Generators   []string `json:"generators"`
	}
	if err := yaml.Unmarshal(kfile, &k); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	for _, entry := range append(k.Transformers, k.Generators...) {
		for _, doc := range inlineOrFile(dir, entry, read) {
			var head struct {
				APIVersion string `json:"apiVersion"`
				Kind       string `json:"kind"`
			}
			if yaml.Unmarshal(doc, &head) == nil && head.Kind == "IngressToGateway" && strings.HasPrefix(head.APIVersion, "routeshift.dev/") {
				return doc, nil
			}
		}
	}
	return nil, nil
}

// maxFunctionConfig bounds a file FunctionConfig reads.
const maxFunctionConfig = 1 << 20

// inlineOrFile returns the documents of a transformers/generators entry:
// inline YAML, or a regular file relative to the kustomization, read with
// read (directories, remote entries and files outside the tree are left
// out).
func inlineOrFile(dir, entry string, read func(string) []byte) [][]byte {
	data := []byte(entry)
	if !strings.Contains(entry, "\n") {
		if data = read(filepath.Join(dir, entry)); data == nil {
			return nil
		}
	}
	return bytes.Split(data, []byte("\n---"))
}
