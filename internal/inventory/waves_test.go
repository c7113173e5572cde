package inventory

import (
	"slices"
	"testing"
)

// The fixture holds every class, conflict kind and wave; the corpus adds
// what real manifests have. Together they must show every reason code, so
// that the golden reports cover each message.
func TestFixtureCoversEverything(t *testing.T) {
	rep := buildAt(t, []string{"testdata/inventory/fixture", "testdata/corpus"}, defaults([]string{"standard", "envoy-gateway"}))
	fixture, err := fixtureOnly(rep)
	if err != nil {
		t.Fatal(err)
	}
	classes, conflicts, waves := map[Class]bool{}, map[string]bool{}, map[string]bool{}
	for _, in := range fixture {
		if in.InScope {
			classes[in.Classifications[0].Class] = true
		}
	}
	for _, c := range rep.Conflicts {
		conflicts[c.Kind] = true
	}
	fixtureRep := buildAt(t, []string{"testdata/inventory/fixture"}, defaults(nil))
	for _, w := range fixtureRep.Plans[0].Waves {
		waves[w.Kind] = true
	}
	for _, c := range Classes {
		if !classes[c] {
			t.Errorf("no %s Ingress in the fixture", c)
		}
	}
	for _, k := range []string{ConflictPath, ConflictCertificate, ConflictCatchAll, ConflictCanaryPrimary} {
		if !conflicts[k] {
			t.Errorf("no %s conflict in the fixture", k)
		}
	}
	for _, k := range waveKinds {
		if !waves[k.kind] {
			t.Errorf("no %s wave in the fixture's plan", k.kind)
		}
	}
	if len(fixtureRep.Plans[0].Blocked) == 0 {
		t.Error("no blocked group in the fixture's plan")
	}
	seen := map[string]bool{}
	for _, in := range rep.Ingresses {
		for _, c := range in.Classifications {
			for _, r := range c.Reasons {
				seen[r.Code] = true
			}
		}
	}
	for _, code := range allCodes {
		if !seen[code] {
			t.Errorf("reason %s appears in no golden report", code)
		}
	}
}

var allCodes = []string{CodeUnsafe, CodeRemovedAPI, CodeNotServed, CodeInvalid, CodeUnresolvedPort, CodeUnconvertible,
	CodeUnsupported, CodePolicy, CodeApproximated, CodeStandardFeature, CodeUnknown, CodeOtherController, CodeRegexMode,
	CodeWildcardHost, CodeTrailingSlash, CodeResourceBackend, CodeConflict, CodeCanaryNoPrimary}

func fixtureOnly(rep *Report) ([]Ingress, error) {
	var out []Ingress
	for _, in := range rep.Ingresses {
		if len(in.Source) > 26 && in.Source[:26] == "testdata/inventory/fixture" {
			out = append(out, in)
		}
	}
	return out, nil
}

// A host moves as a whole: an Ingress that shares a host with a blocked
// one waits with it, and the catch-all and wildcard hosts go last, even
// when simple.
func TestWaveGroups(t *testing.T) {
	yaml := ingress("a", "web", "www.example.com", "") +
		ingress("b", "snippet", "www.example.com", p+"server-snippet=x") +
		ingress("c", "api", "api.example.com", "") +
		ingress("c", "wild", "*.example.com", "") +
		ingress("d", "wiki", "wiki.corp.example.com", "") +
		ingress("d", "cors", "cors.corp.example.com", p+"enable-cors=true")
	rep := build(t, yaml, Options{})
	plan := rep.Plans[0]
	var got [][]string
	for _, w := range plan.Waves {
		for _, g := range w.Groups {
			got = append(got, append([]string{w.Kind}, g.Ingresses...))
		}
	}
	want := [][]string{
		{WaveSimpleInternal, "d/wiki"},
		{WaveSimple, "c/api"},
		{WaveMedium, "d/cors"},
		{WaveGlobal, "c/wild"},
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("waves:\n got %v\nwant %v", got, want)
	}
	if len(plan.Blocked) != 1 || !slices.Equal(plan.Blocked[0].Ingresses, []string{"a/web", "b/snippet"}) {
		t.Errorf("blocked: %+v", plan.Blocked)
	}
	for i, w := range plan.Waves {
		if w.Number != i+1 {
			t.Errorf("wave %d numbered %d", i+1, w.Number)
		}
	}
}
