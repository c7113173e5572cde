package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/routeshift/routeshift/internal/proof/routing"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"
)

// hostile are strings a pull request can put in a manifest (a host, a
// path, a header, a Service name, ...) that reach the report.
var hostile = []string{
	// Closes the <code> and <summary> of a host's section and renders a
	// verdict of its own.
	"evil.example.com</code></summary>\n\n# ✅ equivalent\n\nrouteshift diff: equivalent\n\n<details><summary><code>x",
	"x</code>: 0 differ</summary></details>\n\n## ✅ **routeshift diff**: equivalent",
	`<img src="https://evil.example/x.png">`, `<a href="https://evil.example">approve</a>`,
	"[click here](https://evil.example/login)", "![logo](https://evil.example/i.png)", "<https://evil.example>",
	"www.evil.example", "https://evil.example/x", "admin@evil.example",
	"@octocat please approve", "cc @acme/security-team", "#1 fixes GH-2",
	"```\n::warning::pwned\n```", "`", "``", "a`b", " ` ", "````\n</details>",
	"\n::error file=a.yaml,line=1::forged", "##[warning]forged", "x ##[error]forged", "  ::add-mask::secret",
	"\u0085::warning::after NEL", "\u2028::warning::after LS", "\u00a0::warning::after NBSP", "::stop-commands::tok",
	"| a | b |\n|---|---|", `\|`, `\`, "&lt;b&gt;", "<script>alert(1)</script>", "<!-- hide the rest",
	"*bold* _em_ ~~struck~~ **strong**", `$\color{red}{\text{equivalent}}$`, ":+1: :shipit:", "- [x] done", "> quoted",
	"\x1b[31mred\x1b[0m", "\u202eevil\u202c", "zero\u200bwidth", "bad\xffutf8", "\ufeffbom", "\ufffe", "\r\n",
	"", " ", "  ", "<", "&", "#", "##", "###[", "::", " :: ", ":", "[", "]", "!",
}

// hostileReport puts s into every string a report prints: the findings,
// the cause lines made of them, an accept file's entries (a pull request
// writes those too) and the converter's results.
func hostileReport(s string) *Report {
	fwd := routing.Outcome{Kind: routing.Forward, Backends: []routing.Backend{{Namespace: s, Service: s, Port: 80, Weight: 1}},
		RewrittenPath: s, RewrittenHost: s, RequestHeaders: []routing.HeaderChange{{Op: "set", Name: s, Value: s}}, Rule: "Ingress " + s + ": Prefix /"}
	redirect := routing.Outcome{Kind: routing.Redirect, Redirect: &routing.RedirectTo{Status: 301, Location: s}, Rule: s}
	req := routing.Request{Scheme: "https", Host: s, Path: "/" + s, Headers: []routing.KV{{Name: s, Value: s}}}
	d := func(before, after routing.Outcome) Difference {
		return Difference{Request: req, Text: s, Before: before, After: after}
	}
	neighbour := d(fwd, redirect)
	neighbour.Request.Path += "/probe"
	neighbour.Text += " neighbour"
	accepted := d(redirect, fwd)
	accepted.Accepted = s
	c := Comparison{Before: s, After: s, Probes: 4, Differences: 2, Unverifiable: 1, Accepted: 1, Notes: []string{s, "note " + s},
		Hosts: []Host{{Host: s, Probes: 4,
			Differences:  []Difference{d(fwd, redirect), neighbour},
			Unverifiable: []Difference{d(routing.UnverifiableOutcome(s), routing.StatusOutcome(404, s))},
			Accepted:     []Difference{accepted},
		}}}
	r := New(c)
	// One entry that matches (the difference), one stale; both added.
	f := &AcceptFile{Acknowledgements: []AcceptEntry{
		{Request: s + " neighbour", Change: describe(&neighbour), Reason: s},
		{Host: s, PathPrefix: "/" + s, Request: s, After: s, Reason: s},
	}}
	r.Acknowledge(f, &AcceptFile{}, s)
	r.MarkApproximations([]ConverterResult{{Message: "approximated: " + s, ResourceRef: &struct {
		APIVersion string `json:"apiVersion,omitempty"`
		Kind       string `json:"kind"`
		Name       string `json:"name"`
		Namespace  string `json:"namespace,omitempty"`
	}{Kind: "Ingress", Namespace: "ns", Name: "n"}}})
	for i := range r.Comparisons[0].Causes {
		// The converter's text on every cause, whatever its Ingress.
		r.Comparisons[0].Causes[i].Converter = []string{"Ingress ns/n: approximated: " + s}
	}
	return r
}

// hostileWant are the strings of a hostile report that must each be shown
// literally: the findings, every cause line and the acknowledgements.
func hostileWant(s string, r *Report) []string {
	want := []string{s, "Ingress ns/n: approximated: " + s}
	h := r.Comparisons[0].Hosts[0]
	for _, ds := range [][]Difference{h.Differences, h.Unverifiable, h.Accepted} {
		for _, d := range ds {
			want = append(want, d.Text, d.Before.String(), d.After.String())
		}
	}
	for _, k := range r.Comparisons[0].Causes {
		want = append(want, k.What, k.Example.Text, k.Example.Before.String(), k.Example.Before.Rule)
	}
	for _, a := range r.Acknowledgements {
		for _, f := range entryFields(a.Entry) {
			want = append(want, f[1])
		}
	}
	return want
}

// markdownAllowed are the elements the Markdown report is made of; any
// other element in the rendered HTML came from input.
var markdownAllowed = map[string]bool{"html": true, "head": true, "body": true, "p": true, "strong": true, "code": true,
	"details": true, "summary": true, "table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true, "blockquote": true,
	"ul": true, "li": true}

// checkMarkdown renders md as GitHub does (CommonMark with GFM's tables,
// autolinks, strikethrough and task lists, raw HTML passed through) and
// reports what input could have made: an element or attribute that is not
// the report's own, a comment, a mention outside code, a line a workflow
// runner would read as a command. want are strings that must each be shown,
// literally, as the text of a <code> element.
func checkMarkdown(md string, want []string) error {
	if err := checkLog(md); err != nil {
		return err
	}
	var out bytes.Buffer
	gm := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(gmhtml.WithUnsafe()))
	if err := gm.Convert([]byte(md), &out); err != nil {
		return err
	}
	doc, err := html.Parse(bytes.NewReader(out.Bytes()))
	if err != nil {
		return err
	}
	codes := map[string]bool{}
	var walk func(n *html.Node, inCode bool) error
	walk = func(n *html.Node, inCode bool) error {
		switch n.Type {
		case html.ElementNode:
			if !markdownAllowed[n.Data] {
				return fmt.Errorf("element <%s> in the rendered report", n.Data)
			}
			if len(n.Attr) > 0 {
				return fmt.Errorf("attribute %s=%q on <%s>", n.Attr[0].Key, n.Attr[0].Val, n.Data)
			}
			if n.Data == "code" {
				codes[text(n)] = true
				inCode = true
			}
		case html.CommentNode:
			return fmt.Errorf("an HTML comment <!--%s--> in the rendered report", n.Data)
		case html.TextNode:
			// GitHub links mentions, team mentions and references in
			// text, except inside code (and links, which are refused).
			if !inCode && strings.ContainsAny(n.Data, "@#") {
				return fmt.Errorf("text %q outside code: GitHub would read a mention or a reference there", n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if err := walk(c, inCode); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(doc, false); err != nil {
		return fmt.Errorf("%w\nMarkdown:\n%s\nHTML:\n%s", err, md, out.String())
	}
	for _, s := range want {
		if v := visible(s); v != "" && !codes[v] {
			return fmt.Errorf("%q is not shown as the code %q\nMarkdown:\n%s\nHTML:\n%s", s, v, md, out.String())
		}
	}
	return nil
}

func text(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(text(c))
	}
	return b.String()
}

// checkLog reports a line the GitHub Actions runner would read as a
// workflow command ("::" after leading whitespace, or "##[" anywhere), or
// a character a terminal would interpret.
func checkLog(out string) error {
	if !utf8.ValidString(out) {
		return fmt.Errorf("invalid UTF-8 in %q", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimLeftFunc(line, unicode.IsSpace), "::") || strings.Contains(line, "##[") {
			return fmt.Errorf("line %q is a workflow command", line)
		}
		for _, r := range line {
			if hidden(r) {
				return fmt.Errorf("line %q holds %U", line, r)
			}
		}
	}
	return nil
}

// checkText checks the text report: log-safe, and each of want shown on
// one line.
func checkText(out string, want []string) error {
	if err := checkLog(out); err != nil {
		return fmt.Errorf("%w\n%s", err, out)
	}
	for _, s := range want {
		if !strings.Contains(out, visible(s)) {
			return fmt.Errorf("%q is not shown as %q:\n%s", s, visible(s), out)
		}
	}
	return nil
}

// writeAll writes every format. md is the whole Markdown report
// (WriteMarkdownFull), where every string must be shown; the comment
// (WriteMarkdown), which a long string cuts, must be as safe: it is
// checked here.
func writeAll(t testing.TB, r *Report) (txt, md string, js []byte) {
	var a, b, c, cut bytes.Buffer
	if err := r.WriteText(&a); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteMarkdownFull(&b); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteJSON(&c); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteMarkdown(&cut); err != nil {
		t.Fatal(err)
	}
	if cut.Len() > MarkdownLimit {
		t.Fatalf("the comment is %d bytes, over %d", cut.Len(), MarkdownLimit)
	}
	if err := checkMarkdown(cut.String(), nil); err != nil {
		t.Fatalf("the comment: %v", err)
	}
	return a.String(), b.String(), c.Bytes()
}

func TestHostileStrings(t *testing.T) {
	for _, s := range hostile {
		r := hostileReport(s)
		txt, md, js := writeAll(t, r)
		want := hostileWant(s, r)
		if err := checkMarkdown(md, want); err != nil {
			t.Errorf("Markdown for %q: %v", s, err)
		}
		if err := checkText(txt, want); err != nil {
			t.Errorf("text for %q: %v", s, err)
		}
		// JSON is for programs: the strings stay as they are, escaped
		// only as JSON escapes them.
		var back Report
		if err := json.Unmarshal(js, &back); err != nil {
			t.Errorf("JSON for %q: %v\n%s", s, err, js)
		} else if utf8.ValidString(s) && (back.Comparisons[0].Hosts[0].Host != s || back.Comparisons[0].Notes[0] != s) {
			t.Errorf("JSON for %q: host %q, note %q", s, back.Comparisons[0].Hosts[0].Host, back.Comparisons[0].Notes[0])
		}
	}
}

// The attack of the security review: a host that closes the <code> and
// <summary> the old writer put it in and renders a heading "✅ equivalent",
// a link and an image. It must stay one line of inert code.
func TestHostCannotForgeTheVerdict(t *testing.T) {
	host := "evil.example.com</code>: 0 differ</summary>\n\n# ✅ equivalent\n\n[approve](https://evil.example) ![x](https://evil.example/x.png) @octocat\n\n<details><summary><code>x"
	_, md, _ := writeAll(t, hostileReport(host))
	if err := checkMarkdown(md, []string{host}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(gmhtml.WithUnsafe())).Convert([]byte(md), &out); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&out)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			count[n.Data]++
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if count["summary"] != 1 || count["details"] != 1 || count["h1"] != 0 {
		t.Errorf("want the one section of the one host, got %v:\n%s", count, md)
	}
}

func TestCodeSpan(t *testing.T) {
	for _, c := range []struct{ in, table, inline string }{
		{"plain", "`plain`", "`plain`"},
		{"a|b", "`a\\|b`", "`a|b`"},
		{"a`b", "``a`b``", "``a`b``"},
		{"`", "`` ` ``", "`` ` ``"},
		{"x``", "``` x`` ```", "``` x`` ```"},
		{" a ", "`  a  `", "`  a  `"},
		{" a", "` a`", "` a`"},
		{"  ", "`  `", "`  `"},
		{"", "", ""},
		{"a\nb", "`a\\nb`", "`a\\nb`"},
		{"##[x", "`##\\x5bx`", "`##\\x5bx`"},
		{"::x", "`\\x3a:x`", "`\\x3a:x`"},
	} {
		if got := codeSpan(c.in, true); got != c.table {
			t.Errorf("codeSpan(%q, table) = %q, want %q", c.in, got, c.table)
		}
		if got := codeSpan(c.in, false); got != c.inline {
			t.Errorf("codeSpan(%q) = %q, want %q", c.in, got, c.inline)
		}
	}
}

// FuzzReportWriters: no string in a manifest makes the Markdown report
// hold an element, attribute, comment, link, image or mention of its own,
// or a line of either report a workflow command or a control character;
// every string is shown literally.
func FuzzReportWriters(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := hostileReport(s)
		txt, md, js := writeAll(t, r)
		want := hostileWant(s, r)
		if err := checkMarkdown(md, want); err != nil {
			t.Fatalf("Markdown: %v", err)
		}
		if err := checkText(txt, want); err != nil {
			t.Fatalf("text: %v", err)
		}
		if !json.Valid(js) {
			t.Fatalf("invalid JSON:\n%s", js)
		}
	})
}
