package examples_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"sigs.k8s.io/yaml"
)

// pipeline/ci/pr-check.sh, run as pipeline/github's workflow runs it, on a
// Git repository made here: the base commit serves a shop through
// ingress-nginx, one head commit migrates it to Gateway API with the
// routeshift transformer (routing unchanged), a later one also sends the
// API to another Service (routing changed). A fake GitHub API on loopback
// records the one comment the check keeps on the pull request.

// needDiff fails the test when `routeshift diff` (issue 4) is missing: the
// check cannot run without it.
func needDiff(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	f := filepath.Join(dir, "empty.yaml")
	writeFile(t, f, "")
	r := run(t, dir, nil, routeshift, "diff", "--format", "markdown", f, f)
	if strings.Contains(r.stderr, `unknown command "diff"`) {
		t.Fatalf("routeshift diff is not available in this tree (issue 4): pipeline/ci/pr-check.sh cannot run without it\n%s", r.stderr)
	}
	if r.code != 0 {
		t.Fatalf("routeshift diff of an empty file with itself: exit %d, want 0 (equivalent)\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// fakeGitHub serves the three REST calls pr-check.sh makes.
type fakeGitHub struct {
	mu       sync.Mutex
	comments []map[string]any
	calls    []string
	nextID   int
}

func (g *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.calls = append(g.calls, r.Method+" "+r.URL.Path)
	if r.Header.Get("Authorization") != "Bearer test-token" {
		http.Error(w, "bad credentials", http.StatusUnauthorized)
		return
	}
	body := func() string {
		var in struct{ Body string }
		data, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(data, &in); err != nil || in.Body == "" {
			http.Error(w, "want a JSON body", http.StatusUnprocessableEntity)
			return ""
		}
		return in.Body
	}
	switch {
	case r.Method == "GET" && r.URL.Path == "/repos/acme/manifests/issues/7/comments":
		page := g.comments
		if r.URL.Query().Get("page") != "1" {
			page = nil
		}
		json.NewEncoder(w).Encode(append([]map[string]any{}, page...))
	case r.Method == "POST" && r.URL.Path == "/repos/acme/manifests/issues/7/comments":
		if b := body(); b != "" {
			g.nextID++
			c := map[string]any{"id": g.nextID, "body": b}
			g.comments = append(g.comments, c)
			w.WriteHeader(http.StatusCreated)
			json.NewEncoder(w).Encode(c)
		}
	case r.Method == "PATCH" && strings.HasPrefix(r.URL.Path, "/repos/acme/manifests/issues/comments/"):
		id := strings.TrimPrefix(r.URL.Path, "/repos/acme/manifests/issues/comments/")
		for _, c := range g.comments {
			if fmt.Sprint(c["id"]) == id {
				if b := body(); b != "" {
					c["body"] = b
					json.NewEncoder(w).Encode(c)
				}
				return
			}
		}
		http.NotFound(w, r)
	default:
		http.NotFound(w, r)
	}
}

// workflowStep returns the env and the script of the named step of
// pipeline/github's workflow.
func workflowStep(t *testing.T, name string) (map[string]string, string) {
	t.Helper()
	var wf struct {
		// sigs.k8s.io/yaml reads YAML 1.1, where the key on is true.
		On          map[string]any    `json:"true"`
		Permissions map[string]string `json:"permissions"`
		Jobs        map[string]struct {
			Steps []struct {
				Name string            `json:"name"`
				Uses string            `json:"uses"`
				With map[string]any    `json:"with"`
				Env  map[string]string `json:"env"`
				Run  string            `json:"run"`
			} `json:"steps"`
		} `json:"jobs"`
	}
	if err := yaml.Unmarshal([]byte(readFile(t, filepath.Join(root, "pipeline/github/routeshift-pr-check.yaml"))), &wf); err != nil {
		t.Fatal(err)
	}
	if _, ok := wf.On["pull_request"]; !ok || wf.Permissions["pull-requests"] != "write" {
		t.Errorf("the workflow must run on pull_request with pull-requests: write, has on %v, permissions %v", wf.On, wf.Permissions)
	}
	job, ok := wf.Jobs["routing"]
	if !ok || len(job.Steps) == 0 {
		t.Fatal("the workflow has no routing job")
	}
	if s := job.Steps[0]; !strings.HasPrefix(s.Uses, "actions/checkout@") || fmt.Sprint(s.With["fetch-depth"]) != "0" {
		t.Errorf("the first step must check out the whole history (fetch-depth: 0): %+v", s)
	}
	for _, s := range job.Steps {
		if s.Name == name {
			return s.Env, s.Run
		}
	}
	t.Fatalf("the workflow has no step %q", name)
	return nil, ""
}

func TestPRCheck(t *testing.T) {
	needCommands(t, "git", "bash")
	needDiff(t)
	k := kustomize(t)
	repo := t.TempDir()
	git := func(args ...string) string {
		return strings.TrimSpace(mustRun(t, repo, nil, "git", append([]string{"-c", "user.name=test", "-c", "user.email=test@example.com"}, args...)...).stdout)
	}
	app := filepath.Join(repo, "apps", "shop")
	git("init", "-q")
	writeFile(t, filepath.Join(app, "kustomization.yaml"), "resources:\n- shop.yaml\n")
	// Without TLS: routeshift reports its HTTPS redirect as approximated
	// (ingress-nginx strips a trailing slash), which diff rightly counts as
	// a difference; the migration here must be exact.
	shop := readFile(t, "kustomize/base/shop.yaml")
	tls := "  tls:\n  - hosts:\n    - shop.example.com\n    secretName: shop-example-com-tls\n"
	if !strings.Contains(shop, tls) {
		t.Fatalf("kustomize/base/shop.yaml lacks its tls block %q", tls)
	}
	writeFile(t, filepath.Join(app, "shop.yaml"), strings.Replace(shop, tls, "", 1))
	git("add", "-A")
	git("commit", "-q", "-m", "the shop on ingress-nginx")
	base := git("rev-parse", "HEAD")

	// The migration: routeshift converts in the render, Ingresses removed.
	writeFile(t, filepath.Join(app, "kustomization.yaml"), "resources:\n- shop.yaml\ntransformers:\n- routeshift.yaml\n")
	cfg := strings.Replace(readFile(t, "kustomize/overlays/exec/routeshift.yaml"), "spec:\n", "spec:\n  ingress: remove\n", 1)
	writeFile(t, filepath.Join(app, "routeshift.yaml"), cfg)
	git("add", "-A")
	git("commit", "-q", "-m", "migrate to Gateway API")
	migrated := git("rev-parse", "HEAD")
	rendered := mustRun(t, app, []string{withPath(binDir)}, k, "build", "--enable-alpha-plugins", "--enable-exec", ".").stdout
	if strings.Contains(rendered, "kind: Ingress\n") || !strings.Contains(rendered, "kind: HTTPRoute\n") {
		t.Fatalf("the migrated commit should render routes and no Ingress:\n%s", rendered)
	}

	// A change that routes differently: the API goes to another Service.
	replaceIn(t, filepath.Join(app, "shop.yaml"), "            name: api\n", "            name: api-v2\n")
	git("commit", "-q", "-am", "send the API to api-v2")
	changed := git("rev-parse", "HEAD")

	// The step as GitHub runs it: in the workspace, with routeshift's
	// checkout in .routeshift and the tools on PATH.
	env, script := workflowStep(t, "Compare routing")
	if err := os.Symlink(mustAbs(t, root), filepath.Join(repo, ".routeshift")); err != nil {
		t.Fatal(err)
	}
	gh := &fakeGitHub{comments: []map[string]any{{"id": 1000, "body": "Looks good to me"}}, nextID: 1000}
	server := httptest.NewServer(gh)
	defer server.Close()
	summary := filepath.Join(t.TempDir(), "summary.md")
	step := func(head string) result {
		event := filepath.Join(t.TempDir(), "event.json")
		writeFile(t, event, fmt.Sprintf(`{"pull_request": {"number": 7, "base": {"sha": %q}, "head": {"sha": %q}}}`, base, head))
		vars := []string{withPath(binDir, filepath.Dir(k)), "GITHUB_REPOSITORY=acme/manifests", "GITHUB_EVENT_PATH=" + event,
			"GITHUB_API_URL=" + server.URL, "GITHUB_STEP_SUMMARY=" + summary, "GITHUB_WORKSPACE=" + repo, "ROUTESHIFT=", "KUSTOMIZE="}
		for name, value := range env {
			switch {
			case value == "${{ github.token }}":
				value = "test-token"
			case name == "RENDER_PATHS":
				value = "apps/shop" // the list a user would write for this repository
			case strings.Contains(value, "${{"):
				t.Fatalf("step env %s=%s: unknown expression", name, value)
			}
			vars = append(vars, name+"="+value)
		}
		return run(t, repo, vars, "bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
	}

	r := step(migrated)
	if r.code != 0 {
		t.Fatalf("the migration must route as before: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	contains(t, "pr-check's stderr", r.stderr, "pr-check: commented on pull request #7\n")
	if len(gh.comments) != 2 || !strings.HasPrefix(gh.comments[1]["body"].(string), "<!-- routeshift-pr-check -->\n") || gh.comments[0]["body"] != "Looks good to me" {
		t.Fatalf("want the reviewer's comment and one routeshift comment, got %v (calls %v)", gh.comments, gh.calls)
	}
	first := gh.comments[1]["body"].(string)

	r = step(changed)
	if r.code != 1 {
		t.Fatalf("a routing change must fail the check (exit 1), got %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	contains(t, "pr-check's stderr", r.stderr, "pr-check: updated comment 1001 on pull request #7\n")
	if len(gh.comments) != 2 {
		t.Fatalf("the check must update its comment, not add one: %v", gh.comments)
	}
	second := gh.comments[1]["body"].(string)
	if second == first || !strings.Contains(second, "api-v2") {
		t.Errorf("the updated comment should report the change to api-v2:\n%s", second)
	}
	// The report names the renders by commit, not by temporary paths.
	contains(t, "the comment", second, "base@"+git("rev-parse", "--short", base)+".yaml", "head@"+git("rev-parse", "--short", changed)+".yaml")
	contains(t, "the job summary", readFile(t, summary), first, second)
	if !strings.Contains(r.stdout, second) {
		t.Errorf("the report is not in the job's log:\n%s", r.stdout)
	}

	// Outside GitHub the script prints the report and comments nowhere.
	calls := len(gh.calls)
	r = run(t, repo, []string{withPath(binDir, filepath.Dir(k))}, filepath.Join(mustAbs(t, root), "pipeline/ci/pr-check.sh"), "--base", base, "--head", changed, "apps/shop")
	if r.code != 1 || !strings.Contains(r.stdout, "api-v2") || !strings.Contains(r.stderr, "not in a GitHub pull request") || len(gh.calls) != calls {
		t.Errorf("outside GitHub: exit %d, %d API calls\n%s\n%s", r.code, len(gh.calls)-calls, r.stdout, r.stderr)
	}
	// The worktrees are gone and the working tree untouched.
	if wt := git("worktree", "list"); strings.Count(wt, "\n") != 0 {
		t.Errorf("worktrees left behind:\n%s", wt)
	}
	if st := git("status", "--porcelain"); st != "?? .routeshift" {
		t.Errorf("the check changed the working tree:\n%s", st)
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// Plain manifests at the repository root, the script's default path.
func TestPRCheckPlainManifests(t *testing.T) {
	needCommands(t, "git", "bash")
	needDiff(t)
	repo := t.TempDir()
	git := func(args ...string) string {
		return strings.TrimSpace(mustRun(t, repo, nil, "git", append([]string{"-c", "user.name=test", "-c", "user.email=test@example.com"}, args...)...).stdout)
	}
	git("init", "-q")
	writeFile(t, filepath.Join(repo, "shop", "shop.yaml"), readFile(t, "kustomize/base/shop.yaml"))
	writeFile(t, filepath.Join(repo, "README.md"), "not a manifest\n")
	git("add", "-A")
	git("commit", "-q", "-m", "shop")
	base := git("rev-parse", "HEAD")
	script := filepath.Join(mustAbs(t, root), "pipeline/ci/pr-check.sh")
	env := []string{withPath(binDir)}

	r := run(t, repo, env, script, "--base", base)
	if r.code != 0 {
		t.Fatalf("no change: want exit 0, got %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	replaceIn(t, filepath.Join(repo, "shop", "shop.yaml"), "            name: api\n", "            name: api-v2\n")
	git("commit", "-q", "-am", "api-v2")
	r = run(t, repo, env, script, "--base", base)
	if r.code != 1 || !strings.Contains(r.stdout, "api-v2") || !strings.HasPrefix(r.stdout, "<!-- routeshift-pr-check -->\n") {
		t.Errorf("a routing change in plain manifests: want exit 1 and a report naming api-v2, got %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, repo, env, script, "--base", "no-such-revision")
	if r.code != 2 || !strings.Contains(r.stderr, "pr-check: no such base revision: no-such-revision") {
		t.Errorf("a bad revision: want exit 2 and a message, got %d\n%s", r.code, r.stderr)
	}
}
