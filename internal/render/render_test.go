package render

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/routeshift/routeshift/internal/testtool"
)

// write creates the files of a tree: name -> content.
func write(t *testing.T, dir string, files map[string]string) {
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

const configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: v}\n"

// wantRefused checks that err names the kustomization file and the entry.
func wantRefused(t *testing.T, err error, file, entry string) {
	t.Helper()
	if err == nil {
		t.Fatal("rendered; want a refusal")
	}
	var e *EntryError
	if !errors.As(err, &e) {
		t.Fatalf("error %q is not an EntryError", err)
	}
	if e.File != file || !strings.Contains(e.Entry, entry) {
		t.Fatalf("refusal names %s / %q, want %s / %q\n%v", e.File, e.Entry, file, entry, err)
	}
}

// TestGitOptionInjectionRunsNothing: the review's payload, a ref that git
// fetch reads as --upload-pack, leaves no file behind, with and without
// --allow-remote. On the unguarded krusty it runs the shell command.
func TestGitOptionInjectionRunsNothing(t *testing.T) {
	dir := t.TempDir()
	proof := filepath.Join(t.TempDir(), "proof")
	payload := "file:///nonexistent/repo?ref=--upload-pack=sh%20-c%20'touch%20" + strings.ReplaceAll(proof, "/", "%2F") + "'"
	write(t, dir, map[string]string{"kustomization.yaml": "resources:\n- \"" + payload + "\"\n"})
	for _, allow := range []bool{false, true} {
		_, err := Kustomization(dir, Options{AllowRemote: allow})
		wantRefused(t, err, filepath.Join(dir, "kustomization.yaml"), "--upload-pack")
		if allow && !strings.Contains(err.Error(), "even with --allow-remote") {
			t.Errorf("with --allow-remote: %v", err)
		}
		if _, err := os.Stat(proof); err == nil {
			t.Fatalf("allowRemote=%v: the payload ran: %s exists", allow, proof)
		}
	}
}

// TestOptionLikeRemotesRefusedWithOptIn: with --allow-remote, what git
// could read as an option, or a repository outside the tree, is still
// refused.
func TestOptionLikeRemotesRefusedWithOptIn(t *testing.T) {
	for _, entry := range []string{
		"https://github.com/org/repo?ref=--upload-pack=touch%20x",
		"https://github.com/org/repo?version=-oProxyCommand=x",
		"https://github.com/org/repo?ref=%2D%2Dupload-pack%3Dx",
		"ssh://-oProxyCommand=touch%20x/repo",
		"git@-oProxyCommand=x:org/repo",
		"https://github.com/org/repo?timeout=100000",
		"https://github.com/org/repo?ref=main&config=core.sshCommand",
		"file:///tmp/repo",
		"https://example.com/$(id)/repo.git",
	} {
		dir := t.TempDir()
		write(t, dir, map[string]string{"kustomization.yaml": fmt.Sprintf("resources:\n- %q\n", entry)})
		_, err := Kustomization(dir, Options{AllowRemote: true})
		wantRefused(t, err, filepath.Join(dir, "kustomization.yaml"), entry)
	}
}

// recorder is a local HTTP server that counts the requests it sees.
func recorder(t *testing.T, body string) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(s.Close)
	return s, &n
}

