package proof

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/routeshift/routeshift/"

// forbidden are the converter's packages: the converter itself, the KRM
// function, and internal/load, whose fast parser (and everything else)
// reads manifests for the converter.
var forbidden = []string{module + "internal/convert", module + "fn", module + "internal/load"}

// differential compares the proof's reader with the converter's: it must
// import both, and is the one exception.
const differential = module + "internal/proof/internal/differential"

func goList(t *testing.T, args ...string) []string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list the proof's dependencies: %v", err)
	}
	out, err := exec.Command(gobin, append([]string{"list"}, args...)...).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, ee.Stderr)
		}
		t.Fatalf("go list %s: %v", strings.Join(args, " "), err)
	}
	return strings.Fields(string(out))
}

// violations returns the forbidden packages among the dependencies (with
// their tests) of pkgs.
func violations(t *testing.T, pkgs []string) []string {
	deps := goList(t, append([]string{"-deps", "-test", "-f", "{{.ImportPath}}"}, pkgs...)...)
	var bad []string
	for _, d := range deps {
		d, _, _ = strings.Cut(d, " ") // "pkg [pkg.test]"
		for _, f := range forbidden {
			if d == f || strings.HasPrefix(d, f+"/") {
				bad = append(bad, d)
			}
		}
	}
	return bad
}

// TestProofSharesNoCodeWithTheConverter holds the line this package's doc
// draws: nothing under internal/proof, tests included, depends on the
// converter or its reader, so that a misreading or mistake there cannot
// agree with itself in a diff.
func TestProofSharesNoCodeWithTheConverter(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list over the module")
	}
	var pkgs []string
	sawReader := false
	for _, p := range goList(t, "./...") {
		if p == differential {
			continue
		}
		sawReader = sawReader || p == module+"internal/proof/internal/kube"
		pkgs = append(pkgs, p)
	}
	if !sawReader || len(pkgs) < 8 {
		t.Fatalf("go list ./... found %d packages (%v): is this test where it should be?", len(pkgs), pkgs)
	}
	if bad := violations(t, pkgs); len(bad) > 0 {
		t.Errorf("the proof depends on the converter: %v", bad)
	}
	// The check itself must be able to fail: the differential test and
	// the KRM function do depend on the converter.
	if bad := violations(t, []string{differential, module + "fn"}); len(bad) == 0 {
		t.Error("no forbidden dependency found where there must be some: the check is broken")
	}
}
