package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/golden"
	"github.com/routeshift/routeshift/internal/proof/report"
)

// The reviewer's view of one canary weight change (10% -> 20%, on two
// hosts): one cause, not a row per probe; one row per host in the details.
func TestDiffCanaryWeightIsOneCause(t *testing.T) {
	before, after := filepath.Join(diffData, "canary.yaml"), filepath.Join(diffData, "canary-20.yaml")
	var out, errw bytes.Buffer
	if code := run([]string{"diff", "--format", "json", before, after}, nil, &out, &errw); code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out.String(), errw.String())
	}
	var rep report.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	cs := rep.Comparisons[0].Causes
	if len(cs) != 1 || cs[0].Requests != rep.Differences || cs[0].Hosts != 2 || rep.Differences < 6 {
		t.Fatalf("want one cause covering all %d differences on 2 hosts, got %+v", rep.Differences, cs)
	}
	if want := "backends shop/api-v2:8080 (10%) + shop/api:8080 (90%) → shop/api-v2:8080 (20%) + shop/api:8080 (80%)"; cs[0].What != want {
		t.Errorf("cause %q, want %q", cs[0].What, want)
	}
	out.Reset()
	if code := run([]string{"diff", "--format", "markdown", before, after}, nil, &out, &errw); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	md := out.String()
	var causeRows, detailRows int
	for _, line := range strings.Split(md, "\n") {
		switch {
		case strings.HasPrefix(line, "| 1 | `backends"):
			causeRows++
		case strings.HasPrefix(line, "| 1 | `GET"):
			detailRows++
		}
	}
	if causeRows != 1 || detailRows != 2 {
		t.Errorf("want 1 cause row and 1 row per host, got %d and %d:\n%s", causeRows, detailRows, md)
	}
	golden.Check(t, filepath.Join(diffData, "canary-weight-markdown.golden"), []byte(strings.ReplaceAll(md, diffData+"/", "")))
}

