package fn

import (
	"fmt"
	"io"

	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/phase"
)

// maxInput bounds what the function reads, so a runaway pipeline cannot
// exhaust memory; it is far above any real repository's rendered output.
const maxInput = 512 << 20

// Function is the KRM function: a ResourceList on in, the converted
// ResourceList with results on out, a summary on errw. It returns the exit
// code: 1 when a result at or above spec.failOn exists or the input cannot
// be read, else 0.
func Function(in io.Reader, out, errw io.Writer) int {
	data, err := readAll(io.LimitReader(in, maxInput+1))
	if err != nil {
		fmt.Fprintf(errw, "routeshift: reading the ResourceList: %v\n", err)
		return 1
	}
	if len(data) > maxInput {
		fmt.Fprintf(errw, "routeshift: the ResourceList is larger than %d MiB\n", maxInput>>20)
		return 1
	}
	// Reading is a third of a large run and allocates most of what the
	// run keeps: the collector is set for the run before it (Convert sets
	// it again, for the same size).
	tuneGC(len(data))
	rl, err := load.ReadResourceListEach(data, Predecode)
	if err != nil {
		// Nothing can be returned unchanged when the list itself cannot be
		// read; the orchestrator keeps its input on a non-zero exit.
		fmt.Fprintf(errw, "routeshift: %v\n", err)
		return 1
	}
	phase.Mark("read")
	var findings finding.List
	spec, err := ParseConfig(rl.FunctionConfig)
	if err != nil {
		findings.Errorf(rl.FunctionConfig, "", "%v; nothing was changed", err)
		return finish(out, errw, rl.Items, findings, Summary{}, finding.Error)
	}
	if rl.FunctionConfig == nil || isPlaceholder(rl.FunctionConfig) {
		findings.Infof(nil, "", "no functionConfig: using the defaults (see the README)")
	}
	objs, more, sum := Convert(rl.Items, spec, true)
	findings = append(findings, more...)
	return finish(out, errw, objs, findings, sum, spec.failSeverity())
}

// readAll is io.ReadAll for large inputs: it reads into chunks that double
// up to 8 MiB and copies them once into a buffer of the exact size.
// io.ReadAll grows one buffer by a quarter at a time, so a 10,000-Ingress
// ResourceList (7.6 MB) was allocated, cleared and copied about five times
// over, on the one core reading stdin.
func readAll(r io.Reader) ([]byte, error) {
	var chunks [][]byte
	size, total := 64<<10, 0
	for {
		chunk := make([]byte, size)
		n, err := io.ReadFull(r, chunk)
		chunks, total = append(chunks, chunk[:n]), total+n
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, err
		}
		size = min(2*size, 8<<20)
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	data := make([]byte, 0, total)
	for _, c := range chunks {
		data = append(data, c...)
	}
	return data, nil
}

// Predecode is the readers' hook (load.ReadResourceListEach,
// load.ReadOptions.Each) for input that Convert will convert: it decodes
// each Ingress and Service as soon as it is parsed and drops its tree,
// keeping what the model reads of it (ingressnginx.Predecode). Convert
// would thin them after building the model anyway (see thin), but holding
// every tree until then made reading the costliest phase to collect: at
// 10,000 Ingresses, 150 MB of trees marked again by every collection
// while the input was read.
func Predecode(o *load.Object) {
	if ingressnginx.Predecode(o) {
		o.Thin()
	}
}

// isPlaceholder recognises the empty ConfigMap kpt passes when a pipeline
// step has no configuration.
func isPlaceholder(o *load.Object) bool {
	return o.Kind() == "ConfigMap" && load.Lookup(o.Node, "data") == nil
}

func finish(out, errw io.Writer, objs []*load.Object, findings finding.List, sum Summary, failAt finding.Severity) int {
	results, err := encodeResults(findings)
	if err != nil {
		fmt.Fprintf(errw, "routeshift: encoding results: %v\n", err)
		return 1
	}
	if err := load.WriteResourceList(out, objs, results); err != nil {
		fmt.Fprintf(errw, "routeshift: writing the ResourceList: %v\n", err)
		return 1
	}
	phase.Mark("write")
	WriteSummary(errw, findings, sum)
	return ExitCode(findings, failAt)
}

// ExitCode is 1 when a finding at or above failAt exists, else 0.
func ExitCode(findings finding.List, failAt finding.Severity) int {
	if len(findings) > 0 && findings.Max() >= failAt {
		return 1
	}
	return 0
}
