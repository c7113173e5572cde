package gateway

// TestEnvoyGatewayTranslator checks the converter's envoy-gateway output
// and diff's Envoy Gateway model against Envoy Gateway's own translator,
// `egctl x translate` of each supported release (the Makefile's egctl
// target builds them from the module proxy; EGCTL_V1_8 and EGCTL_V1_9 name
// them). For every golden case Envoy Gateway would be given:
//
//   - every route, policy and Gateway listener must come out Accepted
//     (routes for every parentRef, policies for every ancestor) with no
//     ResolvedRefs or Programmed False, and every route and policy must be
//     among what egctl prints (it leaves out what it ignored), unless
//     egRefusals lists the refusal with its reason; a listed refusal that
//     no longer happens fails too, so the list cannot outlive its reason;
//   - the route order of every virtual host it generates must be the order
//     in which the model tries that host's matches; requests derived from
//     each route (its path, exact headers and query parameters) must get
//     the same route and action (forward and the regex-rewritten path,
//     redirect code, direct response) from the model as from Envoy, and a
//     path none of the host's routes take must get 404 from both: no
//     fall-through to wildcard or host-less routes (egctl_xds_test.go).
//
// The input is the golden output with the objects a cluster would have
// (egctl_input_test.go), run in batches (egctl_batch_test.go).
//
// The cases: every standard golden case (testdata/cases with no
// implementation, or envoy-gateway, in its functionConfig: the standard
// output is plain Gateway API, which Envoy Gateway serves as any
// implementation must) and every envoy-gateway vendor case
// (testdata/implementations/envoy-gateway). Cases for istio, kgateway and
// nginx-gateway-fabric are left out: their output carries those vendors'
// objects and is not meant for Envoy Gateway. The test reads the golden
// files as data: the converter is not imported (deps_test.go).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/routeshift/routeshift/internal/testtool"
)

// egRelease is one supported Envoy Gateway release and the variable the
// Makefile names its egctl in.
type egRelease struct{ version, env string }

var egReleases = []egRelease{{"v1.8.0", "EGCTL_V1_8"}, {"v1.9.1", "EGCTL_V1_9"}}

// egRefusal is an object Envoy Gateway does not accept on purpose, and why.
type egRefusal struct {
	// release is a version, "" for every one.
	release string
	// object is "Kind namespace/name"; reason is what egctl's condition (or
	// the test's message for an object it left without status) says.
	object, reason string
	why            string
}

// egRefusals are the refusals the test expects, by case. A case listed
// here must still be refused, with a message that holds reason.
var egRefusals = map[string][]egRefusal{
	"attach-existing-gateway": {
		{object: "HTTPRoute shop/web-shop-example-com", reason: "NotAllowedByListeners",
			why: "the case's own Gateway infra/shared admits routes from its namespace only (no allowedRoutes: from: Same); " +
				"the converter says so as an error in results.yaml"},
		{object: "HTTPRoute shop/web-shop-example-com-http", reason: "NotAllowedByListeners",
			why: "as above, on the http listener"},
	},
	"listenersets-per-namespace": egListenerSetRoutes("HTTPRoute api/shop-api-shop-example-com",
		"HTTPRoute blog/posts-blog-example-com", "HTTPRoute shop/storefront-cart-example-com",
		"HTTPRoute shop/storefront-shop-example-com", "TLSRoute secrets/vault-vault-example-com-passthrough"),
}

// egListenerSetRoutes are routes attached through ListenerSets, which
// egctl cannot check: its file reader has no ListenerSet kind
// (internal/gatewayapi/resource/load.go, v1.8.0 and v1.9.1), so it drops
// them and the routes attached to them, although Envoy Gateway's controller
// reads them (internal/provider/kubernetes). When egctl reads them, these
// entries fail and the routes are checked like any other.
func egListenerSetRoutes(objects ...string) []egRefusal {
	var rs []egRefusal
	for _, o := range objects {
		rs = append(rs, egRefusal{object: o, reason: "not in egctl's output",
			why: "egctl's file reader drops ListenerSets and the routes attached through them"})
	}
	return rs
}

