//go:build unix

package source

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestFunctionConfigPipe: a transformers entry naming a named pipe is not
// read; a read would block the check until someone writes to it.
func TestFunctionConfigPipe(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.yaml"), 0o644); err != nil {
		t.Skip(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte("transformers: [pipe.yaml]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := FunctionConfig(dir, ""); got != nil || err != nil {
		t.Errorf("a pipe: %q, %v", got, err)
	}
}
