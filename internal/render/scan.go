package render

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/fn/runtime/runtimeutil"
	"sigs.k8s.io/kustomize/kyaml/kio"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
)

// EntryError is an entry of a kustomization that rendering refuses.
type EntryError struct {
	File  string // the kustomization (or plugin configuration) file
	Field string // e.g. "resources", "configMapGenerator[0].files"
	Entry string
	Why   string
	Err   error // the refusal underneath (an EscapeError), if any
}

func (e *EntryError) Error() string {
	why := e.Why
	if e.Err != nil {
		why = e.Err.Error()
	}
	// Field is ours, with the kind and name of a configuration quoted
	// (checkPlugins); File and Entry come from the tree.
	return fmt.Sprintf("%q: %s: %q: %s", e.File, e.Field, e.Entry, why)
}

func (e *EntryError) Unwrap() error { return e.Err }

// scanner walks the kustomization graph before krusty builds it, refusing
// what would fetch, execute or leave the tree, and counting how many
// kustomization builds and file loads the build would make.
type scanner struct {
	fs   *confinedFS
	opts Options
	// cost memoizes each kustomization directory's expanded cost: the
	// graph is a DAG, and counting with memoization is linear in its size
	// where the build is linear in its expansion.
	cost map[string]int64
	// active detects a cycle, which kustomize reports itself.
	active map[string]bool
}

const notRemote = "remote bases and files are fetched only with --allow-remote"

