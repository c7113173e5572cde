package fn

import (
	"bytes"
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/routeshift/routeshift/internal/convert/gatewayapi"
	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/golden"
	"github.com/routeshift/routeshift/internal/load"
)

// The bad-input catalogue: testdata/bad holds inputs that are malformed,
// hostile or merely absurd, and generated inputs add the ones too large to
// commit. Whatever the input, a run must not panic, must stay within a
// memory bound, and must end in one of two ways:
//
//   - the stream cannot be read: the error names the file and the document;
//   - it converts: every input object comes out byte for byte, every
//     generated object is valid Gateway API, and each broken object is
//     named by a result that says what is wrong with it.
//
// The same inputs, wrapped in a ResourceList, go through Function, which
// must fail the same way or produce the same results.
const badDir = "../testdata/bad"

// want is one result a bad input must produce.
type want struct {
	sev finding.Severity
	// object is "Kind namespace/name" (or "Kind name" without namespace),
	// as the result's resourceRef names it.
	object   string
	fragment string
}

type badCase struct {
	// name is the file under testdata/bad, or the name given to a
	// generated input.
	name string
	// gen generates the input; nil reads the file.
	gen func() []byte

	// noFixedPoint skips converting the output again, which for the
	// largest inputs costs seconds; the golden, property and fuzz tests
	// check that property.
	noFixedPoint bool

	// readErr, when set, says reading fails, in document doc, with a
	// message containing readErr.
	readErr string
	doc     int
	// rlErr is what Function prints on stderr when the input wrapped in a
	// ResourceList cannot be read, or "" when the wrapped input reads. The
	// wrapping changes what a few inputs are: the documents become items
	// of one sequence, and a v1 List is one item rather than its items.
	rlErr string
	// rlDiffers: the ResourceList holds different objects than the stream
	// (a v1 List is not expanded there), so results are not compared.
	rlDiffers bool

	// converted and failed are the run summary's Ingress counts.
	converted, failed int
	// generated is how many objects the run generates, -1 for "some".
	generated int
	wants     []want

	// maxPeakMB bounds the live heap while the stream is read, converted
	// and written (sampled, so a short spike may be missed), and
	// maxAllocMB everything allocated meanwhile, which does not depend on
	// sampling or GC timing and catches work that grows faster than the
	// input. Both default to 32 MB.
	maxPeakMB, maxAllocMB uint64
}

// anySeverity matches a warning or an error: for problems whose severity
// is a judgement call, the test only insists that they are reported.
const anySeverity finding.Severity = -1

