package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/routeshift/routeshift/internal/golden"

	"github.com/routeshift/routeshift/internal/testtool"
)

// The end-to-end tests run the built binary the way orchestrators do: a
// ResourceList on stdin, and kpt's own exec runtime.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "routeshift-e2e")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "routeshift")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("building routeshift: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func runBinary(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errw bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errw
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errw.String(), code
}

const resourceList = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata:
    name: web
    namespace: shop
    annotations:
      internal.config.kubernetes.io/path: ingress.yaml
      internal.config.kubernetes.io/index: '0'
  spec:
    ingressClassName: nginx
    tls:
    - hosts: [shop.example.com]
      secretName: shop-tls
    rules:
    - host: shop.example.com
      http:
        paths:
        - path: /
          pathType: Prefix
          backend:
            service:
              name: web
              port:
                number: 80
`

func TestBinaryFunctionMode(t *testing.T) {
	out, stderr, code := runBinary(t, resourceList)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	for _, want := range []string{"kind: ResourceList", "kind: Gateway", "sectionName: https-shop-example-com", "statusCode: 308", "kind: ReferenceGrant", "internal.config.kubernetes.io/path: ingress.yaml"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(stderr, "1 Ingress(es) converted") {
		t.Errorf("stderr summary: %s", stderr)
	}
	// A second pass over the output changes no item.
	again, _, code := runBinary(t, out)
	if code != 0 || itemsOf(again) != itemsOf(out) {
		t.Errorf("not idempotent:\n%s", again)
	}
}

func itemsOf(rl string) string {
	if i := strings.Index(rl, "\nresults:"); i >= 0 {
		return rl[:i]
	}
	return rl
}

func TestBinaryConvertAndVersion(t *testing.T) {
	out, stderr, code := runBinary(t, "", "convert", "../../examples/quickstart")
	if code != 0 || !strings.Contains(out, "kind: HTTPRoute") {
		t.Fatalf("convert examples/quickstart: exit %d\n%s\n%s", code, stderr, out)
	}
	out, _, code = runBinary(t, "", "version")
	if code != 0 || !strings.HasPrefix(out, "routeshift ") {
		t.Errorf("version: %d %q", code, out)
	}
	_, stderr, code = runBinary(t, "", "convert")
	if code != 2 || !strings.Contains(stderr, "name at least one") {
		t.Errorf("convert without paths: %d %q", code, stderr)
	}
}

func TestBinaryBadInput(t *testing.T) {
	_, stderr, code := runBinary(t, "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- {a: [\n")
	if code != 1 || strings.Contains(stderr, "panic") || !strings.Contains(stderr, "routeshift:") {
		t.Errorf("malformed ResourceList: exit %d, stderr %q", code, stderr)
	}
	out, stderr, code := runBinary(t, "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n")
	if code != 0 || !strings.Contains(out, "items: []") {
		t.Errorf("empty ResourceList: exit %d %q %q", code, out, stderr)
	}
}

// kpt runs the binary with --exec on a package on disk: the generated
// objects land in the Ingress's file, results go to --results-dir, and a
// second run changes nothing.
func TestKptFnEvalExec(t *testing.T) {
	kpt := os.Getenv("KPT")
	if kpt == "" {
		kpt = "kpt"
	}
	if _, err := exec.LookPath(kpt); err != nil {
		testtool.Missing(t, "kpt", "%v (make test installs it)", err)
	}
	pkg := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(pkg, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Kptfile", "apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: shop\n")
	write("ingress.yaml", `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
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
	results := t.TempDir()
	run := func() string {
		cmd := exec.Command(kpt, "fn", "eval", pkg, "--exec", binary, "--results-dir", results, "--",
			"gatewayName=shared", "gatewayNamespace=infra", "httpSectionName=http")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("kpt fn eval: %v\n%s", err, out)
		}
		return string(out)
	}
	run()
	got, err := os.ReadFile(filepath.Join(pkg, "ingress.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"kind: Ingress", "kind: HTTPRoute", "name: web-shop-example-com", "sectionName: http", "namespace: infra"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("ingress.yaml lacks %q:\n%s", want, got)
		}
	}
	res, err := os.ReadFile(filepath.Join(results, "results.yaml"))
	if err != nil || !strings.Contains(string(res), "converted to HTTPRoute web-shop-example-com") {
		t.Errorf("results-dir: %v\n%s", err, res)
	}
	run()
	again, _ := os.ReadFile(filepath.Join(pkg, "ingress.yaml"))
	if !bytes.Equal(again, got) {
		t.Errorf("second kpt run changed the package:\n%s", again)
	}
}