// scanDir scans the kustomization in dir and returns its expanded cost.
func (s *scanner) scanDir(dir string) (int64, error) {
	real, err := s.fs.resolve(dir)
	if err != nil {
		return 0, err
	}
	if c, ok := s.cost[real]; ok {
		return c, nil
	}
	if s.active[real] {
		return 1, nil
	}
	s.active[real] = true
	defer delete(s.active, real)
	file, data, err := s.kustomizationFile(dir)
	if err != nil || file == "" {
		return 1, err
	}
	var k types.Kustomization
	if err := k.Unmarshal(data); err != nil {
		// kustomize reports the same error, with its context.
		return 1, nil
	}
	k.FixKustomization()
	cost := int64(1)
	add := func(c int64) error {
		cost += c
		if cost > s.opts.Limits.MaxExpansion {
			return s.expansionError()
		}
		return nil
	}
	remote := func(field, entry string, httpOnly bool) (bool, error) {
		if !isRemote(entry) {
			return false, nil
		}
		if !s.opts.AllowRemote {
			return true, &EntryError{File: file, Field: field, Entry: entry, Why: notRemote}
		}
		if err := checkRemote(entry, httpOnly, s.opts.Limits.FetchTimeout); err != nil {
			return true, &EntryError{File: file, Field: field, Entry: entry, Why: "refused even with --allow-remote: " + err.Error()}
		}
		return true, nil
	}
	// Entries that may be a file or a kustomization directory.
	for _, list := range []struct {
		field   string
		entries []string
		plugins bool
	}{
		{"resources", k.Resources, false},
		{"components", k.Components, false},
		{"generators", k.Generators, true},
		{"transformers", k.Transformers, true},
		{"validators", k.Validators, true},
	} {
		for _, e := range list.entries {
			if strings.Contains(e, "\n") {
				// An inline plugin configuration.
				if err := s.checkPlugins(file, list.field, []byte(e)); err != nil {
					return 0, err
				}
				continue
			}
			p := filepath.Join(dir, e)
			if filepath.IsAbs(e) {
				p = e
			}
			// kustomize loads an entry of these lists as a file first and
			// only if that fails as a base (a directory or a repository);
			// a file that exists, under a name such as "user@2x.yaml", is
			// never fetched. http(s) is tried as a URL before any file.
			if list.field != "components" && !isHTTP(e) && s.fs.isFile(p) {
				if list.plugins {
					data, err := s.fs.ReadFile(p)
					if err != nil {
						return 0, &EntryError{File: file, Field: list.field, Entry: e, Err: err}
					}
					if err := s.checkPlugins(p, "", data); err != nil {
						return 0, err
					}
				}
				if err := add(1); err != nil {
					return 0, err
				}
				continue
			}
			if r, err := remote(list.field, e, false); r || err != nil {
				if err != nil {
					return 0, err
				}
				if err := add(1); err != nil {
					return 0, err
				}
				continue
			}
			if _, err := s.fs.resolve(p); err != nil {
				return 0, &EntryError{File: file, Field: list.field, Entry: e, Err: err}
			}
			if s.fs.IsDir(p) {
				if list.plugins && len(s.opts.AllowExec) > 0 && !s.opts.EnableExec {
					// The configurations such a kustomization builds are
					// not known before the build, so no function in them
					// can be checked against --allow-exec.
					return 0, &EntryError{File: file, Field: list.field, Entry: e, Why: "a kustomization building " + list.field + " is rendered with --allow-exec only under --enable-exec: the functions it configures cannot be checked before the build"}
				}
				c, err := s.scanDir(p)
				if err != nil {
					return 0, err
				}
				if err := add(c); err != nil {
					return 0, err
				}
				continue
			}
			// Missing, or not a regular file: kustomize reports it, or the
			// file system refuses it.
			if err := add(1); err != nil {
				return 0, err
			}
		}
	}
	// Fields that name files only, fetched over http(s) when remote.
	// A slice, not a map: the first refusal reported is the same each run.
	files := fileFields{{"crds", k.Crds}, {"configurations", k.Configurations}}
	if p, ok := k.OpenAPI["path"]; ok {
		files.add("openapi.path", p)
	}
	for i, p := range k.Patches {
		files.add(fmt.Sprintf("patches[%d].path", i), p.Path)
	}
	//lint:ignore SA1019 old kustomizations still use it, and kustomize still reads it
	for i, p := range k.PatchesJson6902 {
		files.add(fmt.Sprintf("patchesJson6902[%d].path", i), p.Path)
	}
	//lint:ignore SA1019 old kustomizations still use it, and kustomize still reads it
	for i, p := range k.PatchesStrategicMerge {
		files.add(fmt.Sprintf("patchesStrategicMerge[%d]", i), string(p))
	}
	for i, r := range k.Replacements {
		files.add(fmt.Sprintf("replacements[%d].path", i), r.Path)
	}
	for i, g := range k.ConfigMapGenerator {
		generatorFiles(&files, fmt.Sprintf("configMapGenerator[%d]", i), g.GeneratorArgs)
	}
	for i, g := range k.SecretGenerator {
		generatorFiles(&files, fmt.Sprintf("secretGenerator[%d]", i), g.GeneratorArgs)
	}
	for _, f := range files {
		field := f.field
		for _, e := range f.entries {
			if strings.Contains(e, "\n") {
				continue // an inline patch
			}
			if _, err := remote(field, e, true); err != nil {
				return 0, err
			}
		}
	}
	if len(k.HelmCharts) > 0 || k.HelmGlobals != nil {
		entry := "helmGlobals"
		if len(k.HelmCharts) > 0 {
			entry = k.HelmCharts[0].Name
		}
		return 0, &EntryError{File: file, Field: "helmCharts", Entry: entry, Why: "Helm charts are not rendered: rendering never runs helm; inflate the chart into the tree (helm template) instead"}
	}
	s.cost[real] = cost
	return cost, nil
}

// generatorFiles adds a generator's files ("key=path" or "path") and env
// files.
func generatorFiles(files *fileFields, field string, g types.GeneratorArgs) {
	for _, f := range g.FileSources {
		if _, p, ok := strings.Cut(f, "="); ok {
			f = p
		}
		files.add(field+".files", f)
	}
	files.add(field+".envs", g.EnvSources...)
	files.add(field+".env", g.EnvSource)
}

type fileFields []struct {
	field   string
	entries []string
}

func (f *fileFields) add(field string, entries ...string) {
	*f = append(*f, struct {
		field   string
		entries []string
	}{field, entries})
}

func (s *scanner) expansionError() error {
	return &BudgetError{What: "expansion", Limit: fmt.Sprintf("%d kustomization builds and file loads (bases included repeatedly count each time)", s.opts.Limits.MaxExpansion), Flag: "--render-max-expansion"}
}

// kustomizationFile returns the kustomization file of dir, as kustomize
// looks for it, or "" if there is none (kustomize reports that).
func (s *scanner) kustomizationFile(dir string) (string, []byte, error) {
	for _, name := range konfig.RecognizedKustomizationFileNames() {
		p := filepath.Join(dir, name)
		if !s.fs.Exists(p) {
			continue
		}
		data, err := s.fs.ReadFile(p)
		if err != nil {
			return "", nil, err
		}
		return p, data, nil
	}
	return "", nil, nil
}

