package gateway

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/proof/internal/kube"
	"github.com/routeshift/routeshift/internal/proof/routing"
)

//go:generate go run ../internal/conformance/extract -out ../../../testdata/routing/conformance

const conformanceDir = "../../../testdata/routing/conformance"

// unmodelled are features whose expectations depend on something the
// evaluator does not model: time, retries, protocols, CORS preflights,
// statistical weights, TLS handshakes.
var unmodelled = map[string]string{
	"SupportHTTPRouteRequestTimeout":           "timeouts need a slow backend",
	"SupportHTTPRouteBackendTimeout":           "timeouts need a slow backend",
	"SupportHTTPRouteRetry":                    "retries need a failing backend",
	"SupportHTTPRouteBackendProtocolH2C":       "backend protocols are not modelled",
	"SupportHTTPRouteBackendProtocolWebSocket": "backend protocols are not modelled",
	"SupportHTTPRouteCORS":                     "CORS responses are not modelled",
	"SupportHTTPRouteRequestPercentageMirror":  "mirror percentages are statistical",
}

type conformanceTest struct {
	Name      string   `json:"name"`
	Features  []string `json:"features"`
	Manifests []string `json:"manifests"`
	Cases     []struct {
		Line    int             `json:"line"`
		Gateway string          `json:"gateway"`
		Loop    bool            `json:"loop"`
		TLS     bool            `json:"tls"`
		Mutated bool            `json:"mutated"`
		Expect  json.RawMessage `json:"expect"`
	} `json:"cases"`
}

// expectation is the part of http.ExpectedResponse the evaluator predicts.
type expectation struct {
	Request struct {
		Host             string
		Method           string
		Path             string
		Headers          map[string]string
		UnfollowRedirect bool
		Protocol         string
	}
	ExpectedRequest *struct {
		Request struct {
			Host    string
			Method  string
			Path    string
			Headers map[string]string
		}
		AbsentHeaders []string
	}
	RedirectRequest *struct {
		Scheme, Host, Port, Path string
	}
	Response struct {
		StatusCode    int
		StatusCodes   []int
		Headers       map[string]string
		AbsentHeaders []string
	}
	Backend                   string
	Namespace                 string
	MirroredTo                any
	BackendSetResponseHeaders map[string]string
}

