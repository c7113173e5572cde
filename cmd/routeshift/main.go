// Command routeshift converts ingress-nginx Ingress manifests into Gateway
// API resources. With no arguments it is a KRM function (a ResourceList on
// stdin), which makes the same binary the container entrypoint and the
// kustomize/kpt exec target; the subcommands serve people at a terminal,
// Helm (helm-post-render) and CI. cli.go holds the conventions they share.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/routeshift/routeshift/fn"
	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/render"
	"sigs.k8s.io/yaml"
)

// rootHelp is what `routeshift --help` prints. It leads with the function,
// because `kpt fn doc --image IMAGE` runs the image's entrypoint with
// --help and shows exactly this (kpt site/reference/cli/fn/doc); the
// commands follow.
const rootHelp = `routeshift converts ingress-nginx Ingress manifests into Gateway API resources
(Gateway, HTTPRoute, GRPCRoute, TLSRoute, ReferenceGrant, BackendTLSPolicy and
implementation policies), routing the way ingress-nginx routed, and accounts for
every annotation in its results.

KRM function (kustomize, kpt, Argo CD; the container image's entrypoint):
  routeshift < resourcelist.yaml > resourcelist.yaml

  Every input object is returned byte for byte; the generated objects follow
  their Ingress (kpt writes them into its file). Running the function on its
  own output changes nothing. Exit 1 when a result reaches spec.failOn.

  functionConfig (every field optional; the ConfigMap form takes the same
  settings as flat data keys, as "kpt fn eval -- key=value" passes them):

    apiVersion: routeshift.dev/v1alpha1
    kind: IngressToGateway
    metadata: {name: migrate}
    spec:
      ingressClassNames: [nginx]   # classes ingress-nginx served
      includeUnclassed: true       # convert Ingresses without a class
      annotationsPrefix: nginx.ingress.kubernetes.io
      gateways:                    # ordered targets; the first that matches wins
      - name: public
        namespace: gateway-system
        create: true               # emit the Gateway (needs gatewayClassName)
        gatewayClassName: eg
        hosts: ["*.example.com"]   # selectors: hosts, namespaces, ingressClassNames
      implementation: standard     # standard | envoy-gateway | kgateway | istio | nginx-gateway-fabric
      implementationVersion: v1.9  # envoy-gateway: v1.7 | v1.8 | v1.9 (default the newest)
      ingress: keep                # keep | remove (only Ingresses converted with no error)
      failOn: error                # error | warning | never
      unsafeAnnotations: error     # error | warning
      validateOutput: auto         # auto | always | never

  Without a functionConfig: classes nginx and unclassed into one created
  Gateway gateway-system/routeshift of class "routeshift".

  kpt fn eval DIR --image IMAGE -- gatewayName=shared gatewayNamespace=infra
  kustomize build --enable-alpha-plugins --enable-exec DIR   (a transformers: entry)

Commands:
%s
Run 'routeshift COMMAND --help' for a command's flags and examples.
Exit codes: 0 ok, 1 findings (error results, differences, invalid objects,
files that would change), 2 could not run (usage, unreadable or malformed input).
Reference: https://github.com/routeshift/routeshift (README.md, docs/).
`

func writeRootHelp(w io.Writer) {
	var b strings.Builder
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-17s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, rootHelp, b.String())
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return functionMode(stdin, stdout, stderr)
	}
	switch args[0] {
	case "convert":
		return convert(args[1:], stdin, stdout, stderr)
	case "helm-post-render":
		return helmPostRender(args[1:], stdin, stdout, stderr)
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
		return versionCmd(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[0] == "help" {
			// `routeshift help CMD` is `routeshift CMD --help`.
			return run([]string{args[1], "--help"}, stdin, stdout, stderr)
		}
		writeRootHelp(stdout)
		return exitOK
	}
	msg := fmt.Sprintf("unknown command %q", args[0])
	if strings.HasPrefix(args[0], "-") {
		msg = fmt.Sprintf("unknown flag %q: flags follow the command (routeshift COMMAND [flags])", args[0])
	} else if s := nearest(args[0], commandNames()); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	fmt.Fprintf(stderr, "routeshift: %s\nRun 'routeshift --help' for the commands.\n", msg)
	return exitError
}

