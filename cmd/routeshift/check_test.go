package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/golden"
)

// `routeshift check` runs in-process here: the report itself is tested in
// internal/status; these tests cover flags, input errors and exit codes.

const checkCases = "../../testdata/check/cases"

func runCheckCLI(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errw bytes.Buffer
	code := run(append([]string{"check"}, args...), strings.NewReader(stdin), &out, &errw)
	return out.String(), errw.String(), code
}

func TestCheckTableAndJSON(t *testing.T) {
	dir := filepath.Join(checkCases, "migration")
	args := []string{"--declared", filepath.Join(dir, "declared.yaml"), filepath.Join(dir, "input.yaml")}
	out, stderr, code := runCheckCLI(t, "", args...)
	if code != 1 || stderr != "" {
		t.Fatalf("exit %d, stderr %q; want 1 and nothing (routes would be rejected)", code, stderr)
	}
	golden.Check(t, "../../testdata/check/cli/migration.txt", []byte(out))

	out, _, code = runCheckCLI(t, "", append([]string{"--format", "json"}, args...)...)
	var rep struct {
		Kind    string
		Summary struct{ Failed, Unknown int }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 1 || rep.Kind != "CheckReport" || rep.Summary.Failed == 0 {
		t.Fatalf("json: exit %d, %v, %+v", code, err, rep)
	}
	golden.Check(t, "../../testdata/check/cli/migration.json", []byte(out))
}

func TestCheckExitCodes(t *testing.T) {
	clean := filepath.Join(checkCases, "clean")
	unknownOnly := `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  parentRefs: [{name: elsewhere, namespace: platform}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {ports: [{port: 80}]}
`
	badDeclared := filepath.Join(t.TempDir(), "declared.yaml")
	if err := os.WriteFile(badDeclared, []byte("apiVersion: routeshift.dev/v1alpha1\nkind: DeclaredObjects\nsecret: [a/b]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stderr string
	}{
		{"everything accepted", "", []string{"--declared", filepath.Join(clean, "declared.yaml"), filepath.Join(clean, "input.yaml")}, 0, ""},
		{"undeclared Secret fails", "", []string{filepath.Join(clean, "input.yaml")}, 1, ""},
		{"unknown passes", unknownOnly, []string{"-"}, 0, ""},
		{"unknown fails with --strict", unknownOnly, []string{"--strict", "-"}, 1, ""},
		{"no path", "", nil, 2, "name at least one file"},
		{"bad format", "", []string{"--format", "xml", "x.yaml"}, 2, `--format "xml"`},
		{"unknown flag", "", []string{"--nope", "x.yaml"}, 2, "unknown flag --nope"},
		{"missing file", "", []string{"/nonexistent/x.yaml"}, 2, "/nonexistent/x.yaml"},
		{"missing declared file", "", []string{"--declared", "/nonexistent/d.yaml", "-"}, 2, "/nonexistent/d.yaml"},
		{"bad declared file", "", []string{"--declared", badDeclared, "-"}, 2, `unknown field "secret"`},
		{"unparsable YAML", "kind: [", []string{"-"}, 2, "routeshift check: -"},
		{"unreadable object", "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g, namespace: n}\nspec: {listeners: 3}\n", []string{"-"}, 2, "Gateway n/g (-[0])"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := runCheckCLI(t, tc.stdin, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tc.code, tc.stderr)
			}
		})
	}
}
