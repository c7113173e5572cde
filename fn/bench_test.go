package fn

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"testing"

	"github.com/routeshift/routeshift/pipeline/load"
)

// generate writes n Ingresses with TLS, a named port and their Services,
// spread over 50 namespaces.
func generate(n int) []byte {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		ns := fmt.Sprintf("team%d", i%50)
		fmt.Fprintf(&b, `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app%[1]d
  namespace: %[2]s
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
spec:
  ingressClassName: nginx
  tls:
  - hosts: [app%[1]d.example.com]
    secretName: app%[1]d-tls
  rules:
  - host: app%[1]d.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: app%[1]d
            port:
              name: http
      - path: /api
        pathType: Prefix
        backend:
          service:
            name: app%[1]d-api
            port:
              number: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: app%[1]d
  namespace: %[2]s
spec:
  ports:
  - name: http
    port: 80
---
`, i, ns)
	}
	return b.Bytes()
}

func BenchmarkConvert(b *testing.B) {
	for _, n := range benchSizes() {
		input := generate(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			spec, _ := ParseConfig(nil)
			for i := 0; i < b.N; i++ {
				objs, err := load.ReadStream(bytes.NewReader(input), "bench.yaml")
				if err != nil {
					b.Fatal(err)
				}
				out, _, _ := Convert(objs, spec, true)
				if len(out) < 2*n {
					b.Fatal("lost objects")
				}
			}
		})
	}
}

// benchSizes are the input sizes; ROUTESHIFT_BENCH_N overrides them.
func benchSizes() []int {
	if v := os.Getenv("ROUTESHIFT_BENCH_N"); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return []int{n}
		}
	}
	return []int{1000, 10000}
}

// BenchmarkFunction runs function mode on a ResourceList of generated
// Ingresses and Services, as kustomize and kpt hand it over.
func BenchmarkFunction(b *testing.B) {
	for _, n := range benchSizes() {
		input := resourceList(generate(n))
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if code := Function(bytes.NewReader(input), io.Discard, io.Discard); code != 0 {
					b.Fatalf("exit %d", code)
				}
			}
		})
	}
}

// resourceList wraps a stream's documents as ResourceList items.
func resourceList(stream []byte) []byte {
	var b bytes.Buffer
	b.WriteString("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n")
	for _, doc := range bytes.Split(stream, []byte("---\n")) {
		lines := bytes.Split(bytes.TrimRight(doc, "\n"), []byte("\n"))
		if len(lines) == 0 || len(lines[0]) == 0 {
			continue
		}
		b.WriteString("- ")
		b.Write(lines[0])
		b.WriteByte('\n')
		for _, l := range lines[1:] {
			b.WriteString("  ")
			b.Write(l)
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}
