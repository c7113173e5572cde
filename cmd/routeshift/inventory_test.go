package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/routeshift/routeshift/internal/golden"
)

// `routeshift inventory` runs in-process here: the reports themselves are
// tested in internal/inventory (golden files, Chromium); these tests cover
// the flags, the configuration, input errors and exit codes.

func runInventory(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errw bytes.Buffer
	code := run(append([]string{"inventory"}, args...), strings.NewReader(stdin), &out, &errw)
	return out.String(), errw.String(), code
}

// The command writes exactly the package's golden reports for the
// bundled example, in every format.
func TestInventoryFormats(t *testing.T) {
	t.Chdir("../..")
	// The date and version internal/inventory's goldens are made with.
	defer func(n func() time.Time, v string) { now, version = n, v }(now, version)
	now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	version = "v0.0.0-golden"
	for format, golden := range map[string]string{"table": "txt", "markdown": "md", "json": "json", "html": "html"} {
		args := []string{"--format", format, "examples/quickstart"}
		if format == "table" {
			args = args[2:]
		}
		out, stderr, code := runInventory(t, "", args...)
		want, err := os.ReadFile("testdata/inventory/quickstart." + golden)
		if err != nil {
			t.Fatal(err)
		}
		if code != 0 || stderr != "" || out != string(want) {
			t.Errorf("--format %s: exit %d, stderr %q; output differs from testdata/inventory/quickstart.%s: %v", format, code, stderr, golden, out != string(want))
		}
	}
}

type jsonReport struct {
	GeneratedAt       string
	RouteshiftVersion string
	Inputs            []string
	Implementations   []string
	Scope             struct{ UnsafeReviewed bool }
	Totals            struct{ Ingresses, InScope int }
	Ingresses         []struct {
		Namespace, Name string
		Classifications []struct{ Implementation, Class string }
	}
}