// checkPlugins refuses, in a generator, transformer or validator
// configuration: a KRM function (exec or container) unless EnableExec or,
// for an exec function, AllowExec names it; a plugin that is not one of
// kustomize's builtins (kustomize would look for an executable) unless
// EnableExec; a Helm chart; and remote files of the builtin generators and
// patch transformers. Functions are recognized by kyaml's own
// runtimeutil.GetFunctionSpec, the one kustomize's plugin loader calls.
func (s *scanner) checkPlugins(file, field string, data []byte) error {
	nodes, err := kio.FromBytes(data)
	if err != nil {
		return nil // not YAML: kustomize reports it
	}
	for i, n := range nodes {
		meta, err := n.GetMeta()
		if err != nil {
			continue
		}
		where := field
		if where == "" {
			where = fmt.Sprintf("document %d", i)
		}
		where += fmt.Sprintf(" %q %q", meta.Kind, meta.Name)
		builtin := meta.APIVersion == konfig.BuiltinPluginApiVersion
		if builtin && strings.HasPrefix(meta.Kind, "HelmChart") {
			return &EntryError{File: file, Field: where, Entry: meta.Kind, Why: "Helm charts are not rendered: rendering never runs helm"}
		}
		if !builtin {
			if err := s.checkFunction(file, where, n); err != nil {
				return err
			}
			continue
		}
		// The builtins' file fields, at any depth.
		var refused error
		walkScalars(n.YNode(), "", func(key, value string) {
			if refused != nil {
				return
			}
			switch key {
			case "path", "paths", "files", "envs", "env":
			default:
				return
			}
			if _, p, ok := strings.Cut(value, "="); ok && key == "files" {
				value = p
			}
			if !isRemote(value) {
				return
			}
			if !s.opts.AllowRemote {
				refused = &EntryError{File: file, Field: where + " " + key, Entry: value, Why: notRemote}
			} else if err := checkRemote(value, true, s.opts.Limits.FetchTimeout); err != nil {
				refused = &EntryError{File: file, Field: where + " " + key, Entry: value, Why: "refused even with --allow-remote: " + err.Error()}
			}
		})
		if refused != nil {
			return refused
		}
	}
	return nil
}

// checkFunction vets a configuration that is not a builtin's: a KRM
// function or a legacy plugin.
func (s *scanner) checkFunction(file, where string, n *kyaml.RNode) error {
	if s.opts.EnableExec {
		return nil
	}
	spec, err := runtimeutil.GetFunctionSpec(n)
	if err != nil {
		return &EntryError{File: file, Field: where, Entry: "function", Err: err}
	}
	switch {
	case spec == nil:
		return &EntryError{File: file, Field: where, Entry: n.GetKind(), Why: "a plugin that is not one of kustomize's builtins (kustomize would run an executable) runs only with --enable-exec"}
	case spec.Container.Image != "":
		return &EntryError{File: file, Field: where, Entry: "container: " + spec.Container.Image, Why: "a container KRM function runs only with --enable-exec"}
	case spec.Exec.Path == "":
		return &EntryError{File: file, Field: where, Entry: "function", Why: "a KRM function that is neither exec nor container"}
	}
	entry := "exec: " + spec.Exec.Path
	if !slices.Contains(s.opts.AllowExec, spec.Exec.Path) {
		why := "an exec KRM function runs only with --enable-exec"
		if len(s.opts.AllowExec) > 0 {
			why += " or when --allow-exec names its path (allowed: " + strings.Join(s.opts.AllowExec, ", ") + ")"
		}
		return &EntryError{File: file, Field: where, Entry: entry, Why: why}
	}
	if len(spec.Exec.Args) > 0 || len(spec.Exec.Env) > 0 {
		return &EntryError{File: file, Field: where, Entry: entry, Why: "--allow-exec runs a function without args or envs only"}
	}
	return nil
}

// walkScalars calls f with every scalar and the mapping key it is under
// (the key of the enclosing sequence for its items).
func walkScalars(n *kyaml.Node, key string, f func(key, value string)) {
	switch n.Kind {
	case kyaml.DocumentNode, kyaml.SequenceNode:
		for _, c := range n.Content {
			walkScalars(c, key, f)
		}
	case kyaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			walkScalars(n.Content[i+1], n.Content[i].Value, f)
		}
	case kyaml.ScalarNode:
		f(key, n.Value)
	}
}
