package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The README's diff example runs green as written: the commands of its
// code block, run from the repository root with the built binary.
func TestReadmeDiffExample(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var commands []string
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "routeshift convert examples/quickstart > ") || strings.HasPrefix(l, "routeshift diff ") && strings.Contains(l, "examples/quickstart") {
			cmd, _, _ := strings.Cut(l, "#")
			commands = append(commands, strings.TrimSpace(cmd))
		}
	}
	if len(commands) != 2 {
		t.Fatalf("the README's diff example: found %q, want a convert and a diff line", commands)
	}
	tmp := t.TempDir()
	converted := filepath.Join(tmp, "converted.yaml")
	// The convert line writes to /tmp/converted.yaml; the test to its own.
	convertArgs := strings.Fields(strings.ReplaceAll(commands[0], "/tmp/converted.yaml", converted))
	if convertArgs[len(convertArgs)-2] != ">" {
		t.Fatalf("convert line %q: want `... > FILE`", commands[0])
	}
	out, stderr, code := runInDir(t, "../..", convertArgs[1:len(convertArgs)-2]...)
	if code != 0 {
		t.Fatalf("%s: exit %d\n%s", commands[0], code, stderr)
	}
	if err := os.WriteFile(converted, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	diffArgs := strings.Fields(strings.ReplaceAll(commands[1], "/tmp/converted.yaml", converted))
	out, stderr, code = runInDir(t, "../..", diffArgs[1:]...)
	if code != 0 || !strings.Contains(out, "equivalent") {
		t.Errorf("%s: exit %d, want 0\n%s\n%s", commands[1], code, out, stderr)
	}
}