var badCases = []badCase{
	{name: "malformed-yaml.yaml", readErr: "line 17: did not find expected ',' or '}'", doc: 1,
		rlErr: "did not find expected ',' or '}'"},
	{name: "tab-indentation.yaml", readErr: "line 4: found character that cannot start any token",
		rlErr: "found character that cannot start any token"},
	{name: "duplicate-keys.yaml", readErr: `line 9: mapping key "nginx.ingress.kubernetes.io/ssl-redirect" already defined at line 8`,
		rlErr: `mapping key "nginx.ingress.kubernetes.io/ssl-redirect" already defined`},
	{name: "alias-bomb.yaml", readErr: "line 10: YAML alias *a is not supported", rlErr: "YAML alias *a is not supported"},
	{name: "merge-key.yaml", readErr: "line 11: YAML merge key << is not supported", rlErr: "YAML merge key << is not supported"},
	{name: "nul-byte.yaml", readErr: "line 7: control character U+0000 is not allowed in YAML", rlErr: "control character U+0000 is not allowed"},
	{name: "non-utf8.yaml", readErr: "line 5: invalid UTF-8 byte 0xe9", rlErr: "invalid UTF-8 byte 0xe9"},
	{name: "lone-cr.yaml", readErr: "line 8: a second document starts inside this one; line breaks must be LF or CRLF",
		rlErr: "line breaks must be LF or CRLF"},
	{name: "too-deep.yaml", readErr: "line 7: exceeded max depth of 10000", rlErr: "exceeded max depth of 10000"},
	{name: "document-is-list.yaml", readErr: "line 2: document is a sequence, want a mapping", rlErr: "items[0] is a sequence, want a mapping"},
	{name: "document-is-scalar.yaml", readErr: "line 5: document is a scalar, want a mapping", doc: 1, rlErr: "items[1] is a scalar, want a mapping"},
	{name: "list-bad-items.yaml", readErr: "line 8: List item 1 is a scalar, want a mapping", doc: 1,
		rlDiffers: true}, // one List item, read but not expanded
	{name: "list-items-map.yaml", readErr: "line 4: List items is a mapping, want a sequence", rlDiffers: true},

	{name: "empty-stream.yaml"},
	{name: "crlf-line-endings.yaml", converted: 1, generated: 2, wants: []want{
		{finding.Info, "Ingress shop/web", "converted to HTTPRoute web-shop-example-com"},
	}},
	{name: "wrong-types.yaml", converted: 1, failed: 8, generated: 2, wants: []want{
		{finding.Error, "Ingress shop/rules-map", "not converted: spec.rules: got a map, want a list"},
		{finding.Error, "Ingress shop/port-string", "backend.service.port: got a string, want a map"},
		{finding.Error, "Ingress shop/port-number-string", "backend.service.port.number: got a string, want an integer"},
		{finding.Error, "Ingress shop/annotations-list", "metadata.annotations: must be a map of strings"},
		{finding.Error, "Ingress shop/tls-hosts-string", "spec.tls.hosts: got a string, want a list"},
		{finding.Error, "Ingress shop/spec-scalar", "spec: got a string, want a map"},
		{finding.Error, "Ingress ", "metadata: got a string, want a map"},
		{finding.Error, "Ingress shop/annotation-number", `proxy-read-timeout: value "60" is not a string`},
		{finding.Info, "Ingress shop/good", "converted to HTTPRoute good-ok-example-com"},
	}},
	{name: "control-characters.yaml", converted: 0, failed: 3, generated: 0, wants: []want{
		{finding.Error, "Ingress shop/web", `metadata.annotations.nginx.ingress.kubernetes.io/rewrite-target: value holds U+000D`},
		{finding.Error, "Ingress shop/crlf-host", `host "evil.example.com\r\nX-Evil: 1" is not a valid DNS name`},
		{finding.Error, "Ingress shop/crlf-host", `path "/\x00" has characters ingress-nginx rejects`},
		// An Ingress name is a DNS subdomain; this one would forge a
		// line of the stderr summary and make an invalid route name.
		{finding.Error, "Ingress shop/forged\nerror: Ingress shop/other: forged line", "metadata.name"},
	}},
	{name: "header-injection.yaml", converted: 2, generated: 2, wants: []want{
		{finding.Warning, "Ingress shop/web", "upstream-vhost is unsupported: value contains a control character"},
		// Two headers of the ConfigMap are invalid: the result must not
		// depend on map order (the first in key order is named).
		{finding.Warning, "Ingress shop/web", `custom-headers is approximated: ConfigMap shop/custom-headers: header "X-Evil\r\nSet-Cookie"`},
		{finding.Warning, "Ingress shop/web", "x-forwarded-prefix is unsupported: value contains a control character"},
		{finding.Warning, "Ingress shop/web", "cors-allow-headers is unsupported: value contains a control character"},
		{finding.Warning, "Ingress shop/web", "cors-allow-origin is unsupported: value contains a control character"},
		{finding.Warning, "Ingress shop/web-canary", "canary-by-header is unsupported: value contains a control character"},
		{finding.Warning, "Ingress shop/web-canary", "canary-by-cookie is unsupported: value contains a control character"},
	}},
	{name: "absurd-numbers.yaml", converted: 2, failed: 3, generated: 0, wants: []want{
		// Port 99999999 cannot be a redirect port: ingress-nginx denies
		// the paths, so the Ingress is not converted (and its canary,
		// which has no primary left, adds nothing).
		{finding.Error, "Ingress shop/web", `permanent-redirect "https://example.com:99999999/" has no valid port`},
		{finding.Warning, "Ingress shop/web-canary", `canary-weight "99999999999999999999" is not a whole number from 0 to 1000000`},
		{finding.Warning, "Ingress shop/web-canary", `canary-weight-total "1e9" is not a whole number`},
		{finding.Warning, "Ingress shop/negative-weight", `canary-weight "-5" is not a whole number`},
		{finding.Warning, "Ingress shop/negative-weight", `canary-weight-total "0x7fffffff" is not a whole number`},
		{finding.Error, "Ingress shop/port-overflow", "backend.service.port.number: got number"},
		{finding.Error, "Ingress shop/port-out-of-range", `backend service "web" port 70000 is out of range`},
	}},
	{name: "invalid-regex.yaml", converted: 2, failed: 1, generated: 2, wants: []want{
		{finding.Error, "Ingress shop/web", `path "/api/(unclosed" does not compile as an RE2 regular expression`},
		{finding.Error, "Ingress shop/web", `path "/files/[z-a]" does not compile as an RE2 regular expression`},
		{finding.Error, "Ingress shop/web", `path "/v(?<=1)/" does not compile as an RE2 regular expression`},
		{finding.Warning, "Ingress shop/good", `host "good.example.com" is in ingress-nginx regex mode`},
		{finding.Warning, "Ingress shop/canary-pattern", `pattern "(a|b" does not compile as RE2`},
	}},
	{name: "hosts-and-paths.yaml", failed: 3, wants: []want{
		{finding.Error, "Ingress shop/hosts", `host "https://shop.example.com/" is not a valid DNS name`},
		{finding.Error, "Ingress shop/hosts", `host "SHOP.Example.com" is not a valid DNS name`},
		{finding.Error, "Ingress shop/hosts", `host "*.*.example.com" has a wildcard that is not the whole first label`},
		{finding.Error, "Ingress shop/hosts", `host "bücher.example" is not a valid DNS name`},
		{finding.Error, "Ingress shop/paths", `path "api" must start with /`},
		{finding.Error, "Ingress shop/paths", `path "/a b" has characters ingress-nginx rejects for pathType Exact`},
		{finding.Error, "Ingress shop/paths", `unknown pathType "Regex"`},
		{finding.Error, "Ingress shop/gateway-paths", `path "/a//b" has '//' or dot segments`},
		{finding.Error, "Ingress shop/gateway-paths", `path "/a/../b" has '//' or dot segments`},
		{finding.Error, "Ingress shop/gateway-paths", `path "/a%2fb" has an encoded '/'`},
		{finding.Error, "Ingress shop/gateway-paths", `path "/é" has characters Gateway API paths cannot hold`},
	}},
	{name: "missing-metadata.yaml", converted: 1, failed: 3, generated: 2, wants: []want{
		// The API server rejects an object without a name, and names
		// that are not DNS subdomains; nothing valid can be generated
		// from them.
		{finding.Error, "Ingress shop/", "metadata.name"},
		{finding.Error, "Ingress ", "metadata.name"},
		{finding.Error, "Ingress Shop!/Not_A-DNS.name", "metadata.name"},
		// The warning about a missing namespace is about the Ingress
		// that has none.
		{finding.Warning, "Ingress nonamespace", "an Ingress without namespace attaches to Gateway gateway-system/routeshift"},
	}},
	{name: "long-names.yaml", converted: 1, failed: 1, generated: 4, wants: []want{
		{finding.Error, "Ingress shop/long-path", "is longer than Gateway API's 1024 characters"},
	}},
	{name: "existing-objects-broken.yaml", failed: 2, wants: []want{
		{finding.Error, "Ingress shop/web", `port name "http": Service shop/web cannot be read: spec.ports: got a map, want a list`},
		{finding.Info, "HTTPRoute shop/web-shop-example-com", "generated by an earlier routeshift run and not produced by this one; left unchanged"},
		// The input holds a Gateway gateway-system/routeshift, broken or
		// not: creating another one would put two objects with one
		// identity in the output.
		{finding.Error, "Ingress shop/api", "the input already holds that Gateway"},
	}},
	// A comment-only or empty last document is kept as text of the last
	// object; generated objects must not end up after it, or a second
	// run loses it (see the fixed-point check).
	{name: "trailing-comment.yaml", converted: 1, generated: 2, wants: []want{
		{finding.Info, "Ingress shop/web", "converted to HTTPRoute web-shop-example-com"},
	}},
	{name: "trailing-marker.yaml", converted: 1, generated: 2, wants: []want{
		{finding.Info, "Ingress shop/web", "converted to HTTPRoute web-shop-example-com"},
	}},
	{name: "field-name-case.yaml", failed: 2, wants: []want{
		{finding.Error, "Ingress shop/web", `not converted: unknown field "speC"`},
		{finding.Error, "Ingress shop/api", `not converted: unknown field "spec.Rules"`},
	}},
	{name: "deep-nesting.yaml", failed: 1, wants: []want{
		{finding.Error, "Ingress shop/deep", "not converted: spec.rules: got a list, want a map"},
	}, maxPeakMB: 64, maxAllocMB: 64},
	{name: "list-broken-items.yaml", converted: 1, failed: 2, generated: 2, rlDiffers: true, wants: []want{
		{finding.Error, "Ingress shop/rules-map", "not converted: spec.rules: got a map, want a list"},
		{finding.Error, "Ingress shop/unknown-field", `not converted: unknown field "spec.rulez"`},
		{finding.Info, "Ingress shop/good", "converted to HTTPRoute good-shop-example-com"},
	}},

	// Generated inputs, too large to commit.
	// Peaks near 200 MB: every object's node tree is kept until written
	// (issue 7 is about shrinking that); the bound catches growth, not
	// today's figure.
	{name: "stream-100k-lines", gen: stream100k, converted: streamGroups, generated: -1, noFixedPoint: true, maxPeakMB: 260, maxAllocMB: 600, wants: []want{
		{finding.Info, "Ingress team0/app0", "converted to HTTPRoute app0-app0-example-com"},
		{finding.Info, fmt.Sprintf("Ingress team%d/app%d", (streamGroups-1)%50, streamGroups-1), fmt.Sprintf("converted to HTTPRoute app%[1]d-app%[1]d-example-com", streamGroups-1)},
	}},
	// Validating the output (Convert checks what it generates) costs
	// about 8 MB of CEL evaluation per full route of 128 matches, linear
	// in the paths: 10,000 paths allocate about 850 MB in all.
	{name: "paths-10k", gen: paths10k, converted: 1, generated: -1, noFixedPoint: true, maxPeakMB: 260, maxAllocMB: 1200, wants: []want{
		{finding.Info, "Ingress shop/many", "converted to HTTPRoute many-many-example-com, HTTPRoute many-many-example-com-2, "},
	}},
	{name: "annotation-10MB", gen: annotation10MB, converted: 1, generated: 2, maxPeakMB: 200, maxAllocMB: 400, wants: []want{
		{finding.Warning, "Ingress shop/web", "rewrite-target is unsupported: value is longer than 4096 characters; ignored"},
		{finding.Info, "Ingress shop/web", "annotations without effect on routing: example.com/blob"},
	}},
}