// TestNoRequestWithoutOptIn: every field kustomize fetches over http is a
// refusal naming the file and the entry, and the server sees no request.
func TestNoRequestWithoutOptIn(t *testing.T) {
	s, n := recorder(t, configMap)
	url := s.URL + "/x.yaml"
	for name, tc := range map[string]struct{ files map[string]string }{
		"resource":       {map[string]string{"kustomization.yaml": "resources: [" + url + "]\n"}},
		"git base":       {map[string]string{"kustomization.yaml": "resources: ['" + s.URL + "/org/repo.git?ref=main']\n"}},
		"generator file": {map[string]string{"kustomization.yaml": "configMapGenerator:\n- name: c\n  files: [k=" + url + "]\n"}},
		"patch":          {map[string]string{"kustomization.yaml": "resources: [cm.yaml]\npatches:\n- path: " + url + "\n", "cm.yaml": configMap}},
		"replacement":    {map[string]string{"kustomization.yaml": "resources: [cm.yaml]\nreplacements:\n- path: " + url + "\n", "cm.yaml": configMap}},
		"builtin generator config": {map[string]string{
			"kustomization.yaml": "generators: [gen.yaml]\n",
			"gen.yaml":           "apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata: {name: c}\nfiles: [k=" + url + "]\n",
		}},
		// The scan reads a transformers: directory's resources as
		// resources; the transport guard refuses the fetch its builtin
		// transformer configuration makes.
		"transformer built by a kustomization": {map[string]string{
			"kustomization.yaml":   "resources: [cm.yaml]\ntransformers: [t]\n",
			"cm.yaml":              configMap,
			"t/kustomization.yaml": "resources: [patch.yaml]\n",
			"t/patch.yaml":         "apiVersion: builtin\nkind: PatchTransformer\nmetadata: {name: p}\npath: " + url + "\ntarget: {kind: ConfigMap}\n",
		}},
		"base's resource": {map[string]string{
			"kustomization.yaml":      "resources: [base]\n",
			"base/kustomization.yaml": "resources: [" + url + "]\n",
		}},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, tc.files)
			_, err := Kustomization(dir, Options{})
			if err == nil || !strings.Contains(err.Error(), s.URL) || !strings.Contains(err.Error(), "--allow-remote") {
				t.Fatalf("want a refusal naming %s and --allow-remote, got %v", s.URL, err)
			}
			if n.Load() != 0 {
				t.Fatalf("the server saw %d requests", n.Load())
			}
		})
	}
}

// TestTransportGuard: behind the scan, kustomize's http client (on
// http.DefaultTransport) is refused while a render without
// --allow-remote runs.
func TestTransportGuard(t *testing.T) {
	s, n := recorder(t, configMap)
	refused := 0
	setPolicy(fetchPolicy{active: true, refused: func(error) { refused++ }})
	_, err := http.Get(s.URL)
	if err == nil || n.Load() != 0 || refused != 1 {
		t.Fatalf("request went out (err %v, %d requests, %d refusals)", err, n.Load(), refused)
	}
	// Between renders the rest of the process is unaffected.
	setPolicy(fetchPolicy{})
	resp, err := http.Get(s.URL)
	if err != nil || n.Load() != 1 {
		t.Fatalf("between renders: %v, %d requests", err, n.Load())
	}
	resp.Body.Close()
}

// TestRenderTimeout: the wall-clock budget is an error naming its flag.
func TestRenderTimeout(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"kustomization.yaml": "resources: [cm.yaml]\n", "cm.yaml": configMap})
	_, err := Kustomization(dir, Options{Limits: Limits{Timeout: time.Nanosecond}})
	if !IsBudget(err) || !strings.Contains(err.Error(), "--render-timeout") {
		t.Fatalf("want the time budget, got %v", err)
	}
}

