package source

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/routeshift/routeshift/internal/golden"
)

func TestKustomizationIsRendered(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("kustomization.yaml", "namespace: shop\nresources: [svc.yaml]\n")
	write("svc.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n")
	side, err := Read(dir, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	objs := side.Objects
	if len(objs) != 1 || objs[0].Namespace() != "shop" {
		t.Fatalf("got %d objects, namespace %q; want the Service in namespace shop", len(objs), objs[0].Namespace())
	}
}

func TestBrokenKustomizationNamesTheDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte("resources: [missing.yaml]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(dir, nil, Options{}); err == nil {
		t.Fatal("want an error")
	}
}

// TestHowEachSideIsRead: the report says how each side was read.
func TestHowEachSideIsRead(t *testing.T) {
	dir := t.TempDir()
	k := filepath.Join(dir, "k")
	plain := filepath.Join(dir, "plain")
	for _, d := range []string{k, plain} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	svc := "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n"
	for name, text := range map[string]string{"k/kustomization.yaml": "resources: [svc.yaml]\n", "k/svc.yaml": svc, "plain/svc.yaml": svc} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for path, want := range map[string]string{
		k:                                "rendered the kustomization at " + k + " in-process (no remote fetches, no functions)",
		plain:                            "read the YAML files under " + plain,
		filepath.Join(plain, "svc.yaml"): "read the file " + filepath.Join(plain, "svc.yaml"),
		"-":                              "read stdin",
	} {
		side, err := Read(path, strings.NewReader(svc), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if side.How != want || len(side.Objects) != 1 {
			t.Errorf("%s: How %q (%d objects), want %q", path, side.How, len(side.Objects), want)
		}
	}
}

// TestSymlinkLeavingADirectoryRefused: a plain directory's link to a file
// outside it (another team's files, /proc/self/environ) is an error; a
// link inside it is read.
func TestSymlinkLeavingADirectoryRefused(t *testing.T) {
	dir := t.TempDir()
	svc := "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n"
	if err := os.WriteFile(filepath.Join(dir, "svc.yaml"), []byte(svc), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("svc.yaml", filepath.Join(dir, "same.yaml")); err != nil {
		t.Fatal(err)
	}
	if side, err := Read(dir, nil, Options{}); err != nil || len(side.Objects) != 2 {
		t.Fatalf("a link inside the tree: %v", err)
	}
	if err := os.Symlink("/proc/self/environ", filepath.Join(dir, "env.yaml")); err != nil {
		t.Fatal(err)
	}
	_, err := Read(dir, nil, Options{})
	if err == nil || !strings.Contains(err.Error(), "env.yaml") || !strings.Contains(err.Error(), "outside") {
		t.Fatalf("want a refusal naming env.yaml, got %v", err)
	}
}

// TestFunctionConfig finds the routeshift functionConfig a kustomization
// names as a transformer, and nothing in a plain directory.
func TestFunctionConfig(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("kustomization.yaml", "resources: [ingress.yaml]\ntransformers: [other.yaml, routeshift.yaml]\n")
	write("other.yaml", "apiVersion: builtin\nkind: LabelTransformer\nmetadata: {name: x}\n")
	write("routeshift.yaml", "apiVersion: routeshift.dev/v1alpha1\nkind: IngressToGateway\nmetadata: {name: c}\nspec:\n  implementation: istio\n")
	got, err := FunctionConfig(dir, "")
	if err != nil || !strings.Contains(string(got), "implementation: istio") {
		t.Errorf("FunctionConfig = %q, %v", got, err)
	}
	if got, err := FunctionConfig(filepath.Join(dir, "other.yaml"), ""); got != nil || err != nil {
		t.Errorf("a file: %q, %v", got, err)
	}

	// The files are read within the tree rendering may read: an entry
	// above it or a link out of it is not read; one in ../ within --root
	// is. (A named pipe: fifo_unix_test.go.)
	repo := t.TempDir()
	app := filepath.Join(repo, "app")
	for p, text := range map[string]string{
		"shared/routeshift.yaml": "apiVersion: routeshift.dev/v1alpha1\nkind: IngressToGateway\nmetadata: {name: c}\nspec:\n  implementation: kgateway\n",
		"app/kustomization.yaml": "transformers: [../shared/routeshift.yaml]\n",
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(repo, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(repo, p), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := FunctionConfig(app, repo); !strings.Contains(string(got), "kgateway") {
		t.Errorf("an entry in ../ within the root: %q", got)
	}
	if got, err := FunctionConfig(app, ""); got != nil || err != nil {
		t.Errorf("an entry above the root: %q, %v", got, err)
	}
	if err := os.Symlink(filepath.Join(repo, "shared", "routeshift.yaml"), filepath.Join(app, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(app, "kustomization.yaml"), []byte("transformers: [link.yaml]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := FunctionConfig(app, ""); got != nil || err != nil {
		t.Errorf("a link out of the root: %q, %v", got, err)
	}
}