// TestDiffAcceptFile: acknowledgements match precisely, a stale one fails,
// the ones the base does not hold are listed as added.
func TestDiffAcceptFile(t *testing.T) {
	dir := t.TempDir()
	before, after := filepath.Join(diffData, "canary.yaml"), filepath.Join(diffData, "canary-20.yaml")
	change := "backends shop/api-v2:8080 (10%) + shop/api:8080 (90%) → shop/api-v2:8080 (20%) + shop/api:8080 (80%)"
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	diffJSON := func(t *testing.T, wantCode int, args ...string) report.Report {
		t.Helper()
		var out, errw bytes.Buffer
		code := run(append(append([]string{"diff", "--format", "json"}, args...), before, after), nil, &out, &errw)
		if code != wantCode {
			t.Fatalf("exit %d, want %d\n%s%s", code, wantCode, out.String(), errw.String())
		}
		var rep report.Report
		if wantCode != 2 {
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatal(err)
			}
		}
		if wantCode == 2 {
			rep.Summary = errw.String()
		}
		return rep
	}
	t.Run("exact", func(t *testing.T) {
		f := write("exact.yaml", "acknowledgements:\n- change: '"+change+"'\n  reason: canary to 20% (OPS-12)\n")
		rep := diffJSON(t, 0, "--accept-file", f)
		if rep.Differences != 0 || rep.Accepted != 6 || rep.Acknowledgements[0].Matched != 6 || rep.Stale != 0 {
			t.Errorf("%s: %+v", rep.Summary, rep.Acknowledgements)
		}
		if c := rep.Comparisons[0].Causes; len(c) != 1 || c[0].Kind != report.KindAccepted || !strings.Contains(c[0].What, "OPS-12") {
			t.Errorf("want one accepted cause naming the reason, got %+v", c)
		}
	})
	t.Run("narrow", func(t *testing.T) {
		// One host, one path prefix: the other host's change still fails.
		f := write("narrow.yaml", "acknowledgements:\n- host: www.shop.example.com\n  pathPrefix: /api\n  change: '"+change+"'\n")
		rep := diffJSON(t, 1, "--accept-file", f)
		if rep.Differences != 3 || rep.Accepted != 3 {
			t.Errorf("want 3 differences and 3 accepted: %s", rep.Summary)
		}
		// Another change at the same place is not what was reviewed.
		f = write("other.yaml", "acknowledgements:\n- host: www.shop.example.com\n  change: 'backends shop/api:8080 → shop/api-v2:8080'\n")
		rep = diffJSON(t, 1, "--accept-file", f)
		if rep.Differences != 6 || rep.Stale != 1 || !strings.Contains(rep.Summary, "stale") {
			t.Errorf("a different change must stay a difference and the entry stale: %s", rep.Summary)
		}
	})
	t.Run("stale", func(t *testing.T) {
		f := write("stale.yaml", "acknowledgements:\n- change: '"+change+"'\n- host: gone.example.com\n  after: status 404\n")
		rep := diffJSON(t, 1, "--accept-file", f)
		if rep.Differences != 0 || rep.Stale != 1 || rep.Acknowledgements[1].Matched != 0 {
			t.Errorf("want the second entry stale and the exit 1: %s %+v", rep.Summary, rep.Acknowledgements)
		}
	})
	t.Run("added", func(t *testing.T) {
		head := write("head.yaml", "acknowledgements:\n- class: redirect-trailing-slash\n  host: shop.example.com\n- change: '"+change+"'\n")
		base := write("base.yaml", "acknowledgements:\n- class: redirect-trailing-slash\n  host: shop.example.com\n")
		rep := diffJSON(t, 1, "--accept-file", head, "--accept-base", base)
		a := rep.Acknowledgements
		if len(a) != 2 || a[0].Added || !a[1].Added {
			t.Errorf("want only the second entry added: %+v", a)
		}
		// A base without the file: everything is added.
		rep = diffJSON(t, 1, "--accept-file", head, "--accept-base", filepath.Join(dir, "missing.yaml"))
		if a := rep.Acknowledgements; !a[0].Added || !a[1].Added {
			t.Errorf("want both added: %+v", a)
		}
		var out, errw bytes.Buffer
		run([]string{"diff", "--format", "markdown", "--accept-file", head, "--accept-base", base, before, after}, nil, &out, &errw)
		if !strings.Contains(out.String(), "This change adds 1 acknowledgement") {
			t.Errorf("the comment must list what the change adds:\n%s", out.String())
		}
	})
	t.Run("bad", func(t *testing.T) {
		for name, content := range map[string]string{
			"unknown-field.yaml": "acknowledgements:\n- hots: shop.example.com\n  change: x\n",
			"no-what.yaml":       "acknowledgements:\n- host: shop.example.com\n",
			"bad-class.yaml":     "acknowledgements:\n- class: everything\n",
			"relative.yaml":      "acknowledgements:\n- path: api\n  change: x\n",
		} {
			rep := diffJSON(t, 2, "--accept-file", write(name, content))
			if !strings.Contains(rep.Summary, name) {
				t.Errorf("%s: the error must name the file: %s", name, rep.Summary)
			}
		}
	})
}

