// Package testtool decides what a test does when an outside tool it drives
// (kustomize, kpt, podman, the Argo CD cmp server, Chromium, helm) is
// missing.
//
// `go test ./...` on a machine with only Go must pass, so there the test
// skips and names the tool and how to get it. `make test` sets
// ROUTESHIFT_REQUIRE_TOOLS=1 after providing every tool, so there a missing
// tool is a failure: a skipped test must never pass for a tested one in CI.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// RequireEnv is the switch `make test` sets.
const RequireEnv = "ROUTESHIFT_REQUIRE_TOOLS"

// Required reports whether missing tools fail tests rather than skip them.
func Required() bool { return os.Getenv(RequireEnv) == "1" }

// Missing stops the test because tool is not available: a failure under
// `make test`, a skip elsewhere. format and args say why and how to get it.
func Missing(t testing.TB, tool, format string, args ...any) {
	t.Helper()
	if Required() {
		t.Fatalf("needs "+tool+": "+format, args...)
	}
	t.Skipf("skipped, needs "+tool+" ("+RequireEnv+"=1, as make test sets, makes this a failure): "+format, args...)
}

// NeedCommands stops the test, as Missing does, when a command it runs
// from PATH (sh, sed, git, bash) is not there.
func NeedCommands(t testing.TB, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			Missing(t, n, "%v", err)
		}
	}
}
