package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDiffRefusesTheRCEPayload: diff on a kustomization holding the
// review's payload exits 2 naming the file and the entry, and the shell
// command never runs.
func TestDiffRefusesTheRCEPayload(t *testing.T) {
	dir := t.TempDir()
	proof := filepath.Join(t.TempDir(), "proof")
	writeTree(t, dir, map[string]string{"kustomization.yaml": "resources:\n- \"file:///nonexistent/repo?ref=--upload-pack=sh%20-c%20'touch%20" +
		strings.ReplaceAll(proof, "/", "%2F") + "'\"\n"})
	g := filepath.Join(diffData, "gateway.yaml")
	for _, args := range [][]string{{"diff", dir, g}, {"diff", "--allow-remote", dir, g}, {"render", dir}} {
		var out, errw bytes.Buffer
		if code := run(args, nil, &out, &errw); code != 2 {
			t.Fatalf("%v: exit %d, want 2\n%s%s", args, code, out.String(), errw.String())
		}
		if !strings.Contains(errw.String(), filepath.Join(dir, "kustomization.yaml")) || !strings.Contains(errw.String(), "--upload-pack") {
			t.Errorf("%v: stderr does not name the file and the entry:\n%s", args, errw.String())
		}
		if _, err := os.Stat(proof); err == nil {
			t.Fatalf("%v: the payload ran", args)
		}
	}
}

// TestDiffSaysHowItRead: a rendered side says so in every format.
func TestDiffSaysHowItRead(t *testing.T) {
	dir := t.TempDir()
	in, err := os.ReadFile(filepath.Join(diffData, "ingress.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, map[string]string{"kustomization.yaml": "resources: [ingress.yaml]\n", "ingress.yaml": string(in)})
	for _, format := range []string{"text", "markdown", "json"} {
		var out, errw bytes.Buffer
		code := run([]string{"diff", "--format", format, dir, filepath.Join(diffData, "gateway.yaml")}, nil, &out, &errw)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", format, code, out.String(), errw.String())
		}
		for _, want := range []string{"before: rendered the kustomization at ", "no remote fetches, no functions", "after: read the file "} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%s: report does not say %q:\n%s", format, want, out.String())
			}
		}
	}
}

// TestRenderCommand prints what kustomize build prints, and its help says
// what each opt-in opens.
func TestRenderCommand(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"base/kustomization.yaml":    "resources: [cm.yaml]\n",
		"base/cm.yaml":               "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
		"overlay/kustomization.yaml": "namePrefix: p-\nresources: [../base]\n",
	})
	var out, errw bytes.Buffer
	if code := run([]string{"render", "--root", dir, filepath.Join(dir, "overlay")}, nil, &out, &errw); code != 0 || out.String() != "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p-c\n" {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errw.String())
	}
	out.Reset()
	errw.Reset()
	if code := run([]string{"render", filepath.Join(dir, "overlay")}, nil, &out, &errw); code != 2 || !strings.Contains(errw.String(), "--root") {
		t.Fatalf("a base above the kustomization without --root: exit %d\n%s", code, errw.String())
	}
	out.Reset()
	errw.Reset()
	run([]string{"render", "-h"}, nil, &out, &errw)
	for _, want := range []string{"-allow-remote", "-enable-exec", "-root", "-render-timeout", "-render-max-bytes", "-render-max-expansion", "-render-max-memory", "-fetch-timeout", "-fetch-max-bytes", "Helm is never run"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help does not mention %q", want)
		}
	}
}
