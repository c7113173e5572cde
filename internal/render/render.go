package render

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
)

// Limits bound one render. A zero field takes its DefaultLimits value.
type Limits struct {
	// Timeout is the wall-clock time of the whole render.
	Timeout time.Duration
	// MaxReadBytes is the total of the files read.
	MaxReadBytes int64
	// MaxOutputBytes is the size of the rendered YAML.
	MaxOutputBytes int64
	// MaxExpansion is the number of kustomization builds and file loads,
	// counting a base each time it is included.
	MaxExpansion int64
	// FetchTimeout and MaxFetchBytes bound each http(s) fetch when remote
	// fetches are allowed; FetchTimeout also bounds a git URL's ?timeout=.
	FetchTimeout  time.Duration
	MaxFetchBytes int64
	// MaxMemoryBytes is how much the live heap may grow during the render
	// (runtime/metrics, checked on every file system call of the build and
	// every 50ms): approximate, but it stops a render before it takes the
	// machine down.
	MaxMemoryBytes int64
}

// DefaultLimits are far above what a repository's kustomizations need (the
// example trees render in well under a second and a megabyte) and below
// what hurts a CI runner. Measured on the doubling overlays of the tests
// (a one-off measurement, asserted nowhere): kustomize's builds cost about 4.5 ms per
// unit of expansion, 256 objects from 1277 units in 5.8 s, 1024 from 5117
// in 22 s; 5000 units stop there, and the timeout backs that up.
func DefaultLimits() Limits {
	return Limits{
		Timeout:        2 * time.Minute,
		MaxReadBytes:   64 << 20,
		MaxOutputBytes: 256 << 20,
		MaxExpansion:   5000,
		FetchTimeout:   30 * time.Second,
		MaxFetchBytes:  16 << 20,
		MaxMemoryBytes: 1 << 30,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.Timeout <= 0 {
		l.Timeout = d.Timeout
	}
	if l.MaxReadBytes <= 0 {
		l.MaxReadBytes = d.MaxReadBytes
	}
	if l.MaxOutputBytes <= 0 {
		l.MaxOutputBytes = d.MaxOutputBytes
	}
	if l.MaxExpansion <= 0 {
		l.MaxExpansion = d.MaxExpansion
	}
	if l.FetchTimeout <= 0 {
		l.FetchTimeout = d.FetchTimeout
	}
	if l.MaxFetchBytes <= 0 {
		l.MaxFetchBytes = d.MaxFetchBytes
	}
	if l.MaxMemoryBytes <= 0 {
		l.MaxMemoryBytes = d.MaxMemoryBytes
	}
	return l
}

// Options says what rendering may do beyond reading the tree.
type Options struct {
	// Root is the directory tree rendering may read; empty: the
	// kustomization directory itself. An overlay whose bases are in ../
	// needs the tree that holds both (a checkout).
	Root string
	// AllowRemote lets kustomize fetch remote bases (git) and http(s)
	// files.
	AllowRemote bool
	// EnableExec lets kustomize run exec and container KRM functions and
	// non-builtin plugins, as kustomize's --enable-alpha-plugins
	// --enable-exec.
	EnableExec bool
	// AllowExec names programs that exec KRM functions may run without
	// EnableExec: a function whose exec.path is exactly one of these bare
	// names (found on PATH, never a file of the tree) and that has no args
	// or envs, such as routeshift's own transformer. Every function
	// configuration is checked before the build, so it cannot be combined
	// with AllowRemote (remote kustomizations are seen only by the build).
	AllowExec []string
	Limits    Limits
}

// IsKustomization reports whether path is a directory with a
// kustomization file.
func IsKustomization(path string) bool {
	st, err := os.Stat(path)
	if err != nil || !st.IsDir() {
		return false
	}
	for _, name := range konfig.RecognizedKustomizationFileNames() {
		if _, err := os.Stat(filepath.Join(path, name)); err == nil {
			return true
		}
	}
	return false
}

// Kustomization renders the kustomization in dir and returns the YAML
// stream `kustomize build` would print.
func Kustomization(dir string, opts Options) ([]byte, error) {
	out, err := Render(dir, opts)
	if err != nil {
		return nil, err
	}
	return out.YAML, nil
}

// Output is what a render makes.
type Output struct {
	// YAML is the stream `kustomize build` would print.
	YAML []byte
	// Results are the KRM results routeshift exec functions reported,
	// one JSON list per run (results.go); kustomize itself keeps none.
	Results [][]byte
}

// Render is Kustomization, with the results of the routeshift exec
// functions the build ran.
func Render(dir string, opts Options) (*Output, error) {
	out, err := build(dir, opts)
	if err != nil {
		return nil, fmt.Errorf("kustomize build %q: %w", dir, err)
	}
	return out, nil
}

func build(dir string, opts Options) (*Output, error) {
	opts.Limits = opts.Limits.withDefaults()
	root := opts.Root
	if root == "" {
		root = dir
	}
	deadline := time.Now().Add(opts.Limits.Timeout)
	timeout := &BudgetError{What: "time", Limit: opts.Limits.Timeout.String(), Flag: "--render-timeout"}
	// One render at a time: the fetch policy on http.DefaultTransport is
	// the running render's. The lock is released when krusty returns, even
	// after a timeout gave up waiting for it.
	renderMu.Lock()
	locked := true
	defer func() {
		if locked {
			renderMu.Unlock()
		}
	}()
	for _, name := range opts.AllowExec {
		if name == "" || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, "-") || name == "." || name == ".." {
			return nil, fmt.Errorf("--allow-exec %q: want a bare program name, found on PATH", name)
		}
	}
	if len(opts.AllowExec) > 0 && opts.AllowRemote && !opts.EnableExec {
		return nil, errors.New("--allow-exec cannot be combined with --allow-remote: the functions of remote kustomizations are seen only by the build, too late to check them")
	}
	var clone func(string) bool
	if opts.AllowRemote {
		clone = newClones()
	}
	fs, err := newConfinedFS(root, opts.Limits.MaxReadBytes, clone)
	if err != nil {
		return nil, err
	}
	mem := newMemoryBudget(opts.Limits.MaxMemoryBytes)
	fs.check = mem.check
	if _, err := fs.resolve(dir); err != nil {
		return nil, err
	}
	s := &scanner{fs: fs, opts: opts, cost: map[string]int64{}, active: map[string]bool{}}
	if _, err := s.scanDir(dir); err != nil {
		return nil, err
	}
	if time.Now().After(deadline) {
		return nil, timeout
	}

	var results *resultsDir
	ko := krusty.MakeDefaultOptions()
	// As the kustomize CLI without --reorder: legacy order unless the
	// kustomization sets sortOptions.
	ko.Reorder = krusty.ReorderOptionUnspecified
	ko.LoadRestrictions = types.LoadRestrictionsRootOnly
	ko.PluginConfig = types.DisabledPluginConfig()
	if opts.EnableExec || len(opts.AllowExec) > 0 {
		// kustomize's --enable-alpha-plugins --enable-exec, without the
		// Helm that EnabledPluginConfig also turns on. With AllowExec
		// alone, the scan has refused every function it does not name.
		ko.PluginConfig = types.MakePluginConfig(types.PluginRestrictionsNone, types.BploUseStaticallyLinked)
		ko.PluginConfig.FnpLoadingOptions.EnableExec = true
		if results, err = newResultsDir(); err != nil {
			return nil, err
		}
		ko.PluginConfig.FnpLoadingOptions.Env = []string{results.env()}
	}
	ko.PluginConfig.HelmConfig.Enabled = false

	type result struct {
		out     []byte
		results [][]byte
		err     error
	}
	done := make(chan result, 1)
	setPolicy(fetchPolicy{active: true, allow: opts.AllowRemote, timeout: opts.Limits.FetchTimeout, maxBytes: opts.Limits.MaxFetchBytes, refused: fs.refuse})
	locked = false
	go func() {
		defer renderMu.Unlock()
		defer setPolicy(fetchPolicy{})
		// The results directory goes before the render returns (the
		// caller may look), and only once krusty has returned: a function
		// may still be writing when the render gives up waiting.
		send := func(r result) {
			results.remove()
			done <- r
		}
		m, err := krusty.MakeKustomizer(ko).Run(fs, dir)
		if err != nil {
			send(result{err: err})
			return
		}
		out, err := m.AsYaml()
		if err != nil {
			send(result{err: err})
			return
		}
		rs, err := results.read(opts.Limits.MaxReadBytes)
		send(result{out, rs, err})
	}()
	var r result
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	expired := time.After(time.Until(deadline))
wait:
	for {
		select {
		case r = <-done:
			break wait
		case <-expired:
			return nil, timeout
		case <-tick.C:
			if err := mem.check(); err != nil {
				return nil, err
			}
		}
	}
	if r.err != nil {
		// A refusal of the file system or the network is what the user
		// must see; kustomize often wraps it in, or replaces it with, its
		// own fallbacks ("accumulating resources ... not a git URL").
		if v := fs.Violation(); v != nil {
			return nil, v
		}
		// kustomize's own messages print the tree's paths and entries
		// as they are.
		return nil, &kustomizeError{r.err}
	}
	if int64(len(r.out)) > opts.Limits.MaxOutputBytes {
		return nil, &BudgetError{What: "output", Limit: byteSize(opts.Limits.MaxOutputBytes), Flag: "--render-max-bytes"}
	}
	return &Output{YAML: r.out, Results: r.results}, nil
}