func TestBadInput(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(badDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// Every file of the catalogue has its expectations, and every
	// expectation its file.
	listed := map[string]bool{}
	for _, c := range badCases {
		if c.gen == nil {
			listed[c.name] = true
		}
	}
	for _, f := range files {
		if !listed[filepath.Base(f)] {
			t.Errorf("%s has no entry in badCases", f)
		}
		delete(listed, filepath.Base(f))
	}
	for name := range listed {
		t.Errorf("badCases lists %s, which is not in %s", name, badDir)
	}

	// One conversion first, so that what is built once per process (the
	// CRD schemas Convert validates its output with) is not counted
	// against the first case's memory bound.
	if _, ok := convertStream(t, "warm-up.yaml", []byte(warmUp)); !ok {
		t.FailNow()
	}
	for _, c := range badCases {
		t.Run(c.name, func(t *testing.T) {
			var input []byte
			if c.gen != nil {
				input = c.gen()
			} else if input, err = os.ReadFile(filepath.Join(badDir, c.name)); err != nil {
				t.Fatal(err)
			}
			r := checkStream(t, c, input)
			checkFunction(t, c, input, r)
		})
	}
}

const warmUp = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: nginx
  defaultBackend: {service: {name: web, port: {number: 80}}}
`

// streamRun is what one conversion of a stream produced.
type streamRun struct {
	in       []*load.Object
	out      []*load.Object
	findings finding.List
	sum      Summary
	written  []byte
	readErr  error
	exit     int
}

// convertStream reads, converts and writes input as the convert command
// does, with the default configuration, turning a panic into a test error
// with its stack so that one bad input does not hide the others.
func convertStream(t *testing.T, name string, input []byte) (r streamRun, ok bool) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("panic: %v\n%s", p, debug.Stack())
			ok = false
		}
	}()
	spec, err := ParseConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.in, r.readErr = load.ReadStream(bytes.NewReader(input), name); r.readErr != nil {
		return r, true
	}
	r.out, r.findings, r.sum = Convert(r.in, spec, false)
	var buf bytes.Buffer
	if err := load.WriteStream(&buf, r.out); err != nil {
		t.Errorf("writing the output: %v", err)
		return r, false
	}
	r.written = buf.Bytes()
	r.exit = ExitCode(r.findings, spec.failSeverity())
	return r, true
}

// measure runs f and returns the highest live heap seen while it ran
// (sampled every millisecond, above the heap before it) and the bytes it
// allocated in total.
func measure(f func()) (peak, total uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	done, sampled := make(chan struct{}), make(chan uint64)
	go func() {
		var high uint64
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			high = max(high, m.HeapAlloc)
			select {
			case <-done:
				sampled <- high
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(done)
	high := <-sampled
	runtime.ReadMemStats(&after)
	high = max(high, after.HeapAlloc)
	if high > before.HeapAlloc {
		peak = high - before.HeapAlloc
	}
	return peak, after.TotalAlloc - before.TotalAlloc
}

func checkStream(t *testing.T, c badCase, input []byte) streamRun {
	var r streamRun
	var ok bool
	peak, total := measure(func() { r, ok = convertStream(t, c.name, input) })
	if !ok {
		t.FailNow()
	}
	maxPeak, maxAlloc := cmp.Or(c.maxPeakMB, 32), cmp.Or(c.maxAllocMB, 32)
	if peak > maxPeak<<20 || total > maxAlloc<<20 {
		t.Errorf("a %d-byte input took a heap of %d MB and allocated %d MB, want at most %d MB and %d MB",
			len(input), peak>>20, total>>20, maxPeak, maxAlloc)
	}
	if c.readErr != "" {
		prefix := fmt.Sprintf("%s: document %d: ", c.name, c.doc)
		if r.readErr == nil {
			t.Fatalf("read %d objects, want the error %q", len(r.in), prefix+c.readErr)
		}
		if msg := r.readErr.Error(); !strings.HasPrefix(msg, prefix) || !strings.Contains(msg, c.readErr) {
			t.Errorf("read error %q, want %q", msg, prefix+"..."+c.readErr)
		}
		return r
	}
	if r.readErr != nil {
		t.Fatalf("read error: %v", r.readErr)
	}

	if r.sum.Converted != c.converted || r.sum.Failed != c.failed {
		t.Errorf("%d Ingresses converted and %d failed, want %d and %d", r.sum.Converted, r.sum.Failed, c.converted, c.failed)
	}
	generated := checkPassThrough(t, r.in, r.out, input)
	if c.generated >= 0 && len(generated) != c.generated {
		t.Errorf("generated %d objects, want %d", len(generated), c.generated)
	}
	if c.generated < 0 && len(generated) == 0 {
		t.Errorf("generated nothing")
	}
	checkFindings(t, r.findings, c.wants)
	checkFailedGenerateNothing(t, r.findings, generated)
	checkBoundedMessages(t, r.findings, len(generated))
	checkNoSelfCheckFailure(t, r.findings)
	validateSample(t, generated)

	// Deterministic, and a fixed point: the same bytes and results from
	// other runs, and the same bytes from a run over the output. Map
	// iteration order changes from run to run, so small inputs get many
	// runs to show an order-dependent result.
	runs := 1
	if len(input) < 64<<10 {
		runs = 20
	}
	for range runs {
		again, ok := convertStream(t, c.name, input)
		if !ok {
			break
		}
		if !bytes.Equal(again.written, r.written) {
			t.Errorf("another run writes different bytes:\n%s", golden.Diff(r.written, again.written))
			break
		}
		if a, b := renderFindings(r.findings), renderFindings(again.findings); a != b {
			t.Errorf("another run gives different results:\n%s", golden.Diff([]byte(a), []byte(b)))
			break
		}
	}
	if c.noFixedPoint {
		return r
	}
	if again, ok := convertStream(t, c.name, r.written); ok && !bytes.Equal(again.written, r.written) {
		t.Errorf("converting the output again changes it:\n%s", golden.Diff(r.written, again.written))
	}
	return r
}

// checkPassThrough checks that the output is the input, in order and byte
// for byte, with generated objects inserted: an input object may only be
// missing when it is one routeshift generated earlier, replaced in place by
// its new version. input is the text in was read from, or nil. It returns
// the generated objects.
func checkPassThrough(t *testing.T, in, out []*load.Object, input []byte) []*load.Object {
	t.Helper()
	isInput := make(map[*load.Object]bool, len(in))
	for _, o := range in {
		isInput[o] = true
	}
	// The carry-over rewrites Issuers, Rollouts and Canaries that steer
	// converted Ingresses: such an object stands in its input's place.
	rewritten := rewrites(in, out, isInput)
	for o := range rewritten {
		isInput[o] = true
	}
	var kept, generated []*load.Object
	for _, o := range out {
		if isInput[o] {
			kept = append(kept, o)
		} else {
			generated = append(generated, o)
		}
	}
	ids := map[string]int{}
	for _, g := range generated {
		ids[identity(g.Kind(), g.Namespace(), g.Name())]++
		if !isOurs(g) {
			t.Errorf("generated %s has no managed-by label", g.Ref())
		}
	}
	var expected []*load.Object
	for _, o := range in {
		if isOurs(o) && ids[identity(o.Kind(), o.Namespace(), o.Name())] > 0 {
			continue // regenerated in place
		}
		for n, old := range rewritten {
			if old == o {
				o = n
			}
		}
		expected = append(expected, o)
	}
	if len(kept) != len(expected) {
		t.Errorf("%d of %d input objects are in the output", len(kept), len(expected))
	}
	for i := 0; i < len(kept) && i < len(expected); i++ {
		if kept[i] != expected[i] {
			t.Errorf("output object %s is in the place of %s", kept[i].Ref(), expected[i].Ref())
			break
		}
	}
	var a, b bytes.Buffer
	if err := load.WriteStream(&a, kept); err != nil {
		t.Fatal(err)
	}
	if err := load.WriteStream(&b, expected); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("input objects changed:\n%s", golden.Diff(b.Bytes(), a.Bytes()))
	}
	// Without v1 List items (which have no text of their own) and without
	// replaced objects, the input objects are the input, byte for byte.
	allText := len(in) > 0
	for _, o := range in {
		allText = allText && o.Raw() != nil
	}
	if input != nil && allText && len(expected) == len(in) && len(rewritten) == 0 && !bytes.Equal(b.Bytes(), input) {
		t.Errorf("writing the input objects does not reproduce the input:\n%s", golden.Diff(input, b.Bytes()))
	}
	// A generated object never takes the identity of another object of
	// the output: kustomize rejects that, kubectl lets the last one win.
	seen := map[string]*load.Object{}
	for _, o := range out {
		id := identity(o.Kind(), o.Namespace(), o.Name())
		if prev := seen[id]; prev != nil && (!isInput[o] || !isInput[prev]) {
			t.Errorf("output holds %s twice (%s and %s)", id, prev.Source, o.Source)
		}
		seen[id] = o
	}
	return generated
}

// rewrites maps output objects the carry-over rewrote to the input objects
// they stand for: an object of a kind it rewrites, not generated, with an
// input object's identity but not that object.
func rewrites(in, out []*load.Object, isInput map[*load.Object]bool) map[*load.Object]*load.Object {
	byID := map[string]*load.Object{}
	for _, o := range in {
		switch o.Kind() {
		case "Issuer", "ClusterIssuer", "Rollout", "Canary":
			byID[identity(o.Kind(), o.Namespace(), o.Name())] = o
		}
	}
	got := map[*load.Object]*load.Object{}
	for _, o := range out {
		if old := byID[identity(o.Kind(), o.Namespace(), o.Name())]; old != nil && !isInput[o] && !isOurs(o) {
			got[o] = old
		}
	}
	return got
}

// renderFindings writes findings one a line, for comparing runs.
func renderFindings(findings finding.List) string {
	var b strings.Builder
	for _, f := range findings {
		src := ""
		if f.Object != nil {
			src = f.Object.Source.String()
		}
		fmt.Fprintf(&b, "%s %s (%s) %s: %q\n", f.Severity, refOf(f.Object), src, f.Field, f.Message)
	}
	return b.String()
}

func refOf(o *load.Object) string {
	if o == nil {
		return ""
	}
	name := o.Name()
	if ns := o.Namespace(); ns != "" {
		name = ns + "/" + name
	}
	return o.Kind() + " " + name
}

func checkFindings(t *testing.T, findings finding.List, wants []want) {
	t.Helper()
	for _, w := range wants {
		found := false
		for _, f := range findings {
			if (f.Severity == w.sev || w.sev == anySeverity && f.Severity >= finding.Warning) && refOf(f.Object) == w.object && strings.Contains(f.Message+" "+f.Field, w.fragment) {
				found = true
				break
			}
		}
		if !found {
			var about []string
			for _, f := range findings {
				if refOf(f.Object) == w.object {
					about = append(about, fmt.Sprintf("  %s %s: %s", f.Severity, f.Field, f.Message))
				}
			}
			sev := w.sev.String()
			if w.sev == anySeverity {
				sev = "warning or error"
			}
			t.Errorf("no %s result for %q containing %q; results for it:\n%s", sev, w.object, w.fragment, strings.Join(about, "\n"))
		}
	}
}

// checkFailedGenerateNothing: an Ingress with a "not converted" error is
// not half-converted. (Other errors, such as an unsafe annotation, come
// with a conversion.)
func checkFailedGenerateNothing(t *testing.T, findings finding.List, generated []*load.Object) {
	t.Helper()
	failed := map[string]bool{}
	for _, f := range findings {
		if f.Severity == finding.Error && f.Object != nil && f.Object.Kind() == "Ingress" && strings.HasPrefix(f.Message, "not converted") {
			failed[refOf(f.Object)] = true
		}
	}
	for _, g := range generated {
		if g.Kind() != "HTTPRoute" && g.Kind() != "GRPCRoute" && g.Kind() != "TLSRoute" {
			continue
		}
		if src := g.Annotation(gatewayapi.SourceAnnotation); failed[src] {
			t.Errorf("%s was generated from the failed Ingress %s", g.Ref(), src)
		}
	}
}

// selfCheckFailed is how Convert reports a generated object that failed
// its own validation and was left out: a routeshift bug, which these
// tests must not let pass as an ordinary error result.
const selfCheckFailed = "routeshift generated an invalid"

// checkNoSelfCheckFailure fails on every result that reports an invalid
// generated object.
func checkNoSelfCheckFailure(t *testing.T, findings finding.List) {
	t.Helper()
	for _, f := range findings {
		if strings.Contains(f.Message, selfCheckFailed) {
			t.Errorf("%s: %.600s", refOf(f.Object), f.Message)
		}
	}
}

// checkBoundedMessages: results quote input values clipped, so a huge
// value does not reappear in every result and log line. A message may name
// every generated object, so the bound grows with their number.
func checkBoundedMessages(t *testing.T, findings finding.List, generated int) {
	t.Helper()
	for _, f := range findings {
		if len(f.Message) > 8<<10+200*generated {
			t.Errorf("a %d-byte result message about %s: %.200s...", len(f.Message), refOf(f.Object), f.Message)
		}
	}
}

// validateSample validates generated objects against the CRDs: all of them
// up to 40, else the first of each kind and an even sample of 40.
// Validation costs from 1 ms an object to 20 ms for a route with 128
// matches, and the large inputs generate thousands.
func validateSample(t *testing.T, generated []*load.Object) {
	t.Helper()
	const most = 40
	step := max(1, len(generated)/most)
	kinds := map[string]bool{}
	var sample []*load.Object
	for i, o := range generated {
		if i%step == 0 || !kinds[o.Kind()] {
			sample = append(sample, o)
		}
		kinds[o.Kind()] = true
	}
	var buf bytes.Buffer
	if err := load.WriteStream(&buf, sample); err != nil {
		t.Fatal(err)
	}
	validateOutput(t, buf.Bytes())
}

// TestRemoveKeepsIngressesWithErrors: with ingress: remove, only
// Ingresses converted with no error result are removed (README). An
// unsafe annotation is an error that comes with a conversion; its Ingress
// must stay, or the manifests lose the only copy of what the snippet did.
func TestRemoveKeepsIngressesWithErrors(t *testing.T) {
	const input = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: snippet
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/configuration-snippet: 'more_set_headers "X-From: $hostname";'
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: web, port: {number: 80}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: clean
  namespace: shop
spec:
  ingressClassName: nginx
  rules:
  - host: api.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: api, port: {number: 80}}}
`
	r, _ := convertStreamWith(t, []byte(input), specFrom(t, "spec:\n  ingress: remove\n"))
	if r.readErr != nil {
		t.Fatal(r.readErr)
	}
	var ingresses []string
	for _, o := range r.out {
		if o.Kind() == "Ingress" {
			ingresses = append(ingresses, o.Name())
		}
	}
	if got := strings.Join(ingresses, ","); got != "snippet" {
		t.Errorf("Ingresses in the output: %q, want only \"snippet\" (it has an error result; \"clean\" has none)", got)
	}
	if r.findings.Max() != finding.Error {
		t.Errorf("no error result for the snippet: %s", renderFindings(r.findings))
	}
}