func egctlPath(t *testing.T, r egRelease) string {
	t.Helper()
	p := os.Getenv(r.env)
	if p == "" {
		p = filepath.Join("..", "..", "..", "bin", "egctl-"+r.version, "egctl")
		if _, err := os.Stat(p); err != nil {
			testtool.Missing(t, "egctl "+r.version, "not found: set %s or run `make egctl` (or `make test`, which provides every tool)", r.env)
		}
		return p
	}
	if _, err := os.Stat(p); err != nil {
		testtool.Missing(t, "egctl "+r.version, "%s=%s: %v (run `make egctl`)", r.env, p, err)
	}
	return p
}

// egCases lists the golden output files the test gives Envoy Gateway.
func egCases(t *testing.T) map[string]string {
	t.Helper()
	cases := map[string]string{}
	dirs, err := filepath.Glob("../../../testdata/cases/*/expected.yaml")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden cases under testdata/cases (%v)", err)
	}
	for _, p := range dirs {
		dir := filepath.Dir(p)
		cfg, err := os.ReadFile(filepath.Join(dir, "config.yaml"))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if impl := configImplementation(cfg); impl == "" || impl == "standard" || impl == string(EnvoyGateway) {
			cases[filepath.Base(dir)] = p
		}
	}
	vendor, err := filepath.Glob("../../../testdata/implementations/envoy-gateway/*/expected.yaml")
	if err != nil || len(vendor) == 0 {
		t.Fatalf("no envoy-gateway cases under testdata/implementations (%v)", err)
	}
	for _, p := range vendor {
		cases["envoy-gateway/"+filepath.Base(filepath.Dir(p))] = p
	}
	return cases
}

// configImplementation reads spec.implementation (or the ConfigMap form's
// data.implementation) from a functionConfig's text.
func configImplementation(cfg []byte) string {
	for _, l := range strings.Split(string(cfg), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(l), ":")
		if ok && k == "implementation" {
			return strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	return ""
}

// routesSomething: a case whose output holds no route Envoy Gateway would
// translate (a failed conversion, an empty input) has nothing to check.
func (in *egInput) routesSomething() bool {
	for _, o := range in.model {
		if strings.HasSuffix(o.Kind(), "Route") && strings.HasPrefix(o.APIVersion(), group+"/") {
			return true
		}
	}
	return false
}

// egOutput is what `egctl x translate -o json` prints: the objects with
// the status Envoy Gateway gave them, and the xDS by Gateway.
type egOutput struct {
	GatewayClass           *egObject                  `json:"gatewayClass"`
	Gateways               []egObject                 `json:"gateways"`
	ListenerSets           []egObject                 `json:"listenerSets"`
	HTTPRoutes             []egObject                 `json:"httpRoutes"`
	GRPCRoutes             []egObject                 `json:"grpcRoutes"`
	TLSRoutes              []egObject                 `json:"tlsRoutes"`
	TCPRoutes              []egObject                 `json:"tcpRoutes"`
	ClientTrafficPolicies  []egObject                 `json:"clientTrafficPolicies"`
	BackendTrafficPolicies []egObject                 `json:"backendTrafficPolicies"`
	SecurityPolicies       []egObject                 `json:"securityPolicies"`
	BackendTLSPolicies     []egObject                 `json:"backendTLSPolicies"`
	EnvoyExtensionPolicies []egObject                 `json:"envoyExtensionPolicies"`
	Xds                    map[string]json.RawMessage `json:"xds"`
}

// objects lists every namespaced object egctl printed.
func (out *egOutput) objects() []*egObject {
	var all []*egObject
	for _, l := range [][]egObject{out.Gateways, out.ListenerSets, out.HTTPRoutes, out.GRPCRoutes, out.TLSRoutes,
		out.TCPRoutes, out.ClientTrafficPolicies, out.BackendTrafficPolicies, out.SecurityPolicies,
		out.BackendTLSPolicies, out.EnvoyExtensionPolicies} {
		for i := range l {
			all = append(all, &l[i])
		}
	}
	return all
}

type egObject struct {
	Kind     string `json:"kind"`
	Metadata struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
	Spec struct {
		GatewayClassName string           `json:"gatewayClassName"`
		ParentRefs       []map[string]any `json:"parentRefs"`
	} `json:"spec"`
	Status struct {
		Conditions []egCondition `json:"conditions"`
		Listeners  []struct {
			Name       string        `json:"name"`
			Conditions []egCondition `json:"conditions"`
		} `json:"listeners"`
		Parents []struct {
			ParentRef  map[string]any `json:"parentRef"`
			Conditions []egCondition  `json:"conditions"`
		} `json:"parents"`
		Ancestors []struct {
			AncestorRef map[string]any `json:"ancestorRef"`
			Conditions  []egCondition  `json:"conditions"`
		} `json:"ancestors"`
	} `json:"status"`
}

type egCondition struct {
	Type, Status, Reason, Message string
}

func (o *egObject) ref() string {
	return o.Kind + " " + o.Metadata.Namespace + "/" + o.Metadata.Name
}

// egRuns and egCPU count egctl's runs and their CPU time, for the log.
var egRuns, egCPU atomic.Int64

func runEgctl(bin, file string) (*egOutput, error) {
	cmd := exec.Command(bin, "x", "translate", "--from", "gateway-api", "--to", "gateway-api,xds",
		"--type", "route", "--output", "json", "--file", file)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if cmd.ProcessState != nil {
		egRuns.Add(1)
		egCPU.Add(int64(cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()))
	}
	if err != nil {
		return nil, fmt.Errorf("%v: %s", err, stderr.Bytes())
	}
	var out egOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return nil, fmt.Errorf("reading its output: %v\n%s", err, stdout.Bytes())
	}
	return &out, nil
}

