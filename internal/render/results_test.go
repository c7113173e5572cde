package render

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestResultsDirRead: files come back ordered by content, links are not
// followed, and more than the budget is an error, however the files grew.
func TestResultsDirRead(t *testing.T) {
	d, err := newResultsDir()
	if err != nil {
		t.Fatal(err)
	}
	defer d.remove()
	outside := filepath.Join(t.TempDir(), "secret")
	for name, data := range map[string]string{"b": "- message: second\n", "a": "- message: third\n", "c": "- message: first\n", outside: "secret"} {
		p := name
		if !filepath.IsAbs(p) {
			p = filepath.Join(d.path, name)
		}
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(d.path, "link")); err != nil {
		t.Fatal(err)
	}
	got, err := d.read(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, b := range got {
		texts = append(texts, string(b))
	}
	want := []string{"- message: first\n", "- message: second\n", "- message: third\n"}
	if len(texts) != len(want) || texts[0] != want[0] || texts[1] != want[1] || texts[2] != want[2] {
		t.Errorf("read %q, want %q (the link outside is not followed)", texts, want)
	}
	var budget *BudgetError
	if _, err := d.read(40); !errors.As(err, &budget) {
		t.Errorf("over the budget: %v, want a BudgetError", err)
	}
	var none *resultsDir
	if got, err := none.read(10); got != nil || err != nil {
		t.Errorf("no directory: %v, %v", got, err)
	}
}
