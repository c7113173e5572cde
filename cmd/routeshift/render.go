package main

import (
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/routeshift/routeshift/internal/render"
)

var renderHelp = help{
	name:    "render",
	summary: "render a kustomization safely: no processes, network or reads outside the tree unless allowed",
	usage:   "render [flags] DIR",
	body: `Renders the kustomization in DIR in-process, as "kustomize build DIR" would,
and prints the YAML stream. By default it starts no process, makes no network
request and reads nothing outside --root: a remote base, a git or http(s) URL,
an exec or container function, a Helm chart or a symbolic link leaving the
tree is an error naming the kustomization file and the entry. It is the safe
replacement for "kustomize build" on an untrusted tree (a pull request's head,
an Argo CD application).

Arguments:
  DIR   a directory with a kustomization file

Exit codes: 0 rendered; 2 could not run (usage, rendering refused or failed).`,
	examples: `routeshift render overlays/prod > rendered.yaml
routeshift render --allow-exec routeshift overlays/prod | routeshift diff base.yaml -`,
}

// renderFlags are the flags of every command that renders kustomizations.
type renderFlags struct {
	root                        *string
	allowExec                   stringList
	allowRemote, enableExec     *bool
	timeout, fetchTimeout       *time.Duration
	maxBytes, maxFetch, maxExpn *int64
	maxMemory                   *int64
}

func addRenderFlags(fs *flag.FlagSet) *renderFlags {
	d := render.DefaultLimits()
	f := &renderFlags{
		root: fs.String("root", "", "directory tree a kustomization may read, bases in ../ included (default: the kustomization's own directory; for diff, one directory holding both sides' kustomizations, e.g. the checkouts' parent); anything resolving outside it, through .. or symbolic links, is refused"),
		allowRemote: fs.Bool("allow-remote", false, "let kustomizations fetch remote bases with git (git runs with your environment and git configuration) and http(s) resources, patches and generator files; "+
			"a ref, host or path that git could read as an option, file:// repositories and a ?timeout= above --fetch-timeout are refused even so"),
		enableExec:   fs.Bool("enable-exec", false, "let kustomizations run exec KRM functions (programs named in the tree, with your environment), container KRM functions (docker, no network) and non-builtin plugins, as kustomize's --enable-alpha-plugins --enable-exec; Helm is never run"),
		timeout:      fs.Duration("render-timeout", d.Timeout, "wall-clock budget of rendering one kustomization"),
		maxBytes:     fs.Int64("render-max-bytes", d.MaxReadBytes, "bytes a render may read from files, and (times 4) the size of its output"),
		maxMemory:    fs.Int64("render-max-memory", d.MaxMemoryBytes, "bytes the live heap may grow while rendering one kustomization (approximate)"),
		maxExpn:      fs.Int64("render-max-expansion", d.MaxExpansion, "kustomization builds and file loads of one render, a base counted each time it is included (overlays that include a base twice per level double it)"),
		fetchTimeout: fs.Duration("fetch-timeout", d.FetchTimeout, "with --allow-remote: time budget of each http(s) fetch, and the most a git URL's ?timeout= may ask"),
		maxFetch:     fs.Int64("fetch-max-bytes", d.MaxFetchBytes, "with --allow-remote: size cap of each http(s) fetch"),
	}
	fs.Var(&f.allowExec, "allow-exec", "run exec KRM functions whose exec.path is exactly this bare program name, found on PATH (never a file of the tree), with no args or envs, e.g. routeshift for its own transformer; every other function stays refused (repeatable; not with --allow-remote)")
	return f
}

func (f *renderFlags) options() render.Options {
	return render.Options{
		Root:        *f.root,
		AllowRemote: *f.allowRemote,
		EnableExec:  *f.enableExec,
		AllowExec:   f.allowExec,
		Limits: render.Limits{
			Timeout:        *f.timeout,
			MaxReadBytes:   *f.maxBytes,
			MaxOutputBytes: 4 * *f.maxBytes,
			MaxExpansion:   *f.maxExpn,
			FetchTimeout:   *f.fetchTimeout,
			MaxFetchBytes:  *f.maxFetch,
			MaxMemoryBytes: *f.maxMemory,
		},
	}
}

func renderCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("render")
	rf := addRenderFlags(fs)
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() != 1 {
		return usagef(stderr, "render", "want exactly one argument, the kustomization directory")
	}
	dir := fs.Arg(0)
	if !render.IsKustomization(dir) {
		fmt.Fprintf(stderr, "routeshift render: %s is not a directory with a kustomization file\n", dir)
		return 2
	}
	out, err := render.Kustomization(dir, rf.options())
	if err != nil {
		fmt.Fprintf(stderr, "routeshift render: %v\n", err)
		return 2
	}
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintf(stderr, "routeshift render: %v\n", err)
		return 2
	}
	return 0
}
