package examples_test

import (
	"testing"

	"github.com/routeshift/routeshift/internal/golden"
)

// routeshift render is the safe replacement for kustomize build on an
// untrusted tree (the PR check, the Argo CD plugin): on examples/kustomize's
// exec overlay it refuses the transformer by default, runs exactly the
// routeshift on PATH with --allow-exec routeshift, and then prints what
// kustomize build --enable-alpha-plugins --enable-exec prints.
func TestRenderExecOverlay(t *testing.T) {
	env := []string{withPath(binDir)}
	dir := kustomizeCopy(t, defaultImage)

	r := run(t, dir, env, routeshift, "render", "--root", ".", "overlays/exec")
	if r.code != 2 {
		t.Fatalf("without --allow-exec: exit %d, want 2\n%s", r.code, r.stderr)
	}
	contains(t, "the refusal", r.stderr, "overlays/exec/routeshift.yaml", `"exec: routeshift"`, "--enable-exec")

	r = mustRun(t, dir, env, routeshift, "render", "--root", ".", "--allow-exec", "routeshift", "overlays/exec")
	golden.Check(t, kustomizeGolden, []byte(r.stdout))
}
