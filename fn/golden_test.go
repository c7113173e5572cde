package fn

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	sigsyaml "sigs.k8s.io/yaml"

	"github.com/routeshift/routeshift/internal/convert/features"
	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/golden"
	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/validate"
)

// A golden case is a directory under testdata/cases: input.yaml (a
// manifest stream), an optional config.yaml (the functionConfig),
// expected.yaml (the output stream) and results.yaml (the KRM results).
const casesDir = "../testdata/cases"

type run struct {
	out     []byte
	results []byte
	exit    int
}

func convertCase(t *testing.T, dir string, input []byte) run {
	return convertWith(t, filepath.Join(dir, "config.yaml"), "input.yaml", input)
}

// convertWith converts input (named name in results) with the
// functionConfig at configPath, or the defaults when that file is absent.
func convertWith(t *testing.T, configPath, name string, input []byte) run {
	t.Helper()
	var cfg *load.Object
	if data, err := os.ReadFile(configPath); err == nil {
		objs, err := load.ReadStream(bytes.NewReader(data), "config.yaml")
		if err != nil || len(objs) != 1 {
			t.Fatalf("config.yaml: %v (%d objects)", err, len(objs))
		}
		cfg = objs[0]
	}
	spec, err := ParseConfig(cfg)
	if err != nil {
		// A configuration error is an expected result of some cases.
		return run{results: []byte("config error: " + err.Error() + "\n"), exit: 1}
	}
	// The tests validate every output object themselves (validateOutput);
	// the function's own check would only repeat it, three times per case.
	if spec.ValidateOutput == "auto" {
		spec.ValidateOutput = "never"
	}
	objs, err := load.ReadStream(bytes.NewReader(input), name)
	if err != nil {
		return run{results: []byte("read error: " + err.Error() + "\n"), exit: 1}
	}
	out, findings, _ := Convert(objs, spec, false)
	var buf bytes.Buffer
	if err := load.WriteStream(&buf, out); err != nil {
		t.Fatal(err)
	}
	res, err := sigsyaml.Marshal(Results(findings))
	if err != nil {
		t.Fatal(err)
	}
	return run{out: buf.Bytes(), results: res, exit: ExitCode(findings, spec.failSeverity())}
}

func caseDirs(t *testing.T) []string {
	dirs, err := filepath.Glob(filepath.Join(casesDir, "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden cases in %s: %v", casesDir, err)
	}
	return dirs
}

func TestGolden(t *testing.T) {
	for _, dir := range caseDirs(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			input, err := os.ReadFile(filepath.Join(dir, "input.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			first := convertCase(t, dir, input)
			golden.Check(t, filepath.Join(dir, "expected.yaml"), first.out)
			golden.Check(t, filepath.Join(dir, "results.yaml"), append([]byte(exitLine(first.exit)), first.results...))

			validateOutputFor(t, first.out, caseRelease(t, dir))
			attachesEverywhere(t, first.out)

			// Byte-identical across runs.
			if again := convertCase(t, dir, input); !bytes.Equal(again.out, first.out) || !bytes.Equal(again.results, first.results) {
				t.Errorf("second run differs:\n%s", golden.Diff(first.out, again.out))
			}
			// Idempotent: the function applied to its own output changes nothing.
			if first.out != nil {
				if second := convertCase(t, dir, first.out); !bytes.Equal(second.out, first.out) {
					t.Errorf("converting the output again changes it:\n%s", golden.Diff(first.out, second.out))
				}
			}
		})
	}
}

var validator = sync.OnceValues(func() (*validate.Validator, error) { return validate.New(validate.Standard) })

// vendorValidator knows the implementations' policy CRDs and the CRDs of
// the controllers whose objects follow an Ingress (cert-manager, Argo
// Rollouts, Flagger), copied from their modules into testdata (see
// testdata/implementations/SOURCES.md and testdata/carryover/SOURCES.md).
var vendorValidator = sync.OnceValues(func() (*validate.Validator, error) {
	files := map[string][]byte{}
	paths, err := filepath.Glob("../testdata/implementations/crds/*/*.yaml")
	carried, err2 := filepath.Glob("../testdata/carryover/crds/*/*.yaml")
	paths = append(paths, carried...)
	if err != nil || err2 != nil || len(carried) == 0 || len(paths) == 0 {
		return nil, fmt.Errorf("no vendor CRDs: %v %v", err, err2)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		files[p] = data
	}
	return validate.NewFromCRDs(files)
})

// validateOutput checks every Gateway API object of an output stream
// against the pinned CRDs, CEL rules included, as the API server would on
// create.
func validateOutput(t *testing.T, out []byte) {
	t.Helper()
	validateOutputFor(t, out, nil)
}

