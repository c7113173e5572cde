package main

import (
	"fmt"
	"io"

	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/status"
)

var checkHelp = help{
	name:    "check",
	summary: "the status a Gateway API controller would set on each Gateway, listener and route",
	usage:   "check [--declared FILE] [--format table|json] [--strict] PATH...",
	body: `Computes, offline, the status conditions a Gateway API controller would set on
every Gateway, listener and route of the manifests (Accepted, ResolvedRefs,
with the standard reasons such as NotAllowedByListeners, RefNotPermitted,
BackendNotFound) and prints them as a table or JSON. Objects owned elsewhere (a
shared Gateway, Secrets of another repository) go in a --declared file, so that
the answer stays exact instead of Unknown.

Arguments:
  PATH   a file, a directory (read recursively) or - (stdin)

Exit codes: 0 everything would be accepted and resolved; 1 something would not
(or, with --strict, is Unknown); 2 could not run (usage, a missing or
unreadable file, malformed input).`,
	examples: `routeshift convert examples/quickstart > converted.yaml
routeshift check converted.yaml
routeshift check --declared shared-gateway.yaml --format json converted.yaml`,
}

// runCheck runs `routeshift check`: the status conditions a controller would
// set for the Gateway API objects of rendered manifests. Exit codes: 0 when
// everything would be accepted and resolved, 1 when something would not
// (or, with --strict, is Unknown), 2 for bad usage or input that cannot be
// read, the report being incomplete then.
func runCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("check")
	declaredPath := fs.String("declared", "", "`file` of objects owned elsewhere (kind DeclaredObjects; see internal/status)")
	format := fs.String("format", "table", "output format: table or json")
	strict := fs.Bool("strict", false, "exit 1 also when a condition is Unknown (something neither in the manifests nor declared)")
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	if *format != "table" && *format != "json" {
		return usagef(stderr, "check", "--format %q: want table or json", *format)
	}
	if fs.NArg() == 0 {
		return usagef(stderr, "check", "name at least one file, directory or - (stdin)")
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