// TestRemoteWithOptIn: --allow-remote fetches, with a size cap and a
// timeout on a server that never answers.
func TestRemoteWithOptIn(t *testing.T) {
	s, n := recorder(t, configMap)
	dir := t.TempDir()
	write(t, dir, map[string]string{"kustomization.yaml": "resources: [" + s.URL + "/cm.yaml]\n"})
	out, err := Kustomization(dir, Options{AllowRemote: true})
	if err != nil || !strings.Contains(string(out), "name: c") || n.Load() != 1 {
		t.Fatalf("want the fetched ConfigMap: %v\n%s", err, out)
	}

	big, _ := recorder(t, configMap+"  # "+strings.Repeat("x", 4096)+"\n")
	write(t, dir, map[string]string{"kustomization.yaml": "resources: [" + big.URL + "/cm.yaml]\n"})
	_, err = Kustomization(dir, Options{AllowRemote: true, Limits: Limits{MaxFetchBytes: 1024}})
	if err == nil || !strings.Contains(err.Error(), "--fetch-max-bytes") {
		t.Fatalf("want the size cap, got %v", err)
	}

	// A server that accepts and never answers.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	write(t, dir, map[string]string{"kustomization.yaml": "resources: [http://" + l.Addr().String() + "/cm.yaml]\n"})
	_, err = Kustomization(dir, Options{AllowRemote: true, Limits: Limits{FetchTimeout: 100 * time.Millisecond}})
	if err == nil || !strings.Contains(err.Error(), "--fetch-timeout") {
		t.Fatalf("want the fetch timeout, got %v", err)
	}
}

// TestSymlinksLeavingTheTree: a file or directory link out of the tree,
// and a base in ../, are refused; the same base with --root above it
// renders.
func TestSymlinksLeavingTheTree(t *testing.T) {
	outside := t.TempDir()
	write(t, outside, map[string]string{"cm.yaml": configMap, "kustomization.yaml": "resources: [cm.yaml]\n"})
	for name, link := range map[string]struct{ entry, target string }{
		"file to /proc/self/environ": {"env.yaml", "/proc/self/environ"},
		"file outside":               {"cm.yaml", filepath.Join(outside, "cm.yaml")},
		"directory outside":          {"base", outside},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, map[string]string{"kustomization.yaml": "resources: [" + link.entry + "]\n"})
			if err := os.Symlink(link.target, filepath.Join(dir, link.entry)); err != nil {
				t.Fatal(err)
			}
			_, err := Kustomization(dir, Options{})
			var esc *EscapeError
			if !errors.As(err, &esc) || !strings.Contains(err.Error(), link.entry) {
				t.Fatalf("want an escape naming %s, got %v", link.entry, err)
			}
		})
	}

	tree := t.TempDir()
	write(t, tree, map[string]string{
		"base/kustomization.yaml":    "resources: [cm.yaml]\n",
		"base/cm.yaml":               configMap,
		"overlay/kustomization.yaml": "resources: [../base]\nnamePrefix: p-\n",
	})
	overlay := filepath.Join(tree, "overlay")
	if _, err := Kustomization(overlay, Options{}); err == nil || !strings.Contains(err.Error(), "--root") {
		t.Fatalf("a base above the kustomization without --root: %v", err)
	}
	out, err := Kustomization(overlay, Options{Root: tree})
	if err != nil || !strings.Contains(string(out), "name: p-c") {
		t.Fatalf("with --root: %v\n%s", err, out)
	}
}

// TestFunctionsAndHelmRefused: exec and container functions need
// --enable-exec; Helm is never run.
func TestFunctionsAndHelmRefused(t *testing.T) {
	proof := filepath.Join(t.TempDir(), "proof")
	for name, tc := range map[string]struct {
		files map[string]string
		entry string
	}{
		"exec": {map[string]string{
			"kustomization.yaml": "resources: [cm.yaml]\ntransformers: [fn.yaml]\n",
			"cm.yaml":            configMap,
			"fn.yaml":            "apiVersion: example.com/v1\nkind: Fn\nmetadata:\n  name: f\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ./fn.sh\n",
			"fn.sh":              "#!/bin/sh\ntouch " + proof + "\ncat\n",
		}, "exec"},
		"container": {map[string]string{
			"kustomization.yaml": "generators:\n- |\n  apiVersion: example.com/v1\n  kind: Gen\n  metadata:\n    name: g\n    annotations:\n      config.kubernetes.io/function: |\n        container:\n          image: example.com/evil\n",
		}, "container"},
		"helmCharts": {map[string]string{
			"kustomization.yaml": "helmCharts:\n- name: evil\n  repo: https://example.com/charts\n",
		}, "evil"},
		"helm generator": {map[string]string{
			"kustomization.yaml": "generators: [helm.yaml]\n",
			"helm.yaml":          "apiVersion: builtin\nkind: HelmChartInflationGenerator\nmetadata: {name: h}\nchartName: evil\n",
		}, "HelmChartInflationGenerator"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, tc.files)
			if err := os.Chmod(filepath.Join(dir, "fn.sh"), 0o755); err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			_, err := Kustomization(dir, Options{})
			var e *EntryError
			if !errors.As(err, &e) || !strings.Contains(e.Entry, tc.entry) {
				t.Fatalf("want a refusal naming %q, got %v", tc.entry, err)
			}
			if _, err := os.Stat(proof); err == nil {
				t.Fatal("the function ran")
			}
		})
	}
}

