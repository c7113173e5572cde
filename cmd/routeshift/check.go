package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/status"
)

// runCheck runs `routeshift check`: the status conditions a controller would
// set for the Gateway API objects of rendered manifests. Exit codes: 0 when
// everything would be accepted and resolved, 1 when something would not
// (or, with --strict, is Unknown), 2 for bad usage or input that cannot be
// read, the report being incomplete then.
func runCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	declaredPath := fs.String("declared", "", "file of objects owned elsewhere (kind DeclaredObjects; see internal/status)")
	format := fs.String("format", "table", "output format: table or json")
	strict := fs.Bool("strict", false, "exit 1 also when a condition is Unknown (something neither in the manifests nor declared)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: routeshift check [--declared FILE] [--format table|json] [--strict] PATH...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *format != "table" && *format != "json" {
		fmt.Fprintf(stderr, "routeshift check: --format %q: want table or json\n", *format)
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "routeshift check: name at least one file, directory or - (stdin)")
		return 2
	}
	var declared status.Declared
	if *declaredPath != "" {
		d, err := status.ReadDeclared(*declaredPath)
		if err != nil {
			fmt.Fprintf(stderr, "routeshift check: %v\n", err)
			return 2
		}
		declared = d
	}
	objs, err := load.ReadPaths(fs.Args(), stdin)
	if err != nil {
		fmt.Fprintf(stderr, "routeshift check: %v\n", err)
		return 2
	}
	rep := status.Run(objs, declared)
	write := rep.WriteTable
	if *format == "json" {
		write = rep.WriteJSON
	}
	if err := write(stdout); err != nil {
		fmt.Fprintf(stderr, "routeshift check: %v\n", err)
		return 2
	}
	if len(rep.Errors) > 0 {
		for _, e := range rep.Errors {
			fmt.Fprintf(stderr, "routeshift check: %s\n", e)
		}
		return 2
	}
	if rep.Failed(*strict) {
		return 1
	}
	return 0
}
