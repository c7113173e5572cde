package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/golden"
)

const diffData = "../../testdata/routing/cmd"

// TestDiffCommand runs routeshift diff in-process on small fixtures, in each
// format, and checks the exit code and the report against golden files.
func TestDiffCommand(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"migration-text", []string{"ingress.yaml", "gateway.yaml"}, 0, ""},
		{"migration-changed-text", []string{"ingress.yaml", "gateway-changed.yaml"}, 1, ""},
		{"migration-changed-markdown", []string{"--format", "markdown", "ingress.yaml", "gateway-changed.yaml"}, 1, ""},
		{"migration-changed-json", []string{"--format", "json", "ingress.yaml", "gateway-changed.yaml"}, 1, ""},
		{"gateway-to-gateway-json", []string{"--format=json", "gateway.yaml", "gateway.yaml"}, 0, ""},
		{"broken-input", []string{"broken.yaml", "gateway.yaml"}, 2, "broken.yaml[0]"},
		{"bad-format", []string{"--format", "html", "ingress.yaml", "gateway.yaml"}, 2, "--format"},
		{"one-argument", []string{"ingress.yaml"}, 2, "exactly two"},
		{"unknown-gateway", []string{"--gateway", "nope", "gateway.yaml", "gateway.yaml"}, 2, "nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"diff"}
			for _, a := range tc.args {
				if strings.HasSuffix(a, ".yaml") {
					a = filepath.Join(diffData, a)
				}
				args = append(args, a)
			}
			var out, errw bytes.Buffer
			code := run(args, strings.NewReader(""), &out, &errw)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, out.String(), errw.String())
			}
			if tc.stderr != "" {
				if !strings.Contains(errw.String(), tc.stderr) {
					t.Fatalf("stderr %q does not mention %q", errw.String(), tc.stderr)
				}
				return
			}
			// Paths in the report are as given; make them stable.
			got := strings.ReplaceAll(out.String(), diffData+"/", "")
			golden.Check(t, filepath.Join(diffData, tc.name+".golden"), []byte(got))
		})
	}
}

// TestDiffStdin reads one side from stdin.
func TestDiffStdin(t *testing.T) {
	in, err := os.ReadFile(filepath.Join(diffData, "gateway.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var out, errw bytes.Buffer
	code := run([]string{"diff", filepath.Join(diffData, "ingress.yaml"), "-"}, bytes.NewReader(in), &out, &errw)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errw.String())
	}
}

// TestDiffFailOnUnverifiable: a snippet makes requests unverifiable, which
// fails only when asked to, where the controller profile lets snippets in
// (annotations-risk-level Critical) and allows them; let in but not
// allowed, the controller drops them; under the last release's defaults
// (risk level High) it refuses the Ingress, a difference.
func TestDiffFailOnUnverifiable(t *testing.T) {
	dir := t.TempDir()
	in, err := os.ReadFile(filepath.Join(diffData, "ingress.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	snip := strings.Replace(string(in), "  annotations:\n",
		"  annotations:\n    nginx.ingress.kubernetes.io/configuration-snippet: 'more_set_headers \"X: y\";'\n", 1)
	p := filepath.Join(dir, "snippet.yaml")
	if err := os.WriteFile(p, []byte(snip), 0o644); err != nil {
		t.Fatal(err)
	}
	prof := filepath.Join(dir, "profile.yaml")
	if err := os.WriteFile(prof, []byte("version: 1.15.1\nallowSnippetAnnotations: true\nannotationsRiskLevel: Critical\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dropped := filepath.Join(dir, "dropped.yaml")
	if err := os.WriteFile(dropped, []byte("annotationsRiskLevel: Critical\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	g := filepath.Join(diffData, "gateway.yaml")
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"diff", "--controller-profile", prof, p, g}, 0},
		{[]string{"diff", "--controller-profile", prof, "--fail-on-unverifiable", p, g}, 1},
		{[]string{"diff", "--controller-profile", dropped, "--fail-on-unverifiable", p, g}, 0},
		{[]string{"diff", p, g}, 1},
	} {
		var out, errw bytes.Buffer
		if code := run(tc.args, nil, &out, &errw); code != tc.code {
			t.Errorf("%v: exit %d, want %d\n%s%s", tc.args, code, tc.code, out.String(), errw.String())
		}
	}
}
