package examples_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"

	"github.com/routeshift/routeshift/internal/testtool"
)

// What the head of a pull request (a fork's, say) can try on the check.
// Each of these worked on the check before it was made safe by default
// (issue 13): pr-check.sh ran the standalone kustomize with --enable-exec
// and the runner's environment, wrote error messages into a ``` fence, and
// did not fail on unverifiable requests.

// attack commits a head that changes apps/shop with change and runs
// pr-check.sh on it, outside GitHub, with a token in the environment as a
// CI job would have one; env adds to that.
func attack(t *testing.T, change func(repo, app string), env ...string) result {
	t.Helper()
	testtool.NeedCommands(t, "git", "bash", "jq")
	repo, git, base := prRepo(t)
	change(repo, filepath.Join(repo, "apps", "shop"))
	git("add", "-A")
	git("commit", "-q", "-m", "the head")
	env = append([]string{withPath(binDir), "KUSTOMIZE=", "GITHUB_TOKEN=secret-token", "ROUTESHIFT_ENABLE_EXEC=", "ROUTESHIFT_ALLOW_UNVERIFIABLE="}, env...)
	return run(t, repo, env, filepath.Join(mustAbs(t, root), "pipeline/ci/pr-check.sh"), "--base", base, "apps/shop")
}

// A remote base whose git ref is an option of git fetch ran a shell
// command in kustomize (in-process and standalone alike).
func TestPRCheckRemoteRefRunsNothing(t *testing.T) {
	needDiff(t)
	proof := filepath.Join(t.TempDir(), "proof")
	r := attack(t, func(_, app string) {
		writeFile(t, filepath.Join(app, "kustomization.yaml"),
			"resources:\n- shop.yaml\n- file:///nonexistent/repo?ref=--upload-pack=sh%20-c%20'touch%20"+proof+"'\n")
	})
	if _, err := os.Stat(proof); err == nil {
		t.Fatalf("the head's git ref ran a command (%s exists)\n%s", proof, r.stderr)
	}
	if r.code != 2 || !strings.Contains(r.stdout, "could not run") {
		t.Errorf("want exit 2 and the reason in the report, got %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// An exec function of the head runs only when the owner turns exec on, and
// then still without the job's token.
func TestPRCheckExecFunctions(t *testing.T) {
	needDiff(t)
	proof := filepath.Join(t.TempDir(), "env")
	head := func(_, app string) {
		writeFile(t, filepath.Join(app, "kustomization.yaml"), "resources:\n- shop.yaml\ntransformers:\n- steal.yaml\n")
		writeFile(t, filepath.Join(app, "steal.yaml"), "apiVersion: example.com/v1\nkind: Steal\nmetadata:\n  name: steal\n"+
			"  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ./steal.sh\n")
		writeFile(t, filepath.Join(app, "steal.sh"), "#!/bin/sh\nenv >"+proof+"\nexec cat\n")
		if err := os.Chmod(filepath.Join(app, "steal.sh"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	r := attack(t, head)
	if _, err := os.Stat(proof); err == nil {
		t.Fatalf("the head's exec function ran by default\n%s", r.stderr)
	}
	if r.code != 2 || !strings.Contains(r.stdout, "`enable-exec`") {
		t.Errorf("an exec function by default: want exit 2 and what the owner can turn on, got %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}

	r = attack(t, head, "ROUTESHIFT_ENABLE_EXEC=true")
	got, err := os.ReadFile(proof)
	if err != nil {
		t.Fatalf("with ROUTESHIFT_ENABLE_EXEC=true the exec function should run: %v\n%s\n%s", err, r.stdout, r.stderr)
	}
	if strings.Contains(string(got), "secret-token") {
		t.Errorf("the exec function saw the job's token:\n%s", got)
	}
	if r.code != 0 {
		t.Errorf("a transformer that changes nothing: want exit 0, got %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// Unverifiable requests hid a change: the API moved to another Service
// while its Ingress got an annotation no static model can decide passed as
// "no difference". (The review used a configuration-snippet; under the
// default controller profile ingress-nginx refuses an Ingress with one
// (annotations-risk-level High), which is a difference, so auth-url, whose
// answer comes from the external auth service, stands in.)
func TestPRCheckUnverifiableFails(t *testing.T) {
	needDiff(t)
	head := func(_, app string) {
		replaceIn(t, filepath.Join(app, "shop.yaml"), "            name: api\n", "            name: api-v2\n")
		replaceIn(t, filepath.Join(app, "shop.yaml"), "    nginx.ingress.kubernetes.io/ssl-redirect: \"false\"\n",
			"    nginx.ingress.kubernetes.io/ssl-redirect: \"false\"\n    nginx.ingress.kubernetes.io/auth-url: http://auth.shop.svc.cluster.local/verify\n")
	}
	r := attack(t, head)
	if r.code != 1 || !strings.Contains(r.stdout, "cannot be verified") {
		t.Errorf("unverifiable requests must fail the check by default: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = attack(t, head, "ROUTESHIFT_ALLOW_UNVERIFIABLE=true")
	if r.code != 0 || !strings.Contains(r.stdout, "cannot be verified") {
		t.Errorf("with ROUTESHIFT_ALLOW_UNVERIFIABLE=true: want exit 0 and the requests still listed, got %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// A symbolic link to a file outside the repository is not read.
func TestPRCheckSymlinkOutside(t *testing.T) {
	needDiff(t)
	outside := filepath.Join(t.TempDir(), "outside.yaml")
	writeFile(t, outside, "apiVersion: v1\nkind: Service\nmetadata:\n  name: leaked\n  namespace: shop\n")
	r := attack(t, func(_, app string) {
		if err := os.Symlink(outside, filepath.Join(app, "leak.yaml")); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(app, "kustomization.yaml"), "resources:\n- shop.yaml\n- leak.yaml\n")
	})
	if r.code != 2 || !strings.Contains(r.stderr, "apps/shop/leak.yaml at the head revision is a symbolic link that leaves the repository: refused") ||
		!strings.Contains(r.stdout, "The check refused to read the pull request") || strings.Contains(r.stdout, "leaked") {
		t.Errorf("want exit 2 and the link refused, got %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// An error message quoting the head (newlines, a fence, workflow commands,
// HTML) stays inert in the job log and in the comment.
func TestPRCheckErrorInjection(t *testing.T) {
	needDiff(t)
	evil := "x\n```\n::warning::pwned\n  ::error file=a,line=1::forged\n##[error]boom\n</pre><img src=https://evil.example/x.png> @octocat [approve](https://evil.example)"
	r := attack(t, func(_, app string) {
		// A YAML double-quoted string: the newlines are \n escapes.
		writeFile(t, filepath.Join(app, "kustomization.yaml"), "resources:\n- shop.yaml\n- "+quoteYAML(evil)+"\n")
	}, "GITHUB_ACTIONS=true")
	if r.code != 2 {
		t.Fatalf("want exit 2, got %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// The log: the check's own stop-commands pair is the only command.
	token := stopToken(t, r.stdout+r.stderr)
	if token == "" {
		t.Errorf("the report should be printed between ::stop-commands:: and its token:\n%s", r.stdout)
	}
	// The comment, rendered: the message is the text of one <pre>, and
	// nothing else comes of it.
	body := r.stdout[strings.Index(r.stdout, "<!-- routeshift-pr-check -->"):]
	body = body[:strings.Index(body, "\n::"+token+"::")]
	// routeshift escapes the head's newlines in kustomize's message
	// (internal/render), so it is one line; the check's filters are the
	// second line of defence: the "[" of "##[" shows as "\x5b".
	checkComment(t, body, "x\\n```\\n::warning::pwned\\n  ::error file=a,line=1::forged\\n##\\x5berror]boom\\n</pre><img src=https://evil.example/x.png> @octocat [approve](https://evil.example)")
}

// stopToken returns the token of the check's own ::stop-commands:: line
// in log, and fails the test on any other workflow command in it (one a
// head could forge): only the check's pair, the stop and its end, may be
// there.
func stopToken(t *testing.T, log string) string {
	t.Helper()
	stop := regexp.MustCompile(`^::stop-commands::([0-9a-f]{32})$`)
	token := ""
	for _, line := range strings.Split(log, "\n") {
		trimmed := strings.TrimLeftFunc(line, unicode.IsSpace)
		switch m := stop.FindStringSubmatch(trimmed); {
		case m != nil && token == "":
			token = m[1]
		case token != "" && trimmed == "::"+token+"::":
		case strings.HasPrefix(trimmed, "::") || strings.Contains(line, "##["):
			t.Errorf("the log has a workflow command from the head: %q", line)
		}
	}
	return token
}

func quoteYAML(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '\n':
			b.WriteString(`\n`)
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// checkComment renders a comment as GitHub would and fails on any element
// but the check's own, or a mention outside code; the one <pre> must show
// want.
func checkComment(t *testing.T, md, want string) {
	t.Helper()
	var out bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(gmhtml.WithUnsafe())).Convert([]byte(md), &out); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&out)
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{"html": true, "head": true, "body": true, "p": true, "strong": true, "pre": true, "sub": true, "code": true}
	var pres []string
	var walk func(n *html.Node, quoted bool)
	walk = func(n *html.Node, quoted bool) {
		switch n.Type {
		case html.ElementNode:
			if !allowed[n.Data] || len(n.Attr) > 0 {
				t.Errorf("the comment renders <%s %v>:\n%s\n%s", n.Data, n.Attr, md, out.String())
			}
			if n.Data == "pre" {
				var b strings.Builder
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					if c.Type == html.TextNode {
						b.WriteString(c.Data)
					}
				}
				pres = append(pres, b.String())
			}
			quoted = quoted || n.Data == "pre" || n.Data == "code"
		case html.TextNode:
			if !quoted && strings.Contains(n.Data, "@") {
				t.Errorf("a mention outside code: %q", n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, quoted)
		}
	}
	walk(doc, false)
	if len(pres) != 1 || !strings.Contains(pres[0], want) {
		t.Errorf("want one <pre> showing %q, got %q\n%s", want, pres, out.String())
	}
}

// The Action builds routeshift from its own source with GOWORK=off: a
// go.work above it (the pull request's tree, if the Action is checked out
// inside the workspace) does not take over the build.
func TestActionBuildIgnoresGoWork(t *testing.T) {
	testtool.NeedCommands(t, "go", "bash", "git")
	a := readAction(t)
	var script string
	var env []string
	for _, s := range a.Runs.Steps {
		if s.ID == "build" {
			script = s.Run
			for k, v := range s.Env {
				if !strings.Contains(v, "${{") {
					env = append(env, k+"="+v)
				}
			}
		}
	}
	if script == "" {
		t.Fatal("action.yml has no step with id build")
	}
	ws := t.TempDir()
	// The go.work a pull request could add: it names a module that is not
	// there, so a build that reads it fails.
	writeFile(t, filepath.Join(ws, "go.work"), "go 1.26\n\nuse ./.routeshift\nuse ./evil\n")
	actionPath := filepath.Join(ws, ".routeshift")
	if err := os.Symlink(mustAbs(t, root), actionPath); err != nil {
		t.Fatal(err)
	}
	temp := t.TempDir()
	build := func(env []string) (string, error) {
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
		cmd.Dir = ws
		cmd.Env = append(append(os.Environ(), "RUNNER_TEMP="+temp, "ACTION_PATH="+actionPath, "ROUTESHIFT_INPUT=", "GITHUB_OUTPUT="+filepath.Join(temp, "out")), env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	// Control: without GOWORK=off the go.work is read.
	if out, err := build([]string{"GOWORK="}); err == nil || !strings.Contains(out, "evil") {
		t.Fatalf("without GOWORK=off the build should read the go.work and fail on ./evil: %v\n%s", err, out)
	}
	if out, err := build(env); err != nil {
		t.Fatalf("the Action's build: %v\n%s", err, out)
	}
	contains(t, "the build's outputs", readFile(t, filepath.Join(temp, "out")), "path="+filepath.Join(temp, "routeshift-bin", "routeshift")+"\n")
}

// A render that never ends (an expansion bomb, on a routeshift without
// render budgets) must not hold the runner: the check gives up after
// ROUTESHIFT_TIMEOUT. The stand-in routeshift here answers -h and then
// hangs.
func TestPRCheckTimeout(t *testing.T) {
	needDiff(t)
	testtool.NeedCommands(t, "timeout", "sleep")
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Fatal(err)
	}
	slow := filepath.Join(t.TempDir(), "routeshift")
	// The render runs with no PATH: name sleep by its path.
	writeFile(t, slow, "#!/bin/sh\ncase $2 in -h) exec "+routeshift+" \"$@\" ;; esac\nexec "+sleep+" 600\n")
	if err := os.Chmod(slow, 0o755); err != nil {
		t.Fatal(err)
	}
	r := attack(t, func(_, app string) { writeFile(t, filepath.Join(app, "notes.txt"), "a change\n") }, "ROUTESHIFT="+slow, "ROUTESHIFT_TIMEOUT=1")
	if r.code != 2 || !strings.Contains(r.stdout, "routeshift diff did not finish in 1s") || !strings.Contains(r.stderr, "routeshift diff did not finish in 1s (ROUTESHIFT_TIMEOUT)") {
		t.Errorf("want exit 2 and the timeout in the report, got %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}
