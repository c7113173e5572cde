package status

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	_ "github.com/routeshift/routeshift/internal/golden"
	"github.com/routeshift/routeshift/internal/load"
)

// runYAML checks a manifest stream, with an optional declared file.
func runYAML(t *testing.T, manifests, declared string) Report {
	t.Helper()
	objs, err := load.ReadStream(strings.NewReader(manifests), "input.yaml")
	if err != nil {
		t.Fatalf("reading manifests: %v", err)
	}
	var d Declared
	if declared != "" {
		d, err = ParseDeclared([]byte(declaredHeader+declared), "declared.yaml")
		if err != nil {
			t.Fatalf("declared: %v", err)
		}
	}
	return Run(objs, d)
}

const declaredHeader = "apiVersion: routeshift.dev/v1alpha1\nkind: DeclaredObjects\n"

// conditionAt finds a condition by where it is:
//
//	"gateway NS/NAME"
//	"listener NS/GATEWAY/LISTENER"
//	"parent KIND NS/NAME INDEX" (the INDEXth parentRef, from 0)
func conditionAt(rep Report, at, typ string) (*Condition, error) {
	f := strings.Fields(at)
	switch {
	case len(f) == 2 && f[0] == "gateway":
		for _, g := range rep.Gateways {
			if g.Namespace+"/"+g.Name == f[1] {
				return find(g.Conditions, typ, at)
			}
		}
	case len(f) == 2 && f[0] == "listener":
		for _, g := range rep.Gateways {
			for _, l := range g.Listeners {
				if g.Namespace+"/"+g.Name+"/"+l.Name == f[1] {
					return find(l.Conditions, typ, at)
				}
			}
		}
	case len(f) == 2 && f[0] == "listenerset":
		for _, ls := range rep.ListenerSets {
			if ls.Namespace+"/"+ls.Name == f[1] {
				return find(ls.Conditions, typ, at)
			}
		}
	case len(f) == 2 && f[0] == "lslistener":
		for _, ls := range rep.ListenerSets {
			for _, l := range ls.Listeners {
				if ls.Namespace+"/"+ls.Name+"/"+l.Name == f[1] {
					return find(l.Conditions, typ, at)
				}
			}
		}
	case len(f) == 4 && f[0] == "parent":
		for _, r := range rep.Routes {
			if r.Kind == f[1] && r.Namespace+"/"+r.Name == f[2] {
				var i int
				fmt.Sscan(f[3], &i)
				if i >= len(r.Parents) {
					return nil, fmt.Errorf("%s: the route has %d parents", at, len(r.Parents))
				}
				return find(r.Parents[i].Conditions, typ, at)
			}
		}
	default:
		return nil, fmt.Errorf("bad selector %q", at)
	}
	return nil, fmt.Errorf("%s: not in the report", at)
}

func find(cs []Condition, typ, at string) (*Condition, error) {
	if c := get(cs, typ); c != nil {
		return c, nil
	}
	return nil, fmt.Errorf("%s: no %s condition", at, typ)
}

func listenerAt(rep Report, path string) *ListenerResult {
	for _, ls := range rep.ListenerSets {
		for i, l := range ls.Listeners {
			if "ls:"+ls.Namespace+"/"+ls.Name+"/"+l.Name == path {
				return &ls.Listeners[i]
			}
		}
	}
	for _, g := range rep.Gateways {
		for i, l := range g.Listeners {
			if g.Namespace+"/"+g.Name+"/"+l.Name == path {
				return &g.Listeners[i]
			}
		}
	}
	return nil
}

// gatewayYAML is a Gateway in namespace infra of class eg with the given
// listeners (a YAML flow sequence body, one listener per line).
func gatewayYAML(name string, listeners ...string) string {
	return fmt.Sprintf("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: %s, namespace: infra}\nspec:\n  gatewayClassName: eg\n  listeners:\n  - %s\n---\n",
		name, strings.Join(listeners, "\n  - "))
}

// routeYAML is a route with the given spec (YAML flow mapping body).
func routeYAML(kind, ns, name, spec string) string {
	return fmt.Sprintf("apiVersion: gateway.networking.k8s.io/v1\nkind: %s\nmetadata: {name: %s, namespace: %s}\nspec: {%s}\n---\n", kind, name, ns, spec)
}

func serviceYAML(ns, name string, ports ...int) string {
	var ps []string
	for _, p := range ports {
		ps = append(ps, fmt.Sprintf("{port: %d}", p))
	}
	return fmt.Sprintf("apiVersion: v1\nkind: Service\nmetadata: {name: %s, namespace: %s}\nspec: {ports: [%s]}\n---\n", name, ns, strings.Join(ps, ", "))
}

func namespaceYAML(name string, labels string) string {
	return fmt.Sprintf("apiVersion: v1\nkind: Namespace\nmetadata: {name: %s, labels: {%s}}\n---\n", name, labels)
}

// tlsSecretYAML is a kubernetes.io/tls Secret with a freshly made
// self-signed certificate, so that the key-pair check has real data.
func tlsSecretYAML(ns, name string) string {
	crt, key := selfSigned()
	return fmt.Sprintf("apiVersion: v1\nkind: Secret\nmetadata: {name: %s, namespace: %s}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: %s\n  tls.key: %s\n---\n",
		name, ns, base64.StdEncoding.EncodeToString(crt), base64.StdEncoding.EncodeToString(key))
}

var certPEM, keyPEM []byte

func selfSigned() ([]byte, []byte) {
	if certPEM != nil {
		return certPEM, keyPEM
	}
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "example.com"}, DNSNames: []string{"*.example.com"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(0, 0).Add(100 * 365 * 24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		panic(err)
	}
	kder, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		panic(err)
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
	return certPEM, keyPEM
}