// functionMode runs the KRM function on stdin. A terminal gets the help
// instead of a wait for input; a stream that is not a ResourceList (plain
// manifests piped into bare routeshift) gets told which command converts
// it rather than a parse error about a second document.
func functionMode(stdin io.Reader, stdout, stderr io.Writer) int {
	if f, ok := stdin.(*os.File); ok && isTerminal(f) {
		writeRootHelp(stderr)
		return exitError
	}
	// Only the head is read to decide; the function reads the rest.
	const headSize = 64 << 10
	head := make([]byte, headSize)
	n, err := io.ReadFull(stdin, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		fmt.Fprintf(stderr, "routeshift: reading stdin: %v\n", err)
		return exitError
	}
	head = head[:n]
	if n == headSize && !load.IsResourceList(head) {
		// The first document's kind may come after a long items list:
		// decide on the whole input (rare; the function reads it all anyway).
		rest, err := io.ReadAll(stdin)
		if err != nil {
			fmt.Fprintf(stderr, "routeshift: reading stdin: %v\n", err)
			return exitError
		}
		head, stdin = append(head, rest...), bytes.NewReader(nil)
	}
	if len(bytes.TrimSpace(head)) > 0 && !load.IsResourceList(head) {
		fmt.Fprint(stderr, "routeshift: stdin is not a ResourceList, so function mode cannot read it.\n"+
			"To convert plain manifests, run: routeshift convert -\n"+
			"(with no command, routeshift is a KRM function: kustomize and kpt pipe it a ResourceList)\n")
		return exitError
	}
	in := io.MultiReader(bytes.NewReader(head), stdin)
	if dir := os.Getenv(resultsDirEnv); dir != "" {
		return functionWithResults(dir, in, stdout, stderr)
	}
	return fn.Function(in, stdout, stderr)
}

// resultsDirEnv names a directory where the function also writes its
// results: kustomize runs an exec KRM function and keeps only its items
// (api/internal/plugins/fnplugin sets no ResultsDir, v0.21.2), so
// routeshift's own renderer (internal/render, for diff) sets this in the
// function's environment to read what the converter reported.
const resultsDirEnv = render.ResultsDirEnv

// functionWithResults runs the function and writes the results of its
// output ResourceList, as a JSON list, to a new file in dir.
func functionWithResults(dir string, in io.Reader, stdout, stderr io.Writer) int {
	var out bytes.Buffer
	code := fn.Function(in, &out, stderr)
	if code != exitError {
		if err := saveResults(dir, out.Bytes()); err != nil {
			fmt.Fprintf(stderr, "routeshift: %s: %v\n", resultsDirEnv, err)
			return exitError
		}
	}
	if _, err := stdout.Write(out.Bytes()); err != nil {
		fmt.Fprintf(stderr, "routeshift: writing the output: %v\n", err)
		return exitError
	}
	return code
}

func saveResults(dir string, out []byte) error {
	if !filepath.IsAbs(dir) {
		return fmt.Errorf("%q: want an absolute directory", dir)
	}
	var rl struct {
		Results []json.RawMessage `json:"results"`
	}
	// load.WriteResourceList writes results last, as a top-level key at
	// the start of a line, where no line of an item can be (items are
	// sequence entries, their lines indented): read from there, not the
	// whole output of a large estate.
	tail := out
	if i := bytes.LastIndex(out, []byte("\nresults:")); i >= 0 {
		tail = out[i+1:]
	}
	if err := yaml.Unmarshal(tail, &rl); err != nil {
		return fmt.Errorf("reading the output's results: %w", err)
	}
	if rl.Results == nil {
		rl.Results = []json.RawMessage{}
	}
	data, err := json.Marshal(rl.Results)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "results-*.json")
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
