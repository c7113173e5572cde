package examples_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/golden"
)

// examples/kustomize: the base's Ingresses go through routeshift as a
// kustomize transformer, once run as a binary (exec) and once as the image
// (container); both builds must print .expected/build.yaml.

const kustomizeGolden = "kustomize/.expected/build.yaml"

// kustomizeCopy copies examples/kustomize into a temporary directory and
// makes the container overlay name image.
func kustomizeCopy(t *testing.T, image string) string {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, "kustomize", dir)
	if image != defaultImage {
		replaceIn(t, filepath.Join(dir, "overlays/container/routeshift.yaml"), "image: "+defaultImage, "image: "+image)
	}
	return dir
}

// addRemovedIngress adds an Ingress routeshift cannot convert to the base.
func addRemovedIngress(t *testing.T, dir string) {
	t.Helper()
	p := filepath.Join(dir, "base", "shop.yaml")
	writeFile(t, p, readFile(t, p)+"---\n"+brokenIngress)
}

func TestKustomizeExec(t *testing.T) {
	k := kustomize(t)
	env := []string{withPath(binDir)} // exec: {path: routeshift} is found on PATH
	dir := kustomizeCopy(t, defaultImage)

	r := mustRun(t, dir, env, k, "build", "--enable-alpha-plugins", "--enable-exec", "overlays/exec")
	golden.Check(t, kustomizeGolden, []byte(r.stdout))
	contains(t, "kustomize's stderr", r.stderr, "routeshift: 2 Ingress(es) converted, 0 failed, 0 not for this controller; generated 1 Certificate, 1 Gateway, 3 HTTPRoute, 1 ReferenceGrant;")

	// The functionConfig in routeshift.yaml is what shapes the output: the
	// Gateway it names, with its class.
	contains(t, "the build", r.stdout, "kind: Gateway\nmetadata:\n  labels:\n    app.kubernetes.io/managed-by: routeshift\n  name: public\n  namespace: gateway-system\nspec:\n  gatewayClassName: eg\n")
	cfg := filepath.Join(dir, "overlays/exec/routeshift.yaml")
	replaceIn(t, cfg, "  - name: public\n", "  - name: edge\n")
	replaceIn(t, cfg, "spec:\n", "spec:\n  ingress: remove\n")
	r = mustRun(t, dir, env, k, "build", "--enable-alpha-plugins", "--enable-exec", "overlays/exec")
	contains(t, "the build with ingress: remove and Gateway edge", r.stdout, "  name: edge\n  namespace: gateway-system\n", "  parentRefs:\n  - name: edge\n")
	if strings.Contains(r.stdout, "kind: Ingress\n") || strings.Contains(r.stdout, "name: public") {
		t.Errorf("ingress: remove and the Gateway's new name were not honoured:\n%s", r.stdout)
	}

	// Without --enable-exec kustomize skips the function without a word
	// (so does `kubectl kustomize`): the README's flags are needed.
	r = mustRun(t, dir, env, k, "build", "--enable-alpha-plugins", "overlays/exec")
	if strings.Contains(r.stdout, "HTTPRoute") {
		t.Errorf("kustomize ran the exec function without --enable-exec:\n%s", r.stdout)
	}
}

// An error result fails the build, and routeshift's message reaches the
// user on stderr (kustomize itself ignores results).
func TestKustomizeExecError(t *testing.T) {
	dir := kustomizeCopy(t, defaultImage)
	addRemovedIngress(t, dir)
	r := run(t, dir, []string{withPath(binDir)}, kustomize(t), "build", "--enable-alpha-plugins", "--enable-exec", "overlays/exec")
	checkKustomizeFailed(t, r)
}

func checkKustomizeFailed(t *testing.T, r result) {
	t.Helper()
	if r.code != 1 || r.stdout != "" {
		t.Errorf("want exit 1 and no output, got exit %d:\n%s", r.code, r.stdout)
	}
	contains(t, "kustomize's stderr", r.stderr, append(brokenIngressErrors, "couldn't execute function")...)
}

func TestKustomizeContainer(t *testing.T) {
	c := container(t)
	k := kustomize(t)
	dir := kustomizeCopy(t, c.image)
	// No routeshift on PATH: only the image can have converted.
	r := mustRun(t, dir, c.env, k, "build", "--enable-alpha-plugins", "overlays/container")
	golden.Check(t, kustomizeGolden, []byte(r.stdout))
	contains(t, "kustomize's stderr", r.stderr, "routeshift: 2 Ingress(es) converted, 0 failed")
	c.checkIsolated(t, 1)

	addRemovedIngress(t, dir)
	checkKustomizeFailed(t, run(t, dir, c.env, k, "build", "--enable-alpha-plugins", "overlays/container"))
	c.checkIsolated(t, 2)
}

// The examples hold the same application; keep the copies in step.
func TestExampleApplicationsAgree(t *testing.T) {
	want := readFile(t, "kustomize/base/shop.yaml")
	for _, p := range []string{"kpt/render/shop.yaml", "kpt/eval/shop.yaml", "argocd/apps/shop/shop.yaml"} {
		if got := readFile(t, p); got != want {
			t.Errorf("%s differs from kustomize/base/shop.yaml", p)
		}
	}
}
