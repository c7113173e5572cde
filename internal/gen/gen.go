// Package gen writes deterministic, realistic ingress-nginx inputs for
// benchmarks: N Ingresses over M namespaces with their Services, mixing
// what real clusters hold (plain routing, TLS, hosts shared by several
// Ingresses, rewrites and regex paths, canaries, redirects, CORS, timeouts,
// auth, snippets, wildcard hosts, default backends) in fixed proportions,
// so that every run measures the same work.
package gen

import (
	"bytes"
	"fmt"
)

// Stream writes n Ingresses and their Services as a multi-document stream.
func Stream(n, namespaces int) []byte {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		writeIngress(&b, i, namespaces)
		b.WriteString("---\n")
		writeService(&b, i, namespaces)
		if i < n-1 {
			b.WriteString("---\n")
		}
	}
	return b.Bytes()
}

// ResourceList wraps a stream's documents as the items of a ResourceList,
// indented as kustomize writes them.
func ResourceList(stream []byte) []byte {
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

// The mix: each Ingress gets the features whose modulus divides its index
// offset, so proportions are fixed and features combine.
func writeIngress(b *bytes.Buffer, i, namespaces int) {
	ns := fmt.Sprintf("team-%03d", i%namespaces)
	app := fmt.Sprintf("app-%05d", i)
	host := fmt.Sprintf("%s.%s.example.com", app, ns)
	switch {
	case i%10 == 3: // shared host: a second Ingress on the previous app's host
		host = fmt.Sprintf("app-%05d.%s.example.com", i-1, fmt.Sprintf("team-%03d", (i-1)%namespaces))
		ns = fmt.Sprintf("team-%03d", (i-1)%namespaces)
	case i%50 == 7:
		host = fmt.Sprintf("*.%s.wild.example.com", app)
	}
	ann := map[string]string{}
	path, pathType := "/", "Prefix"
	if i%10 == 3 {
		path = "/api"
	}
	switch i % 20 {
	case 1:
		ann["nginx.ingress.kubernetes.io/rewrite-target"] = "/$2"
		path, pathType = "/svc(/|$)(.*)", "ImplementationSpecific"
	case 2:
		ann["nginx.ingress.kubernetes.io/use-regex"] = `"true"`
		path, pathType = "/items/[0-9]+", "ImplementationSpecific"
	case 4:
		ann["nginx.ingress.kubernetes.io/enable-cors"] = `"true"`
		ann["nginx.ingress.kubernetes.io/cors-allow-origin"] = "https://app.example.com"
	case 5:
		ann["nginx.ingress.kubernetes.io/proxy-read-timeout"] = `"120"`
		ann["nginx.ingress.kubernetes.io/proxy-body-size"] = "16m"
	case 6:
		ann["nginx.ingress.kubernetes.io/auth-url"] = "http://oauth2-proxy.auth.svc.cluster.local/oauth2/auth"
		ann["nginx.ingress.kubernetes.io/auth-signin"] = "https://auth.example.com/oauth2/start"
	case 8:
		ann["nginx.ingress.kubernetes.io/permanent-redirect"] = "https://new.example.com/"
	case 9:
		ann["nginx.ingress.kubernetes.io/configuration-snippet"] = `|
      more_set_headers "X-Frame-Options: DENY";`
	}
	b.WriteString("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n")
	fmt.Fprintf(b, "  name: %s\n  namespace: %s\n", app, ns)
	if len(ann) > 0 {
		b.WriteString("  annotations:\n")
		for _, k := range sortedKeys(ann) {
			fmt.Fprintf(b, "    %s: %s\n", k, ann[k])
		}
	}
	b.WriteString("spec:\n  ingressClassName: nginx\n")
	if i%25 == 11 {
		fmt.Fprintf(b, "  defaultBackend:\n    service:\n      name: %s\n      port:\n        number: 80\n", app)
	}
	if i%3 == 0 {
		fmt.Fprintf(b, "  tls:\n  - hosts:\n    - %q\n    secretName: %s-tls\n", host, app)
	}
	fmt.Fprintf(b, "  rules:\n  - host: %q\n    http:\n      paths:\n", host)
	fmt.Fprintf(b, "      - path: %s\n        pathType: %s\n        backend:\n          service:\n            name: %s\n            port:\n              name: http\n", path, pathType, app)
	if i%4 == 0 {
		fmt.Fprintf(b, "      - path: /static\n        pathType: Prefix\n        backend:\n          service:\n            name: %s\n            port:\n              number: 80\n", app)
	}
	if i%20 == 12 { // a canary for the previous Ingress's primary
		b.WriteString("---\n")
		fmt.Fprintf(b, "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: %s-canary\n  namespace: %s\n  annotations:\n    nginx.ingress.kubernetes.io/canary: \"true\"\n    nginx.ingress.kubernetes.io/canary-weight: \"10\"\n    nginx.ingress.kubernetes.io/canary-by-header: X-Canary\n", app, ns)
		fmt.Fprintf(b, "spec:\n  ingressClassName: nginx\n  rules:\n  - host: %q\n    http:\n      paths:\n      - path: %s\n        pathType: %s\n        backend:\n          service:\n            name: %s-v2\n            port:\n              number: 80\n", host, path, pathType, app)
	}
}

func writeService(b *bytes.Buffer, i, namespaces int) {
	ns := fmt.Sprintf("team-%03d", i%namespaces)
	if i%10 == 3 {
		ns = fmt.Sprintf("team-%03d", (i-1)%namespaces)
	}
	fmt.Fprintf(b, "apiVersion: v1\nkind: Service\nmetadata:\n  name: app-%05d\n  namespace: %s\n  labels:\n    app: app-%05d\nspec:\n  selector:\n    app: app-%05d\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n", i, ns, i, i)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}
