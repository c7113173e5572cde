package render

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// EscapeError is a path that resolves outside the tree rendering may read.
type EscapeError struct {
	Path     string // as kustomize asked for it
	Resolved string // after symbolic links
	Root     string
}

// Paths come from the tree under review (a file name may hold a newline or
// an escape sequence that would forge lines in a log or a PR comment): every
// message of this package quotes them (%q).

func (e *EscapeError) Error() string {
	if e.Resolved != "" && e.Resolved != e.Path {
		return fmt.Sprintf("%q resolves (through a symbolic link or ..) to %q, outside the tree %q that rendering may read (see --root)", e.Path, e.Resolved, e.Root)
	}
	return fmt.Sprintf("%q is outside the tree %q that rendering may read (see --root)", e.Path, e.Root)
}

// BudgetError is a rendering limit exceeded.
type BudgetError struct {
	What  string // "read", "output", "expansion", "time"
	Limit string
	Flag  string
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("rendering exceeded its %s budget of %s (raise it with %s)", e.What, e.Limit, e.Flag)
}

// confinedFS is the file system krusty reads through: the disk, but only
// below root (or below git clones made during this render, when remote
// bases are allowed), only regular files, and at most budget bytes in all.
// Nothing is ever written.
type confinedFS struct {
	disk  filesys.FileSystem
	root  string // absolute, symbolic links resolved
	clone func(string) bool
	// check is the memory budget, asked on every call: krusty calls the
	// file system for every file and kustomization it loads.
	check func() error

	mu        sync.Mutex
	remaining int64
	limit     int64
	violation error // the first refusal, reported when kustomize's own error hides it
}

func newConfinedFS(root string, budget int64, clone func(string) bool) (*confinedFS, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, err
	}
	if clone == nil {
		clone = func(string) bool { return false }
	}
	return &confinedFS{disk: filesys.MakeFsOnDisk(), root: real, clone: clone, remaining: budget, limit: budget}, nil
}

var _ filesys.FileSystem = (*confinedFS)(nil)

// within reports whether the resolved path p is root or below it.
func within(p, root string) bool {
	return p == root || strings.HasPrefix(p, strings.TrimSuffix(root, string(filepath.Separator))+string(filepath.Separator))
}

// resolve returns path made absolute with its symbolic links resolved (a
// path that does not exist yet resolves through its longest existing
// parent), or an EscapeError if that leaves the tree.
func (f *confinedFS) resolve(path string) (string, error) {
	if f.check != nil {
		if err := f.check(); err != nil {
			f.refuse(err)
			return "", err
		}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	real, rest := abs, ""
	for {
		r, err := filepath.EvalSymlinks(real)
		if err == nil {
			real = filepath.Join(r, rest)
			break
		}
		parent := filepath.Dir(real)
		if parent == real {
			real = abs
			break
		}
		rest = filepath.Join(filepath.Base(real), rest)
		real = parent
	}
	if within(real, f.root) || f.clone(real) {
		return real, nil
	}
	e := &EscapeError{Path: path, Resolved: real, Root: f.root}
	f.refuse(e)
	return "", e
}

func (f *confinedFS) refuse(err error) {
	f.mu.Lock()
	if f.violation == nil {
		f.violation = err
	}
	f.mu.Unlock()
}

// Violation is the first refusal, if any.
func (f *confinedFS) Violation() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.violation
}

func (f *confinedFS) charge(n int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if n > f.remaining {
		f.remaining = 0
		e := &BudgetError{What: "read", Limit: byteSize(f.limit), Flag: "--render-max-bytes"}
		if f.violation == nil {
			f.violation = e
		}
		return e
	}
	f.remaining -= n
	return nil
}

var errReadOnly = errors.New("rendering writes no files")

func (f *confinedFS) Create(string) (filesys.File, error) { return nil, errReadOnly }
func (f *confinedFS) Mkdir(string) error                  { return errReadOnly }
func (f *confinedFS) MkdirAll(string) error               { return errReadOnly }
func (f *confinedFS) WriteFile(string, []byte) error      { return errReadOnly }

// RemoveAll is kustomize's cleanup of a git clone; anything else is
// refused.
func (f *confinedFS) RemoveAll(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil || !f.clone(abs) {
		return errReadOnly
	}
	return f.disk.RemoveAll(abs)
}

// regular opens path if it is a regular file inside the tree.
func (f *confinedFS) regular(path string) (*os.File, int64, error) {
	real, err := f.resolve(path)
	if err != nil {
		return nil, 0, err
	}
	st, err := os.Stat(real)
	if err != nil {
		return nil, 0, err
	}
	if !st.Mode().IsRegular() {
		e := fmt.Errorf("%q is not a regular file (%s); rendering reads only regular files", path, st.Mode().Type())
		f.refuse(e)
		return nil, 0, e
	}
	if err := f.charge(st.Size()); err != nil {
		return nil, 0, err
	}
	file, err := os.Open(real)
	return file, st.Size(), err
}

func (f *confinedFS) ReadFile(path string) ([]byte, error) {
	file, size, err := f.regular(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	// Read one byte past the size charged: a file growing while it is read
	// is an error, not an unbudgeted read.
	data, err := io.ReadAll(io.LimitReader(file, size+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > size {
		return nil, fmt.Errorf("%q grew while it was read", path)
	}
	return data, nil
}

func (f *confinedFS) Open(path string) (filesys.File, error) {
	file, _, err := f.regular(path)
	if err != nil {
		return nil, err
	}
	return file, nil
}

func (f *confinedFS) IsDir(path string) bool {
	real, err := f.resolve(path)
	return err == nil && f.disk.IsDir(real)
}

// isFile reports whether path is a regular file inside the tree (an
// escape is recorded, as by every other method).
func (f *confinedFS) isFile(path string) bool {
	real, err := f.resolve(path)
	if err != nil {
		return false
	}
	st, err := os.Stat(real)
	return err == nil && st.Mode().IsRegular()
}

func (f *confinedFS) Exists(path string) bool {
	real, err := f.resolve(path)
	return err == nil && f.disk.Exists(real)
}

func (f *confinedFS) ReadDir(path string) ([]string, error) {
	real, err := f.resolve(path)
	if err != nil {
		return nil, err
	}
	return f.disk.ReadDir(real)
}

func (f *confinedFS) CleanedAbs(path string) (filesys.ConfirmedDir, string, error) {
	if _, err := f.resolve(path); err != nil {
		return "", "", err
	}
	d, name, err := f.disk.CleanedAbs(path)
	if err != nil {
		return "", "", err
	}
	// The disk resolves links again; check what it settled on.
	if _, err := f.resolve(d.String()); err != nil {
		return "", "", err
	}
	return d, name, nil
}

// Glob returns the matches inside the tree only.
func (f *confinedFS) Glob(pattern string) ([]string, error) {
	matches, err := f.disk.Glob(pattern)
	if err != nil {
		return nil, err
	}
	var in []string
	for _, m := range matches {
		if _, err := f.resolve(m); err == nil {
			in = append(in, m)
		}
	}
	return in, nil
}

func (f *confinedFS) Walk(path string, walkFn filepath.WalkFunc) error {
	real, err := f.resolve(path)
	if err != nil {
		return err
	}
	// filepath.Walk does not follow symbolic links below real.
	return filepath.Walk(real, walkFn)
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
