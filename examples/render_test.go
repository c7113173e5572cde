package examples_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
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

// TestDiffReadsTheFunctionsResults: diff renders the exec overlay with
// --allow-exec routeshift (the routeshift on PATH, the one built from this
// tree) and reads the results the transformer reported, which kustomize
// itself drops: the causes of a wildcard host the converter announced as
// approximated are marked with its words, and the report says the results
// were read.
func TestDiffReadsTheFunctionsResults(t *testing.T) {
	env := []string{withPath(binDir)}
	dir := kustomizeCopy(t, defaultImage)
	shop := filepath.Join(dir, "base", "shop.yaml")
	writeFile(t, shop, readFile(t, shop)+`---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: wild
  namespace: shop
spec:
  ingressClassName: nginx
  rules:
  - host: "*.apps.example.com"
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
`)
	r := run(t, dir, env, routeshift, "diff", "--format", "json", "--root", ".", "--allow-exec", "routeshift", "base", "overlays/exec")
	if r.code != 0 && r.code != 1 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var rep struct {
		Comparisons []struct {
			Notes  []string
			Causes []struct {
				What      string
				Converter []string
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	c := rep.Comparisons[0]
	contains(t, "the notes", strings.Join(c.Notes, "\n"), "after: rendered the kustomization at overlays/exec in-process (exec functions of routeshift allowed, reading .), with the results of its routeshift function")
	marked := 0
	for _, k := range c.Causes {
		if strings.Contains(strings.Join(k.Converter, "\n"), "shop/wild") {
			marked++
		}
	}
	if marked == 0 {
		t.Errorf("no cause carries the converter's approximation for shop/wild:\n%s", r.stdout)
	}
}
