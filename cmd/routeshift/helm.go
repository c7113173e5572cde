package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/routeshift/routeshift/fn"
	"github.com/routeshift/routeshift/internal/load"
)

var helmHelp = help{
	name:    "helm-post-render",
	summary: "Helm post-renderer: a chart's rendered manifests on stdin, converted on stdout",
	usage:   "helm-post-render [--config FILE] [KEY=VALUE...]",
	body: `Reads the manifests Helm rendered (a YAML stream) on stdin and writes them to
stdout with the Ingresses converted, as convert does: every object Helm
rendered byte for byte, the generated objects after their Ingress. Errors,
warnings and a summary go to stderr; a result at or above failOn fails the
Helm command, which then installs nothing.

Helm 3 runs an executable:
  helm install web ./chart --post-renderer routeshift \
    --post-renderer-args helm-post-render --post-renderer-args gatewayName=shared ...
Helm 4 runs a post-renderer plugin by name: install the one in
pipeline/helm (helm plugin install), then
  helm install web ./chart --post-renderer routeshift --post-renderer-args gatewayName=shared

Helm 4 does not show a plugin's stderr, only that it failed: add
--post-renderer-args=--log=FILE to keep the results in FILE (with the "=":
Helm would take --log for a flag of its own).

Arguments:
  KEY=VALUE   settings of the ConfigMap form of the functionConfig (what
              "kpt fn eval -- key=value" takes: gatewayName, gatewayNamespace,
              gatewayCreate, gatewayClassName, httpSectionName, implementation,
              ingress, failOn, ...); not together with --config

Exit codes: 0 ok; 1 a result at or above failOn; 2 could not run (usage,
unreadable configuration, malformed input).`,
	examples: `# Helm 3: attach the chart's routes to an existing Gateway
helm template web ./chart --post-renderer routeshift \
  --post-renderer-args helm-post-render \
  --post-renderer-args gatewayName=shared --post-renderer-args gatewayNamespace=infra
# Helm 4, with the plugin installed (helm plugin install ./pipeline/helm)
helm template web ./chart --post-renderer routeshift --post-renderer-args=--config=routeshift.yaml`,
}

// helmPostRender is the post-renderer: stdin to stdout, as Helm 3's
// --post-renderer executable and Helm 4's postrenderer/v1 plugin (whose
// subprocess runtime pipes the manifests the same way; helm v4.3.2
// internal/plugin/runtime_subprocess.go) both require.
func helmPostRender(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("helm-post-render")
	config := fs.String("config", "", "functionConfig `file` (IngressToGateway or ConfigMap)")
	logFile := fs.String("log", "", "also append what is written to stderr to `file` (Helm 4 does not show a plugin's stderr)")
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	if *logFile != "" {
		f, err := os.OpenFile(*logFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			fmt.Fprintf(stderr, "routeshift helm-post-render: --log: %v\n", err)
			return exitError
		}
		defer f.Close()
		stderr = io.MultiWriter(stderr, f)
	}
	var spec fn.Spec
	var err error
	if fs.NArg() > 0 {
		if *config != "" {
			return usagef(stderr, "helm-post-render", "--config and KEY=VALUE settings exclude each other")
		}
		spec, err = configFromArgs(fs.Args())
	} else {
		spec, err = readConfig(*config)
	}
	if err != nil {
		fmt.Fprintf(stderr, "routeshift helm-post-render: %v\n", err)
		return exitError
	}
	objs, err := load.ReadStream(stdin, "helm")
	if err != nil {
		fmt.Fprintf(stderr, "routeshift helm-post-render: the rendered manifests: %v\n", err)
		return exitError
	}
	out, findings, sum := fn.Convert(objs, spec, false)
	var buf bytes.Buffer
	if err := load.WriteStream(&buf, out); err != nil {
		fmt.Fprintf(stderr, "routeshift helm-post-render: %v\n", err)
		return exitError
	}
	// Written whole, after the conversion: Helm reads the output only when
	// the post-renderer succeeds, and a half stream must never look like
	// a chart's manifests.
	if _, err := stdout.Write(buf.Bytes()); err != nil {
		fmt.Fprintf(stderr, "routeshift helm-post-render: %v\n", err)
		return exitError
	}
	fn.WriteSummary(stderr, findings, sum)
	return fn.ExitCode(findings, fn.FailSeverity(spec))
}

// configFromArgs makes the ConfigMap form of the functionConfig from
// KEY=VALUE arguments, as kpt does for `fn eval -- key=value`.
func configFromArgs(args []string) (fn.Spec, error) {
	data := map[string]string{}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok || k == "" {
			return fn.Spec{}, fmt.Errorf("argument %q: want KEY=VALUE (or --config FILE)", a)
		}
		if _, dup := data[k]; dup {
			return fn.Spec{}, fmt.Errorf("argument %q: %s given twice", a, k)
		}
		data[k] = v
	}
	cm, err := json.Marshal(map[string]any{
		"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]string{"name": "post-renderer-args"},
		"data":     data,
	})
	if err != nil {
		return fn.Spec{}, err
	}
	// JSON is YAML: read as a document, the ConfigMap has its whole tree,
	// and every value arrives exactly as given.
	objs, err := load.ReadStream(bytes.NewReader(cm), "post-renderer-args")
	if err != nil {
		return fn.Spec{}, err
	}
	return fn.ParseConfig(objs[0])
}