// TestExecWithOptIn: --enable-exec runs an exec function, and still no
// Helm.
func TestExecWithOptIn(t *testing.T) {
	testtool.NeedCommands(t, "sh", "sed")
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"kustomization.yaml": "resources: [cm.yaml]\ntransformers: [fn.yaml]\n",
		"cm.yaml":            configMap,
		"fn.yaml":            "apiVersion: example.com/v1\nkind: Fn\nmetadata:\n  name: f\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ./fn.sh\n",
		"fn.sh":              "#!/bin/sh\nsed 's/k: v/k: changed/'\n",
	})
	if err := os.Chmod(filepath.Join(dir, "fn.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := Kustomization(dir, Options{EnableExec: true})
	if err != nil || !strings.Contains(string(out), "k: changed") {
		t.Fatalf("want the function's output: %v\n%s", err, out)
	}
}

// TestDoublingOverlaysCutOff: thirty levels, each including the level
// below twice with a nameSuffix (2^30 builds), are refused by the
// expansion budget before krusty starts.
func TestDoublingOverlaysCutOff(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"l0/kustomization.yaml": "resources: [cm.yaml]\n", "l0/cm.yaml": configMap}
	for i := 1; i <= 30; i++ {
		below := fmt.Sprintf("../../l%d", i-1)
		files[fmt.Sprintf("l%d/kustomization.yaml", i)] = "resources: [a, b]\n"
		files[fmt.Sprintf("l%d/a/kustomization.yaml", i)] = "nameSuffix: -a\nresources: [" + below + "]\n"
		files[fmt.Sprintf("l%d/b/kustomization.yaml", i)] = "nameSuffix: -b\nresources: [" + below + "]\n"
	}
	write(t, dir, files)
	_, err := Kustomization(filepath.Join(dir, "l30"), Options{Root: dir})
	if !IsBudget(err) || !strings.Contains(err.Error(), "--render-max-expansion") {
		t.Fatalf("want the expansion budget, got %v", err)
	}
	// Five levels fit.
	out, err := Kustomization(filepath.Join(dir, "l5"), Options{Root: dir})
	if err != nil || strings.Count(string(out), "kind: ConfigMap") != 32 {
		t.Fatalf("l5: %v\n%s", err, out)
	}
}

// TestReadBudget: the files read are charged to the budget.
func TestReadBudget(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"kustomization.yaml": "resources: [cm.yaml]\n", "cm.yaml": configMap + "# " + strings.Repeat("x", 8192) + "\n"})
	_, err := Kustomization(dir, Options{Limits: Limits{MaxReadBytes: 4096}})
	if !IsBudget(err) || !strings.Contains(err.Error(), "--render-max-bytes") {
		t.Fatalf("want the read budget, got %v", err)
	}
	if _, err := Kustomization(dir, Options{}); err != nil {
		t.Fatal(err)
	}
}

// TestFIFORefused: a named pipe in the tree would block a read forever.
func TestFIFORefused(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"kustomization.yaml": "resources: [pipe.yaml]\n"})
	if err := mkfifo(filepath.Join(dir, "pipe.yaml")); err != nil {
		t.Skip(err)
	}
	_, err := Kustomization(dir, Options{})
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("want a refusal of the pipe, got %v", err)
	}
}

