package gateway

// Running egctl: a run costs about 0.6 s of CPU before it reads anything,
// then each object: its reader validates every Gateway API object against
// the CRDs' schemas, about 80 ms of CPU per HTTPRoute and 25 ms per Gateway
// here (egctl v1.9.1 on 60 of each), which is most of the test's cost and
// does not depend on how the objects are grouped. So the cases are given to
// it in one batch per core and release (measured on 2 cores, both releases:
// one run per case, 374 runs, 198 s of CPU in all; batches of 16 cases,
// 30 runs, 108 s; a batch per core, 6 runs, 78 s), each case's
// namespaces prefixed with its own "egcaseN-" so that cases cannot meet;
// what egctl prints is split back by that prefix. A case whose input
// egRefusals says egctl refuses runs alone, or it would take its batch
// with it.

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/routeshift/routeshift/internal/parallel"
)

// egBatchClass is the GatewayClass a batch's Gateways are given: egctl
// reads one GatewayClass per run.
const egBatchClass = "routeshift-egctl"

type egCase struct {
	name, path string
	in         *egInput
	m          *Model
	err        error
	res        [2]egCaseResult // by egReleases
}

// egCaseResult is what one release made of one case.
type egCaseResult struct {
	// err: egctl refused the case's input as a whole.
	err      string
	problems map[string]string
	// printed: "Kind namespace/name" of every object egctl printed.
	printed map[string]bool
	xds     map[string]json.RawMessage // by Gateway namespace/name
}

func egPrefix(i int) string { return "egcase" + strconv.Itoa(i) + "-" }

var egPrefixRE = regexp.MustCompile(`egcase([0-9]+)-`)

func TestEnvoyGatewayTranslator(t *testing.T) {
	bins := make([]string, len(egReleases))
	for i, r := range egReleases {
		bins[i] = egctlPath(t, r)
	}
	paths := egCases(t)
	for name := range egRefusals {
		if paths[name] == "" {
			t.Errorf("egRefusals lists %s, which is not a case the test runs", name)
		}
	}
	var cases []*egCase
	for _, name := range egKeys(paths) {
		cases = append(cases, &egCase{name: name, path: paths[name]})
	}
	parallel.For(len(cases), func(i int) {
		c := cases[i]
		if c.in, c.err = buildEGInput(c.path); c.err == nil {
			c.m, c.err = Build(c.in.model, Options{Implementation: EnvoyGateway})
		}
	})
	var run []int
	for i, c := range cases {
		if c.err != nil || c.in.routesSomething() {
			run = append(run, i)
		}
	}
	n := runtime.GOMAXPROCS(0)
	batches := make([][]int, n)
	k := 0
	for _, i := range run {
		switch {
		case cases[i].err != nil:
		case refusesInput(cases[i].name):
			batches = append(batches, []int{i})
		default:
			batches[k%n] = append(batches[k%n], i)
			k++
		}
	}
	dir := t.TempDir()
	if d := os.Getenv("EGCTL_DUMP"); d != "" {
		dir = d // keeps the inputs, to run egctl on them by hand
	}
	parallel.For(len(batches)*len(egReleases), func(j int) {
		b, r := j/len(egReleases), j%len(egReleases)
		translateBatch(cases, batches[b], r, bins[r], filepath.Join(dir, fmt.Sprintf("batch%d-%s.yaml", b, egReleases[r].version)))
	})
	t.Logf("%d cases, %d egctl runs, %v of CPU in them", len(run), egRuns.Load(), time.Duration(egCPU.Load()))
	for _, i := range run {
		c := cases[i]
		t.Run(c.name, func(t *testing.T) {
			if c.err != nil {
				t.Fatal(c.err)
			}
			for r, rel := range egReleases {
				res := &c.res[r]
				problems := res.problems
				if res.err != "" {
					problems = map[string]string{"input": "egctl refuses it: " + res.err}
				} else {
					for obj, why := range c.in.egMissing(res.printed) {
						problems[obj] = why
					}
				}
				checkRefusals(t, c.name, rel.version, problems)
				compareXDS(t, c.name, rel.version, c.m, res.xds)
			}
		})
	}
	t.Logf("compared %d virtual hosts (%d routes) and %d requests (%d of them 404; %d rewritten paths, %d redirects, "+
		"%d direct responses) with the model", egCompared.vhosts.Load(), egCompared.routes.Load(), egCompared.requests.Load(),
		egCompared.notFound.Load(), egCompared.rewrites.Load(), egCompared.redirects.Load(), egCompared.direct.Load())
	if f := flag.Lookup("test.run"); f != nil && strings.Contains(f.Value.String(), "/") {
		return // some cases only: they may hold no 404
	}
	if egCompared.vhosts.Load() == 0 || egCompared.notFound.Load() == 0 {
		t.Error("nothing was compared: is egctl printing its route tables where the test reads them?")
	}
}

