// Command bench measures routeshift as users run it: whole processes on
// generated inputs of 1k, 10k and 50k Ingresses, in function mode (a
// ResourceList on stdin), convert mode and diff, beside the floor that any
// YAML-reading function pays (decoding the input into yaml.v3 nodes and
// writing its bytes back), with wall time, CPU time and peak RSS as ratios
// to that floor. `make bench` runs it and writes bench/results.md.
//
// Run as `bench floor` it is the floor program itself.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/routeshift/routeshift/internal/gen"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "exec" {
		if err := execChild(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "bench exec:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "floor" {
		if err := floor(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	out := flag.String("out", "bench/results.md", "where to write the results")
	sizes := flag.String("sizes", "1000,10000,50000", "Ingress counts (classic mix)")
	realSizes := flag.String("realistic-sizes", "10000,50000", "Ingress counts of the realistic mix")
	oneHost := flag.String("one-host", "2000,4000,8000,16000", "paths on one host, for diff's scaling series")
	inputs := flag.String("inputs", "", "only write the generated inputs (stream-MIX-N.yaml, rl-MIX-N.yaml, one-host-N.yaml) into this directory, for profiling by hand")
	flag.Parse()
	if *i2gOnly {
		if err := runIngress2GatewayOnly(); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if *announcedOnly {
		if err := runAnnouncedOnly(); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if *inputs != "" {
		if err := writeInputs(*inputs, *sizes); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*out, *sizes, *realSizes, *oneHost); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// floor decodes every document into nodes and writes the input back: the
// least a function that reads YAML can do.
func floor(r io.Reader, w io.Writer) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return err
		}
	}
	_, err = w.Write(data)
	return err
}

func run(out, sizes, realSizes, oneHost string) error {
	dir, bin, err := workDir()
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	self := wrapper
	type job struct {
		mix gen.Mix
		n   int
	}
	var jobs []job
	for _, list := range []struct {
		mix   gen.Mix
		sizes string
	}{{gen.Classic, sizes}, {gen.Realistic, realSizes}} {
		ns, err := ints(list.sizes)
		if err != nil {
			return err
		}
		for _, n := range ns {
			jobs = append(jobs, job{list.mix, n})
		}
	}
	var rows, diffRows, phaseRows []string
	for _, j := range jobs {
		stream, err := gen.Generate(j.mix, j.n, namespaces(j.mix, j.n))
		if err != nil {
			return err
		}
		streamFile := filepath.Join(dir, fmt.Sprintf("stream-%s-%d.yaml", j.mix, j.n))
		rlFile := filepath.Join(dir, fmt.Sprintf("rl-%s-%d.yaml", j.mix, j.n))
		if err := os.WriteFile(streamFile, stream, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(rlFile, gen.ResourceList(stream), 0o644); err != nil {
			return err
		}
		fl, err := best(func() (measure, error) { return runProcess(rlFile, self, "floor") })
		if err != nil {
			return err
		}
		fnm, err := best(func() (measure, error) { return runProcess(rlFile, bin) })
		if err != nil {
			return err
		}
		conv, err := best(func() (measure, error) { return runProcess(os.DevNull, bin, "convert", streamFile) })
		if err != nil {
			return err
		}
		row := func(what string, m measure) string {
			return fmt.Sprintf("| %s | %d | %s | %.2f s | %.2f s | %.1fx | %.1fx | %d MiB | %.1fx | %d |", j.mix, j.n, what, m.wall.Seconds(), m.cpu.Seconds(),
				m.wall.Seconds()/fl.wall.Seconds(), m.cpu.Seconds()/fl.cpu.Seconds(), m.rss/1024, float64(m.rss)/float64(fl.rss), m.exit)
		}
		rows = append(rows, row("floor (decode only)", fl), row("function mode", fnm), row("convert", conv))
		ph, err := phases(rlFile, bin)
		if err != nil {
			return err
		}
		for _, p := range ph {
			phaseRows = append(phaseRows, fmt.Sprintf("| %s | %d | function mode | %s |", j.mix, j.n, p))
		}
		converted := filepath.Join(dir, fmt.Sprintf("converted-%s-%d.yaml", j.mix, j.n))
		if err := convertTo(bin, streamFile, converted); err != nil {
			return err
		}
		impls := []string{""}
		if j.mix == gen.Realistic {
			impls = append(impls, "envoy-gateway")
		}
		for _, impl := range impls {
			args := []string{"diff", streamFile, converted}
			what := "diff input vs conversion"
			if impl != "" {
				args = []string{"diff", "--implementation", impl, streamFile, converted}
				what += " as " + impl
			}
			d, err := best(func() (measure, error) { return runSummarized(os.DevNull, bin, args...) })
			if err != nil || d.exit == 2 {
				rows = append(rows, fmt.Sprintf("| %s | %d | %s | not available (exit %d) | | | | | | |", j.mix, j.n, what, d.exit))
				continue
			}
			rows = append(rows, row(what, d))
			diffRows = append(diffRows, fmt.Sprintf("| %s | %d | %s | %s |", j.mix, j.n, orSpec(impl), summary(d.first)))
		}
		fmt.Fprintf(os.Stderr, "bench: %s %d Ingresses done\n", j.mix, j.n)
	}
	hostRows, err := oneHostSeries(dir, bin, oneHost)
	if err != nil {
		return err
	}
	announced, err := announcedRows(dir, bin, *announcedSizes, *announcedImpls)
	if err != nil {
		return err
	}
	i2gRows, err := compareIngress2Gateway(dir, bin, *i2gBinary)
	if err != nil {
		return err
	}
	startRows, onePhases, err := startup(dir, bin)
	if err != nil {
		return err
	}
	for _, p := range onePhases {
		phaseRows = append(phaseRows, fmt.Sprintf("| one Ingress | 1 | convert | %s |", p))
	}
	report := fmt.Sprintf(`# routeshift benchmark results

Written by `+"`make bench`"+` (hack/bench) on %s. Machine: %s, %d CPUs, Go %s.
Each figure is the fastest of three whole-process runs on the same generated input. Two generators
(internal/gen): the classic mix (N Ingresses over N/200 namespaces with their Services; TLS, shared hosts,
rewrites, regex, canaries, redirects, CORS, timeouts, auth, snippets, wildcard hosts, default backends) and
the realistic mix of issue 19 (500 namespaces; 27%% TLS; 16%% rewrite-target, half of them /$2 regexes; 9%%
canary pairs; host-less use-regex Ingresses; wildcard hosts; CORS, auth, snippets; ~2%% duplicate host+path).
Ratios are to the floor of the same input: decoding the ResourceList into yaml.v3 nodes and writing its bytes
back, on one core. Wall x floor is what a kustomize, kpt or Argo CD user waits for (routeshift works on every
core, the floor on one); CPU x floor is what a shared CI runner pays: user plus system time of the whole
process, steadier than wall time on a shared machine, and higher than wall time when both cores work.

| mix | Ingresses | run | wall | CPU (user+sys) | wall x floor | CPU x floor | peak RSS | x floor | exit |
|---|---|---|---|---|---|---|---|---|---|
%s

What diff found (its summary line; "as envoy-gateway" evaluates the Gateway API side with --implementation
envoy-gateway, where the specification leaves regex precedence and fall-through open):

| mix | Ingresses | Gateway model | requests compared, differing, unverifiable |
|---|---|---|---|
%s

diff's scaling in paths per host (internal/gen OneHost: one host, ten paths per Ingress, every tenth Exact;
diff of the Ingresses against their conversion). Linear when the CPU time per path stays flat:

| paths on one host | wall | CPU (user+sys) | CPU per path | peak RSS | requests |
|---|---|---|---|---|---|
%s

Start-up and one-Ingress renders (Argo CD renders each Application apart, kustomize and kpt run the
function once per build): whole processes, %d runs each; "fastest" is the run with the least CPU time.
The one-Ingress file holds a TLS Ingress with two paths (a Gateway, two HTTPRoutes and a ReferenceGrant
come out); convert validates them against the CRDs as it does by default (validateOutput: auto).

| run | fastest CPU | its wall | median CPU | median wall | peak RSS |
|---|---|---|---|---|---|
%s

Where time and memory go, phase by phase (one more run with ROUTESHIFT_PHASES=1, internal/phase): CPU
of the phase (the first, read, includes process start-up), heap in use at its end (live objects and
garbage not yet collected), and the process's peak RSS so far (VmHWM): the phase whose row first shows
the final peak is the one that reached it.

| mix | Ingresses | run | phase | CPU | heap in use at end | peak RSS so far |
|---|---|---|---|---|---|---|
%s

Exit 1 in function and convert mode is expected: the mixes contain snippets, which are error results by default
(the controller profile refuses them, as ingress-nginx v1.12+ does). Exit 1 from diff is expected too: both mixes
hold differences the converter warns about (the ssl-redirect trailing slash, one-label wildcards, capture-group
rewrites). Peak RSS is measured under a small wrapper process (bench exec), since on Linux a child's peak
includes what its parent had resident when it forked.
`, time.Now().UTC().Format("2006-01-02"), cpuModel(), runtime.NumCPU(), strings.TrimPrefix(runtime.Version(), "go"),
		strings.Join(rows, "\n"), strings.Join(diffRows, "\n"), strings.Join(hostRows, "\n"),
		startRuns, strings.Join(startRows, "\n"), strings.Join(phaseRows, "\n"))
	report += announcedSection(announced)
	report += ingress2gatewaySection(i2gRows)
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	// The history below the figures is written by hand: what changed,
	// what was tried and dropped. A new run keeps it.
	if old, err := os.ReadFile(out); err == nil {
		if i := bytes.Index(old, []byte("\n## History")); i >= 0 {
			report += string(old[i:])
		}
	}
	fmt.Print(report)
	return os.WriteFile(out, []byte(report), 0o644)
}

// oneHostSeries measures diff on one host with more and more paths.
func oneHostSeries(dir, bin, list string) ([]string, error) {
	ns, err := ints(list)
	if err != nil {
		return nil, err
	}
	var rows []string
	for _, p := range ns {
		in := filepath.Join(dir, fmt.Sprintf("one-host-%d.yaml", p))
		if err := os.WriteFile(in, gen.OneHost(p), 0o644); err != nil {
			return nil, err
		}
		conv := filepath.Join(dir, fmt.Sprintf("one-host-%d.converted.yaml", p))
		if err := convertTo(bin, in, conv); err != nil {
			return nil, err
		}
		d, err := best(func() (measure, error) { return runSummarized(os.DevNull, bin, "diff", in, conv) })
		if err != nil {
			return nil, err
		}
		rows = append(rows, fmt.Sprintf("| %d | %.2f s | %.2f s | %.0f µs | %d MiB | %s |", p, d.wall.Seconds(), d.cpu.Seconds(),
			float64(d.cpu.Microseconds())/float64(p), d.rss/1024, summary(d.first)))
		fmt.Fprintf(os.Stderr, "bench: one host, %d paths done\n", p)
	}
	return rows, nil
}

var counts = regexp.MustCompile(`(\d+) requests(?:, (\d+) differ, (\d+) unverifiable)?`)

// summary turns diff's first line into "N, D, U (x% unverifiable)".
func summary(line string) string {
	m := counts.FindStringSubmatch(line)
	if m == nil {
		return "?"
	}
	if m[2] == "" {
		return m[1] + " requests, all equivalent"
	}
	var n, u float64
	fmt.Sscan(m[1], &n)
	fmt.Sscan(m[3], &u)
	return fmt.Sprintf("%s, %s, %s (%.2f%% unverifiable)", m[1], m[2], m[3], 100*u/max(n, 1))
}

func orSpec(impl string) string {
	if impl == "" {
		return "specification"
	}
	return impl
}

func namespaces(mix gen.Mix, n int) int {
	if mix == gen.Realistic {
		return max(1, min(500, n/20))
	}
	return max(1, n/200)
}

func ints(list string) ([]int, error) {
	var out []int
	for _, s := range strings.Split(list, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		var n int
		if _, err := fmt.Sscan(s, &n); err != nil {
			return nil, fmt.Errorf("size %q: %w", s, err)
		}
		out = append(out, n)
	}
	return out, nil
}

// writeInputs writes the inputs run measures, without measuring.
func writeInputs(dir, sizes string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, s := range strings.Split(sizes, ",") {
		var n int
		if _, err := fmt.Sscan(s, &n); err != nil {
			return fmt.Errorf("size %q: %w", s, err)
		}
		for _, mix := range []gen.Mix{gen.Classic, gen.Realistic} {
			stream, err := gen.Generate(mix, n, namespaces(mix, n))
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("stream-%s-%d.yaml", mix, n)), stream, 0o644); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("rl-%s-%d.yaml", mix, n)), gen.ResourceList(stream), 0o644); err != nil {
				return err
			}
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("one-host-%d.yaml", n)), gen.OneHost(n), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func convertTo(bin, in, out string) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	cmd := exec.Command(bin, "convert", in)
	cmd.Stdout = f
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 1 {
		return nil // error results (snippets) still produce the conversion
	}
	return err
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "model name") {
			if _, v, ok := strings.Cut(line, ":"); ok {
				return strings.TrimSpace(v)
			}
		}
	}
	return runtime.GOARCH
}
