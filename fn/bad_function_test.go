package fn

// Function mode over the bad-input catalogue: each input, wrapped as a
// ResourceList, must give the items and results convert mode gave it
// (bad_test.go checkStream), and a stderr no input value can add lines to.

import (
	"bytes"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/golden"
	"github.com/routeshift/routeshift/internal/load"
)

// asResourceList wraps a stream's documents as the items of a
// ResourceList, each document's text indented under its "- ". Documents
// holding only comments are left out.
func asResourceList(stream []byte) []byte {
	var b bytes.Buffer
	b.WriteString("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n")
	var doc []string
	flush := func() {
		content := false
		for _, l := range doc {
			if s := strings.TrimSpace(l); s != "" && !strings.HasPrefix(s, "#") {
				content = true
			}
		}
		if content {
			for i, l := range doc {
				switch {
				case i == 0:
					b.WriteString("- ")
				case strings.TrimRight(l, "\r\n") != "":
					b.WriteString("  ")
				}
				b.WriteString(l)
			}
			if last := doc[len(doc)-1]; !strings.HasSuffix(last, "\n") {
				b.WriteString("\n")
			}
		}
		doc = doc[:0]
	}
	for _, l := range strings.SplitAfter(string(stream), "\n") {
		switch strings.TrimRight(l, "\r\n") {
		case "---", "...":
			flush()
			continue
		}
		if l != "" {
			doc = append(doc, l)
		}
	}
	flush()
	return b.Bytes()
}

// rlResult is the part of a KRM result the comparison needs.
type rlResult struct {
	Message     string `yaml:"message"`
	Severity    string `yaml:"severity"`
	ResourceRef *struct {
		Kind      string `yaml:"kind"`
		Name      string `yaml:"name"`
		Namespace string `yaml:"namespace"`
	} `yaml:"resourceRef"`
	Field *struct {
		Path string `yaml:"path"`
	} `yaml:"field"`
}

func (r rlResult) String() string {
	s := r.Severity
	if ref := r.ResourceRef; ref != nil {
		name := ref.Name
		if ref.Namespace != "" {
			name = ref.Namespace + "/" + name
		}
		s += " " + ref.Kind + " " + name
	}
	if r.Field != nil {
		s += " " + r.Field.Path
	}
	return s + ": " + r.Message
}

// stderrLine is what WriteSummary prints: one line per error and warning,
// then the summary.
var stderrLine = regexp.MustCompile(`^(error|warning): |^routeshift: `)

// checkStderr checks that stderr has exactly one line per error and
// warning result and then the summary, so that no value from the input,
// printed raw, can add a line that looks like a result of its own.
func checkStderr(t *testing.T, stderr string, results []rlResult) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	var want int
	for _, r := range results {
		if r.Severity != "info" {
			want++
		}
	}
	var got int
	for _, l := range lines {
		if !stderrLine.MatchString(l) {
			t.Errorf("stderr line %q is not a result or the summary", l)
		}
		if strings.HasPrefix(l, "error: ") || strings.HasPrefix(l, "warning: ") {
			got++
		}
	}
	if got != want || !strings.HasPrefix(lines[len(lines)-1], "routeshift: ") {
		t.Errorf("stderr has %d result lines for %d error and warning results, or does not end with the summary:\n%s", got, want, stderr)
	}
}

