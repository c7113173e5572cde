package kube

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadPathsSymlinks: a link to a file inside the directory is read; a
// link leaving it is refused, naming the link.
func TestReadPathsSymlinks(t *testing.T) {
	outside := t.TempDir()
	dir := t.TempDir()
	const obj = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
	for _, f := range []string{filepath.Join(outside, "secret.yaml"), filepath.Join(dir, "a.yaml")} {
		if err := os.WriteFile(f, []byte(obj), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	objs, err := ReadPaths([]string{dir}, nil)
	if err != nil || len(objs) != 2 {
		t.Fatalf("link inside: %d objects, %v", len(objs), err)
	}
	if err := os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(dir, "c.yaml")); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadPaths([]string{dir}, nil); err == nil || !strings.Contains(err.Error(), "c.yaml is a symbolic link") {
		t.Errorf("link outside: %v", err)
	}
}

// TestReadStreamPositions: documents, Lists and errors are numbered as the
// converter numbers them, lines count in the whole stream.
func TestReadStreamPositions(t *testing.T) {
	objs, err := ReadStream([]byte("# c\n---\napiVersion: v1\nkind: List\nitems:\n- {kind: A}\n- {kind: B}\n---\nkind: C\n"), "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range objs {
		got = append(got, o.Kind()+" "+o.Source().String())
	}
	if strings.Join(got, ", ") != "A s.yaml[0], B s.yaml[1], C s.yaml[2]" {
		t.Errorf("got %v", got)
	}
	_, err = ReadStream([]byte("kind: A\n---\nkind: B\nkind: C\n"), "s.yaml")
	if err == nil || err.Error() != `s.yaml: document 1: line 4: mapping key "kind" already defined at line 3` {
		t.Errorf("got %v", err)
	}
}