func inventoryJSON(t *testing.T, stdin string, args ...string) jsonReport {
	t.Helper()
	out, stderr, code := runInventory(t, stdin, append([]string{"--format", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep jsonReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

func classOf(rep jsonReport, ref string) []string {
	var out []string
	for _, in := range rep.Ingresses {
		if in.Namespace+"/"+in.Name == ref {
			for _, c := range in.Classifications {
				out = append(out, c.Implementation+"="+c.Class)
			}
		}
	}
	return out
}

// --config gives the scope and the default implementation, as convert
// reads it; --implementation overrides the implementation.
func TestInventoryConfigAndImplementations(t *testing.T) {
	fixture := "../../testdata/inventory/fixture"
	config := "../../testdata/inventory/fixture-config.yaml"

	rep := inventoryJSON(t, "", fixture)
	if !slices.Equal(rep.Implementations, []string{"standard"}) || rep.Scope.UnsafeReviewed {
		t.Errorf("defaults: %v, unsafeReviewed %v", rep.Implementations, rep.Scope.UnsafeReviewed)
	}
	if got := classOf(rep, "media/cdn"); !slices.Equal(got, []string{"standard=blocked"}) {
		t.Errorf("snippet without config: %v", got)
	}

	rep = inventoryJSON(t, "", "--config", config, fixture)
	if !slices.Equal(rep.Implementations, []string{"envoy-gateway"}) || !rep.Scope.UnsafeReviewed {
		t.Errorf("config: %v, unsafeReviewed %v", rep.Implementations, rep.Scope.UnsafeReviewed)
	}
	if got := classOf(rep, "media/cdn"); !slices.Equal(got, []string{"envoy-gateway=complex"}) {
		t.Errorf("snippet reviewed in the config: %v", got)
	}

	rep = inventoryJSON(t, "", "--config", config, "--implementation", "kgateway,standard", "--implementation", "istio", fixture)
	if !slices.Equal(rep.Implementations, []string{"kgateway", "standard", "istio"}) {
		t.Errorf("--implementation list: %v", rep.Implementations)
	}
	rep = inventoryJSON(t, "", "--implementation", "all", fixture)
	if len(rep.Implementations) != 5 || len(classOf(rep, "shop/api")) != 5 {
		t.Errorf("--implementation all: %v", rep.Implementations)
	}

	// A ConfigMap functionConfig with another class: only those Ingresses are in scope.
	cm := filepath.Join(t.TempDir(), "cm.yaml")
	if err := os.WriteFile(cm, []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  ingressClassNames: alb\n  includeUnclassed: \"false\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep = inventoryJSON(t, "", "--config", cm, fixture)
	if rep.Totals.InScope != 1 || len(classOf(rep, "other/alb")) != 1 || len(classOf(rep, "shop/api")) != 0 {
		t.Errorf("ConfigMap scope: %+v", rep.Totals)
	}
}

// A `kubectl get -o yaml` dump on stdin.
func TestInventoryListOnStdin(t *testing.T) {
	list := `apiVersion: v1
kind: List
items:
- apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata: {name: web, namespace: shop}
  spec:
    ingressClassName: nginx
    rules:
    - host: shop.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
`
	rep := inventoryJSON(t, list, "-")
	if rep.Totals.Ingresses != 1 || !slices.Equal(classOf(rep, "shop/web"), []string{"standard=simple"}) {
		t.Errorf("List on stdin: %+v", rep)
	}
	// The report says when, by what and from what it was made.
	if _, err := time.Parse(time.RFC3339, rep.GeneratedAt); err != nil || !strings.HasSuffix(rep.GeneratedAt, "Z") {
		t.Errorf("generatedAt %q: want RFC 3339 in UTC (%v)", rep.GeneratedAt, err)
	}
	if rep.RouteshiftVersion != versionString() || !slices.Equal(rep.Inputs, []string{"-"}) {
		t.Errorf("routeshiftVersion %q (want %q), inputs %q (want [-])", rep.RouteshiftVersion, versionString(), rep.Inputs)
	}
}

func TestInventoryExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badConfig := write("bad-config.yaml", "apiVersion: routeshift.dev/v1alpha1\nkind: IngressToGateway\nmetadata: {name: x}\nspec: {implementation: traefik}\n")
	twoConfigs := write("two.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n")
	broken := write("broken.yaml", "kind: Ingress\nmetadata: {name: [\n")
	quickstart := "../../examples/quickstart"
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"ok", []string{quickstart}, 0, ""},
		{"no path", nil, 2, "name at least one file"},
		{"bad format", []string{"--format", "pdf", quickstart}, 2, `--format "pdf"`},
		{"unknown flag", []string{"--nope", quickstart}, 2, "unknown flag --nope"},
		{"unknown implementation", []string{"--implementation", "traefik", quickstart}, 2, `"traefik"`},
		{"empty implementation", []string{"--implementation", "standard,", quickstart}, 2, "empty implementation"},
		{"missing file", []string{"/nonexistent/x.yaml"}, 2, "/nonexistent/x.yaml"},
		{"unreadable manifest", []string{broken}, 2, "broken.yaml"},
		{"missing config", []string{"--config", "/nonexistent/c.yaml", quickstart}, 2, "/nonexistent/c.yaml"},
		{"invalid config", []string{"--config", badConfig, quickstart}, 2, "implementation"},
		{"two configs", []string{"--config", twoConfigs, quickstart}, 2, "exactly one configuration object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, code := runInventory(t, "", tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) || (tc.stderr == "") != (stderr == "") {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tc.code, tc.stderr)
			}
			if code != 0 && out != "" {
				t.Errorf("a failed run wrote a report: %q", out)
			}
		})
	}
}

// The built binary dispatches the subcommand and lists it in its usage.
func TestBinaryInventory(t *testing.T) {
	out, stderr, code := runBinary(t, "", "inventory", "--format", "html", "../../examples/quickstart")
	if code != 0 || !strings.HasPrefix(out, "<!DOCTYPE html>") {
		t.Fatalf("inventory --format html: exit %d\n%s", code, stderr)
	}
	out, _, _ = runBinary(t, "", "help")
	if !strings.Contains(out, "\n  inventory ") {
		t.Errorf("usage does not list inventory:\n%s", out)
	}
}
