package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/routeshift/routeshift/fn"
	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/phase"
)

var convertHelp = help{
	name:    "convert",
	summary: "convert the Ingresses of files or directories; print the result or rewrite the files (-w)",
	usage:   "convert [--config FILE] [-w | --check] [--output-dir DIR [--layout mirror|namespace]] PATH...",
	body: `Reads every object of PATH... (files, directories read recursively for .yaml
and .yml files, hidden ones skipped, or - for stdin) and converts the
ingress-nginx Ingresses among them, as the KRM function does.

Without -w the whole stream is printed to stdout: every input object byte for
byte, the generated objects right after their Ingress. A summary goes to
stderr.

With -w the files are rewritten in place: the generated objects go into the
file of their Ingress, right after it; everything else in the file stays byte
for byte (comments, key order, quoting). Converted Ingresses are removed only
with "ingress: remove" in the configuration. Running it again changes nothing:
objects an earlier run generated are regenerated where they are. Each file is
written to a temporary file and renamed over the old one, so a file is either
old or new, never half written; nothing is written when the run fails (a
result at or above failOn), when a file that would change is read-only, a
symbolic link, or holds a v1 List.

--output-dir DIR puts newly generated objects under DIR instead: in files
mirroring the input layout (--layout mirror: DIR/<path inside PATH>) or one
file per namespace (--layout namespace: DIR/<namespace>.yaml). Files already
in DIR are read too, so a second run regenerates their objects in place.

--check does what -w would do without writing, lists the files that would
change and exits 1 if any would: for CI and pre-commit hooks.

Arguments:
  PATH   a file, a directory or - (stdin; not with -w, --check or --output-dir)

Exit codes: 0 ok; 1 a result at or above failOn (error results by default), or
with --check a file that would change; 2 could not run (usage, a missing or
unreadable file, malformed YAML).`,
	examples: `# print the converted stream
routeshift convert examples/quickstart > converted.yaml
# rewrite a repository's manifests in place, attaching to an existing Gateway
routeshift convert -w --config examples/config/attach.yaml manifests/
# in CI or pre-commit: fail when the manifests are not converted yet
routeshift convert --check --config routeshift.yaml manifests/
# generated objects in their own tree, one file per namespace
routeshift convert --output-dir gateway-api --layout namespace manifests/`,
}

// convertOptions are convert's flags.
type convertOptions struct {
	config    string
	write     bool
	check     bool
	outputDir string
	layout    string
}

func convert(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("convert")
	var o convertOptions
	fs.StringVar(&o.config, "config", "", "functionConfig `file` (IngressToGateway or ConfigMap)")
	fs.BoolVar(&o.write, "w", false, "rewrite the files in place (generated objects next to their Ingress)")
	fs.BoolVar(&o.write, "write", false, "same as -w")
	fs.BoolVar(&o.check, "check", false, "write nothing; list the files -w would change and exit 1 if there are any")
	fs.StringVar(&o.outputDir, "output-dir", "", "write newly generated objects under `DIR` instead of next to their Ingress (implies -w)")
	fs.StringVar(&o.layout, "layout", "mirror", "with --output-dir: `mirror` (the input's file layout) or namespace (one file per namespace)")
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() == 0 {
		return usagef(stderr, "convert", "name at least one file, directory or - (stdin)")
	}
	if o.layout != "mirror" && o.layout != "namespace" {
		return usagef(stderr, "convert", "--layout %q: want mirror or namespace", o.layout)
	}
	inPlace := o.write || o.check || o.outputDir != ""
	if inPlace {
		for _, p := range fs.Args() {
			if p == "-" {
				return usagef(stderr, "convert", "- (stdin) cannot be rewritten: -w, --check and --output-dir take files and directories")
			}
		}
	}
	spec, err := readConfig(o.config)
	if err != nil {
		fmt.Fprintf(stderr, "routeshift convert: %v\n", err)
		return exitError
	}
	if inPlace {
		return convertFiles(fs.Args(), spec, o, stdout, stderr)
	}
	objs, err := load.ReadOptions{Each: fn.Predecode}.ReadPaths(fs.Args(), stdin)
	if err != nil {
		fmt.Fprintf(stderr, "routeshift convert: %v\n", err)
		return exitError
	}
	phase.Mark("read")
	out, findings, sum := fn.Convert(objs, spec, false)
	var buf bytes.Buffer
	if err := load.WriteStream(&buf, out); err != nil {
		fmt.Fprintf(stderr, "routeshift convert: %v\n", err)
		return exitError
	}
	if _, err := stdout.Write(buf.Bytes()); err != nil {
		fmt.Fprintf(stderr, "routeshift convert: %v\n", err)
		return exitError
	}
	phase.Mark("write")
	fn.WriteSummary(stderr, findings, sum)
	return fn.ExitCode(findings, fn.FailSeverity(spec))
}

// convertFiles is convert -w, --check and --output-dir: read every file,
// convert them together (an Ingress's host may be shared with another
// file's), plan each file's new text, then write the files that change.
func convertFiles(paths []string, spec fn.Spec, o convertOptions, stdout, stderr io.Writer) int {
	tree, err := readTree(paths, o.outputDir)
	if err != nil {
		fmt.Fprintf(stderr, "routeshift convert: %v\n", err)
		return exitError
	}
	for _, n := range tree.notes {
		fmt.Fprintf(stderr, "routeshift convert: %s\n", n)
	}
	out, findings, sum := fn.Convert(tree.objects(), spec, false)
	fn.WriteSummary(stderr, findings, sum)
	code := fn.ExitCode(findings, fn.FailSeverity(spec))
	plan, err := tree.plan(out, o)
	if err != nil {
		fmt.Fprintf(stderr, "routeshift convert: %v\n", err)
		return exitError
	}
	if o.check {
		for _, c := range plan {
			fmt.Fprintf(stdout, "would change: %s\n", c.name)
		}
		if len(plan) > 0 {
			fmt.Fprintf(stderr, "routeshift convert: %d file(s) would change; run routeshift convert -w to update them\n", len(plan))
			return exitFindings
		}
		return code
	}
	if code != exitOK {
		fmt.Fprintf(stderr, "routeshift convert: nothing written: results at or above failOn (%s); fix them, or set spec.failOn\n", fn.FailSeverity(spec))
		return code
	}
	if err := checkWritable(plan); err != nil {
		fmt.Fprintf(stderr, "routeshift convert: nothing written: %v\n", err)
		return exitError
	}
	for i, c := range plan {
		if err := writeAtomic(c); err != nil {
			fmt.Fprintf(stderr, "routeshift convert: %v\n", err)
			if i > 0 {
				fmt.Fprintf(stderr, "routeshift convert: %d of %d file(s) were written before the failure; the others are unchanged\n", i, len(plan))
			}
			return exitError
		}
		fmt.Fprintf(stdout, "wrote %s\n", c.name)
	}
	return exitOK
}

// readConfig reads --config: one object, IngressToGateway or ConfigMap; no
// file means the defaults.
func readConfig(path string) (fn.Spec, error) {
	var cfg *load.Object
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return fn.Spec{}, err
		}
		objs, err := load.ReadStream(f, path)
		f.Close()
		if err != nil {
			return fn.Spec{}, err
		}
		if len(objs) != 1 {
			return fn.Spec{}, fmt.Errorf("%s: want exactly one configuration object, found %d", path, len(objs))
		}
		cfg = objs[0]
	}
	return fn.ParseConfig(cfg)
}
