// Command routeshift converts ingress-nginx Ingress manifests into Gateway
// API resources. With no arguments it is a KRM function (a ResourceList on
// stdin), which makes the same binary the container entrypoint and the
// kustomize/kpt exec target; the subcommands serve people at a terminal.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/routeshift/routeshift/fn"
	"github.com/routeshift/routeshift/internal/load"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

const usage = `routeshift converts ingress-nginx Ingress manifests into Gateway API resources.

Usage:
  routeshift < resourcelist.yaml           KRM function mode (kustomize, kpt, Argo CD)
  routeshift convert [--config FILE] PATH...  convert files, directories (recursively) or - (stdin)
  routeshift check [--declared FILE] [--format table|json] [--strict] PATH...  the status a Gateway API controller would set
  routeshift diff [flags] BEFORE AFTER        compare how two sets of manifests route requests
  routeshift render [flags] DIR               render a kustomization safely (no processes, network or reads outside the tree unless allowed)
  routeshift inventory [--config FILE] [--implementation NAME,...] [--format table|markdown|json|html] PATH...  the migration plan: annotations, classes, waves
  routeshift validate [--channel standard|experimental] PATH...  check Gateway API objects as the API server would (CEL included)
  routeshift version

The functionConfig reference is in the README.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		if f, ok := stdin.(*os.File); ok && isTerminal(f) {
			fmt.Fprint(stderr, usage)
			return 2
		}
		return fn.Function(stdin, stdout, stderr)
	}
	switch args[0] {
	case "convert":
		return convert(args[1:], stdin, stdout, stderr)
	case "validate":
		return validateCmd(args[1:], stdin, stdout, stderr)
	case "check":
		return runCheck(args[1:], stdin, stdout, stderr)
	case "diff":
		return diff(args[1:], stdin, stdout, stderr)
	case "render":
		return renderCmd(args[1:], stdout, stderr)
	case "inventory":
		return inventory(args[1:], stdin, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "routeshift", versionString())
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "routeshift: unknown command %q\n\n%s", args[0], usage)
	return 2
}

func convert(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("convert", flag.ContinueOnError)
	fs.SetOutput(stderr)
	config := fs.String("config", "", "functionConfig file (IngressToGateway or ConfigMap)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "routeshift convert: name at least one file, directory or - (stdin)")
		return 2
	}
	var cfg *load.Object
	if *config != "" {
		f, err := os.Open(*config)
		if err != nil {
			fmt.Fprintf(stderr, "routeshift: %v\n", err)
			return 2
		}
		objs, err := load.ReadStream(f, *config)
		f.Close()
		if err != nil {
			fmt.Fprintf(stderr, "routeshift: %v\n", err)
			return 2
		}
		if len(objs) != 1 {
			fmt.Fprintf(stderr, "routeshift: %s: want exactly one configuration object, found %d\n", *config, len(objs))
			return 2
		}
		cfg = objs[0]
	}
	spec, err := fn.ParseConfig(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "routeshift: %v\n", err)
		return 2
	}
	objs, err := load.ReadPaths(fs.Args(), stdin)
	if err != nil {
		fmt.Fprintf(stderr, "routeshift: %v\n", err)
		return 1
	}
	out, findings, sum := fn.Convert(objs, spec, false)
	var buf bytes.Buffer
	if err := load.WriteStream(&buf, out); err != nil {
		fmt.Fprintf(stderr, "routeshift: %v\n", err)
		return 1
	}
	if _, err := stdout.Write(buf.Bytes()); err != nil {
		fmt.Fprintf(stderr, "routeshift: %v\n", err)
		return 1
	}
	fn.WriteSummary(stderr, findings, sum)
	return fn.ExitCode(findings, fn.FailSeverity(spec))
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
