package examples_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"

	"github.com/routeshift/routeshift/internal/testtool"
)

// Intended routing changes acknowledged in the repository: the pull
// request that moves the API to api-v2 also adds the acknowledgement to
// .routeshift/accept.yaml; the check passes, and its comment lists the
// acknowledgement the pull request adds. Once the change is gone, the
// acknowledgement is stale and fails the check.
func TestPRCheckAcknowledgements(t *testing.T) {
	testtool.NeedCommands(t, "git", "bash", "jq")
	needDiff(t)
	repo := t.TempDir()
	git := func(args ...string) string {
		return strings.TrimSpace(mustRun(t, repo, nil, "git", append([]string{"-c", "user.name=test", "-c", "user.email=test@example.com"}, args...)...).stdout)
	}
	git("init", "-q")
	shop := filepath.Join(repo, "shop", "shop.yaml")
	writeFile(t, shop, readFile(t, "kustomize/base/shop.yaml"))
	git("add", "-A")
	git("commit", "-q", "-m", "shop")
	base := git("rev-parse", "HEAD")
	script := filepath.Join(mustAbs(t, root), "pipeline/ci/pr-check.sh")
	env := []string{withPath(binDir), "KUSTOMIZE="}

	// The reviewer copies the cause line of the report into the file.
	before := filepath.Join(t.TempDir(), "before.yaml")
	writeFile(t, before, readFile(t, shop))
	replaceIn(t, shop, "            name: api\n", "            name: api-v2\n")
	r := run(t, repo, nil, routeshift, "diff", "--format", "json", "--accept-file", "none", before, shop)
	var rep struct {
		Comparisons []struct{ Causes []struct{ What string } }
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || len(rep.Comparisons) == 0 || len(rep.Comparisons[0].Causes) == 0 {
		t.Fatalf("diff --format json: exit %d, %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	causes := rep.Comparisons[0].Causes
	var entries strings.Builder
	entries.WriteString("# Routing changes we reviewed and intend.\nacknowledgements:\n")
	for _, c := range causes {
		q, _ := json.Marshal(c.What)
		entries.WriteString("- host: shop.example.com\n  change: " + string(q) + "\n  reason: the API moves to api-v2 (OPS-7)\n")
	}
	writeFile(t, filepath.Join(repo, ".routeshift", "accept.yaml"), entries.String())
	git("add", "-A")
	git("commit", "-q", "-m", "api-v2, acknowledged")
	report := filepath.Join(t.TempDir(), "out", "report.json")
	r = run(t, repo, env, script, "--base", base, "--report-file", report)
	if r.code != 0 {
		t.Fatalf("an acknowledged change: want exit 0, got %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	contains(t, "the comment", r.stdout, "**This change adds "+plural(len(causes), "acknowledgement")+"**", "`the API moves to api-v2 (OPS-7)`", "accepted")
	if data, err := os.ReadFile(report); err != nil || !json.Valid(data) || !strings.Contains(string(data), `"acknowledgements"`) {
		t.Errorf("--report-file: want the whole JSON report: %v\n%s", err, data)
	}

	// The next pull request, against the acknowledged revision: the file
	// is already there (nothing added). Undoing the change leaves the
	// acknowledgements matching nothing: stale, the check fails.
	from := git("rev-parse", "HEAD")
	replaceIn(t, shop, "            name: api-v2\n", "            name: api\n")
	git("commit", "-q", "-am", "back to api")
	r = run(t, repo, env, script, "--base", from)
	if r.code != 1 || !strings.Contains(r.stdout, "nothing (stale)") || strings.Contains(r.stdout, "This change adds") {
		t.Errorf("stale acknowledgements: want exit 1, listed as stale and none added, got %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// An acknowledgement is the pull request's text: a hostile one (a fence,
// workflow commands, HTML that closes the report's elements, a mention)
// stays inert in the job log and in the comment.
func TestPRCheckHostileAcknowledgement(t *testing.T) {
	needDiff(t)
	evil := "x</code></summary>\n```\n::warning::pwned\n##[error]boom\n<img src=https://evil.example/x.png> @octocat [approve](https://evil.example)"
	r := attack(t, func(repo, _ string) {
		writeFile(t, filepath.Join(repo, ".routeshift", "accept.yaml"),
			"acknowledgements:\n- host: "+quoteYAML(evil)+"\n  change: "+quoteYAML(evil)+"\n  reason: "+quoteYAML(evil)+"\n")
	}, "GITHUB_ACTIONS=true")
	if r.code != 1 || !strings.Contains(r.stdout, "This change adds 1 acknowledgement") || !strings.Contains(r.stdout, "nothing (stale)") {
		t.Fatalf("a stale hostile acknowledgement: want exit 1, listed as added and stale, got %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	token := stopToken(t, r.stdout+r.stderr)
	body := r.stdout[strings.Index(r.stdout, "<!-- routeshift-pr-check -->"):]
	if token != "" {
		body = body[:strings.Index(body, "\n::"+token+"::")]
	}
	var out bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(gmhtml.WithUnsafe())).Convert([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&out)
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{"html": true, "head": true, "body": true, "p": true, "strong": true, "code": true, "sub": true,
		"ul": true, "li": true, "blockquote": true, "table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
		"details": true, "summary": true}
	shown := false
	want := strings.NewReplacer("\n", `\n`, "##[", `##\x5b`).Replace(evil)
	var walk func(n *html.Node, quoted bool)
	walk = func(n *html.Node, quoted bool) {
		switch n.Type {
		case html.ElementNode:
			if !allowed[n.Data] || len(n.Attr) > 0 {
				t.Errorf("the comment renders <%s %v>", n.Data, n.Attr)
			}
			if n.Data == "code" && n.FirstChild != nil && n.FirstChild.Data == want {
				shown = true
			}
			quoted = quoted || n.Data == "code"
		case html.CommentNode:
			if !strings.Contains(n.Data, "routeshift-pr-check") {
				t.Errorf("an HTML comment from the head: %q", n.Data)
			}
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
	if !shown {
		t.Errorf("the acknowledgement should be shown as the code %q:\n%s", want, out.String())
	}
}
