package check

import (
	"bytes"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"testing"

	"github.com/routeshift/routeshift/internal/proof/internal/kube"
)

// benchTrees generates n Ingresses (each with its own host, two paths and
// two Services, every fourth with TLS) and the Gateway API objects that
// route the same way, written by hand here: the benchmark must not depend
// on the converter any more than diff does.
func benchTrees(n int) (ingress, gw []byte) {
	var in, out bytes.Buffer
	out.WriteString(`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: gateway-system}
spec:
  gatewayClassName: eg
  listeners:
  - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
`)
	for i := 0; i < n; i++ {
		if i%4 == 0 {
			fmt.Fprintf(&out, "  - {name: https-%d, port: 443, protocol: HTTPS, hostname: h%05d.example.com, tls: {certificateRefs: [{name: tls-%d, namespace: ns%02d}]}, allowedRoutes: {namespaces: {from: All}}}\n", i, i, i, i%100)
		}
	}
	for i := 0; i < n; i++ {
		ns := fmt.Sprintf("ns%02d", i%100)
		host := fmt.Sprintf("h%05d.example.com", i)
		tls := ""
		if i%4 == 0 {
			tls = fmt.Sprintf("  tls:\n  - hosts: [%s]\n    secretName: tls-%d\n", host, i)
		}
		fmt.Fprintf(&in, `---
apiVersion: v1
kind: Service
metadata: {name: web-%[1]d, namespace: %[2]s}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: api-%[1]d, namespace: %[2]s}
spec: {ports: [{name: http, port: 8080}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: app-%[1]d, namespace: %[2]s}
spec:
  ingressClassName: nginx
%[4]s  rules:
  - host: %[3]s
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web-%[1]d, port: {name: http}}}}
      - {path: /api, pathType: Prefix, backend: {service: {name: api-%[1]d, port: {number: 8080}}}}
`, i, ns, host, tls)
		section := "http"
		if i%4 == 0 {
			section = "https-" + strconv.Itoa(i)
			fmt.Fprintf(&out, `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: app-%[1]d-http, namespace: %[2]s}
spec:
  parentRefs: [{name: public, namespace: gateway-system, sectionName: http}]
  hostnames: [%[3]s]
  rules:
  - filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 308}}]
`, i, ns, host)
		}
		fmt.Fprintf(&out, `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: app-%[1]d, namespace: %[2]s}
spec:
  parentRefs: [{name: public, namespace: gateway-system, sectionName: %[4]s}]
  hostnames: [%[3]s]
  rules:
  - backendRefs: [{name: web-%[1]d, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: api-%[1]d, port: 8080}]
`, i, ns, host, section)
	}
	return in.Bytes(), out.Bytes()
}

// BenchmarkDiff10k reads 10,000 Ingresses with their Services and an
// equivalent Gateway API tree, and diffs them (ROUTESHIFT_BENCH_N changes
// the size). Target: under 5 s on a 2-core machine.
func BenchmarkDiff10k(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("ROUTESHIFT_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	in, out := benchTrees(n)
	// As `routeshift diff` does: the process is short-lived and the
	// objects live until the end, so collecting often only costs time.
	defer debug.SetGCPercent(debug.SetGCPercent(GCPercent))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		before, err := kube.ReadStream(in, "ingress.yaml")
		if err != nil {
			b.Fatal(err)
		}
		after, err := kube.ReadStream(out, "gateway.yaml")
		if err != nil {
			b.Fatal(err)
		}
		rep, err := Run(Tree{Name: "ingress.yaml", Objects: before}, Tree{Name: "gateway.yaml", Objects: after}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(rep.Probes), "probes")
		if rep.Differences != 0 {
			// Only the TLS redirect's trailing slash may differ: nginx drops
			// it (see knownDifferences).
			for _, c := range rep.Comparisons {
				for _, h := range c.Hosts {
					for _, d := range h.Differences {
						if d.Before.Redirect == nil || d.After.Redirect == nil {
							b.Fatalf("unexpected difference: %s: %s / %s", d.Text, d.Before, d.After)
						}
					}
				}
			}
		}
	}
}

func TestBenchTreesAreEquivalent(t *testing.T) {
	in, out := benchTrees(8)
	before, err := kube.ReadStream(in, "ingress.yaml")
	if err != nil {
		t.Fatal(err)
	}
	after, err := kube.ReadStream(out, "gateway.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(Tree{Name: "ingress.yaml", Objects: before}, Tree{Name: "gateway.yaml", Objects: after}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Two TLS hosts, each with its "/PROBE/" and "/api/" trailing-slash
	// redirect: the known ssl-redirect difference, nothing else.
	for _, c := range rep.Comparisons {
		for _, h := range c.Hosts {
			for _, d := range h.Differences {
				if d.Before.Redirect == nil || d.After.Redirect == nil {
					t.Errorf("%s: %s / %s", d.Text, d.Before, d.After)
				}
			}
		}
	}
}

// BenchmarkRead10k is the floor of BenchmarkDiff10k: reading the two trees.
func BenchmarkRead10k(b *testing.B) {
	in, out := benchTrees(10000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := kube.ReadStream(in, "ingress.yaml"); err != nil {
			b.Fatal(err)
		}
		if _, err := kube.ReadStream(out, "gateway.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}
