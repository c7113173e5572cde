package features

import (
	"embed"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"sigs.k8s.io/gateway-api/pkg/features"
	"sigs.k8s.io/yaml"
)

// The conformance reports, byte for byte as the Gateway API repository
// holds them (data/SOURCES.md).
//
//go:embed data/*/*.yaml
var reports embed.FS

// Release is one release line of an implementation as the converter
// targets it: what its conformance report says it supports and the facts
// of its CRDs that change what the converter may emit.
type Release struct {
	// Implementation is the spec.implementation value ("envoy-gateway"),
	// Version the release line ("v1.8").
	Implementation, Version string
	// Patch is the patch release the user named (3 for "v1.8.3"), -1
	// when they named the line.
	Patch int
	// Report is the release whose conformance report was read ("v1.9.0"),
	// CRDs the release whose CRDs the tests hold ("v1.9.1").
	Report, CRDs string
	// GatewayAPI is the Gateway API version of its report and of the CRDs
	// it bundles ("v1.4.1").
	GatewayAPI string
	// TLSRoute is the apiVersion its bundled CRDs serve TLSRoute at.
	TLSRoute string
	// Channel is the Gateway API channel of the CRDs it installs;
	// "experimental" allows header values of printable US-ASCII only.
	Channel string

	title     string
	supported map[Name]bool
}

// String is how results name the release: "Envoy Gateway v1.7".
func (r *Release) String() string { return r.title + " " + r.Version }

// Supports reports whether the release's conformance report lists the
// feature as supported: in a profile's Extended supportedFeatures, or as
// the API of a profile whose Core tests it passed.
func (r *Release) Supports(n Name) bool { return r.supported[n] }

// line is the data of one release line.
type line struct {
	version, report, crds, tlsRoute, channel string
	file                                     string
}

// lines lists the release lines with data, oldest first, per
// implementation. Envoy Gateway's reports are those of the Gateway API
// repository; its CRDs those of github.com/envoyproxy/gateway on the Go
// module proxy (testdata/implementations/releases/SOURCES.md), which serves
// no v1.6: that line (end of life 2026-05) has no data. TLSRoute: Gateway API
// v1.4.1, which v1.7 bundles, serves TLSRoute at v1alpha2 and v1alpha3
// only; v1.5 added v1. Each installs Gateway API's experimental channel
// (charts/gateway-helm/.../gatewayapi-crds.yaml).
var lines = map[string]struct {
	title string
	lines []line
}{
	"envoy-gateway": {title: "Envoy Gateway", lines: []line{
		{version: "v1.7", report: "v1.7.0", crds: "v1.7.0", tlsRoute: "gateway.networking.k8s.io/v1alpha3", channel: "experimental", file: "envoy-gateway/experimental-v1.7.0-default-report.yaml"},
		{version: "v1.8", report: "v1.8.0", crds: "v1.8.0", tlsRoute: "gateway.networking.k8s.io/v1", channel: "experimental", file: "envoy-gateway/experimental-v1.8.0-default-report.yaml"},
		{version: "v1.9", report: "v1.9.0", crds: "v1.9.1", tlsRoute: "gateway.networking.k8s.io/v1", channel: "experimental", file: "envoy-gateway/experimental-v1.9.0-default-report.yaml"},
	}},
}

// Versions returns the release lines of implementation that have data,
// oldest first; none for an implementation without data.
func Versions(implementation string) []string {
	var out []string
	for _, l := range lines[implementation].lines {
		out = append(out, l.version)
	}
	return out
}

