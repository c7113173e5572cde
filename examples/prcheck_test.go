package examples_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/routeshift/routeshift/internal/testtool"
)

// The pull-request check: pipeline/github's workflow runs the Action
// (action.yml), which runs pipeline/ci/pr-check.sh. Here the Action's steps
// run as GitHub's runner would, on a Git repository made here: the base
// commit serves a shop through ingress-nginx, one head commit migrates it to
// Gateway API with the routeshift transformer (routing unchanged), a later
// one also sends the API to another Service (routing changed). A fake GitHub
// API on loopback records the comments. The attacks a pull request can make
// on the check are in prcheck_attack_test.go.

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

// fakeGitHub serves the REST calls pr-check.sh makes. Comments carry their
// author: the token "test-token" posts as github-actions[bot] and, like the
// Actions token, is refused by GET /user.
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
	case r.Method == "GET" && r.URL.Path == "/user":
		http.Error(w, `{"message": "Resource not accessible by integration"}`, http.StatusForbidden)
	case r.Method == "GET" && r.URL.Path == "/repos/acme/manifests/issues/7/comments":
		page := g.comments
		if r.URL.Query().Get("page") != "1" {
			page = nil
		}
		json.NewEncoder(w).Encode(append([]map[string]any{}, page...))
	case r.Method == "POST" && r.URL.Path == "/repos/acme/manifests/issues/7/comments":
		if b := body(); b != "" {
			g.nextID++
			c := map[string]any{"id": g.nextID, "body": b, "user": map[string]any{"login": "github-actions[bot]", "type": "Bot"}}
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

func (g *fakeGitHub) comment(i int) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.comments[i]["body"].(string)
}

// workflowAction checks pipeline/github's workflow and returns the inputs
// it gives the Action.
func workflowAction(t *testing.T) map[string]string {
	t.Helper()
	var wf struct {
		// sigs.k8s.io/yaml reads YAML 1.1, where the key on is true.
		On          map[string]any    `json:"true"`
		Permissions map[string]string `json:"permissions"`
		Jobs        map[string]struct {
			Steps []struct {
				Uses string         `json:"uses"`
				With map[string]any `json:"with"`
				Run  string         `json:"run"`
			} `json:"steps"`
		} `json:"jobs"`
	}
	if err := yaml.Unmarshal([]byte(readFile(t, filepath.Join(root, "pipeline/github/routeshift-pr-check.yaml"))), &wf); err != nil {
		t.Fatal(err)
	}
	if _, ok := wf.On["pull_request"]; !ok || len(wf.On) != 1 || wf.Permissions["pull-requests"] != "write" || wf.Permissions["contents"] != "read" {
		t.Errorf("the workflow must run on pull_request only, with contents: read and pull-requests: write; has on %v, permissions %v", wf.On, wf.Permissions)
	}
	job, ok := wf.Jobs["routing"]
	if !ok || len(job.Steps) != 2 {
		t.Fatalf("the workflow's routing job should check out and run the Action: %+v", job)
	}
	if s := job.Steps[0]; !strings.HasPrefix(s.Uses, "actions/checkout@") || fmt.Sprint(s.With["fetch-depth"]) != "0" || fmt.Sprint(s.With["persist-credentials"]) != "false" {
		t.Errorf("the first step must check out the whole history (fetch-depth: 0) and keep no token (persist-credentials: false): %+v", s)
	}
	s := job.Steps[1]
	if !strings.HasPrefix(s.Uses, "routeshift/routeshift@") || s.Run != "" {
		t.Fatalf("the second step must be the Action (uses: routeshift/routeshift@REF): %+v", s)
	}
	with := map[string]string{}
	for k, v := range s.With {
		with[k] = fmt.Sprint(v)
	}
	if with["enable-exec"] != "false" {
		t.Errorf("the workflow must not run the head's programs unless its owner says so: enable-exec %q", with["enable-exec"])
	}
	return with
}

// action is the repository's action.yml.
type action struct {
	Inputs map[string]struct {
		Default string `json:"default"`
	} `json:"inputs"`
	Runs struct {
		Using string `json:"using"`
		Steps []struct {
			Name  string            `json:"name"`
			ID    string            `json:"id"`
			If    string            `json:"if"`
			Uses  string            `json:"uses"`
			Shell string            `json:"shell"`
			Env   map[string]string `json:"env"`
			Run   string            `json:"run"`
		} `json:"steps"`
	} `json:"runs"`
}

