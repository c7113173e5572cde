package main

import (
	"os"
	"strings"
	"testing"
)

// TestDependenciesAreJustified keeps docs/dependencies.md in step with the
// direct requirements of go.mod.
func TestDependenciesAreJustified(t *testing.T) {
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../../docs/dependencies.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(mod)
	start := strings.Index(text, "require (")
	end := strings.Index(text[start:], ")")
	direct := 0
	for _, line := range strings.Split(text[start+len("require ("):start+end], "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || strings.Contains(line, "// indirect") {
			continue
		}
		direct++
		if !strings.Contains(string(doc), "`"+f[0]+"`") {
			t.Errorf("direct dependency %s is not justified in docs/dependencies.md", f[0])
		}
	}
	if direct < 5 {
		t.Fatalf("found only %d direct dependencies; is go.mod's layout what this test expects?", direct)
	}
}
