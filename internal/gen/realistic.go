package gen

import (
	"bytes"
	"fmt"
)

// Mix names a generator: Classic is Stream's mix; Realistic is the mix
// measured in issue 19: 27% TLS; 16% rewrite-target, half of them "/$2"
// capture-group regexes; 9% canary pairs; a few host-less use-regex
// Ingresses (the catch-all server); 2% wildcard hosts; CORS, external
// auth and snippets; about 2% duplicate host+path pairs.
type Mix string

const (
	Classic   Mix = "classic"
	Realistic Mix = "realistic"
)

// Generate writes n Ingresses of the mix over the namespaces.
func Generate(mix Mix, n, namespaces int) ([]byte, error) {
	switch mix {
	case Classic, "":
		return Stream(n, namespaces), nil
	case Realistic:
		return RealisticStream(n, namespaces), nil
	}
	return nil, fmt.Errorf("mix %q: want %s or %s", mix, Classic, Realistic)
}

// RealisticStream writes n Ingresses in the realistic mix, each followed by
// its Service, plus the canary Ingresses of the canary pairs.
func RealisticStream(n, namespaces int) []byte {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString("---\n")
		}
		writeRealistic(&b, i, namespaces)
	}
	return b.Bytes()
}

// canaryPairs are the residues mod 100 that get a canary: 9%.
var canaryPairs = map[int]bool{5: true, 16: true, 27: true, 38: true, 49: true, 60: true, 71: true, 82: true, 93: true}

type realIngress struct {
	ns, name, host, path, pathType string
	ann                            map[string]string
}

// realisticShape decides an Ingress's host, first path and annotations
// from its index alone, so that a duplicate can copy its predecessor's.
func realisticShape(i, namespaces int) realIngress {
	ns := fmt.Sprintf("team-%03d", i%namespaces)
	app := fmt.Sprintf("app-%05d", i)
	in := realIngress{ns: ns, name: app, host: app + "." + ns + ".example.com", path: "/", pathType: "Prefix", ann: map[string]string{}}
	switch {
	case i%400 == 13:
		// A host-less regex Ingress: its paths join the catch-all server,
		// which every unknown host reaches.
		in.host = ""
		in.path, in.pathType = "/hooks/"+app+"/[a-z0-9]+", "ImplementationSpecific"
		in.ann["nginx.ingress.kubernetes.io/use-regex"] = `"true"`
		return in
	case i%50 == 7:
		in.host = "*." + app + ".example.com"
	}
	switch i % 25 {
	case 1, 2:
		in.ann["nginx.ingress.kubernetes.io/rewrite-target"] = "/$2"
		in.path, in.pathType = "/"+app+"(/|$)(.*)", "ImplementationSpecific"
	case 3, 4:
		in.ann["nginx.ingress.kubernetes.io/rewrite-target"] = "/"
		in.path = "/legacy"
	case 5:
		in.ann["nginx.ingress.kubernetes.io/use-regex"] = `"true"`
		in.path, in.pathType = "/items/[0-9]+", "ImplementationSpecific"
	}
	switch {
	case i%20 == 9:
		in.ann["nginx.ingress.kubernetes.io/enable-cors"] = `"true"`
		in.ann["nginx.ingress.kubernetes.io/cors-allow-origin"] = "https://portal.example.com"
	case i%250 == 101:
		in.ann["nginx.ingress.kubernetes.io/auth-url"] = "http://oauth2-proxy.auth.svc.cluster.local/oauth2/auth"
	case i%250 == 202:
		in.ann["nginx.ingress.kubernetes.io/configuration-snippet"] = `|
      more_set_headers "X-Frame-Options: DENY";`
	}
	return in
}

