package main

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/golden"
	"github.com/routeshift/routeshift/internal/testtool"
)

// convert -w, --check and --output-dir run on a temporary git repository
// made from testdata/write/before, as a team would run them on its own:
// the tree after the run is compared file by file with a golden tree, git
// says which files changed, a second run changes nothing, and --check
// exits 1 exactly when -w would write.

const writeData = "../../testdata/write"

// gitRepo copies testdata/write/before into a new git repository with one
// commit and returns its path.
func gitRepo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		testtool.Missing(t, "git", "%v", err)
	}
	dir := t.TempDir()
	copyDir(t, filepath.Join(writeData, "before"), dir)
	git(t, dir, "init", "-q")
	git(t, dir, "add", "-A")
	git(t, dir, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "before")
	return dir
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// inRepo runs the binary in dir.
func inRepo(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	return runInDir(t, dir, args...)
}

// runInDir runs the binary in dir.
func runInDir(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
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

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// readTreeFiles returns every file under dir but .git, by slash path.
func readTreeFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// checkTree compares the repository with the golden tree testdata/write/NAME
// (rewritten whole with -update).
func checkTree(t *testing.T, repo, name string) {
	t.Helper()
	want := filepath.Join(writeData, name)
	got := readTreeFiles(t, repo)
	if *golden.Update {
		if err := os.RemoveAll(want); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	for n := range got {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		golden.Check(t, filepath.Join(want, filepath.FromSlash(n)), got[n])
	}
	for n := range readTreeFiles(t, want) {
		if got[n] == nil {
			t.Errorf("%s: in the golden tree %s but not written", n, name)
		}
	}
}

// changed is `git status --porcelain`, sorted.
func changed(t *testing.T, repo string) []string {
	t.Helper()
	var out []string
	for _, l := range strings.Split(git(t, repo, "status", "--porcelain", "--untracked-files=all"), "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}

func TestConvertWriteInPlace(t *testing.T) {
	repo := gitRepo(t)
	cfg, err := filepath.Abs(filepath.Join(writeData, "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}

	// --check before: exit 1, the files that would change listed, nothing written.
	out, stderr, code := inRepo(t, repo, "convert", "--check", "--config", cfg, ".")
	if code != 1 || out != "would change: apps/blog/blog.yml\nwould change: apps/shop/ingress.yaml\n" {
		t.Fatalf("--check before: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	if c := changed(t, repo); len(c) != 0 {
		t.Fatalf("--check wrote files: %v", c)
	}

	out, stderr, code = inRepo(t, repo, "convert", "-w", "--config", cfg, ".")
	if code != 0 || !strings.Contains(stderr, "2 Ingress(es) converted") {
		t.Fatalf("convert -w: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	if got, want := changed(t, repo), []string{" M apps/blog/blog.yml", " M apps/shop/ingress.yaml"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("git status after -w: %q, want %q (everything else byte for byte)", got, want)
	}
	checkTree(t, repo, "after-keep")
	// What was there is still there, byte for byte, at the start of the
	// file: the generated objects are added after their Ingress.
	before := readTreeFiles(t, filepath.Join(writeData, "before"))
	after := readTreeFiles(t, repo)
	for _, name := range []string{"apps/shop/ingress.yaml", "apps/blog/blog.yml"} {
		ingress, _, _ := strings.Cut(string(before[name]), "\n---\n")
		if !strings.HasPrefix(string(after[name]), ingress) {
			t.Errorf("%s: the Ingress's text changed:\n%s", name, after[name])
		}
	}
	if !strings.HasSuffix(string(after["apps/shop/ingress.yaml"]), "\n---\n# The Service is untouched, with its odd key order.\nkind: Service\napiVersion: v1\nmetadata: {namespace: shop, name: storefront}\nspec:\n  ports:\n  - port: 8080\n") {
		t.Errorf("the Service after the Ingress lost its text:\n%s", after["apps/shop/ingress.yaml"])
	}
	git(t, repo, "add", "-A")
	git(t, repo, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "converted")

	// A second run changes nothing, and --check agrees.
	out, stderr, code = inRepo(t, repo, "convert", "-w", "--config", cfg, ".")
	if code != 0 || out != "" {
		t.Errorf("second -w: exit %d, wrote:\n%s\n%s", code, out, stderr)
	}
	if c := changed(t, repo); len(c) != 0 {
		t.Errorf("second -w changed files: %v", c)
	}
	if out, stderr, code := inRepo(t, repo, "convert", "--check", "--config", cfg, "."); code != 0 || out != "" {
		t.Errorf("--check after -w: exit %d\n%s\n%s", code, out, stderr)
	}
	// A user's edit to an Ingress makes --check fail again.
	ing := filepath.Join(repo, "apps", "blog", "blog.yml")
	data, _ := os.ReadFile(ing)
	os.WriteFile(ing, bytes.Replace(data, []byte("blog.example.com"), []byte("www.example.com"), -1), 0o644)
	if out, _, code := inRepo(t, repo, "convert", "--check", "--config", cfg, "apps"); code != 1 || out != "would change: apps/blog/blog.yml\n" {
		t.Errorf("--check after an edit: exit %d, %q", code, out)
	}
}

func TestConvertWriteRemove(t *testing.T) {
	repo := gitRepo(t)
	cfg, _ := filepath.Abs(filepath.Join(writeData, "remove.yaml"))
	if out, stderr, code := inRepo(t, repo, "convert", "-w", "--config", cfg, "apps", "platform"); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	checkTree(t, repo, "after-remove")
	after := readTreeFiles(t, repo)
	if strings.Contains(string(after["apps/shop/ingress.yaml"]), "kind: Ingress") {
		t.Errorf("ingress: remove kept the converted Ingress")
	}
	if !strings.Contains(string(after["platform/other-class.yaml"]), "kind: Ingress") {
		t.Errorf("the other class's Ingress was removed")
	}
	// Idempotent: the Ingresses are gone; what they became stays.
	if out, stderr, code := inRepo(t, repo, "convert", "--check", "--config", cfg, "apps", "platform"); code != 0 || out != "" {
		t.Errorf("--check after remove: exit %d\n%s\n%s", code, out, stderr)
	}
}

func TestConvertOutputDir(t *testing.T) {
	cfg, _ := filepath.Abs(filepath.Join(writeData, "config.yaml"))
	for _, layout := range []string{"mirror", "namespace"} {
		t.Run(layout, func(t *testing.T) {
			repo := gitRepo(t)
			args := []string{"convert", "--output-dir", "gateway-api", "--layout", layout, "--config", cfg, "apps"}
			if out, stderr, code := inRepo(t, repo, args...); code != 0 {
				t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
			}
			for _, c := range changed(t, repo) {
				if !strings.HasPrefix(c, "?? gateway-api/") {
					t.Errorf("--output-dir changed an input file: %s", c)
				}
			}
			checkTree(t, repo, "after-"+layout)
			// The second run reads gateway-api/ and regenerates in place.
			if out, stderr, code := inRepo(t, repo, append([]string{"convert", "--check"}, args[1:]...)...); code != 0 || out != "" {
				t.Errorf("--check after --output-dir: exit %d\n%s\n%s", code, out, stderr)
			}
		})
	}
}

// Files -w must not write are refused before anything is written, each
// named with the reason; no temporary file is left behind.
func TestConvertWriteRefusals(t *testing.T) {
	cfg, _ := filepath.Abs(filepath.Join(writeData, "config.yaml"))
	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, repo string)
		args    []string
		code    int
		stderr  string
	}{
		{"read-only", func(t *testing.T, repo string) {
			os.Chmod(filepath.Join(repo, "apps", "blog", "blog.yml"), 0o444)
		}, []string{"apps"}, 2, "apps/blog/blog.yml is read-only (mode 0444)"},
		{"symlink", func(t *testing.T, repo string) {
			os.Rename(filepath.Join(repo, "apps", "blog", "blog.yml"), filepath.Join(repo, "platform", "blog.yml"))
			os.Symlink("../../platform/blog.yml", filepath.Join(repo, "apps", "blog", "blog.yml"))
		}, []string{"apps"}, 2, "apps/blog/blog.yml is a symbolic link to ../../platform/blog.yml: not written through"},
		{"list", func(t *testing.T, repo string) {
			os.WriteFile(filepath.Join(repo, "apps", "list.yaml"), []byte("apiVersion: v1\nkind: List\nitems:\n- apiVersion: networking.k8s.io/v1\n  kind: Ingress\n  metadata: {name: l, namespace: l}\n  spec:\n    ingressClassName: nginx\n    defaultBackend: {service: {name: l, port: {number: 80}}}\n"), 0o644)
		}, []string{"apps"}, 2, "apps/list.yaml holds a v1 List"},
		{"non-yaml", nil, []string{"apps/README.md"}, 2, "apps/README.md: not a .yaml or .yml file"},
		{"missing", nil, []string{"nope.yaml"}, 2, "nope.yaml: no such file or directory"},
		{"stdin", nil, []string{"-"}, 2, "- (stdin) cannot be rewritten"},
		{"template", func(t *testing.T, repo string) {
			os.WriteFile(filepath.Join(repo, "apps", "tpl.yaml"), []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-settings\n"), 0o644)
		}, []string{"apps"}, 2, "it looks like a template"},
		{"error-results", func(t *testing.T, repo string) {
			os.WriteFile(filepath.Join(repo, "apps", "snippet.yaml"), []byte("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: snippet\n  namespace: x\n  annotations: {nginx.ingress.kubernetes.io/configuration-snippet: 'return 200;'}\nspec:\n  ingressClassName: nginx\n  defaultBackend: {service: {name: x, port: {number: 80}}}\n"), 0o644)
		}, []string{"apps"}, 1, "nothing written: results at or above failOn (error)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repo := gitRepo(t)
			if tc.prepare != nil {
				tc.prepare(t, repo)
				if len(changed(t, repo)) > 0 {
					git(t, repo, "add", "-A")
					git(t, repo, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", tc.name)
				}
			}
			beforeRun := readTreeFiles(t, repo)
			out, stderr, code := inRepo(t, repo, append([]string{"convert", "-w", "--config", cfg}, tc.args...)...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) || out != "" {
				t.Errorf("exit %d (want %d), stdout %q\nstderr (want %q):\n%s", code, tc.code, out, tc.stderr, stderr)
			}
			afterRun := readTreeFiles(t, repo)
			if len(afterRun) != len(beforeRun) {
				t.Errorf("files appeared or vanished: %d before, %d after", len(beforeRun), len(afterRun))
			}
			for name, data := range beforeRun {
				if !bytes.Equal(afterRun[name], data) {
					t.Errorf("%s changed although the run failed", name)
				}
			}
		})
	}
}

// A failing rename leaves the old file and no temporary file.
func TestWriteAtomicFailure(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "x.yaml")
	// A non-empty directory cannot be replaced by a file.
	if err := os.MkdirAll(filepath.Join(target, "keep"), 0o755); err != nil {
		t.Fatal(err)
	}
	err := writeAtomic(change{name: "x.yaml", file: target, data: []byte("a: b\n"), mode: 0o644, existed: true})
	if err == nil || !strings.Contains(err.Error(), "writing x.yaml") {
		t.Fatalf("err = %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "x.yaml" {
		t.Errorf("left behind: %v", entries)
	}
	// And a successful one keeps the mode.
	ok := filepath.Join(dir, "ok.yaml")
	if err := writeAtomic(change{name: "ok.yaml", file: ok, data: []byte("a: b\n"), mode: 0o640, existed: false}); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(ok); err != nil || st.Mode().Perm() != 0o640 {
		t.Errorf("mode after write: %v %v", st.Mode(), err)
	}
}