// translateBatch runs one release's egctl on a batch of cases and files
// what it prints under each case. When egctl refuses the batch as a whole
// (its reader validates every object first), each half is run apart,
// down to the case it refuses.
func translateBatch(cases []*egCase, batch []int, r int, bin, file string) {
	if len(batch) == 0 {
		return
	}
	out, err := translateFile(cases, batch, bin, file)
	if err != nil && len(batch) > 1 {
		base := strings.TrimSuffix(file, ".yaml")
		h := len(batch) / 2
		translateBatch(cases, batch[:h], r, bin, base+"a.yaml")
		translateBatch(cases, batch[h:], r, bin, base+"b.yaml")
		return
	}
	for _, i := range batch {
		cases[i].res[r] = egCaseResult{problems: map[string]string{}, printed: map[string]bool{}, xds: map[string]json.RawMessage{}}
		if err != nil {
			cases[i].res[r].err = strings.ReplaceAll(err.Error(), egPrefix(i), "")
		}
	}
	if err != nil {
		return
	}
	owner := func(s string) (int, bool) {
		m := egPrefixRE.FindStringSubmatch(s)
		if m == nil {
			return 0, false
		}
		i, _ := strconv.Atoi(m[1])
		return i, i < len(cases)
	}
	for obj, why := range egStatusProblems(out, egBatchClass) {
		i, ok := owner(obj)
		if !ok {
			// The GatewayClass: every case's problem.
			for _, i := range batch {
				cases[i].res[r].problems[obj] = why
			}
			continue
		}
		p := egPrefix(i)
		cases[i].res[r].problems[strings.ReplaceAll(obj, p, "")] = strings.ReplaceAll(why, p, "")
	}
	for _, o := range out.objects() {
		if i, ok := owner(o.Metadata.Namespace); ok {
			cases[i].res[r].printed[strings.ReplaceAll(o.ref(), egPrefix(i), "")] = true
		}
	}
	for gw, raw := range out.Xds {
		if i, ok := owner(gw); ok {
			p := egPrefix(i)
			cases[i].res[r].xds[strings.TrimPrefix(gw, p)] = bytes.ReplaceAll(raw, []byte(p), nil)
		}
	}
}

func translateFile(cases []*egCase, batch []int, bin, file string) (*egOutput, error) {
	var b bytes.Buffer
	gc := obj{"apiVersion": group + "/v1", "kind": "GatewayClass",
		"metadata": obj{"name": egBatchClass}, "spec": obj{"controllerName": egControllerName}}
	docs := []obj{gc}
	for _, i := range batch {
		for _, d := range cases[i].in.translate {
			if kindOf(d) != "GatewayClass" {
				docs = append(docs, egPrefixed(d, egPrefix(i), cases[i].in.className))
			}
		}
	}
	for _, d := range docs {
		j, err := json.Marshal(d)
		if err != nil {
			return nil, err
		}
		b.WriteString("---\n")
		b.Write(j)
		b.WriteString("\n")
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		return nil, err
	}
	return runEgctl(bin, file)
}

// egPrefixed is a copy of d with every namespace it lives in or names
// prefixed, and its Gateways of the case's class given the batch's.
func egPrefixed(d obj, prefix, className string) obj {
	c := deepCopy(d)
	meta := mapAt(c, "metadata")
	if kindOf(c) == "Namespace" {
		meta["name"] = prefix + nameOf(c)
		return c
	}
	if meta["namespace"] == nil || meta["namespace"] == "" {
		meta["namespace"] = "default"
	}
	var fix func(v any)
	fix = func(v any) {
		switch x := v.(type) {
		case obj:
			for k, e := range x {
				if s, ok := e.(string); ok && k == "namespace" && s != "" {
					x[k] = prefix + s
					continue
				}
				fix(e)
			}
		case []any:
			for _, e := range x {
				fix(e)
			}
		}
	}
	fix(c)
	if kindOf(c) == "Gateway" {
		if spec := mapAt(c, "spec"); spec["gatewayClassName"] == className {
			spec["gatewayClassName"] = egBatchClass
		}
	}
	return c
}

// refusesInput: egRefusals says egctl refuses the case's input as a whole.
func refusesInput(name string) bool {
	for _, r := range egRefusals[name] {
		if r.object == "input" {
			return true
		}
	}
	return false
}
