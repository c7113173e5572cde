package fn

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/golden"
	"github.com/routeshift/routeshift/internal/load"
)

// Fuzz targets for the whole conversion (`make fuzz` runs them with a time
// bound; `go test` runs their seeds and every crasher kept under
// testdata/fuzz). Seeds are the golden cases, the corpus and the small
// files of the bad-input catalogue.

// seedFiles are the inputs under testdata the fuzzers start from, with the
// functionConfig of their golden case when they have one ("" otherwise).
// Files over 64 KB are left out: the fuzzer mutates small inputs better.
func seedFiles(tb testing.TB) (inputs, configs []string) {
	tb.Helper()
	var files []string
	for _, glob := range []string{"../testdata/cases/*/input.yaml", "../testdata/corpus/*.yaml", "../testdata/bad/*.yaml"} {
		m, err := filepath.Glob(glob)
		if err != nil {
			tb.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 100 {
		tb.Fatalf("only %d seed files", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		if len(data) > 64<<10 {
			continue
		}
		cfg, _ := os.ReadFile(filepath.Join(filepath.Dir(f), "config.yaml"))
		if filepath.Base(f) != "input.yaml" {
			cfg = nil // the corpus directory's config.yaml is an input
		}
		inputs, configs = append(inputs, string(data)), append(configs, string(cfg))
	}
	return inputs, configs
}

// fuzzConfig is the fixed configuration of FuzzConvert: one created
// Gateway, and either mode for converted Ingresses.
const fuzzConfig = `apiVersion: routeshift.dev/v1alpha1
kind: IngressToGateway
metadata: {name: fuzz}
spec:
  ingress: %s
  gateways:
  - name: public
    namespace: gateway-system
    create: true
    gatewayClassName: eg
`

func fuzzSpec(tb testing.TB, mode string) Spec {
	tb.Helper()
	objs, err := load.ReadStream(strings.NewReader(strings.Replace(fuzzConfig, "%s", mode, 1)), "config.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	spec, err := ParseConfig(objs[0])
	if err != nil {
		tb.Fatal(err)
	}
	return spec
}

func convertBytes(t *testing.T, data []byte, spec Spec) ([]*load.Object, []*load.Object, finding.List, []byte, error) {
	in, err := load.ReadStream(bytes.NewReader(data), "fuzz.yaml")
	if err != nil {
		return nil, nil, nil, nil, err
	}
	out, findings, _ := Convert(in, spec, false)
	var buf bytes.Buffer
	if err := load.WriteStream(&buf, out); err != nil {
		t.Fatalf("writing the output: %v", err)
	}
	return in, out, findings, buf.Bytes(), nil
}

// FuzzConvert converts any stream that reads. Properties: no panic; the
// output reads back; a second conversion of the input writes the same
// bytes, and a conversion of the output changes nothing; every input
// object is in the output byte for byte, unless it is an Ingress converted
// without error and the mode is remove (or an object an earlier run
// generated, regenerated in place); every generated object is valid, and
// none had to be left out for failing Convert's own validation.
//
// The mode is keep for inputs of even length and remove for odd ones, so
// that the fuzzer explores both with one target.
func FuzzConvert(f *testing.F) {
	inputs, _ := seedFiles(f)
	for _, s := range inputs {
		f.Add([]byte(s))
	}
	keep, remove := fuzzSpec(f, "keep"), fuzzSpec(f, "remove")
	f.Fuzz(func(t *testing.T, data []byte) {
		spec := keep
		if len(data)%2 == 1 {
			spec = remove
		}
		in, out, findings, written, err := convertBytes(t, data, spec)
		if err != nil {
			return
		}
		reread, err := load.ReadStream(bytes.NewReader(written), "output.yaml")
		if err != nil {
			t.Fatalf("the output does not read back: %v\n%s", err, written)
		}
		if len(reread) != len(out) {
			t.Fatalf("wrote %d objects, read back %d", len(out), len(reread))
		}
		if _, _, results, again, _ := convertBytes(t, data, spec); !bytes.Equal(again, written) {
			t.Fatalf("a second run writes different bytes:\n%s", golden.Diff(written, again))
		} else if a, b := renderFindings(findings), renderFindings(results); a != b {
			t.Fatalf("a second run gives different results:\n%s", golden.Diff([]byte(a), []byte(b)))
		}
		if _, _, _, again, err := convertBytes(t, written, spec); err != nil || !bytes.Equal(again, written) {
			t.Fatalf("converting the output again changes it (%v):\n%s", err, golden.Diff(written, again))
		}

		// In remove mode, Ingresses converted without error may be missing.
		kept, rest := withoutRemoved(streamRun{in: in, out: out, findings: findings}, spec)
		whole := data
		if len(kept) < len(in) {
			whole = nil
		}
		generated := checkPassThrough(t, kept, rest, whole)
		validateSample(t, generated)
		checkNoSelfCheckFailure(t, findings)
	})
}

// FuzzFunction runs Function on any bytes. Properties: no panic; exit code
// 0 or 1; on exit 0 stdout is a ResourceList; whatever stdout holds is a
// ResourceList; stderr has one line per error and warning result and ends
// with the summary.
func FuzzFunction(f *testing.F) {
	inputs, configs := seedFiles(f)
	for i, s := range inputs {
		rl := asResourceList([]byte(s))
		if cfg := configs[i]; cfg != "" {
			rl = append(rl, "functionConfig:\n"+indent(cfg, "  ")...)
		}
		f.Add(rl)
	}
	f.Add([]byte(rlInput))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		var out, errw bytes.Buffer
		code := Function(bytes.NewReader(data), &out, &errw)
		if code != 0 && code != 1 {
			t.Fatalf("exit %d", code)
		}
		if code == 0 && out.Len() == 0 {
			t.Fatalf("exit 0 with nothing on stdout; stderr:\n%s", errw.String())
		}
		if out.Len() == 0 {
			if !strings.HasPrefix(errw.String(), "routeshift: ") {
				t.Fatalf("failed without saying why: %q", errw.String())
			}
			return
		}
		rl, err := load.ReadResourceList(out.Bytes())
		if err != nil {
			t.Fatalf("stdout is not a ResourceList: %v\n%s", err, out.Bytes())
		}
		var results []rlResult
		if n := load.Lookup(rl.Header, "results"); n != nil {
			if err := n.Decode(&results); err != nil {
				t.Fatalf("results: %v", err)
			}
		}
		checkStderr(t, errw.String(), results)
	})
}

// indent puts prefix before every non-empty line of s.
func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "")
}
