// Package source reads one side of a diff: a file, a directory of
// manifests, a kustomization directory, or "-" for stdin.
//
// A directory holding a kustomization.yaml (or .yml, or Kustomization) is
// rendered in-process with sigs.k8s.io/kustomize/api, the library the
// kustomize CLI is built on, so that a CI job can diff two checkouts of a
// kustomize tree without installing anything. KRM functions (the
// transformers that run routeshift itself, for instance) run only when the
// caller allows them with Options.EnableExec, as with kustomize's
// --enable-alpha-plugins --enable-exec: they execute programs named in the
// tree. Everything else is read with internal/load, which keeps every
// object's file and position for error messages.
package source

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/routeshift/routeshift/internal/load"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// Options controls kustomization rendering and what is kept of the
// objects read.
type Options struct {
	// EnableExec lets kustomize run exec and container KRM functions the
	// kustomization names.
	EnableExec bool
	// Thin keeps only the objects' identity and metadata as nodes (see
	// load.ReadOptions); the models read the rest through Tree.
	Thin bool
}

// Read returns the objects of one side.
func Read(path string, stdin io.Reader, opts Options) ([]*load.Object, error) {
	if path != "-" && IsKustomization(path) {
		return render(path, opts)
	}
	return load.ReadOptions{Thin: opts.Thin}.ReadPaths([]string{path}, stdin)
}

// IsKustomization reports whether path is a directory with a
// kustomization file.
func IsKustomization(path string) bool {
	st, err := os.Stat(path)
	if err != nil || !st.IsDir() {
		return false
	}
	for _, name := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
		if _, err := os.Stat(filepath.Join(path, name)); err == nil {
			return true
		}
	}
	return false
}

func render(dir string, opts Options) ([]*load.Object, error) {
	ko := krusty.MakeDefaultOptions()
	if opts.EnableExec {
		ko.PluginConfig = types.EnabledPluginConfig(types.BploUseStaticallyLinked)
		ko.PluginConfig.FnpLoadingOptions.EnableExec = true
	}
	k := krusty.MakeKustomizer(ko)
	m, err := k.Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		return nil, fmt.Errorf("kustomize build %s: %w", dir, err)
	}
	out, err := m.AsYaml()
	if err != nil {
		return nil, fmt.Errorf("kustomize build %s: %w", dir, err)
	}
	return load.ReadOptions{Thin: opts.Thin}.ReadStream(bytes.NewReader(out), dir+" (kustomize build)")
}
