package examples_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/routeshift/routeshift/internal/golden"
)

// examples/kpt holds kpt packages in the kpt function catalog's e2e layout:
// .expected/config.yaml says how kpt runs (render, or eval with args),
// .expected/diff.patch is the `git diff` the run must leave and
// .expected/results.yaml what --results-dir must hold. Each package runs
// twice, once with the binary (exec) and once with the image, and must give
// the same diff and results both times; a second run must change nothing.

// kptCase is the part of the catalog runner's config.yaml used here.
type kptCase struct {
	TestType string            `json:"testType"`
	Image    string            `json:"image,omitempty"`
	Args     map[string]string `json:"args,omitempty"`
	ExitCode int               `json:"exitCode,omitempty"`
}

func kptCases(t *testing.T) map[string]kptCase {
	t.Helper()
	dirs, err := filepath.Glob("kpt/*/.expected/config.yaml")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no kpt cases: %v", err)
	}
	cases := map[string]kptCase{}
	for _, p := range dirs {
		var c kptCase
		if err := yaml.UnmarshalStrict([]byte(readFile(t, p)), &c); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if c.TestType != "render" && c.TestType != "eval" {
			t.Fatalf("%s: testType %q", p, c.TestType)
		}
		cases[filepath.Dir(filepath.Dir(p))] = c
	}
	return cases
}

func TestKptExec(t *testing.T) {
	k := kpt(t)
	for dir, c := range kptCases(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			runKptCase(t, k, dir, c, "", []string{withPath(binDir)})
		})
	}
}

func TestKptImage(t *testing.T) {
	ce := container(t)
	k := kpt(t)
	runs := 0
	for _, dir := range sortedKeys(kptCases(t)) {
		c := kptCases(t)[dir]
		t.Run(filepath.Base(dir), func(t *testing.T) {
			runKptCase(t, k, dir, c, ce.image, ce.env)
		})
		runs += 2 // the run and the second, idempotent one
		ce.checkIsolated(t, runs)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// runKptCase runs the package at dir in a fresh Git repository: with the
// image when image is set, else with `routeshift` found on env's PATH.
func runKptCase(t *testing.T, k, dir string, c kptCase, image string, env []string) {
	pkg := filepath.Join(t.TempDir(), filepath.Base(dir))
	copyTree(t, dir, pkg)
	git := func(args ...string) string {
		return mustRun(t, pkg, nil, "git", append([]string{"-c", "user.name=test", "-c", "user.email=test@example.com"}, args...)...).stdout
	}
	kptfile := filepath.Join(pkg, "Kptfile")
	if c.TestType == "render" {
		// The Kptfile names the image for users; the exec run swaps in
		// the binary, found on PATH (a relative exec path in a Kptfile
		// resolves against kpt's working directory, not the package).
		if image == "" {
			replaceIn(t, kptfile, "- image: "+defaultImage+"\n", "- exec: routeshift\n")
		} else if image != defaultImage {
			replaceIn(t, kptfile, "- image: "+defaultImage+"\n", "- image: "+image+"\n")
		}
	}
	git("init", "-q")
	git("add", "-A")
	git("commit", "-q", "-m", "package")

	results := t.TempDir()
	kptRun := func() result {
		var args []string
		switch c.TestType {
		case "render":
			args = []string{"fn", "render", pkg, "--results-dir", results}
			if image == "" {
				args = append(args, "--allow-exec")
			}
		case "eval":
			args = []string{"fn", "eval", pkg, "--results-dir", results}
			if image == "" {
				args = append(args, "--exec", "routeshift")
			} else {
				args = append(args, "--image", image)
			}
			args = append(args, "--")
			for _, key := range sortedKeys(c.Args) {
				args = append(args, key+"="+c.Args[key])
			}
		}
		r := run(t, pkg, env, k, args...)
		if r.code != c.ExitCode {
			t.Fatalf("kpt %s: exit %d, want %d\n%s%s", strings.Join(args, " "), r.code, c.ExitCode, r.stdout, r.stderr)
		}
		return r
	}
	kptRun()
	golden.Check(t, filepath.Join(dir, ".expected", "diff.patch"), []byte(git("diff")))
	got := canonicalResults(t, readFile(t, filepath.Join(results, "results.yaml")), image, c.Image)
	golden.Check(t, filepath.Join(dir, ".expected", "results.yaml"), got)

	// A second run over the converted package changes nothing.
	git("add", "-A")
	git("commit", "-q", "-m", "converted")
	kptRun()
	if st := git("status", "--porcelain"); st != "" {
		t.Errorf("a second kpt run changed the package:\n%s\n%s", st, git("diff"))
	}
	if _, err := os.Stat(filepath.Join(results, "results.yaml")); err != nil {
		t.Error(err)
	}
}

// canonicalResults makes kpt's FunctionResultList comparable across the
// exec and the image run: the function is named by the example's image, the
// captured stderr loses its trailing newline (kpt keeps it from a binary,
// not from a container), and the YAML is re-encoded with sorted keys.
func canonicalResults(t *testing.T, data, image, caseImage string) []byte {
	t.Helper()
	var list struct {
		APIVersion string           `json:"apiVersion"`
		Kind       string           `json:"kind"`
		Metadata   map[string]any   `json:"metadata"`
		ExitCode   int              `json:"exitCode"`
		Items      []map[string]any `json:"items"`
	}
	if err := yaml.UnmarshalStrict([]byte(data), &list); err != nil {
		t.Fatalf("results.yaml: %v\n%s", err, data)
	}
	name := caseImage
	if name == "" {
		name = defaultImage
	}
	for _, item := range list.Items {
		if image == "" && item["exec"] != "routeshift" || image != "" && item["image"] != image {
			t.Errorf("results.yaml names %v/%v, want the function that ran", item["exec"], item["image"])
		}
		delete(item, "exec")
		item["image"] = name
		if s, ok := item["stderr"].(string); ok {
			item["stderr"] = strings.TrimRight(s, "\n")
		}
	}
	out, err := yaml.Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// An error result fails the kpt run, kpt leaves the package as it was, and
// --results-dir holds routeshift's error.
func TestKptExecError(t *testing.T) {
	pkg := filepath.Join(t.TempDir(), "eval")
	copyTree(t, "kpt/eval", pkg)
	writeFile(t, filepath.Join(pkg, "legacy.yaml"), brokenIngress)
	before := readFile(t, filepath.Join(pkg, "shop.yaml"))
	results := t.TempDir()
	r := run(t, pkg, []string{withPath(binDir)}, kpt(t), "fn", "eval", pkg, "--exec", "routeshift", "--results-dir", results, "--",
		"gatewayName=shared", "gatewayNamespace=infra", "httpSectionName=http", "httpsSectionName=https")
	if r.code != 1 {
		t.Fatalf("want exit 1, got %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if got := readFile(t, filepath.Join(pkg, "shop.yaml")); got != before {
		t.Errorf("a failed run changed the package:\n%s", got)
	}
	contains(t, "results.yaml", readFile(t, filepath.Join(results, "results.yaml")),
		"exitCode: 1\n",
		"  - message: 'port name \"http\" of Service shop/legacy cannot be resolved: the Service is not in the input; add it or use port.number'\n        severity: error\n",
		"          name: legacy\n")
	contains(t, "kpt's output", r.stdout+r.stderr, "[error] networking.k8s.io/v1/Ingress/shop/legacy spec.rules[0].http.paths[0].backend.service.port.name: port name \"http\" of Service shop/legacy cannot be resolved", "[FAIL] \"routeshift\"")
}