// TestIsRemoteCoversKustomizesRepoURLs: every repository URL form of
// kustomize's own tests (api v0.21.2 internal/git/repospec_test.go) and
// every http(s) file is remote; local paths are not.
func TestIsRemoteCoversKustomizesRepoURLs(t *testing.T) {
	for _, u := range []string{
		"file:///a/b/c/someRepo?ref=someBranch", "file://a/b/c/someRepo//somepath?ref=someBranch",
		"git::https://itfs.mycompany.com/collection/project/_git/somerepos", "GIT::HTTPS://example.com/org/repo",
		"git@bitbucket.org/company/project.git//path?ref=branch", "git@bitbucket.org:company/project.git//path?ref=branch",
		"git@gist.github.com:bc7947cb727d7f9217e7862d961a1ffd.git", "git@gitlab.com/user:name/YOUR-REPOSITORY.git/path",
		"http://git@home.com/path/to/repository.git//path?ref=branch", "https://example.org/path/to/repo//examples/multibases/dev",
		"https://username@dev.azure.com/org/project/_git/repo//path/to/kustomization/root",
		"org-12345@github.com/kubernetes-sigs/kustomize", "github.com/kubernetes-sigs/kustomize/examples/multibases?ref=v1.0.6",
		"GitHub.com:org/repo", "ssh://git@ssh.github.com:443/YOUR-USERNAME/YOUR-REPOSITORY.git",
		"ssh://org-12345@github.com/kubernetes-sigs/kustomize", "https://raw.example.com/cm.yaml",
	} {
		if !isRemote(u) {
			t.Errorf("isRemote(%q) = false", u)
		}
	}
	for _, p := range []string{"base", "../base", "./overlays/prod", "deployment.yaml", "a:b.yaml", "github.example/base"} {
		if isRemote(p) {
			t.Errorf("isRemote(%q) = true", p)
		}
	}
}

// TestLocalFileNamedLikeARemote: kustomize reads an existing file before
// trying an entry as a repository, so "user@2x.yaml" renders.
func TestLocalFileNamedLikeARemote(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"kustomization.yaml": "resources: [user@2x.yaml]\n", "user@2x.yaml": configMap})
	if out, err := Kustomization(dir, Options{}); err != nil || !strings.Contains(string(out), "name: c") {
		t.Fatalf("%v\n%s", err, out)
	}
}

