package fn

// The generated bad inputs: too large to commit under testdata/bad, made
// on each run instead (bad_test.go says what every input must survive).

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// streamGroups is how many Ingresses (each with a Service, a ConfigMap and
// a Deployment) make the 100k-line stream.
const streamGroups = 1300

// stream100k generates a stream of over 100,000 lines: Ingresses with TLS,
// four paths, a named port and annotations, spread over 50 namespaces,
// each with its Service, a ConfigMap and a Deployment that pass through.
func stream100k() []byte {
	var b bytes.Buffer
	for i := 0; i < streamGroups; i++ {
		fmt.Fprintf(&b, `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app%[1]d
  namespace: team%[2]d
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
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
      - path: /static
        pathType: ImplementationSpecific
        backend:
          service:
            name: app%[1]d
            port:
              name: http
      - path: /healthz
        pathType: Exact
        backend:
          service:
            name: app%[1]d
            port:
              number: 80
---
apiVersion: v1
kind: Service
metadata:
  name: app%[1]d
  namespace: team%[2]d
spec:
  selector:
    app: app%[1]d
  ports:
  - name: http
    port: 80
    targetPort: 8080
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app%[1]d-config
  namespace: team%[2]d
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "a,b,c"
  config.yaml: |
    server:
      port: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app%[1]d
  namespace: team%[2]d
spec:
  replicas: 2
  selector:
    matchLabels: {app: app%[1]d}
  template:
    metadata:
      labels: {app: app%[1]d}
    spec:
      containers:
      - name: app
        image: example.com/app:1.%[1]d
        ports:
        - containerPort: 8080
---
`, i, i%50)
	}
	return b.Bytes()
}

// paths10k generates one Ingress with 10,000 paths over 100 Services, far
// beyond Gateway API's limits per rule and per route.
func paths10k() []byte {
	var b bytes.Buffer
	b.WriteString("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: many\n  namespace: shop\nspec:\n  ingressClassName: nginx\n  rules:\n  - host: many.example.com\n    http:\n      paths:\n")
	types := []string{"Prefix", "Exact", "ImplementationSpecific"}
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&b, "      - path: /p%d\n        pathType: %s\n        backend: {service: {name: svc%d, port: {number: 80}}}\n", i, types[i%3], i%100)
	}
	return b.Bytes()
}

// annotation10MB generates an Ingress with a 10 MB annotation value that
// the conversion reads, and a 1 MB one that it only accounts for.
func annotation10MB() []byte {
	big := strings.Repeat("/abcdefghijklmnopqrstuvwxyz0123456789", 10<<20/37)
	return []byte(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: "` + big + `"
    example.com/blob: "` + big[:1<<20] + `"
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: web, port: {number: 80}}}
`)
}

// TestBadStreamIs100kLines keeps the generated stream honest.
func TestBadStreamIs100kLines(t *testing.T) {
	if n := bytes.Count(stream100k(), []byte("\n")); n < 100_000 {
		t.Errorf("the generated stream has %d lines, want at least 100,000", n)
	}
}
