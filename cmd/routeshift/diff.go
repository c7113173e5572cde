package main

import (
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/routeshift/routeshift/internal/proof/check"
	"github.com/routeshift/routeshift/internal/proof/gateway"
	"github.com/routeshift/routeshift/internal/proof/nginx"
	"github.com/routeshift/routeshift/internal/proof/report"
	"github.com/routeshift/routeshift/internal/proof/source"
)

const diffUsage = `Usage: routeshift diff [flags] BEFORE AFTER

Compares how two sets of manifests route requests: Ingresses as ingress-nginx
serves them, Gateway API routes as the Gateway API specifies. Each side is a
file, a directory (read recursively), a kustomization directory (rendered
in-process) or - (stdin); the report says how each side was read.

A kustomization is rendered as routeshift render does: no process, no
network, nothing read outside --root (default: the kustomization's own
directory) unless --allow-remote or --enable-exec open it, and within the
--render-* budgets. A directory of plain manifests may not hold symbolic
links that leave it. Exit code 0: equivalent; 1: some requests route
differently; 2: the check could not run (or rendering was refused).

Flags:
`

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func diff(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, diffUsage)
		fs.PrintDefaults()
	}
	var gateways, classes stringList
	fs.Var(&gateways, "gateway", "Gateway to evaluate, NAME or NAMESPACE/NAME (repeatable; default: all)")
	fs.Var(&classes, "ingress-class", "ingress class served by ingress-nginx (repeatable; default: nginx)")
	noUnclassed := fs.Bool("exclude-unclassed", false, "Ingresses without a class are not served by ingress-nginx")
	prefix := fs.String("annotations-prefix", "", "ingress-nginx --annotations-prefix (default nginx.ingress.kubernetes.io)")
	httpPort := fs.Int("http-port", 80, "port of plain HTTP requests")
	httpsPort := fs.Int("https-port", 443, "port of HTTPS requests")
	format := fs.String("format", "text", "report format: text, markdown or json")
	side := fs.String("side", "gateway", "for a tree with Ingresses and Gateway API routes: compare its gateway side, its ingress side, or both")
	failUnverifiable := fs.Bool("fail-on-unverifiable", false, "exit 1 when some requests cannot be verified")
	var accept stringList
	fs.Var(&accept, "accept", "a reviewed difference that does not fail the check (repeatable): "+strings.Join(report.Acceptances(), ", "))
	requireServices := fs.Bool("require-services", false, "a Gateway API backendRef to a Service missing from the manifests answers 500")
	rf := addRenderFlags(fs)
	reportf := addReportFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 2 {
		fmt.Fprintln(stderr, "routeshift diff: want exactly two arguments, BEFORE and AFTER")
		fs.Usage()
		return 2
	}
	if fs.Arg(0) == "-" && fs.Arg(1) == "-" {
		fmt.Fprintln(stderr, "routeshift diff: only one side can be - (stdin)")
		return 2
	}
	write, ok := map[string]func(*check.Report, io.Writer) error{
		"text":     (*check.Report).WriteText,
		"markdown": (*check.Report).WriteMarkdown,
		"json":     (*check.Report).WriteJSON,
	}[*format]
	if !ok {
		fmt.Fprintf(stderr, "routeshift diff: --format %q: want text, markdown or json\n", *format)
		return 2
	}
	debug.SetGCPercent(check.GCPercent)
	var trees [2]check.Tree
	for i, p := range fs.Args() {
		side, err := source.Read(p, stdin, source.Options{Render: rf.options()})
		if err != nil {
			fmt.Fprintf(stderr, "routeshift diff: %v\n", err)
			return 2
		}
		trees[i] = check.Tree{Name: p, Objects: side.Objects, How: side.How}
	}
	opts := check.Options{
		Accept:  accept,
		Side:    check.Side(*side),
		Nginx:   nginx.Options{Classes: classes, ExcludeUnclassed: *noUnclassed, Prefix: *prefix},
		Gateway: gateway.Options{Gateways: gateways, HTTPPort: *httpPort, HTTPSPort: *httpsPort, RequireServices: *requireServices},
	}
	rep, err := check.Run(trees[0], trees[1], opts)
	if err != nil {
		fmt.Fprintf(stderr, "routeshift diff: %v\n", err)
		return 2
	}
	if err := reportf.apply(rep); err != nil {
		fmt.Fprintf(stderr, "routeshift diff: %v\n", err)
		return 2
	}
	if err := reportf.writeFile(rep); err != nil {
		fmt.Fprintf(stderr, "routeshift diff: %v\n", err)
		return 2
	}
	if err := write(rep, stdout); err != nil {
		fmt.Fprintf(stderr, "routeshift diff: %v\n", err)
		return 2
	}
	return rep.ExitCode(*failUnverifiable)
}