func checkFunction(t *testing.T, c badCase, input []byte, stream streamRun) {
	rl := asResourceList(input)
	var out, errw bytes.Buffer
	var code int
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("Function panics: %v\n%s", p, debug.Stack())
			}
		}()
		code = Function(bytes.NewReader(rl), &out, &errw)
	}()
	if c.rlErr != "" {
		if code != 1 || out.Len() != 0 || !strings.HasPrefix(errw.String(), "routeshift: ") || !strings.Contains(errw.String(), c.rlErr) {
			t.Errorf("function: exit %d, %d bytes out, stderr %q; want exit 1, nothing out and an error with %q", code, out.Len(), errw.String(), c.rlErr)
		}
		return
	}
	if code != 0 && code != 1 {
		t.Fatalf("function: exit %d", code)
	}
	res, err := load.ReadResourceList(out.Bytes())
	if err != nil {
		t.Fatalf("function output is not a ResourceList: %v\n%.2000s", err, out.Bytes())
	}
	in, err := load.ReadResourceList(rl)
	if err != nil {
		t.Fatal(err)
	}
	var got []rlResult
	if n := load.Lookup(res.Header, "results"); n != nil {
		if err := n.Decode(&got); err != nil {
			t.Fatalf("results: %v", err)
		}
	}
	checkStderr(t, errw.String(), got)
	if c.rlDiffers {
		return
	}
	if code != stream.exit {
		t.Errorf("function exit %d, stream conversion %d", code, stream.exit)
	}

	// Same results as the stream, after the note about the defaults;
	// sources read "item N" instead of "file[N]".
	if len(got) == 0 || !strings.HasPrefix(got[0].Message, "no functionConfig") {
		t.Fatalf("the first result is not the note about the defaults: %v", got)
	}
	sourceRef := regexp.MustCompile(regexp.QuoteMeta(c.name) + `\[(\d+)\]`)
	var a, b []string
	for _, r := range got[1:] {
		a = append(a, r.String())
	}
	for _, f := range stream.findings {
		r := rlResult{Message: sourceRef.ReplaceAllString(f.Message, "item $1"), Severity: f.Severity.String()}
		if o := f.Object; o != nil {
			r.ResourceRef = &struct {
				Kind      string `yaml:"kind"`
				Name      string `yaml:"name"`
				Namespace string `yaml:"namespace"`
			}{o.Kind(), o.Name(), o.Namespace()}
		}
		if f.Field != "" {
			r.Field = &struct {
				Path string `yaml:"path"`
			}{f.Field}
		}
		b = append(b, r.String())
	}
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Errorf("function results differ from the stream's:\n%s", golden.Diff([]byte(strings.Join(b, "\n")), []byte(strings.Join(a, "\n"))))
	}

	// Input items come out byte for byte: the items that are not
	// generated, written alone, are the input's items.
	isInput := map[*load.Object]bool{}
	for _, o := range stream.in {
		isInput[o] = true
	}
	gen := map[string]bool{}
	var streamGenerated []*load.Object
	for _, o := range stream.out {
		if !isInput[o] {
			gen[identity(o.Kind(), o.Namespace(), o.Name())] = true
			streamGenerated = append(streamGenerated, o)
		}
	}
	var kept, generated, expected []*load.Object
	for _, o := range res.Items {
		if isOurs(o) && gen[identity(o.Kind(), o.Namespace(), o.Name())] {
			generated = append(generated, o)
		} else {
			kept = append(kept, o)
		}
	}
	for _, o := range in.Items {
		if !(isOurs(o) && gen[identity(o.Kind(), o.Namespace(), o.Name())]) {
			expected = append(expected, o)
		}
	}
	if x, y := itemsText(t, expected), itemsText(t, kept); x != y {
		t.Errorf("function changed input items:\n%s", golden.Diff([]byte(x), []byte(y)))
	}
	// The generated objects are the stream's (validated there): the
	// items carry no kpt path, so nothing is added for placement.
	var x, y bytes.Buffer
	if err := load.WriteStream(&x, streamGenerated); err != nil {
		t.Fatal(err)
	}
	if err := load.WriteStream(&y, generated); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(x.Bytes(), y.Bytes()) {
		t.Errorf("function generated other objects than the stream conversion:\n%s", golden.Diff(x.Bytes(), y.Bytes()))
	}
}

func itemsText(t *testing.T, items []*load.Object) string {
	var b bytes.Buffer
	if err := load.WriteResourceList(&b, items, nil); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
