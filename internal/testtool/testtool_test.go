package testtool

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The two behaviours are checked in child processes, because a skip or a
// failure ends the test that calls Missing.
func TestMissing(t *testing.T) {
	if os.Getenv("TESTTOOL_CHILD") == "1" {
		Missing(t, "frobnicator", "run make frob")
		return
	}
	for _, tc := range []struct {
		require  string
		wantFail bool
		want     string
	}{
		{"", false, "SKIP: TestMissing"},
		{"1", true, "needs frobnicator: run make frob"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMissing$", "-test.v")
		cmd.Env = append(os.Environ(), "TESTTOOL_CHILD=1", RequireEnv+"="+tc.require)
		out, err := cmd.CombinedOutput()
		if (err != nil) != tc.wantFail {
			t.Errorf("%s=%q: err = %v, want failure %v\n%s", RequireEnv, tc.require, err, tc.wantFail, out)
		}
		if !strings.Contains(string(out), tc.want) {
			t.Errorf("%s=%q: output lacks %q:\n%s", RequireEnv, tc.require, tc.want, out)
		}
	}
}
