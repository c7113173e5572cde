package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/routeshift/routeshift/fn"
	inv "github.com/routeshift/routeshift/internal/inventory"
	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/support"
)

// implementationList is --implementation: repeatable, each a name, a
// comma-separated list or "all".
type implementationList []string

func (l *implementationList) String() string { return strings.Join(*l, ",") }

func (l *implementationList) Set(v string) error {
	for _, name := range strings.Split(v, ",") {
		name = strings.TrimSpace(name)
		switch name {
		case "":
			return fmt.Errorf("empty implementation name")
		case "all":
			*l = append(*l, support.Implementations...)
		default:
			*l = append(*l, name)
		}
	}
	return nil
}

// now dates the inventory report; tests fix it so that the report is
// the package's golden bytes.
var now = time.Now

// inventory runs `routeshift inventory`: the migration plan for the
// Ingresses of PATH... Exit codes: 0 with the report written, 2 for bad
// usage, a configuration or an input that cannot be read (no report). A
// broken Ingress is part of the report, never a failure of the command.
func inventory(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("inventory", flag.ContinueOnError)
	fs.SetOutput(stderr)
	config := fs.String("config", "", "functionConfig file (IngressToGateway or ConfigMap): classes, annotations prefix, implementation")
	format := fs.String("format", "table", "output format: table, markdown, json or html")
	var impls implementationList
	fs.Var(&impls, "implementation", "implementation to classify for (repeatable or comma-separated; all for every one); default: the config's spec.implementation")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: routeshift inventory [--config FILE] [--implementation NAME,...] [--format table|markdown|json|html] PATH...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	writers := map[string]func(*inv.Report, io.Writer) error{
		"table": (*inv.Report).WriteTable, "markdown": (*inv.Report).WriteMarkdown,
		"json": (*inv.Report).WriteJSON, "html": (*inv.Report).WriteHTML,
	}
	write, ok := writers[*format]
	if !ok {
		fmt.Fprintf(stderr, "routeshift inventory: --format %q: want table, markdown, json or html\n", *format)
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "routeshift inventory: name at least one file, directory or - (stdin)")
		return 2
	}
	spec, err := readConfig(*config)
	if err != nil {
		fmt.Fprintf(stderr, "routeshift inventory: %v\n", err)
		return 2
	}
	if len(impls) == 0 {
		impls = implementationList{spec.Implementation}
	}
	objs, err := load.ReadPaths(fs.Args(), stdin)
	if err != nil {
		fmt.Fprintf(stderr, "routeshift inventory: %v\n", err)
		return 2
	}
	rep, err := inv.Build(objs, inv.Options{
		ClassNames: spec.IngressClassNames, IncludeUnclassed: spec.IncludeUnclassed != nil && *spec.IncludeUnclassed,
		AnnotationsPrefix: spec.AnnotationsPrefix, Implementations: impls, UnsafeReviewed: spec.UnsafeAnnotations == "warning",
		Now: now(), Version: versionString(), Inputs: fs.Args(),
	})
	if err != nil {
		fmt.Fprintf(stderr, "routeshift inventory: --implementation: %v\n", err)
		return 2
	}
	// Rendered whole before writing, so that a failure leaves no half report.
	var buf bytes.Buffer
	if err := write(rep, &buf); err != nil {
		fmt.Fprintf(stderr, "routeshift inventory: %v\n", err)
		return 2
	}
	if _, err := stdout.Write(buf.Bytes()); err != nil {
		fmt.Fprintf(stderr, "routeshift inventory: %v\n", err)
		return 2
	}
	return 0
}

// readConfig reads --config as convert does (one object, functionConfig
// rules); no file means the defaults.
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