// TestDiffReportFile: --report-file keeps the whole report beside the
// one on stdout.
func TestDiffReportFile(t *testing.T) {
	dir := t.TempDir()
	for _, ext := range []string{".json", ".md", ".txt"} {
		p := filepath.Join(dir, "report"+ext)
		var out, errw bytes.Buffer
		if code := run([]string{"diff", "--report-file", p, filepath.Join(diffData, "canary.yaml"), filepath.Join(diffData, "canary-20.yaml")}, nil, &out, &errw); code != 1 {
			t.Fatalf("exit %d\n%s", code, errw.String())
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(data, []byte("shop/api-v2:8080 (20%)")) || (ext == ".json" && !json.Valid(data)) {
			t.Errorf("%s: not the report:\n%s", ext, data)
		}
	}
}

// TestDiffConverterResults: the causes of the wildcard host's conversion,
// which the converter reported as approximated, carry its words; read from
// the results list or the function's whole ResourceList.
func TestDiffConverterResults(t *testing.T) {
	before, after := filepath.Join(diffData, "wildcard.yaml"), filepath.Join(diffData, "wildcard-converted.yaml")
	results := filepath.Join(diffData, "wildcard-results.yaml")
	list, err := os.ReadFile(results)
	if err != nil {
		t.Fatal(err)
	}
	rl := filepath.Join(t.TempDir(), "out.yaml")
	var b strings.Builder
	b.WriteString("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nresults:\n")
	b.Write(list)
	if err := os.WriteFile(rl, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, f := range []string{results, rl} {
		var out, errw bytes.Buffer
		if code := run([]string{"diff", "--format", "json", "--converter-results", f, before, after}, nil, &out, &errw); code != 1 {
			t.Fatalf("%s: exit %d\n%s", f, code, errw.String())
		}
		var rep report.Report
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		marked := 0
		for _, c := range rep.Comparisons[0].Causes {
			if len(c.Converter) > 0 {
				marked++
			}
			if strings.Contains(c.Example.Text, "two.labels.example.com") && !strings.Contains(strings.Join(c.Converter, "\n"), "matches exactly one label") {
				t.Errorf("the two-label host's cause must carry the wildcard approximation: %+v", c)
			}
		}
		if marked == 0 {
			t.Errorf("%s: no cause marked", f)
		}
		texts = append(texts, out.String())
	}
	if texts[0] != texts[1] {
		t.Error("the results list and the ResourceList must mark the same causes")
	}
	var out, errw bytes.Buffer
	run([]string{"diff", "--format", "markdown", "--converter-results", results, before, after}, nil, &out, &errw)
	golden.Check(t, filepath.Join(diffData, "wildcard-converter-markdown.golden"), []byte(strings.ReplaceAll(out.String(), diffData+"/", "")))
	if code := run([]string{"diff", "--converter-results", before, before, after}, nil, &out, &errw); code != 2 || !strings.Contains(errw.String(), "--converter-results") {
		t.Errorf("manifests as results: want exit 2 naming the flag, got %d: %s", code, errw.String())
	}
}

// TestDiffDefaultAcceptFile: without --accept-file, diff reads
// .routeshift/accept.yaml at the root of the repository that holds AFTER,
// wherever it runs from (the test runs in cmd/routeshift), and never
// through a symbolic link that leaves that tree.
func TestDiffDefaultAcceptFile(t *testing.T) {
	before := filepath.Join(diffData, "canary.yaml")
	after, err := os.ReadFile(filepath.Join(diffData, "canary-20.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	change := "backends shop/api-v2:8080 (10%) + shop/api:8080 (90%) → shop/api-v2:8080 (20%) + shop/api:8080 (80%)"
	ack := "acknowledgements:\n- change: '" + change + "'\n  reason: canary to 20%\n"
	put := func(p, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	diffJSON := func(t *testing.T, wantCode int, afterPath string) (report.Report, string) {
		t.Helper()
		var out, errw bytes.Buffer
		code := run([]string{"diff", "--format", "json", before, afterPath}, nil, &out, &errw)
		if code != wantCode {
			t.Fatalf("exit %d, want %d\n%s%s", code, wantCode, out.String(), errw.String())
		}
		var rep report.Report
		if code != 2 {
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatal(err)
			}
		}
		return rep, errw.String()
	}
	// A repository: .git is a directory (a clone) or a file (a worktree,
	// as the PR check's checkouts are).
	for _, gitFile := range []bool{false, true} {
		repo := t.TempDir()
		if gitFile {
			put(filepath.Join(repo, ".git"), "gitdir: /elsewhere/.git/worktrees/head\n")
		} else if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
			t.Fatal(err)
		}
		put(filepath.Join(repo, ".routeshift", "accept.yaml"), ack)
		put(filepath.Join(repo, "apps", "shop", "after.yaml"), string(after))
		for _, p := range []string{filepath.Join(repo, "apps", "shop", "after.yaml"), filepath.Join(repo, "apps")} {
			rep, _ := diffJSON(t, 0, p)
			if rep.Accepted != 6 || rep.AcceptFile != ".routeshift/accept.yaml" {
				t.Errorf("after %s (.git file %v): want the repository's accept file read: %s", p, gitFile, rep.Summary)
			}
		}
	}
	t.Run("no repository", func(t *testing.T) {
		// AFTER a directory: its own .routeshift/accept.yaml.
		dir := t.TempDir()
		put(filepath.Join(dir, ".routeshift", "accept.yaml"), ack)
		put(filepath.Join(dir, "after.yaml"), string(after))
		if rep, _ := diffJSON(t, 0, dir); rep.Accepted != 6 {
			t.Errorf("want the directory's accept file read: %s", rep.Summary)
		}
		// AFTER a file: the current directory's (cmd/routeshift has none).
		if rep, _ := diffJSON(t, 1, filepath.Join(dir, "after.yaml")); rep.Accepted != 0 || rep.AcceptFile != "" {
			t.Errorf("a file outside a repository must not read its directory's accept file: %s", rep.Summary)
		}
	})
	t.Run("links that leave the repository", func(t *testing.T) {
		outside := t.TempDir()
		put(filepath.Join(outside, "accept.yaml"), ack)
		for name, link := range map[string]func(repo string) error{
			"file": func(repo string) error {
				if err := os.Mkdir(filepath.Join(repo, ".routeshift"), 0o755); err != nil {
					return err
				}
				return os.Symlink(filepath.Join(outside, "accept.yaml"), filepath.Join(repo, ".routeshift", "accept.yaml"))
			},
			"directory": func(repo string) error {
				return os.Symlink(outside, filepath.Join(repo, ".routeshift"))
			},
		} {
			repo := t.TempDir()
			if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := link(repo); err != nil {
				t.Fatal(err)
			}
			put(filepath.Join(repo, "after.yaml"), string(after))
			if _, msg := diffJSON(t, 2, filepath.Join(repo, "after.yaml")); !strings.Contains(msg, "accept.yaml") || !strings.Contains(msg, "escapes") {
				t.Errorf("%s link: want an error naming the accept file: %s", name, msg)
			}
		}
		// A link inside the tree is read.
		repo := t.TempDir()
		put(filepath.Join(repo, ".git", "HEAD"), "ref: refs/heads/main\n")
		put(filepath.Join(repo, "reviewed", "accept.yaml"), ack)
		if err := os.Symlink("reviewed", filepath.Join(repo, ".routeshift")); err != nil {
			t.Fatal(err)
		}
		put(filepath.Join(repo, "after.yaml"), string(after))
		if rep, _ := diffJSON(t, 0, filepath.Join(repo, "after.yaml")); rep.Accepted != 6 {
			t.Errorf("a link within the repository must be followed: %s", rep.Summary)
		}
	})
}

// TestDiffResourceListAfter: the KRM function's own output (a ResourceList
// with its items and results) as AFTER: diff compares the items and marks
// the causes with the results it carries, as --converter-results would,
// from a file and from stdin; the report says how the side was read.
func TestDiffResourceListAfter(t *testing.T) {
	before := filepath.Join(diffData, "wildcard.yaml")
	in, err := os.ReadFile(before)
	if err != nil {
		t.Fatal(err)
	}
	// The function run as kustomize or kpt runs it: a ResourceList in,
	// one out.
	var items strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(string(in)), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "apiVersion") {
			items.WriteString("- " + line + "\n")
		} else {
			items.WriteString("  " + line + "\n")
		}
	}
	rlIn := "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n" + items.String()
	fnOut, stderr, code := runCLI(rlIn)
	if code != 0 || !strings.Contains(fnOut, "kind: ResourceList") || !strings.Contains(fnOut, "results:") {
		t.Fatalf("the function: exit %d\n%s\n%s", code, fnOut, stderr)
	}
	rl := filepath.Join(t.TempDir(), "out.yaml")
	if err := os.WriteFile(rl, []byte(fnOut), 0o644); err != nil {
		t.Fatal(err)
	}
	marked := func(t *testing.T, out string) *report.Report {
		t.Helper()
		var rep report.Report
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		n := 0
		for _, c := range rep.Comparisons[0].Causes {
			if len(c.Converter) > 0 {
				n++
			}
		}
		if n == 0 {
			t.Errorf("no cause marked with the converter's results:\n%s", out)
		}
		return &rep
	}
	out, stderr, code := runCLI("", "diff", "--format", "json", before, rl)
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	rep := marked(t, out)
	if notes := strings.Join(rep.Comparisons[0].Notes, "\n"); !strings.Contains(notes, "after: read the ResourceList (a KRM function's output) in the file "+rl+", with its results") {
		t.Errorf("the report must say how AFTER was read:\n%s", notes)
	}
	if rep.Probes < 10 {
		t.Errorf("the items were not compared: %d probes", rep.Probes)
	}
	// The same from stdin.
	out, stderr, code = runCLI(fnOut, "diff", "--format", "json", before, "-")
	if code != 1 {
		t.Fatalf("stdin: exit %d\n%s", code, stderr)
	}
	if rep := marked(t, out); !strings.Contains(strings.Join(rep.Comparisons[0].Notes, "\n"), "on stdin, with its results") {
		t.Errorf("stdin: %v", rep.Comparisons[0].Notes)
	}
	// --converter-results names other results: they win.
	empty := filepath.Join(t.TempDir(), "none.yaml")
	if err := os.WriteFile(empty, []byte("[]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, _ = runCLI("", "diff", "--format", "json", "--converter-results", empty, before, rl)
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Comparisons[0].Causes {
		if len(c.Converter) > 0 {
			t.Errorf("--converter-results must take precedence: %+v", c)
		}
	}
}

// TestFunctionWritesResults: with ROUTESHIFT_RESULTS_DIR set (diff's
// render sets it for exec functions), the function writes the results of
// its output to a new file there, and its output is unchanged.
func TestFunctionWritesResults(t *testing.T) {
	in := "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n" +
		"- apiVersion: networking.k8s.io/v1\n  kind: Ingress\n  metadata: {name: web, namespace: shop}\n" +
		"  spec:\n    ingressClassName: nginx\n    rules:\n    - host: '*.example.com'\n      http:\n        paths:\n" +
		"        - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}\n"
	plain, _, code := runCLI(in)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	dir := t.TempDir()
	t.Setenv("ROUTESHIFT_RESULTS_DIR", dir)
	out, stderr, code := runCLI(in)
	if code != 0 || out != plain {
		t.Fatalf("exit %d, output changed: %v\n%s", code, out != plain, stderr)
	}
	files, err := filepath.Glob(filepath.Join(dir, "results-*.json"))
	if err != nil || len(files) != 1 {
		t.Fatalf("files %v %v", files, err)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	rs, err := report.ParseConverterResults(data, files[0])
	if err != nil || len(rs) == 0 || !strings.Contains(string(data), "matches exactly one label") {
		t.Errorf("results %v %s", err, data)
	}
	// A relative directory is refused: the function runs where kustomize
	// says, not where the render is.
	t.Setenv("ROUTESHIFT_RESULTS_DIR", "relative")
	if _, stderr, code := runCLI(in); code != 2 || !strings.Contains(stderr, "absolute") {
		t.Errorf("relative: exit %d %s", code, stderr)
	}
}