// TestAllowExec: --allow-exec NAME runs exactly the program NAME from
// PATH; a function naming a file of the tree, or NAME with args, a
// kustomization building transformers, and --allow-remote with it are
// refused, and nothing runs.
func TestAllowExec(t *testing.T) {
	testtool.NeedCommands(t, "sh", "sed")
	bin := t.TempDir()
	write(t, bin, map[string]string{"fakefn": "#!/bin/sh\nsed 's/k: v/k: changed/'\n"})
	if err := os.Chmod(filepath.Join(bin, "fakefn"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	fn := func(spec string) string {
		return "apiVersion: example.com/v1\nkind: Fn\nmetadata:\n  name: f\n  annotations:\n    config.kubernetes.io/function: |\n" + spec
	}
	proof := filepath.Join(t.TempDir(), "proof")
	evil := "#!/bin/sh\ntouch " + proof + "\ncat\n"
	allowed := Options{AllowExec: []string{"fakefn"}}

	dir := t.TempDir()
	write(t, dir, map[string]string{
		"kustomization.yaml": "resources: [cm.yaml]\ntransformers: [fn.yaml]\n",
		"cm.yaml":            configMap,
		"fn.yaml":            fn("      exec:\n        path: fakefn\n"),
	})
	out, err := Kustomization(dir, allowed)
	if err != nil || !strings.Contains(string(out), "k: changed") {
		t.Fatalf("the allowed function: %v\n%s", err, out)
	}

	for name, tc := range map[string]struct {
		files map[string]string
		opts  Options
		want  string
	}{
		"a file of the tree": {map[string]string{"fn.yaml": fn("      exec:\n        path: ./fakefn\n"), "fakefn": evil}, allowed, "exec: ./fakefn"},
		"args":               {map[string]string{"fn.yaml": fn("      exec:\n        path: fakefn\n        args: [x]\n")}, allowed, "without args"},
		"kustomization building transformers": {map[string]string{
			"kustomization.yaml":   "resources: [cm.yaml]\ntransformers: [t]\n",
			"t/kustomization.yaml": "resources: [fn.yaml]\n",
			"t/fn.yaml":            fn("      exec:\n        path: ./evil\n"),
			"t/evil":               evil,
		}, allowed, "cannot be checked"},
		"with --allow-remote": {nil, Options{AllowExec: []string{"fakefn"}, AllowRemote: true}, "--allow-remote"},
		"a path as the name":  {nil, Options{AllowExec: []string{"./fakefn"}}, "bare program name"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{"kustomization.yaml": "resources: [cm.yaml]\ntransformers: [fn.yaml]\n", "cm.yaml": configMap, "fn.yaml": fn("      exec:\n        path: fakefn\n")}
			for k, v := range tc.files {
				files[k] = v
			}
			write(t, dir, files)
			for _, f := range []string{"fakefn", "t/evil"} {
				if err := os.Chmod(filepath.Join(dir, f), 0o755); err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
			}
			_, err := Kustomization(dir, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want a refusal mentioning %q, got %v", tc.want, err)
			}
			if _, err := os.Stat(proof); err == nil {
				t.Fatal("a refused function ran")
			}
		})
	}
}

func TestWithin(t *testing.T) {
	for _, tc := range []struct {
		p, root string
		want    bool
	}{
		{"/a/b", "/a", true}, {"/a", "/a", true}, {"/ab", "/a", false}, {"/etc/passwd", "/", true}, {"/", "/", true},
	} {
		if got := within(tc.p, tc.root); got != tc.want {
			t.Errorf("within(%q, %q) = %v", tc.p, tc.root, got)
		}
	}
}

// TestMemoryBudget: a render whose live heap grows past the budget stops
// with an error naming the flag. A 4 MiB file stays live in krusty while
// it builds, so the next file system call sees the growth.
func TestMemoryBudget(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"kustomization.yaml": "resources: [big.yaml, cm.yaml]\n",
		"big.yaml":           "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {k: " + strings.Repeat("x", 4<<20) + "}\n",
		"cm.yaml":            configMap,
	})
	_, err := Kustomization(dir, Options{Limits: Limits{MaxMemoryBytes: 1 << 20}})
	if !IsBudget(err) || !strings.Contains(err.Error(), "--render-max-memory") {
		t.Fatalf("want the memory budget, got %v", err)
	}
	if _, err := Kustomization(dir, Options{}); err != nil {
		t.Fatal(err)
	}
}