// memoryBudget is the growth of the live heap a render may cause.
type memoryBudget struct {
	base, max int64
	sample    []metrics.Sample
	mu        sync.Mutex
}

const heapMetric = "/memory/classes/heap/objects:bytes"

func newMemoryBudget(max int64) *memoryBudget {
	m := &memoryBudget{max: max, sample: []metrics.Sample{{Name: heapMetric}}}
	m.base = m.heap()
	return m
}

func (m *memoryBudget) heap() int64 {
	metrics.Read(m.sample)
	if m.sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(m.sample[0].Value.Uint64())
}

func (m *memoryBudget) check() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.heap()-m.base <= m.max {
		return nil
	}
	// The metric counts garbage not yet swept too (diff runs with
	// GOGC=400): collect, and judge what is live.
	runtime.GC()
	if m.heap()-m.base > m.max {
		return &BudgetError{What: "memory", Limit: byteSize(m.max) + " of heap growth", Flag: "--render-max-memory"}
	}
	return nil
}

// newClones returns a test for git clones kustomize makes during this
// render: directories named kustomize-* in the temporary directory that
// did not exist before (kyaml filesys.NewTmpConfirmedDir, v0.21.2).
func newClones() func(string) bool {
	tmp, err := filepath.EvalSymlinks(os.TempDir())
	if err != nil {
		return func(string) bool { return false }
	}
	before := map[string]bool{}
	if entries, err := os.ReadDir(tmp); err == nil {
		for _, e := range entries {
			before[e.Name()] = true
		}
	}
	return func(p string) bool {
		rel, err := filepath.Rel(tmp, p)
		if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
			return false
		}
		top, _, _ := strings.Cut(rel, string(filepath.Separator))
		return strings.HasPrefix(top, "kustomize-") && !before[top]
	}
}

// IsBudget reports whether err is a rendering budget exceeded.
func IsBudget(err error) bool {
	var b *BudgetError
	return errors.As(err, &b)
}

// kustomizeError is an error of kustomize itself, whose messages print
// paths, entries and values of the tree as they are: its text is shown
// with control and other invisible characters escaped (\n, \x1b, \u2028),
// so that a file name cannot start a new line in a log or a comment.
type kustomizeError struct{ err error }

func (e *kustomizeError) Error() string { return escapeInvisible(e.err.Error()) }

func (e *kustomizeError) Unwrap() error { return e.err }

// escapeInvisible is s with every rune strconv.Quote would escape escaped
// as it does, and the rest (quotes, backslashes, printable text) as is.
func escapeInvisible(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r != utf8.RuneError && strconv.IsPrint(r) {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRune(r)
		b.WriteString(q[1 : len(q)-1])
	}
	return b.String()
}