func readAction(t *testing.T) action {
	t.Helper()
	var a action
	if err := yaml.Unmarshal([]byte(readFile(t, filepath.Join(root, "action.yml"))), &a); err != nil {
		t.Fatal(err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("action.yml: want a composite Action, got %q", a.Runs.Using)
	}
	// The token: in the environment of the step that posts, nowhere else;
	// and no ${{ }} in a script, where a value would be code.
	holders := 0
	for _, s := range a.Runs.Steps {
		if strings.Contains(s.Run, "${{") {
			t.Errorf("action.yml step %q: an expression in run: (pass it through env:)", s.Name)
		}
		for k, v := range s.Env {
			if strings.Contains(v, "inputs.token") || strings.Contains(v, "github.token") {
				holders++
				if k != "GITHUB_TOKEN" || !strings.Contains(s.Run, "--post") || strings.Contains(s.Run, "--comment-file") {
					t.Errorf("action.yml step %q holds the token but does more than post the comment", s.Name)
				}
			}
		}
	}
	if holders != 1 {
		t.Errorf("action.yml: %d steps see the token, want exactly the one that posts", holders)
	}
	return a
}

var expr = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

// runAction runs action.yml's steps as GitHub's runner runs a composite
// Action: in the workspace, each run: step in bash with the step's env
// (expressions resolved) on a minimal environment, its outputs read from
// GITHUB_OUTPUT. uses: steps (actions/setup-go) are skipped: Go is here.
// It returns the verdict step's exit code and the log.
func runAction(t *testing.T, workspace string, with map[string]string, base []string) (int, string) {
	t.Helper()
	a := readAction(t)
	inputs := map[string]string{}
	for k, v := range a.Inputs {
		inputs[k] = v.Default
	}
	for k, v := range with {
		if _, ok := a.Inputs[k]; !ok {
			t.Fatalf("the Action has no input %q", k)
		}
		inputs[k] = v
	}
	temp := t.TempDir()
	outputs := map[string]map[string]string{}
	var log strings.Builder
	failed, code := false, 0
	for _, s := range a.Runs.Steps {
		if s.Uses != "" {
			continue
		}
		if failed && s.If != "always()" {
			continue
		}
		env := append([]string{"RUNNER_TEMP=" + temp, "GITHUB_WORKSPACE=" + workspace, "GITHUB_ACTIONS=true"}, base...)
		for k, v := range s.Env {
			v = expr.ReplaceAllStringFunc(v, func(m string) string {
				e := expr.FindStringSubmatch(m)[1]
				switch {
				case e == "github.action_path":
					return mustAbs(t, root)
				case e == "github.token":
					return "test-token"
				case strings.HasPrefix(e, "inputs."):
					v := inputs[strings.TrimPrefix(e, "inputs.")]
					if v == "${{ github.token }}" {
						v = "test-token"
					}
					return v
				case strings.HasPrefix(e, "steps."):
					parts := strings.Split(e, ".") // steps.ID.outputs.NAME
					return outputs[parts[1]][parts[3]]
				}
				t.Fatalf("action.yml step %q: unknown expression %s", s.Name, m)
				return ""
			})
			env = append(env, k+"="+v)
		}
		out := filepath.Join(temp, "output-"+s.ID)
		writeFile(t, out, "")
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", s.Run)
		cmd.Dir = workspace
		cmd.Env = append(env, "GITHUB_OUTPUT="+out)
		var b bytes.Buffer
		cmd.Stdout, cmd.Stderr = &b, &b
		err := cmd.Run()
		fmt.Fprintf(&log, "--- %s\n%s", s.Name, b.String())
		outputs[s.ID] = map[string]string{}
		for _, line := range strings.Split(readFile(t, out), "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				outputs[s.ID][k] = v
			}
		}
		if ee, ok := err.(*exec.ExitError); ok {
			failed, code = true, ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
	}
	return code, log.String()
}

// prRepo makes the repository of a pull request: a shop on ingress-nginx in
// apps/shop (a kustomization), committed; it returns the repository, a git
// function and the base commit.
func prRepo(t *testing.T) (string, func(...string) string, string) {
	t.Helper()
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
	return repo, git, git("rev-parse", "HEAD")
}

// pullRequest writes a pull_request event for base..head.
func pullRequest(t *testing.T, base, head, from string) string {
	event := filepath.Join(t.TempDir(), "event.json")
	writeFile(t, event, fmt.Sprintf(`{"pull_request": {"number": 7, "base": {"sha": %q, "repo": {"full_name": "acme/manifests"}}, "head": {"sha": %q, "repo": {"full_name": %q}}}}`, base, head, from))
	return event
}

func TestPRCheck(t *testing.T) {
	testtool.NeedCommands(t, "git", "bash", "jq", "curl")
	needDiff(t)
	k := kustomize(t)
	repo, git, base := prRepo(t)
	app := filepath.Join(repo, "apps", "shop")

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

	// Someone else's comment that starts with the marker: the check must
	// never edit it.
	forged := "<!-- routeshift-pr-check -->\n✅ **routeshift diff**: equivalent"
	gh := &fakeGitHub{comments: []map[string]any{
		{"id": 999, "body": "Looks good to me", "user": map[string]any{"login": "reviewer"}},
		{"id": 1000, "body": forged, "user": map[string]any{"login": "mallory"}},
	}, nextID: 1000}
	server := httptest.NewServer(gh)
	defer server.Close()
	summary := filepath.Join(t.TempDir(), "summary.md")
	with := workflowAction(t)
	with["paths"] = "apps/shop" // the list a user would write for this repository
	with["routeshift"] = routeshift
	step := func(head string, opts map[string]string) (int, string) {
		w := map[string]string{}
		for k, v := range with {
			w[k] = v
		}
		for k, v := range opts {
			w[k] = v
		}
		return runAction(t, repo, w, []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "GITHUB_REPOSITORY=acme/manifests",
			"GITHUB_EVENT_PATH=" + pullRequest(t, base, head, "acme/manifests"), "GITHUB_API_URL=" + server.URL, "GITHUB_STEP_SUMMARY=" + summary})
	}

	// By default the head's transformer does not run: the check cannot
	// render the migration, fails, and says what the owner can turn on.
	code, log := step(migrated, nil)
	// (kustomize's words, or routeshift's own safe renderer's.)
	if code != 2 || !regexp.MustCompile(`external plugins disabled|runs only with --enable-exec`).MatchString(log) || !strings.Contains(gh.comment(2), "`enable-exec`") {
		t.Fatalf("an exec transformer without enable-exec: want exit 2 and the reason, got %d\n%s", code, log)
	}
	contains(t, "the Action's log", log, "pr-check: commented on pull request #7 as github-actions[bot]\n")
	if len(gh.comments) != 3 || gh.comment(1) != forged {
		t.Fatalf("want a comment of the check's own beside mallory's untouched one, got %v (calls %v)", gh.comments, gh.calls)
	}

	// The owner trusts this branch: the migration renders and routes as before.
	code, log = step(migrated, map[string]string{"enable-exec": "true"})
	if code != 0 {
		t.Fatalf("the migration must route as before: exit %d\n%s", code, log)
	}
	contains(t, "the Action's log", log, "pr-check: updated comment 1001 (by github-actions[bot]) on pull request #7\n")
	first := gh.comment(2)
	if !strings.HasPrefix(first, "<!-- routeshift-pr-check -->\n✅") {
		t.Errorf("the comment should report the migration as equivalent:\n%s", first)
	}

	code, log = step(changed, map[string]string{"enable-exec": "true"})
	if code != 1 {
		t.Fatalf("a routing change must fail the check (exit 1), got %d\n%s", code, log)
	}
	if len(gh.comments) != 3 || gh.comment(1) != forged || gh.comment(0) != "Looks good to me" {
		t.Fatalf("the check must update its own comment only: %v", gh.comments)
	}
	second := gh.comment(2)
	if second == first || !strings.Contains(second, "api-v2") {
		t.Errorf("the updated comment should report the change to api-v2:\n%s", second)
	}
	// The report names the sides by commit, not by temporary paths.
	contains(t, "the comment", second, "base-"+git("rev-parse", "--short", base)+"/apps/shop", "head-"+git("rev-parse", "--short", changed)+"/apps/shop")
	contains(t, "the job summary", readFile(t, summary), first, second)
	if !strings.Contains(log, second) {
		t.Errorf("the report is not in the job's log:\n%s", log)
	}

	// A fork cannot have its programs run, whatever the workflow says.
	code, log = runAction(t, repo, map[string]string{"paths": "apps/shop", "routeshift": routeshift, "enable-exec": "true", "comment": "false"},
		[]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "GITHUB_EVENT_PATH=" + pullRequest(t, base, changed, "mallory/manifests")})
	if code != 2 || !strings.Contains(log, "enable-exec is refused for a pull request from another repository (mallory/manifests)") {
		t.Errorf("enable-exec on a fork's pull request: want exit 2 and a refusal, got %d\n%s", code, log)
	}

	// Outside GitHub the script prints the report and comments nowhere.
	calls := len(gh.calls)
	r := run(t, repo, []string{withPath(binDir), "KUSTOMIZE=", "ROUTESHIFT_ENABLE_EXEC=true"}, filepath.Join(mustAbs(t, root), "pipeline/ci/pr-check.sh"), "--base", base, "--head", changed, "apps/shop")
	if r.code != 1 || !strings.Contains(r.stdout, "api-v2") || !strings.Contains(r.stderr, "not in a GitHub pull request") || len(gh.calls) != calls {
		t.Errorf("outside GitHub: exit %d, %d API calls\n%s\n%s", r.code, len(gh.calls)-calls, r.stdout, r.stderr)
	}
	// The worktrees are gone and the working tree untouched.
	if wt := git("worktree", "list"); strings.Count(wt, "\n") != 0 {
		t.Errorf("worktrees left behind:\n%s", wt)
	}
	if st := git("status", "--porcelain"); st != "" {
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
	testtool.NeedCommands(t, "git", "bash")
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
	env := []string{withPath(binDir), "KUSTOMIZE="}

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

// Several PATHs are compared together: a kustomization and a directory of
// plain manifests, one of them missing at the base.
func TestPRCheckSeveralPaths(t *testing.T) {
	testtool.NeedCommands(t, "git", "bash", "jq")
	needDiff(t)
	repo, git, base := prRepo(t)
	blog := "apiVersion: v1\nkind: Service\nmetadata:\n  name: blog\n  namespace: blog\nspec:\n  ports:\n  - port: 80\n---\n" +
		"apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: blog\n  namespace: blog\nspec:\n  ingressClassName: nginx\n" +
		"  rules:\n  - host: blog.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n" +
		"          service:\n            name: blog\n            port:\n              number: 80\n"
	writeFile(t, filepath.Join(repo, "apps", "blog", "sub", "blog.yaml"), blog)
	git("add", "-A")
	git("commit", "-q", "-m", "the blog")
	script := filepath.Join(mustAbs(t, root), "pipeline/ci/pr-check.sh")
	env := []string{withPath(binDir), "KUSTOMIZE="}

	r := run(t, repo, env, script, "--base", base, "apps/shop", "apps/blog")
	if r.code != 1 || !strings.Contains(r.stdout, "blog.example.com") || strings.Contains(r.stdout, "shop.example.com") ||
		!strings.Contains(r.stderr, "apps/blog does not exist at the base revision; it renders as nothing there") {
		t.Errorf("a new app in a plain directory beside a kustomization: want exit 1 and only blog.example.com reported, got %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	from := git("rev-parse", "HEAD")
	replaceIn(t, filepath.Join(repo, "apps", "blog", "sub", "blog.yaml"), "            name: blog\n", "            name: blog-v2\n")
	git("commit", "-q", "-am", "blog-v2")
	r = run(t, repo, env, script, "--base", from, "apps/shop", "apps/blog")
	if r.code != 1 || !strings.Contains(r.stdout, "blog-v2") || strings.Contains(r.stdout, "shop.example.com") {
		t.Errorf("a change in the plain directory: want exit 1 and a report naming blog-v2 only, got %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, repo, env, script, "--base", from, "apps/shop", ".")
	if r.code != 2 || !strings.Contains(r.stderr, "PATH . cannot be listed with other PATHs") {
		t.Errorf("'.' with another PATH: want exit 2 and why, got %d\n%s", r.code, r.stderr)
	}
	r = run(t, repo, env, script, "--base", from, "../elsewhere")
	if r.code != 2 || !strings.Contains(r.stderr, "PATH ../elsewhere: want a directory inside the repository") {
		t.Errorf("a PATH outside the repository: want exit 2 and why, got %d\n%s", r.code, r.stderr)
	}
}
