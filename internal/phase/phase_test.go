package phase

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// TestMarkWritesOneLinePerPhase: set, a mark writes its line with every
// figure; unset, nothing.
func TestMarkWritesOneLinePerPhase(t *testing.T) {
	var buf bytes.Buffer
	was := enabled
	defer func() { enabled = was }()
	setOutput(&buf)
	defer setOutput(nil)

	enabled = false
	Mark("read")
	if buf.Len() != 0 {
		t.Fatalf("unset, Mark wrote %q", buf.String())
	}
	enabled = true
	Mark("read")
	_ = make([]byte, 1<<20)
	Mark("model")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	want := regexp.MustCompile(`^routeshift phase (read|model) wall=\S+ cpu=\S+ heap=[0-9.]+MiB hwm=[0-9.]+MiB rss=[0-9.]+MiB$`)
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %q", lines)
	}
	for _, l := range lines {
		if !want.MatchString(l) {
			t.Errorf("line %q does not match %s", l, want)
		}
	}
	if !strings.Contains(lines[1], "phase model") {
		t.Errorf("second line %q is not model", lines[1])
	}
	if h, _ := procStatus(); h == 0 {
		t.Errorf("VmHWM not read from /proc/self/status")
	}
}