// accepted returns "" when conds hold Accepted=True and no ResolvedRefs or
// Programmed condition is False (a route whose references do not resolve
// is accepted, and its rules answer 500), else what they say.
func accepted(conds []egCondition) string {
	var why []string
	found := false
	for _, c := range conds {
		switch {
		case c.Type == "Accepted":
			found = true
			if c.Status != "True" {
				why = append(why, c.Reason+": "+c.Message)
			}
		case (c.Type == "ResolvedRefs" || c.Type == "Programmed") && c.Status == "False":
			why = append(why, c.Type+" False, "+c.Reason+": "+c.Message)
		}
	}
	if !found {
		why = append(why, "no Accepted condition")
	}
	return strings.Join(why, "; ")
}

// egTranslated are the kinds whose objects Envoy Gateway must take up:
// egctl prints only the objects it translated, so one missing from its
// output was ignored (a route whose parents it does not know, a policy
// whose targets it does not find).
var egTranslated = map[string]bool{
	"HTTPRoute": true, "GRPCRoute": true, "TLSRoute": true, "TCPRoute": true,
	"ClientTrafficPolicy": true, "BackendTrafficPolicy": true, "SecurityPolicy": true,
	"EnvoyExtensionPolicy": true, "BackendTLSPolicy": true,
}

// egMissing lists the case's objects Envoy Gateway should have translated
// and did not print (printed holds "Kind namespace/name" of what it did).
// A route counts when a parent is a Gateway of the case's class or not a
// Gateway at all (a ListenerSet); routes only for other classes' Gateways
// are not Envoy Gateway's.
func (in *egInput) egMissing(printed map[string]bool) map[string]string {
	ours := map[string]bool{}
	for _, d := range in.translate {
		if kindOf(d) == "Gateway" && mapAt(d, "spec")["gatewayClassName"] == in.className {
			ours[nsOf(d)+"/"+nameOf(d)] = true
		}
	}
	missing := map[string]string{}
	for _, d := range in.translate {
		kind := kindOf(d)
		ns := nsOf(d)
		if ns == "" {
			ns = "default"
		}
		ref := kind + " " + ns + "/" + nameOf(d)
		if !egTranslated[kind] || printed[ref] {
			continue
		}
		mine := !strings.HasSuffix(kind, "Route")
		refs, _ := mapAt(d, "spec")["parentRefs"].([]any)
		for _, r := range refs {
			p, _ := r.(obj)
			k, _ := p["kind"].(string)
			pns, _ := p["namespace"].(string)
			if pns == "" {
				pns = ns
			}
			name, _ := p["name"].(string)
			if (k != "" && k != "Gateway") || ours[pns+"/"+name] {
				mine = true
			}
		}
		if mine {
			missing[ref] = "not in egctl's output: Envoy Gateway did not translate it"
		}
	}
	return missing
}

