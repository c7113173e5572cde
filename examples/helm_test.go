package examples_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/golden"
)

// Helm runs routeshift as its post-renderer, as users run it: Helm 3 with
// the executable (--post-renderer routeshift --post-renderer-args
// helm-post-render), Helm 4 with the postrenderer/v1 plugin in
// pipeline/helm installed by `helm plugin install`. Both render the chart in
// examples/helm/chart and must agree with one golden output. The helms are
// built from the Go module proxy by `make helm` (HELM3, HELM4).

// helmEnv isolates Helm's configuration, cache and plugins in a temporary
// directory and puts the routeshift under test first on PATH. Plugins go
// to $HELM_DATA_HOME/plugins, where helm v4.3.2's `plugin install` writes
// them (it does not honour HELM_PLUGINS).
func helmEnv(t *testing.T) []string {
	t.Helper()
	home := t.TempDir()
	return []string{
		withPath(binDir),
		"HELM_CACHE_HOME=" + filepath.Join(home, "cache"),
		"HELM_CONFIG_HOME=" + filepath.Join(home, "config"),
		"HELM_DATA_HOME=" + filepath.Join(home, "data"),
	}
}

// The settings of examples/helm/README.md: attach to a shared Gateway.
var helmSettings = []string{"gatewayName=shared", "gatewayNamespace=infra", "httpSectionName=http", "httpsSectionName=https"}

// unsafeAnnotation makes routeshift fail the render with an error result.
var unsafeAnnotation = []string{"--set-string", `annotations.nginx\.ingress\.kubernetes\.io/configuration-snippet=return 200;`}

func TestHelm3PostRenderer(t *testing.T) {
	helm := tool(t, "HELM3", filepath.Join("helm-v3.21.4", "helm"), "helm")
	env := helmEnv(t)
	args := []string{"template", "web", "helm/chart", "--namespace", "shop", "--post-renderer", "routeshift", "--post-renderer-args", "helm-post-render"}
	for _, s := range helmSettings {
		args = append(args, "--post-renderer-args", s)
	}
	if v := mustRun(t, ".", env, helm, "version", "--short"); !strings.HasPrefix(v.stdout, "v3.21.4") {
		t.Fatalf("HELM3 is %s, want v3.21.4", v.stdout)
	}
	r := mustRun(t, ".", env, helm, args...)
	golden.Check(t, "helm/expected-helm3.yaml", []byte(r.stdout))

	// An error result fails the Helm command, which shows routeshift's
	// stderr (Helm 3 prints a failed post-renderer's error output).
	r = run(t, ".", env, helm, append(args, unsafeAnnotation...)...)
	if r.code == 0 {
		t.Fatalf("an unsafe annotation did not fail helm template:\n%s", r.stdout)
	}
	contains(t, "helm 3 stderr", r.stderr, "configuration-snippet is Critical risk", "1 error(s)")
}

func TestHelm4PostRendererPlugin(t *testing.T) {
	helm := tool(t, "HELM4", filepath.Join("helm-v4.3.2", "helm"), "helm")
	env := helmEnv(t)
	if v := mustRun(t, ".", env, helm, "version", "--short"); !strings.HasPrefix(v.stdout, "v4.3.2") {
		t.Fatalf("HELM4 is %s, want v4.3.2", v.stdout)
	}
	plugin, err := filepath.Abs(filepath.Join(root, "pipeline", "helm"))
	if err != nil {
		t.Fatal(err)
	}
	mustRun(t, ".", env, helm, "plugin", "install", plugin)
	list := mustRun(t, ".", env, helm, "plugin", "list")
	contains(t, "helm plugin list", list.stdout, "routeshift", "postrenderer/v1")

	args := []string{"template", "web", "helm/chart", "--namespace", "shop", "--post-renderer", "routeshift"}
	for _, s := range helmSettings {
		args = append(args, "--post-renderer-args", s)
	}
	r := mustRun(t, ".", env, helm, args...)
	// What Helm 3 gets, but for the blank lines Helm 4 renders between
	// documents (kept: routeshift writes what it read byte for byte).
	golden.Check(t, "helm/expected-helm4.yaml", []byte(r.stdout))

	// Helm 4 keeps a plugin's stderr to itself: --log copies it to a file.
	log := filepath.Join(t.TempDir(), "routeshift.log")
	r = run(t, ".", env, helm, append(args, append(unsafeAnnotation, "--post-renderer-args=--log="+log)...)...)
	if r.code == 0 {
		t.Fatalf("an unsafe annotation did not fail helm template:\n%s", r.stdout)
	}
	contains(t, "helm 4 stderr", r.stderr, `plugin "routeshift" exited with error`)
	contains(t, "--log", readFile(t, log), "configuration-snippet is Critical risk", "1 error(s)")
}
