// Package examples_test runs the examples the way users run them, with the
// real tools: kustomize (exec and container transformers), kpt (render and
// eval, exec and image), Argo CD's argocd-cmp-server with the plugin in
// pipeline/argocd, and the pull-request check in pipeline/ci. `make test`
// provides every tool and says where it is through the environment; a test
// whose tool is missing fails and says how to get it, never skips.
package examples_test

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	_ "github.com/routeshift/routeshift/internal/golden"

	"github.com/routeshift/routeshift/internal/testtool"
)

// root is the repository root; the tests run in examples/.
const root = ".."

// defaultImage is the image the example files name (Makefile ROUTESHIFT_IMAGE).
const defaultImage = "localhost/routeshift:dev"

var (
	binDir     string // holds routeshift, built from this tree
	routeshift string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "routeshift-examples")
	if err != nil {
		panic(err)
	}
	binDir = filepath.Join(dir, "bin")
	routeshift = filepath.Join(binDir, "routeshift")
	build := exec.Command("go", "build", "-o", routeshift, "./cmd/routeshift")
	build.Dir = root
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("building routeshift: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// tool returns the path of a tool the Makefile provides: $envVar, else
// bin/<name> in the repository, else a failure naming the make target.
func tool(t *testing.T, envVar, name, target string) string {
	t.Helper()
	if p := os.Getenv(envVar); p != "" {
		if _, err := os.Stat(p); err != nil {
			testtool.Missing(t, name, "%s=%s: %v (run `make %s`)", envVar, p, err, target)
		}
		return p
	}
	p, err := filepath.Abs(filepath.Join(root, "bin", name))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		testtool.Missing(t, name, "not found: set %s or run `make %s` (or `make test`, which provides every tool)", envVar, target)
	}
	return p
}

func kustomize(t *testing.T) string { return tool(t, "KUSTOMIZE", "kustomize", "kustomize") }

func kpt(t *testing.T) string {
	t.Helper()
	k := os.Getenv("KPT")
	if k == "" {
		k = "kpt"
	}
	p, err := exec.LookPath(k)
	if err != nil {
		testtool.Missing(t, "kpt", "%v (make test installs it)", err)
	}
	return p
}

// result of one command.
type result struct {
	stdout, stderr string
	code           int
}

// run runs name with args in dir, with env added to the test's own
// environment (later entries win).
func run(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, errw bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errw
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return result{out.String(), errw.String(), code}
}

// mustRun is run that fails the test on a non-zero exit.
func mustRun(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	r := run(t, dir, env, name, args...)
	if r.code != 0 {
		t.Fatalf("%s %s: exit %d\nstderr:\n%s\nstdout:\n%s", name, strings.Join(args, " "), r.code, r.stderr, r.stdout)
	}
	return r
}

// withPath returns a PATH entry with dirs before the test's PATH.
func withPath(dirs ...string) string {
	return "PATH=" + strings.Join(append(dirs, os.Getenv("PATH")), string(os.PathListSeparator))
}

// copyTree copies the directory src (dot files included) to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// replaceIn replaces old (which must occur) with new in the file at path.
func replaceIn(t *testing.T, path, old, new string) {
	t.Helper()
	s := readFile(t, path)
	if !strings.Contains(s, old) {
		t.Fatalf("%s lacks %q", path, old)
	}
	writeFile(t, path, strings.ReplaceAll(s, old, new))
}

// brokenIngress is an Ingress routeshift cannot convert (its named port
// needs a Service that is not in the input): it reports an error result,
// which must fail every pipeline.
const brokenIngress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: legacy
  namespace: shop
spec:
  rules:
  - host: legacy.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: legacy
            port:
              name: http
`

// brokenIngressErrors are the parts of routeshift's stderr for it: the
// error line (whose file position depends on the orchestrator) and the
// summary.
var brokenIngressErrors = []string{
	"error: Ingress shop/legacy (",
	"port name \"http\" of Service shop/legacy cannot be resolved: the Service is not in the input; add it or use port.number\n",
	" Ingress(es) converted, 1 failed, ",
}

func contains(t *testing.T, what, s string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, s)
		}
	}
}

// canonicalYAML re-encodes one YAML document as sigs.k8s.io/yaml does
// (through JSON: keys sorted, comments gone), as Argo CD's objects are.
func canonicalYAML(t *testing.T, doc string) string {
	t.Helper()
	var obj map[string]any
	if err := yaml.Unmarshal([]byte(doc), &obj); err != nil {
		t.Fatalf("%v\n%s", err, doc)
	}
	out, err := yaml.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func copyFile(t *testing.T, src, dst string, mode os.FileMode) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
