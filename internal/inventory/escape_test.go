package inventory

import (
	"strings"
	"testing"
)

// Hosts, names and annotation keys come from manifests nobody vetted; the
// Markdown and HTML reports must show them as text, never as markup.
func TestUntrustedValuesStayText(t *testing.T) {
	yaml := ingress("ns", "web", `<img src=x onerror=alert(1)>|x`, `x.example/<script>=1;`+p+"server-snippet=</td><script>alert(2)</script>")
	rep := build(t, yaml, Options{Inputs: []string{"dir/<script>x</script>|[a](b)"}})
	html := string(render(t, rep.WriteHTML))
	for _, bad := range []string{"<script", "<img", "onerror=alert(1)>"} {
		if strings.Contains(html, bad) {
			t.Errorf("HTML report contains %q", bad)
		}
	}
	if !strings.Contains(html, "&lt;img src=x onerror=alert(1)&gt;|x") {
		t.Error("HTML report does not show the host as text")
	}
	if !strings.Contains(html, "From dir/&lt;script&gt;x&lt;/script&gt;|[a](b).") {
		t.Error("HTML report does not show the input path as text")
	}
	md := string(render(t, rep.WriteMarkdown))
	if !strings.Contains(md, `From dir/&lt;script&gt;x&lt;/script&gt;\|\[a\](b).`) {
		t.Error("Markdown report does not show the input path as text")
	}
	if strings.Contains(md, "<img") || strings.Contains(md, "<script") {
		t.Error("Markdown report contains raw HTML")
	}
	// Every row of a table has as many cell separators as its header.
	header := 0
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			header = 0
			continue
		}
		n := strings.Count(line, "|") - strings.Count(line, `\|`)
		if header == 0 {
			header = n
		} else if n != header {
			t.Errorf("a value broke a Markdown table row: %s", line)
		}
	}
}
