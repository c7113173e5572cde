package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/routeshift/routeshift/internal/proof/check"
	"github.com/routeshift/routeshift/internal/proof/gateway"
	"github.com/routeshift/routeshift/internal/proof/nginx"
	"github.com/routeshift/routeshift/internal/proof/report"
	"github.com/routeshift/routeshift/internal/proof/source"
	"sigs.k8s.io/yaml"
)

var diffHelp = help{
	name:    "diff",
	summary: "compare how two sets of manifests route requests (the migration proof)",
	usage:   "diff [flags] BEFORE AFTER",
	body: `Compares how two sets of manifests route requests: Ingresses as ingress-nginx
serves them, Gateway API routes as the Gateway API specifies (or, with
--implementation, as that implementation routes where the specification leaves
the choice open; an AFTER kustomization's routeshift functionConfig may name
it and the controller profile), with two models
that share no code with the converter. It probes every decision point of both
sides and prints each request whose outcome differs, then the requests it
cannot verify and why; the report says how each side was read. Flags and the
JSON schema: docs/diff.md.

A kustomization is rendered as routeshift render does: no process, no
network, nothing read outside --root (default: the kustomization's own
directory) unless --allow-remote or --enable-exec open it, and within the
--render-* budgets. A directory of plain manifests may not hold symbolic
links that leave it.

A difference that was reviewed and is wanted can be accepted by name with
--accept (e.g. redirect-trailing-slash: ingress-nginx's https redirect drops a
trailing slash, a Gateway API RequestRedirect keeps it); it is still listed.

Arguments:
  BEFORE, AFTER   a file, a directory (read recursively), a kustomization
                  directory (rendered in-process) or - (stdin; one side only)

Exit codes: 0 equivalent; 1 some requests route differently (or cannot be
verified, with --fail-on-unverifiable); 2 could not run (usage, a missing or
unreadable file, malformed input, rendering refused).`,
	examples: `routeshift convert examples/quickstart > converted.yaml
routeshift diff --accept redirect-trailing-slash examples/quickstart converted.yaml
routeshift diff --format markdown base/ head/ > comment.md`,
}

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func diff(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("diff")
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
	implementation := fs.String("implementation", "", "evaluate Gateway API routes as this implementation does where the specification leaves it open: envoy-gateway, istio, kgateway, nginx-gateway-fabric (default: the specification; its open choices are unverifiable)")
	profileFile := fs.String("controller-profile", "", "YAML file with the ingress-nginx controller profile (the functionConfig's spec.controller block, or a whole IngressToGateway functionConfig)")
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() != 2 {
		return usagef(stderr, "diff", "want exactly two arguments, BEFORE and AFTER")
	}
	if fs.Arg(0) == "-" && fs.Arg(1) == "-" {
		return usagef(stderr, "diff", "only one side can be - (stdin)")
	}
	write, ok := map[string]func(*check.Report, io.Writer) error{
		"text":     (*check.Report).WriteText,
		"markdown": (*check.Report).WriteMarkdown,
		"json":     (*check.Report).WriteJSON,
	}[*format]
	if !ok {
		return usagef(stderr, "diff", "--format %q: want text, markdown or json", *format)
	}
	debug.SetGCPercent(check.GCPercent)
	var trees [2]check.Tree
	var afterResults []byte
	for i, p := range fs.Args() {
		side, err := source.Read(p, stdin, source.Options{Render: rf.options()})
		if err != nil {
			fmt.Fprintf(stderr, "routeshift diff: %v\n", err)
			return 2
		}
		trees[i] = check.Tree{Name: p, Objects: side.Objects, How: side.How}
		if i == 1 {
			afterResults = side.Results
		}
	}
	impl, profile, err := diffModels(fs.Arg(1), rf.options().Root, *implementation, *profileFile)
	if err != nil {
		fmt.Fprintf(stderr, "routeshift diff: %v\n", err)
		return 2
	}
	opts := check.Options{
		Accept: accept,
		Side:   check.Side(*side),
		Nginx:  nginx.Options{Classes: classes, ExcludeUnclassed: *noUnclassed, Prefix: *prefix, Profile: profile},
		Gateway: gateway.Options{Gateways: gateways, HTTPPort: *httpPort, HTTPSPort: *httpsPort, RequireServices: *requireServices,
			Implementation: impl},
	}
	rep, err := check.Run(trees[0], trees[1], opts)
	if err != nil {
		fmt.Fprintf(stderr, "routeshift diff: %v\n", err)
		return 2
	}
	if err := reportf.apply(rep, fs.Arg(1), afterResults); err != nil {
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

// diffModels settles the implementation and the controller profile: the
// flags, else what the functionConfig of an AFTER kustomization says, else
// the specification and the last release's defaults.
func diffModels(after, root, implFlag, profileFile string) (gateway.Implementation, nginx.Profile, error) {
	var cfg []byte
	if after != "-" {
		var err error
		if cfg, err = source.FunctionConfig(after, root); err != nil {
			return "", nginx.Profile{}, err
		}
	}
	name := implFlag
	if name == "" && cfg != nil {
		var c struct {
			Spec struct {
				Implementation string `json:"implementation"`
			} `json:"spec"`
		}
		if err := yaml.Unmarshal(cfg, &c); err != nil {
			return "", nginx.Profile{}, fmt.Errorf("%s: functionConfig: %w", after, err)
		}
		name = c.Spec.Implementation
	}
	impl, err := gateway.ParseImplementation(name)
	if err != nil {
		return "", nginx.Profile{}, fmt.Errorf("--implementation: %w", err)
	}
	var profile nginx.Profile
	switch {
	case profileFile != "":
		data, err := os.ReadFile(profileFile)
		if err != nil {
			return "", nginx.Profile{}, fmt.Errorf("--controller-profile: %w", err)
		}
		if profile, err = nginx.ParseProfile(data); err != nil {
			return "", nginx.Profile{}, fmt.Errorf("--controller-profile %s: %w", profileFile, err)
		}
	case cfg != nil:
		if profile, err = nginx.ParseProfile(cfg); err != nil {
			return "", nginx.Profile{}, fmt.Errorf("%s: functionConfig spec.controller: %w", after, err)
		}
	}
	return impl, profile, nil
}
