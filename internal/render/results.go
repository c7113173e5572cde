package render

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strconv"
)

// kustomize runs an exec KRM function and keeps only the items of its
// output: its results are dropped (api/internal/plugins/fnplugin creates
// runfn.RunFns without a ResultsDir, and FnPluginLoadingOptions has no
// field for one, kustomize/api v0.21.2). What kustomize does pass on is
// FnPluginLoadingOptions.Env, merged into every exec function's
// environment (kyaml runfn mergeExecEnv). So a render that may run exec
// functions gives them ROUTESHIFT_RESULTS_DIR, a fresh directory, and
// routeshift's function writes its results there (cmd/routeshift
// functionWithResults): diff reads the converter's own words for the
// causes it announced. Other programs ignore the variable; a name with
// '=' would be dropped by mergeExecEnv, and os.MkdirTemp makes none.

// ResultsDirEnv is the variable exec functions get.
const ResultsDirEnv = "ROUTESHIFT_RESULTS_DIR"

// resultsDir is one render's directory for function results; nil when the
// render runs no function.
type resultsDir struct{ path string }

func newResultsDir() (*resultsDir, error) {
	p, err := os.MkdirTemp("", "routeshift-results-")
	if err != nil {
		return nil, fmt.Errorf("a directory for the functions' results: %w", err)
	}
	return &resultsDir{p}, nil
}

func (d *resultsDir) env() string { return ResultsDirEnv + "=" + d.path }

func (d *resultsDir) remove() {
	if d != nil {
		os.RemoveAll(d.path)
	}
}

// read returns the regular files the functions wrote, ordered by their
// contents (each has a random name, and two functions may run in either
// order: the order must not change the report), within max bytes in all.
// The files are opened through os.Root and read through a limit: a
// function that put a link to a file outside the directory, or grew a file
// after it was listed, gets an error, not that file or more than max.
func (d *resultsDir) read(max int64) ([][]byte, error) {
	if d == nil {
		return nil, nil
	}
	root, err := os.OpenRoot(d.path)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	entries, err := fs.ReadDir(root.FS(), ".")
	if err != nil {
		return nil, err
	}
	var out [][]byte
	left := max
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		data, err := readLimited(root, e.Name(), left)
		if err != nil {
			return nil, err
		}
		if left -= int64(len(data)); left < 0 {
			return nil, &BudgetError{What: "read", Limit: byteSize(max) + " (with the functions' results)", Flag: "--render-max-bytes"}
		}
		out = append(out, data)
	}
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i], out[j]) < 0 })
	return out, nil
}

// readLimited reads name in root, at most left+1 bytes: one more than
// allowed tells the caller the budget is spent.
func readLimited(root *os.Root, name string, left int64) ([]byte, error) {
	f, err := root.Open(name)
	if err != nil {
		return nil, fmt.Errorf("the functions' results %s: %w", strconv.Quote(name), err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, left+1))
	if err != nil {
		return nil, fmt.Errorf("the functions' results %s: %w", strconv.Quote(name), err)
	}
	return data, nil
}
