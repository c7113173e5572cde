package examples_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/golden"
	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/validate"
)

// examples/carryover: an application with an Ingress, the ClusterIssuer
// that issues its certificate and the Argo Rollout that steers it, built
// by the real kustomize with routeshift as an exec transformer. The build
// must print .expected/build.yaml, every object of it must be valid
// against the Gateway API, cert-manager and Argo Rollouts CRDs, and the
// cutover (ingress: remove) must leave nothing pointing at ingress-nginx.

const carryoverGolden = "carryover/.expected/build.yaml"

func TestCarryoverKustomize(t *testing.T) {
	k := kustomize(t)
	env := []string{withPath(binDir)}
	dir := t.TempDir()
	copyTree(t, "carryover", dir)

	r := mustRun(t, dir, env, k, "build", "--enable-alpha-plugins", "--enable-exec", "overlay")
	golden.Check(t, carryoverGolden, []byte(r.stdout))
	validBuild(t, r.stdout)
	contains(t, "kustomize's stderr", r.stderr, "routeshift: 1 Ingress(es) converted, 0 failed, 0 not for this controller; generated 1 Certificate, 1 Gateway, 2 HTTPRoute, 1 ReferenceGrant; 0 error(s)")
	contains(t, "the build", r.stdout,
		"kind: Certificate\n", "  secretName: store-tls\n", // the certificate outlives the Ingress
		"        gatewayHTTPRoute:\n", "        ingress:\n", // the new solver beside the old
		"    external-dns.kubernetes.io/hostname: store.example.com\n",
		"        plugins:\n          argoproj-labs/gatewayAPI:\n            httpRoute: store-store-example-com\n", "        nginx:\n",
		"    - name: store-canary\n      port: 80\n      weight: 0\n")

	// check predicts the HTTPS listener's certificate from the generated
	// Certificate, so the Secret that is not in the manifests resolves.
	writeFile(t, filepath.Join(dir, "build.yaml"), r.stdout)
	c := mustRun(t, dir, nil, routeshift, "check", "build.yaml")
	contains(t, "routeshift check", c.stdout, "Secret store/store-tls: cert-manager Certificate store/store-tls (ClusterIssuer letsencrypt)", "0 False, 0 Unknown")

	// The cutover: the Ingress goes and so does everything that pointed at
	// ingress-nginx; the Certificate stays.
	replaceIn(t, filepath.Join(dir, "overlay/routeshift.yaml"), "spec:\n", "spec:\n  ingress: remove\n")
	r = mustRun(t, dir, env, k, "build", "--enable-alpha-plugins", "--enable-exec", "overlay")
	validBuild(t, r.stdout)
	contains(t, "the cutover build", r.stdout, "kind: Certificate\n", "        gatewayHTTPRoute:\n", "argoproj-labs/gatewayAPI:\n")
	for _, gone := range []string{"kind: Ingress\n", "        ingress:\n", "        nginx:\n"} {
		if strings.Contains(r.stdout, gone) {
			t.Errorf("the cutover build still holds %q:\n%s", gone, r.stdout)
		}
	}
}

// validBuild checks every object of a build that the Gateway API CRDs or
// the carried-over controllers' CRDs (testdata/carryover/crds) describe.
func validBuild(t *testing.T, out string) {
	t.Helper()
	std, err := validate.New(validate.Standard)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	paths, _ := filepath.Glob(filepath.Join(root, "testdata/carryover/crds/*/*.yaml"))
	for _, p := range paths {
		files[p] = []byte(readFile(t, p))
	}
	vendor, err := validate.NewFromCRDs(files)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := load.ReadStream(bytes.NewReader([]byte(out)), "build")
	if err != nil {
		t.Fatal(err)
	}
	checked := map[string]int{}
	for _, o := range objs {
		v := std
		if !v.Knows(o.APIVersion(), o.Kind()) {
			if v = vendor; !v.Knows(o.APIVersion(), o.Kind()) {
				continue
			}
		}
		tree, err := o.Tree()
		if err != nil {
			t.Fatal(err)
		}
		data, err := load.JSON(tree)
		if err != nil {
			t.Fatal(err)
		}
		errs, err := v.ValidateYAML(data)
		if err != nil {
			t.Fatalf("%s: %v", o.Ref(), err)
		}
		for _, e := range errs {
			t.Errorf("%s is invalid: %v", o.Ref(), e)
		}
		checked[o.Kind()]++
	}
	for _, kind := range []string{"Gateway", "HTTPRoute", "ClusterIssuer", "Rollout"} {
		if checked[kind] == 0 {
			t.Errorf("no %s in the build was validated", kind)
		}
	}
}
