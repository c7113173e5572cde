package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/routeshift/routeshift/internal/convert/features"
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

var inventoryHelp = help{
	name:    "inventory",
	summary: "the migration plan: annotations in use, classification, waves",
	usage:   "inventory [--config FILE] [--implementation NAME,...|all] [--format table|markdown|json|html] PATH...",
	body: `Reads manifests (files in git, rendered kustomizations, or a
"kubectl get ingress,service,configmap -A -o yaml" dump) and writes the
migration plan: totals, every annotation in use with its fate for the chosen
implementation, each Ingress classified simple, medium, complex or blocked
with the reasons, per-namespace and per-host summaries, conflicts, and waves.
Several --implementation values are compared side by side. The html format is
one self-contained page. Rules and the JSON schema: docs/inventory.md.

Arguments:
  PATH   a file, a directory (read recursively) or - (stdin)

Exit codes: 0 the report was written (a broken Ingress is part of the report);
2 could not run (usage, a configuration or input that cannot be read).`,
	examples: `routeshift inventory examples/quickstart
kubectl get ingress,service,configmap -A -o yaml | routeshift inventory --implementation all --format html - > plan.html`,
}

// now dates the inventory report; tests fix it so that the report is
// the package's golden bytes.
var now = time.Now

// inventory runs `routeshift inventory`: the migration plan for the
// Ingresses of PATH... Exit codes: 0 with the report written, 2 for bad
// usage, a configuration or an input that cannot be read (no report). A
// broken Ingress is part of the report, never a failure of the command.
func inventory(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("inventory")
	config := fs.String("config", "", "functionConfig `file` (IngressToGateway or ConfigMap): classes, annotations prefix, implementation")
	format := fs.String("format", "table", "output format: table, markdown, json or html")
	var impls implementationList
	fs.Var(&impls, "implementation", "implementation to classify for (repeatable or comma-separated; all for every one); default: the config's spec.implementation")
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	writers := map[string]func(*inv.Report, io.Writer) error{
		"table": (*inv.Report).WriteTable, "markdown": (*inv.Report).WriteMarkdown,
		"json": (*inv.Report).WriteJSON, "html": (*inv.Report).WriteHTML,
	}
	write, ok := writers[*format]
	if !ok {
		return usagef(stderr, "inventory", "--format %q: want table, markdown, json or html", *format)
	}
	if fs.NArg() == 0 {
		return usagef(stderr, "inventory", "name at least one file, directory or - (stdin)")
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
	// The configuration's release applies to its own implementation; the
	// others compared beside it are taken at their newest.
	releases := map[string]*features.Release{}
	if r := spec.Release(); r != nil {
		releases[spec.Implementation] = r
	}
	rep, err := inv.Build(objs, inv.Options{
		ClassNames: spec.IngressClassNames, IncludeUnclassed: spec.IncludeUnclassed != nil && *spec.IncludeUnclassed,
		AnnotationsPrefix: spec.AnnotationsPrefix, Implementations: impls, Releases: releases, UnsafeReviewed: spec.UnsafeAnnotations == "warning",
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