// egStatusProblems lists, by object, what keeps each object Envoy Gateway
// translated from being Accepted.
func egStatusProblems(out *egOutput, className string) map[string]string {
	problems := map[string]string{}
	add := func(o *egObject, what string) {
		k := o.ref()
		if problems[k] != "" {
			problems[k] += "; "
		}
		problems[k] += what
	}
	if out.GatewayClass == nil {
		problems["GatewayClass"] = "egctl printed no GatewayClass"
	} else if why := accepted(out.GatewayClass.Status.Conditions); why != "" {
		add(out.GatewayClass, why)
	}
	ours := map[string]bool{}
	for i := range out.Gateways {
		g := &out.Gateways[i]
		if g.Spec.GatewayClassName != className {
			continue
		}
		ours[g.Metadata.Namespace+"/"+g.Metadata.Name] = true
		// The translator only ever sets Accepted=False on a Gateway (the
		// controller sets True from the listeners: status/gateway.go).
		for _, c := range g.Status.Conditions {
			if c.Type == "Accepted" && c.Status != "True" {
				add(g, c.Reason+": "+c.Message)
			}
		}
		for _, l := range g.Status.Listeners {
			if why := accepted(l.Conditions); why != "" {
				add(g, "listener "+l.Name+": "+why)
			}
		}
	}
	for _, routes := range [][]egObject{out.HTTPRoutes, out.GRPCRoutes, out.TLSRoutes, out.TCPRoutes} {
		for i := range routes {
			r := &routes[i]
			for _, p := range r.Spec.ParentRefs {
				kind, _ := p["kind"].(string)
				ns, _ := p["namespace"].(string)
				if ns == "" {
					ns = r.Metadata.Namespace
				}
				name, _ := p["name"].(string)
				if (kind == "" || kind == "Gateway") && !ours[ns+"/"+name] {
					continue // another class's Gateway: not Envoy Gateway's
				}
				section, _ := p["sectionName"].(string)
				found := false
				for _, s := range r.Status.Parents {
					sn, _ := s.ParentRef["name"].(string)
					ss, _ := s.ParentRef["sectionName"].(string)
					if sn == name && ss == section {
						found = true
						if why := accepted(s.Conditions); why != "" {
							add(r, fmt.Sprintf("parent %s %s/%s: %s", kindOr(kind), ns, joinSection(name, section), why))
						}
					}
				}
				if !found {
					add(r, fmt.Sprintf("parent %s %s/%s: no status (Envoy Gateway did not take the route)", kindOr(kind), ns, joinSection(name, section)))
				}
			}
		}
	}
	for _, ps := range [][]egObject{out.ClientTrafficPolicies, out.BackendTrafficPolicies, out.SecurityPolicies,
		out.BackendTLSPolicies, out.EnvoyExtensionPolicies, out.ListenerSets} {
		for i := range ps {
			p := &ps[i]
			if p.Kind == "ListenerSet" {
				if why := accepted(p.Status.Conditions); why != "" {
					add(p, why)
				}
				continue
			}
			if len(p.Status.Ancestors) == 0 {
				add(p, "no ancestor status (its targets were not found)")
			}
			for _, a := range p.Status.Ancestors {
				if why := accepted(a.Conditions); why != "" {
					n, _ := a.AncestorRef["name"].(string)
					add(p, "ancestor "+n+": "+why)
				}
			}
		}
	}
	return problems
}

func kindOr(k string) string {
	if k == "" {
		return "Gateway"
	}
	return k
}

func joinSection(name, section string) string {
	if section == "" {
		return name
	}
	return name + "/" + section
}

// checkRefusals fails on every problem egRefusals does not list for the
// case and release, and on every listed refusal that did not happen.
func checkRefusals(t *testing.T, name, release string, problems map[string]string) {
	t.Helper()
	used := map[int]bool{}
	for _, obj := range egKeys(problems) {
		why := problems[obj]
		listed := false
		for i, r := range egRefusals[name] {
			if (r.release == "" || r.release == release) && r.object == obj && strings.Contains(why, r.reason) {
				listed, used[i] = true, true
			}
		}
		if !listed {
			t.Errorf("Envoy Gateway %s does not accept %s: %s", release, obj, why)
		}
	}
	for i, r := range egRefusals[name] {
		if (r.release == "" || r.release == release) && !used[i] {
			t.Errorf("Envoy Gateway %s now accepts %s (egRefusals says it refuses it, %q, because %s): drop the entry",
				release, r.object, r.reason, r.why)
		}
	}
}
