package source

import (
	"os"
	"path/filepath"
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