func writeRealistic(b *bytes.Buffer, i, namespaces int) {
	in := realisticShape(i, namespaces)
	if i%50 == 23 {
		// A duplicate host+path: a second Ingress, in the first one's
		// namespace, claims its first path; the older one keeps it.
		prev := realisticShape(i-1, namespaces)
		in.ns, in.host, in.path, in.pathType = prev.ns, prev.host, prev.path, prev.pathType
		in.ann = prev.ann
	}
	b.WriteString("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n")
	fmt.Fprintf(b, "  name: %s\n  namespace: %s\n", in.name, in.ns)
	if len(in.ann) > 0 {
		b.WriteString("  annotations:\n")
		for _, k := range sortedKeys(in.ann) {
			fmt.Fprintf(b, "    %s: %s\n", k, in.ann[k])
		}
	}
	b.WriteString("spec:\n  ingressClassName: nginx\n")
	if i%100 < 27 && in.host != "" {
		fmt.Fprintf(b, "  tls:\n  - hosts:\n    - %q\n    secretName: %s-tls\n", in.host, in.name)
	}
	b.WriteString("  rules:\n")
	if in.host != "" {
		fmt.Fprintf(b, "  - host: %q\n    http:\n      paths:\n", in.host)
	} else {
		b.WriteString("  - http:\n      paths:\n")
	}
	writePath(b, in.path, in.pathType, in.name, "name: http")
	if i%4 == 0 && in.pathType != "ImplementationSpecific" {
		writePath(b, "/static", "Prefix", in.name, "number: 80")
	}
	if i%7 == 0 && in.pathType != "ImplementationSpecific" {
		writePath(b, "/healthz", "Exact", in.name, "number: 80")
	}
	if canaryPairs[i%100] && in.host != "" {
		b.WriteString("---\n")
		fmt.Fprintf(b, "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: %s-canary\n  namespace: %s\n  annotations:\n", in.name, in.ns)
		b.WriteString("    nginx.ingress.kubernetes.io/canary: \"true\"\n    nginx.ingress.kubernetes.io/canary-weight: \"20\"\n")
		if i%2 == 0 {
			b.WriteString("    nginx.ingress.kubernetes.io/canary-by-header: X-Canary\n")
		}
		fmt.Fprintf(b, "spec:\n  ingressClassName: nginx\n  rules:\n  - host: %q\n    http:\n      paths:\n", in.host)
		writePath(b, in.path, in.pathType, in.name+"-v2", "number: 80")
		b.WriteString("---\n")
		writeRealService(b, in.name+"-v2", in.ns)
	}
	b.WriteString("---\n")
	writeRealService(b, in.name, in.ns)
}

func writePath(b *bytes.Buffer, path, pathType, svc, port string) {
	fmt.Fprintf(b, "      - path: %s\n        pathType: %s\n        backend:\n          service:\n            name: %s\n            port:\n              %s\n", path, pathType, svc, port)
}

func writeRealService(b *bytes.Buffer, name, ns string) {
	fmt.Fprintf(b, "apiVersion: v1\nkind: Service\nmetadata:\n  name: %s\n  namespace: %s\nspec:\n  selector:\n    app: %s\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n", name, ns, name)
}

// OneHost writes Ingresses that together give one host the number of
// paths (ten per Ingress, every tenth Exact, the rest Prefix), with their
// Services: the shape that exposes a cost quadratic in paths per host.
func OneHost(paths int) []byte {
	var b bytes.Buffer
	for i := 0; i*10 < paths; i++ {
		if i > 0 {
			b.WriteString("---\n")
		}
		name := fmt.Sprintf("part-%05d", i)
		fmt.Fprintf(&b, "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: %s\n  namespace: big\nspec:\n  ingressClassName: nginx\n  rules:\n  - host: big.example.com\n    http:\n      paths:\n", name)
		for j := 0; j < 10 && i*10+j < paths; j++ {
			typ := "Prefix"
			if j == 9 {
				typ = "Exact"
			}
			writePath(&b, fmt.Sprintf("/svc-%05d/api", i*10+j), typ, name, "name: http")
		}
		b.WriteString("---\n")
		writeRealService(&b, name, "big")
	}
	return b.Bytes()
}