// Newest returns the newest version of implementation with data, "" when
// it has none.
func Newest(implementation string) string {
	v := Versions(implementation)
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

var versionPattern = regexp.MustCompile(`^v(\d+)\.(\d+)(?:\.(\d+))?$`)

// Lookup returns the release of implementation that version names: a
// line ("v1.8") or a patch release of it ("v1.8.3"). The error says which
// versions are accepted.
func Lookup(implementation, version string) (*Release, error) {
	impl, ok := lines[implementation]
	if !ok {
		return nil, fmt.Errorf("implementation %q has no release data; leave it unset", implementation)
	}
	accepted := fmt.Sprintf("%s (or a patch release of one, e.g. %s.0)", strings.Join(Versions(implementation), ", "), Newest(implementation))
	m := versionPattern.FindStringSubmatch(version)
	if m == nil {
		return nil, fmt.Errorf("%q is not a release of %s: want one of %s", version, implementation, accepted)
	}
	lineName := "v" + m[1] + "." + m[2]
	i := slices.IndexFunc(impl.lines, func(l line) bool { return l.version == lineName })
	if i < 0 {
		return nil, fmt.Errorf("%q: routeshift has no data for %s %s: want one of %s", version, implementation, lineName, accepted)
	}
	l := impl.lines[i]
	supported, gatewayAPI, err := readReport(l.file, implementation, l.report)
	if err != nil {
		// The embedded data is the binary's own; a broken copy is a bug
		// the tests catch, reported rather than panicking.
		return nil, err
	}
	patch := -1
	if m[3] != "" {
		if patch, err = strconv.Atoi(m[3]); err != nil {
			return nil, fmt.Errorf("%q: patch %s is out of range", version, m[3])
		}
	}
	return &Release{Implementation: implementation, Version: l.version, Patch: patch, Report: l.report, CRDs: l.crds,
		GatewayAPI: gatewayAPI, TLSRoute: l.tlsRoute, Channel: l.channel, title: impl.title, supported: supported}, nil
}

// report is the part of a ConformanceReport
// (sigs.k8s.io/gateway-api/conformance/apis/v1) that is read.
type report struct {
	Kind           string `json:"kind"`
	GatewayAPI     string `json:"gatewayAPIVersion"`
	Implementation struct {
		Project string `json:"project"`
		Version string `json:"version"`
	} `json:"implementation"`
	Profiles []struct {
		Name string `json:"name"`
		Core struct {
			Result string `json:"result"`
		} `json:"core"`
		Extended struct {
			SupportedFeatures []Name `json:"supportedFeatures"`
		} `json:"extended"`
	} `json:"profiles"`
}

// profileAPIs are the APIs that passing a profile's Core tests supports.
var profileAPIs = map[string]Name{
	"GATEWAY-HTTP": features.SupportHTTPRoute,
	"GATEWAY-GRPC": features.SupportGRPCRoute,
	"GATEWAY-TLS":  features.SupportTLSRoute,
}

func readReport(file, implementation, version string) (map[Name]bool, string, error) {
	data, err := reports.ReadFile("data/" + file)
	if err != nil {
		return nil, "", fmt.Errorf("conformance report of %s %s: %w", implementation, version, err)
	}
	var r report
	if err := yaml.Unmarshal(data, &r); err != nil {
		return nil, "", fmt.Errorf("conformance report %s: %w", file, err)
	}
	if r.Kind != "ConformanceReport" || r.Implementation.Project != implementation || r.Implementation.Version != version {
		return nil, "", fmt.Errorf("conformance report %s is of %s %s (%s), not %s %s", file, r.Implementation.Project, r.Implementation.Version, r.Kind, implementation, version)
	}
	out := map[Name]bool{}
	for _, p := range r.Profiles {
		if api, ok := profileAPIs[p.Name]; ok && p.Core.Result == "success" {
			out[api] = true
		}
		for _, f := range p.Extended.SupportedFeatures {
			out[f] = true
		}
	}
	return out, r.GatewayAPI, nil
}

// Before reports whether the release line is older than version, a line
// ("v1.8").
func (r *Release) Before(version string) bool {
	return compareLines(r.Version, version) < 0
}

// compareLines orders release lines numerically ("v1.10" after "v1.9");
// a malformed line sorts first.
func compareLines(a, b string) int {
	num := func(v string) [2]int {
		m := versionPattern.FindStringSubmatch(v)
		if m == nil {
			return [2]int{-1, -1}
		}
		major, _ := strconv.Atoi(m[1])
		minor, _ := strconv.Atoi(m[2])
		return [2]int{major, minor}
	}
	x, y := num(a), num(b)
	if x[0] != y[0] {
		return x[0] - y[0]
	}
	return x[1] - y[1]
}