// validateOutputFor is validateOutput for a case that targets an Envoy
// Gateway release (release not nil): the gateway.* objects are checked
// against that release's own CRDs (releaseCRDs), which is what its cluster
// runs, and must all be kinds they define.
func validateOutputFor(t *testing.T, out []byte, release *features.Release) {
	t.Helper()
	v, err := validator()
	if err != nil {
		t.Fatal(err)
	}
	objs, err := load.ReadStream(bytes.NewReader(out), "output")
	if err != nil {
		t.Fatalf("output does not parse: %v", err)
	}
	checked := 0
	defer func() {
		if checked == 0 && bytes.Contains(out, []byte("kind: HTTPRoute")) {
			t.Errorf("no object of the output was validated")
		}
	}()
	vendor, err := vendorValidator()
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs {
		v := v
		if group, _, _ := strings.Cut(o.APIVersion(), "/"); release != nil && strings.HasPrefix(group, "gateway.") {
			if v = cachedReleaseCRDs(t, release.CRDs); !v.Knows(o.APIVersion(), o.Kind()) {
				t.Errorf("%s: %s does not define %s %s", o.Ref(), release, o.APIVersion(), o.Kind())
				continue
			}
		} else if !v.Knows(o.APIVersion(), o.Kind()) {
			if v = vendor; !v.Knows(o.APIVersion(), o.Kind()) {
				continue
			}
		}
		checked++
		doc, err := yaml.Marshal(o.Node)
		if err != nil {
			t.Fatal(err)
		}
		errs, err := v.ValidateYAML(doc)
		if err != nil {
			t.Fatalf("%s: %v", o.Ref(), err)
		}
		for _, e := range errs {
			t.Errorf("%s is invalid: %v", o.Ref(), e)
		}
	}
}

// TestCorpus converts every real-world and synthetic manifest of
// testdata/corpus (see its SOURCES.md): each converts, with valid output,
// or is rejected with a result that names the object and file.
func TestCorpus(t *testing.T) {
	files, err := filepath.Glob("../testdata/corpus/*.yaml")
	if err != nil || len(files) < 30 {
		t.Fatalf("corpus: %d files, %v", len(files), err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			input, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			first := convertWith(t, "../examples/config/create.yaml", name, input)
			expected := filepath.Join("../testdata/corpus-expected", strings.TrimSuffix(name, ".yaml"))
			golden.Check(t, expected+".out.yaml", first.out)
			golden.Check(t, expected+".results.yaml", append([]byte(exitLine(first.exit)), first.results...))
			validateOutput(t, first.out)
			if first.exit != 0 && !bytes.Contains(first.results, []byte("severity: error")) {
				t.Errorf("failed without an error result")
			}
			if second := convertWith(t, "../examples/config/create.yaml", name, first.out); !bytes.Equal(second.out, first.out) {
				t.Errorf("converting the output again changes it:\n%s", golden.Diff(first.out, second.out))
			}
		})
	}
}

// attachesEverywhere runs the attach check on every generated route, also
// those on Gateways the run created, which the function skips because they
// attach by construction: this is where that claim is tested.
func attachesEverywhere(t *testing.T, out []byte) {
	t.Helper()
	objs, err := load.ReadStream(bytes.NewReader(out), "output")
	if err != nil || len(objs) == 0 {
		return
	}
	gen := map[*load.Object]bool{}
	for _, o := range objs {
		if isOurs(o) {
			gen[o] = true
		}
	}
	var f finding.List
	attachCheckAll(objs, gen, &f)
	for _, x := range f {
		if !expectedNotAttaching[t.Name()] {
			t.Errorf("%s: %s", x.Object.Ref(), x.Message)
		}
	}
}

// expectedNotAttaching are the cases whose point is a route that the
// user's Gateway does not accept.
var expectedNotAttaching = map[string]bool{
	"TestGolden/attach-existing-gateway": true,
}

// caseRelease is the release a case's configuration targets, nil for
// none (or a configuration error).
func caseRelease(t *testing.T, dir string) *features.Release {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "config.yaml"))
	if err != nil {
		return nil
	}
	objs, err := load.ReadStream(bytes.NewReader(data), "config.yaml")
	if err != nil || len(objs) != 1 {
		return nil
	}
	spec, err := ParseConfig(objs[0])
	if err != nil {
		return nil
	}
	return spec.release()
}

var releaseValidators sync.Map // CRDs version -> *validate.Validator

func cachedReleaseCRDs(t *testing.T, version string) *validate.Validator {
	t.Helper()
	if v, ok := releaseValidators.Load(version); ok {
		return v.(*validate.Validator)
	}
	v, _ := releaseValidators.LoadOrStore(version, releaseCRDs(t, version))
	return v.(*validate.Validator)
}

func exitLine(code int) string {
	return "# exit code " + strings.TrimSpace(string(rune('0'+code))) + "\n"
}