// TestConformance checks the evaluator against the request -> expectation
// cases of the Gateway API conformance suite's HTTPRoute tests, extracted
// by go generate. Every case the evaluator models must agree; the others
// are counted and logged with the reason they are skipped.
func TestConformance(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(conformanceDir, "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Module string            `json:"module"`
		Tests  []conformanceTest `json:"tests"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	base, err := kube.ReadPaths([]string{filepath.Join(conformanceDir, "base", "manifests.yaml")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, impl := range append([]Implementation{Spec}, Implementations()...) {
		name := string(impl)
		if impl == Spec {
			name = "specification"
		}
		t.Run(name, func(t *testing.T) { conformance(t, impl, doc.Module, doc.Tests, base) })
	}
}

// conformance runs the suite's cases against one implementation's model:
// each of them passes the suite, so where the suite decides, every model
// must agree with it.
func conformance(t *testing.T, impl Implementation, module string, tests []conformanceTest, base []*kube.Object) {
	modelled, skipped := 0, 0
	reasons := map[string]int{}
	skip := func(why string) {
		skipped++
		reasons[why]++
	}
	for _, ct := range tests {
		why := ""
		for _, f := range ct.Features {
			if r, ok := unmodelled[f]; ok {
				why = r
			}
		}
		var objs []*kube.Object
		if why == "" {
			objs = append(objs, base...)
			for _, m := range ct.Manifests {
				more, err := kube.ReadPaths([]string{filepath.Join(conformanceDir, m)}, nil)
				if err != nil {
					t.Fatalf("%s: %v", ct.Name, err)
				}
				objs = append(objs, more...)
			}
		}
		for _, c := range ct.Cases {
			if why != "" {
				skip(why)
				continue
			}
			name := fmt.Sprintf("%s:%d", ct.Name, c.Line)
			if c.Mutated {
				skip("the test changed the cluster before the case")
				continue
			}
			if strings.Contains(string(c.Expect), `"unresolved"`) || c.Loop {
				skip("the case is computed at run time")
				continue
			}
			gw := c.Gateway
			if ns, n, ok := strings.Cut(gw, "/"); ok && ns == "" {
				gw = "gateway-conformance-infra/" + n
			}
			if gw == "" || strings.HasSuffix(gw, "/") {
				skip("the Gateway is computed at run time")
				continue
			}
			var e expectation
			if err := json.Unmarshal(c.Expect, &e); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if r := unmodelledCase(&e); r != "" {
				skip(r)
				continue
			}
			m, err := Build(objs, Options{Gateways: []string{gw}, RequireServices: true, Implementation: impl})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			req := conformanceRequest(&e, m, c.TLS)
			got := m.Evaluate(req)
			if got.Kind == routing.Unverifiable {
				skip("unverifiable by design: " + got.Reason)
				continue
			}
			if msg := agree(&e, req, got); msg != "" {
				t.Errorf("%s (%s): %s\n  got %s [%s]", name, req, msg, got, got.Rule)
			}
			modelled++
		}
	}
	var rs []string
	for r, n := range reasons {
		rs = append(rs, fmt.Sprintf("%d: %s", n, r))
	}
	slices.Sort(rs)
	t.Logf("%s: %d cases modelled and agreeing, %d skipped (%s)", module, modelled, skipped, strings.Join(rs, "; "))
	if modelled < 150 {
		t.Errorf("only %d conformance cases modelled; the extraction or the skips regressed", modelled)
	}
}

func unmodelledCase(e *expectation) string {
	switch {
	case e.Request.Protocol != "":
		return "the case uses another protocol"
	case len(e.BackendSetResponseHeaders) > 0:
		return "the backend sets response headers"
	case len(e.Response.StatusCodes) > 0:
		return "several status codes are accepted"
	}
	return ""
}

func conformanceRequest(e *expectation, m *Model, tls bool) routing.Request {
	r := routing.Request{Scheme: "http", Host: e.Request.Host, Method: e.Request.Method}
	proto := "HTTP"
	if tls {
		// The suite's TLS requests name example.org in SNI.
		r.Scheme, proto = "https", "HTTPS"
		if r.Host == "" {
			r.Host = "example.org"
		}
	}
	if r.Host == "" {
		r.Host = "192.0.2.10" // the suite sends the Gateway's address
	}
	p, q, _ := strings.Cut(e.Request.Path, "?")
	r.Path = p
	if q != "" {
		vs, _ := url.ParseQuery(q)
		for _, k := range sortedKeys(vs) {
			for _, v := range vs[k] {
				r.Query = append(r.Query, routing.KV{Name: k, Value: v})
			}
		}
	}
	for k, v := range e.Request.Headers {
		r.Headers = append(r.Headers, routing.KV{Name: k, Value: v})
	}
	// The suite talks to the Gateway's first listener of the protocol.
	for _, l := range m.listeners {
		if l.protocol == proto {
			r.Port = l.port
			break
		}
	}
	return r.Normalize()
}

func sortedKeys(m url.Values) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// agree compares an outcome with CompareRoundTrip's checks.
func agree(e *expectation, r routing.Request, o routing.Outcome) string {
	status := e.Response.StatusCode
	if status == 0 {
		status = 200
	}
	switch {
	case status >= 300 && status < 400:
		if o.Kind != routing.Redirect || o.Redirect.Status != status {
			return fmt.Sprintf("want redirect %d", status)
		}
		if e.RedirectRequest == nil {
			return ""
		}
		u, err := url.Parse(o.Redirect.Location)
		if err != nil {
			return err.Error()
		}
		want := *e.RedirectRequest
		if want.Scheme == "" {
			want.Scheme = r.Scheme
		}
		if want.Path == "" {
			want.Path = r.Path
		}
		if want.Host != "" && want.Host != u.Hostname() {
			return "want redirect host " + want.Host
		}
		if want.Scheme != u.Scheme {
			return "want redirect scheme " + want.Scheme
		}
		if want.Path != u.Path {
			return "want redirect path " + want.Path
		}
		port := u.Port()
		if want.Port == "" {
			if (u.Scheme == "http" && port != "" && port != "80") || (u.Scheme == "https" && port != "" && port != "443") {
				return "want the scheme's port"
			}
		} else if want.Port != port {
			return "want redirect port " + want.Port
		}
	case status == 200:
		if o.Kind != routing.Forward {
			return "want forward"
		}
		bs := routing.Split(o.Backends)
		if e.Backend != "" && (len(bs) != 1 || bs[0].Service != e.Backend || bs[0].Status != 0) {
			return "want backend " + e.Backend
		}
		if e.Namespace != "" && len(bs) == 1 && bs[0].Namespace != e.Namespace {
			return "want namespace " + e.Namespace
		}
		if er := e.ExpectedRequest; er != nil {
			path, _, _ := strings.Cut(o.RewrittenPath, "?")
			if er.Request.Path != "" && er.Request.Path != path {
				return "want backend path " + er.Request.Path
			}
			if er.Request.Host != "" && er.Request.Host != o.RewrittenHost {
				return "want backend host " + er.Request.Host
			}
			seen := requestHeadersAfter(r, o.RequestHeaders)
			for k, v := range er.Request.Headers {
				if seen[strings.ToLower(k)] != v {
					return fmt.Sprintf("want backend header %s: %s", k, v)
				}
			}
			for _, k := range er.AbsentHeaders {
				if _, ok := seen[strings.ToLower(k)]; ok {
					return "want backend header " + k + " absent"
				}
			}
		}
		resp := requestHeadersAfter(routing.Request{}, o.ResponseHeaders)
		for k, v := range e.Response.Headers {
			if resp[strings.ToLower(k)] != v {
				return fmt.Sprintf("want response header %s: %s", k, v)
			}
		}
		for _, k := range e.Response.AbsentHeaders {
			if _, ok := resp[strings.ToLower(k)]; ok {
				return "want response header " + k + " absent"
			}
		}
	default:
		if o.Kind != routing.Status || o.Status != status {
			return fmt.Sprintf("want status %d", status)
		}
	}
	return ""
}

// requestHeadersAfter applies header changes to a request's headers, the
// way the suite's echo backend would see them: add appends with a comma.
func requestHeadersAfter(r routing.Request, cs []routing.HeaderChange) map[string]string {
	h := map[string]string{}
	for _, kv := range r.Headers {
		h[kv.Name] = kv.Value
	}
	for _, c := range cs {
		n := strings.ToLower(c.Name)
		switch c.Op {
		case "set":
			h[n] = c.Value
		case "add":
			if v, ok := h[n]; ok {
				h[n] = v + "," + c.Value
			} else {
				h[n] = c.Value
			}
		case "remove":
			delete(h, n)
		}
	}
	return h
}