// TestHostileNamesAreQuoted: a file name of the tree may hold a newline or
// an escape sequence; in every message (ours, and kustomize's own) it is
// quoted, so it cannot start a line (a forged "::error::" workflow command
// in a log, a fake heading in a comment) or move the terminal's cursor.
func TestHostileNamesAreQuoted(t *testing.T) {
	const name = "evil\n::error::forged\x1b[2J.yaml"
	yamlName := `"evil\n::error::forged\e[2J.yaml"`
	outside := t.TempDir()
	write(t, outside, map[string]string{"cm.yaml": configMap})
	check := func(t *testing.T, err error, want string) {
		t.Helper()
		if err == nil {
			t.Fatal("rendered; want an error")
		}
		msg := err.Error()
		if strings.ContainsAny(msg, "\n\x1b") {
			t.Errorf("the message holds the name raw:\n%s", msg)
		}
		if !strings.Contains(msg, `evil\n::error::forged\x1b[2J.yaml`) || !strings.Contains(msg, want) {
			t.Errorf("want the name quoted and %q, got %s", want, msg)
		}
	}
	t.Run("link leaving the tree", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, map[string]string{"kustomization.yaml": "resources: [" + yamlName + "]\n"})
		if err := os.Symlink(filepath.Join(outside, "cm.yaml"), filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
		_, err := Kustomization(dir, Options{})
		var esc *EscapeError
		if !errors.As(err, &esc) {
			t.Fatalf("want an escape, got %v", err)
		}
		check(t, err, "outside the tree")
	})
	t.Run("not a regular file", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, map[string]string{"kustomization.yaml": "resources: [" + yamlName + "]\n"})
		if err := mkfifo(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
		_, err := Kustomization(dir, Options{})
		check(t, err, "not a regular file")
	})
	t.Run("kustomize's own message", func(t *testing.T) {
		// A missing file: kustomize says so, naming it as it is.
		dir := t.TempDir()
		write(t, dir, map[string]string{"kustomization.yaml": "resources: [" + yamlName + "]\n"})
		_, err := Kustomization(dir, Options{})
		check(t, err, "kustomize build")
	})
	t.Run("kind and name of a configuration", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, map[string]string{
			"kustomization.yaml": "transformers: [fn.yaml]\n",
			"fn.yaml": "apiVersion: example.com/v1\nkind: \"Fn\\n::error::forged\\e[2J\"\nmetadata:\n  name: " + yamlName + "\n" +
				"  annotations:\n    config.kubernetes.io/function: |\n      exec: {path: ./fn}\n",
		})
		_, err := Kustomization(dir, Options{})
		check(t, err, "--enable-exec")
	})
}

// TestFunctionResults: an exec function gets ROUTESHIFT_RESULTS_DIR, and
// what it writes there comes back with the render (kustomize itself drops
// a function's results); the directory is gone afterwards. Without exec
// functions there is no directory.
func TestFunctionResults(t *testing.T) {
	testtool.NeedCommands(t, "sh", "sed")
	bin := t.TempDir()
	seen := filepath.Join(t.TempDir(), "dir")
	write(t, bin, map[string]string{"fakefn": "#!/bin/sh\necho \"$" + ResultsDirEnv + "\" > " + seen + "\n" +
		"echo '[{\"message\":\"approximated\"}]' > \"$" + ResultsDirEnv + "/results-1.json\"\nsed 's/k: v/k: changed/'\n"})
	if err := os.Chmod(filepath.Join(bin, "fakefn"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"kustomization.yaml": "resources: [cm.yaml]\ntransformers: [fn.yaml]\n",
		"cm.yaml":            configMap,
		"fn.yaml":            "apiVersion: example.com/v1\nkind: Fn\nmetadata:\n  name: f\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: fakefn\n",
	})
	out, err := Render(dir, Options{AllowExec: []string{"fakefn"}})
	if err != nil || !strings.Contains(string(out.YAML), "k: changed") {
		t.Fatalf("the function: %v\n%v", err, out)
	}
	if len(out.Results) != 1 || string(out.Results[0]) != "[{\"message\":\"approximated\"}]\n" {
		t.Errorf("results %q", out.Results)
	}
	data, err := os.ReadFile(seen)
	if err != nil {
		t.Fatal(err)
	}
	if d := strings.TrimSpace(string(data)); d == "" {
		t.Error("the function got no results directory")
	} else if _, err := os.Stat(d); !os.IsNotExist(err) {
		t.Errorf("the results directory %s is left behind: %v", d, err)
	}
	// No function, no results.
	plain := t.TempDir()
	write(t, plain, map[string]string{"kustomization.yaml": "resources: [cm.yaml]\n", "cm.yaml": configMap})
	if out, err := Render(plain, Options{}); err != nil || out.Results != nil {
		t.Errorf("no function: %v %q", err, out.Results)
	}
}
