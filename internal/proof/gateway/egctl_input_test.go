package gateway

// What egctl and the model read for one golden case: the converter's
// output as the golden file holds it, plus the objects a cluster would
// have and the file does not (egctl_test.go says why each is needed).

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/routeshift/routeshift/internal/proof/internal/kube"
)

const (
	egControllerName = "gateway.envoyproxy.io/gatewayclass-controller"
	egAPIGroup       = "gateway.envoyproxy.io"
	// egStubClusterIP is any address: egctl's xDS translation needs a
	// Service to have one (an empty one fails Envoy's validation of the
	// cluster's endpoints), a cluster gives every Service one.
	egStubClusterIP = "10.96.0.10"
)

// egInput is one case made ready for egctl (translate) and for the model
// (model).
type egInput struct {
	translate []obj
	model     []*kube.Object
	className string
}

type obj = map[string]any

// buildEGInput reads a golden output file and adds the stubs.
func buildEGInput(path string) (*egInput, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	objs, err := kube.ReadStream(data, path)
	if err != nil {
		return nil, err
	}
	var docs []obj
	for _, o := range objs {
		if !egctlReads(o) {
			continue
		}
		j, err := o.JSON()
		if err != nil {
			return nil, err
		}
		var d obj
		if err := json.Unmarshal(j, &d); err != nil {
			return nil, fmt.Errorf("%s: %w", o.Ref(), err)
		}
		docs = append(docs, d)
	}
	stubs, className := egStubs(docs)
	in := &egInput{className: className}
	var model bytes.Buffer
	for _, d := range append(docs, stubs...) {
		j, err := json.Marshal(d)
		if err != nil {
			return nil, err
		}
		model.WriteString("---\n")
		model.Write(j)
		model.WriteString("\n")
		in.translate = append(in.translate, forEgctl(d))
	}
	if in.model, err = kube.ReadStream(model.Bytes(), path+" with stubs"); err != nil {
		return nil, err
	}
	return in, nil
}

// egctlReads: the objects Envoy Gateway's controller watches. The rest of
// the output (the Ingresses passed through, cert-manager, Argo Rollouts)
// is not its business; egctl's reader would refuse kinds it has no scheme
// for.
func egctlReads(o *kube.Object) bool {
	switch g := kube.Group(o.APIVersion()); {
	case g == group || g == egAPIGroup:
		return true
	case o.APIVersion() == "v1":
		switch o.Kind() {
		case "Service", "Secret", "ConfigMap", "Namespace":
			return true
		}
	}
	return false
}

// forEgctl is the document as egctl is given it. Its reader keeps only a
// Namespace's name, not its labels (internal/gatewayapi/resource/load.go,
// KindNamespace, v1.8.0 and v1.9.1), so a listener admitting namespaces by
// a selector would admit none: such a listener is given to egctl as
// `from: All`. The model evaluates the selector as written; a route the
// selector would refuse then shows as a route Envoy serves and the model
// does not, in the route comparison.
func forEgctl(d obj) obj {
	if kindOf(d) != "Gateway" || groupOf(d) != group {
		return d
	}
	c := deepCopy(d)
	spec, _ := c["spec"].(obj)
	ls, _ := spec["listeners"].([]any)
	for _, l := range ls {
		ns := mapAt(l, "allowedRoutes", "namespaces")
		if ns != nil && ns["from"] == "Selector" {
			ns["from"] = "All"
			delete(ns, "selector")
		}
	}
	return c
}

// egStubs returns what a cluster running Envoy Gateway has and the output
// does not hold, and the GatewayClass name the stub GatewayClass takes:
//   - the GatewayClass (egctl translates only Gateways of the one class it
//     reads), named as the output's Gateways name it;
//   - a Namespace for every namespace the objects live in or refer to,
//     labelled kubernetes.io/metadata.name as the API server labels it;
//   - a Service with a clusterIP for every Service a backendRef names, with
//     the ports named (a Service the output holds keeps its own ports and
//     gets a clusterIP);
//   - a Secret with a real certificate for every listener certificateRef,
//     a ConfigMap or Secret with it as ca.crt for every caCertificateRef
//     (Envoy Gateway parses both);
//   - a Gateway for a parentRef to one the output does not hold (the
//     converter attaching to an existing Gateway): a listener per section
//     the routes name, HTTP on 80, HTTPS on 443 for sections the model's
//     assumption calls secure, TLS passthrough for TLSRoutes' sections.
func egStubs(docs []obj) (stubs []obj, className string) {
	have := map[string]obj{}
	classes := map[string]int{}
	for _, d := range docs {
		have[kindOf(d)+" "+nsOf(d)+"/"+nameOf(d)] = d
		if kindOf(d) == "Gateway" && groupOf(d) == group {
			if c, _ := mapAt(d, "spec")["gatewayClassName"].(string); c != "" {
				classes[c]++
			}
		}
	}
	className = "eg"
	for c, n := range classes {
		if n > classes[className] || (n == classes[className] && c < className) {
			className = c
		}
	}
	stubs = append(stubs, obj{"apiVersion": group + "/v1", "kind": "GatewayClass",
		"metadata": obj{"name": className}, "spec": obj{"controllerName": egControllerName}})
	stubs = append(stubs, egGatewayStubs(docs, have, className)...)
	all := append(append([]obj{}, docs...), stubs...)

	namespaces := map[string]bool{}
	services := map[string]map[int64]bool{}
	secrets := map[string]bool{}
	configMaps := map[string]bool{}
	caSecrets := map[string]bool{}
	for _, d := range all {
		ns := nsOf(d)
		if ns != "" {
			namespaces[ns] = true
		}
		walk(d, "", func(key string, v any) {
			m, ok := v.(obj)
			if !ok {
				if s, ok := v.(string); ok && key == "namespace" && s != "" {
					namespaces[s] = true
				}
				return
			}
			refNS := ns
			if s, ok := m["namespace"].(string); ok && s != "" {
				refNS = s
			}
			name, _ := m["name"].(string)
			kind, _ := m["kind"].(string)
			g, _ := m["group"].(string)
			switch key {
			case "backendRefs", "backendRef":
				if (kind == "" || kind == "Service") && g == "" && name != "" {
					k := refNS + "/" + name
					if services[k] == nil {
						services[k] = map[int64]bool{}
					}
					if p, ok := m["port"].(float64); ok {
						services[k][int64(p)] = true
					}
				}
			case "certificateRefs":
				if (kind == "" || kind == "Secret") && g == "" && name != "" {
					secrets[refNS+"/"+name] = true
				}
			case "caCertificateRefs":
				switch {
				case name == "":
				case kind == "ConfigMap":
					configMaps[refNS+"/"+name] = true
				case kind == "Secret":
					caSecrets[refNS+"/"+name] = true
				}
			}
		})
	}
	for _, ns := range egKeys(namespaces) {
		if have["Namespace /"+ns] == nil {
			stubs = append(stubs, obj{"apiVersion": "v1", "kind": "Namespace",
				"metadata": obj{"name": ns, "labels": obj{"kubernetes.io/metadata.name": ns}}})
		}
	}
	for _, k := range egKeys(services) {
		ns, name, _ := strings.Cut(k, "/")
		if s := have["Service "+k]; s != nil {
			if spec := mapAt(s, "spec"); spec != nil && spec["clusterIP"] == nil {
				spec["clusterIP"] = egStubClusterIP
			}
			continue
		}
		var ports []any
		for _, p := range egKeys(services[k]) {
			ports = append(ports, obj{"name": fmt.Sprintf("p%d", p), "port": p, "protocol": "TCP"})
		}
		if len(ports) == 0 {
			ports = []any{obj{"name": "http", "port": 80, "protocol": "TCP"}}
		}
		stubs = append(stubs, obj{"apiVersion": "v1", "kind": "Service", "metadata": obj{"name": name, "namespace": ns},
			"spec": obj{"clusterIP": egStubClusterIP, "ports": ports}})
	}
	cert, key := egCertificate()
	for _, k := range egKeys(secrets) {
		ns, name, _ := strings.Cut(k, "/")
		data := obj{"tls.crt": base64.StdEncoding.EncodeToString(cert), "tls.key": base64.StdEncoding.EncodeToString(key)}
		if s := have["Secret "+k]; s != nil {
			// The golden file's certificate is a placeholder: the test
			// data is what the certificate holds, not the routing.
			s["data"] = data
			delete(s, "stringData")
			continue
		}
		stubs = append(stubs, obj{"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
			"metadata": obj{"name": name, "namespace": ns}, "data": data})
	}
	for _, k := range egKeys(caSecrets) {
		ns, name, _ := strings.Cut(k, "/")
		if have["Secret "+k] == nil {
			stubs = append(stubs, obj{"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
				"metadata": obj{"name": name, "namespace": ns}, "data": obj{"ca.crt": base64.StdEncoding.EncodeToString(cert)}})
		}
	}
	for _, k := range egKeys(configMaps) {
		ns, name, _ := strings.Cut(k, "/")
		if have["ConfigMap "+k] == nil {
			stubs = append(stubs, obj{"apiVersion": "v1", "kind": "ConfigMap",
				"metadata": obj{"name": name, "namespace": ns}, "data": obj{"ca.crt": string(cert)}})
		}
	}
	return stubs, className
}

// egGatewayStubs stands in for the Gateways routes attach to that the
// output does not hold.
func egGatewayStubs(docs []obj, have map[string]obj, className string) []obj {
	type section struct{ protocol string }
	gws := map[string]map[string]section{}
	for _, d := range docs {
		kind := kindOf(d)
		if groupOf(d) != group || !strings.HasSuffix(kind, "Route") {
			continue
		}
		refs, _ := mapAt(d, "spec")["parentRefs"].([]any)
		for _, r := range refs {
			p, _ := r.(obj)
			if k, _ := p["kind"].(string); k != "" && k != "Gateway" {
				continue
			}
			ns, _ := p["namespace"].(string)
			if ns == "" {
				ns = nsOf(d)
			}
			name, _ := p["name"].(string)
			key := ns + "/" + name
			if have["Gateway "+key] != nil {
				continue
			}
			if gws[key] == nil {
				gws[key] = map[string]section{}
			}
			s, _ := p["sectionName"].(string)
			proto := "HTTP"
			switch {
			case kind == "TLSRoute":
				proto = "TLS"
			case s != "" && looksHTTPS(s):
				proto = "HTTPS"
			}
			if s == "" {
				gws[key]["http"] = section{"HTTP"}
				gws[key]["https"] = section{"HTTPS"}
				continue
			}
			gws[key][s] = section{proto}
		}
	}
	var out []obj
	for _, key := range egKeys(gws) {
		ns, name, _ := strings.Cut(key, "/")
		var ls []any
		next := map[string]int{"HTTP": 80, "HTTPS": 443, "TLS": 8443}
		for _, s := range egKeys(gws[key]) {
			proto := gws[key][s].protocol
			l := obj{"name": s, "protocol": proto, "port": next[proto],
				"allowedRoutes": obj{"namespaces": obj{"from": "All"}}}
			// A second section of a protocol gets a port of its own: two
			// host-less listeners on one port conflict.
			next[proto] += 10000
			switch proto {
			case "HTTPS":
				l["tls"] = obj{"mode": "Terminate", "certificateRefs": []any{obj{"name": name + "-stub-tls"}}}
			case "TLS":
				l["tls"] = obj{"mode": "Passthrough"}
			}
			ls = append(ls, l)
		}
		out = append(out, obj{"apiVersion": group + "/v1", "kind": "Gateway", "metadata": obj{"name": name, "namespace": ns},
			"spec": obj{"gatewayClassName": className, "listeners": ls}})
	}
	return out
}

var egCert struct {
	once      sync.Once
	cert, key []byte
}

// egCertificate is a self-signed certificate for every host the goldens
// name: Envoy Gateway parses a listener's certificate and refuses the
// listener when it cannot.
func egCertificate() (certPEM, keyPEM []byte) {
	egCert.once.Do(func() {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber:          big.NewInt(1),
			Subject:               pkix.Name{CommonName: "routeshift egctl test"},
			DNSNames:              []string{"*.example.com", "example.com", "*.example.org", "example.org", "localhost"},
			NotBefore:             time.Now().Add(-time.Hour),
			NotAfter:              time.Now().Add(24 * time.Hour),
			IsCA:                  true,
			KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
			ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
			BasicConstraintsValid: true,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
		if err != nil {
			panic(err)
		}
		kd, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			panic(err)
		}
		egCert.cert = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
		egCert.key = pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kd})
	})
	return egCert.cert, egCert.key
}

func kindOf(d obj) string { s, _ := d["kind"].(string); return s }
func nameOf(d obj) string { s, _ := mapAt(d, "metadata")["name"].(string); return s }
func nsOf(d obj) string   { s, _ := mapAt(d, "metadata")["namespace"].(string); return s }
func groupOf(d obj) string {
	s, _ := d["apiVersion"].(string)
	return kube.Group(s)
}

// mapAt follows keys through nested objects; nil when one is missing.
func mapAt(v any, keys ...string) obj {
	m, _ := v.(obj)
	for _, k := range keys {
		m, _ = m[k].(obj)
	}
	return m
}

// walk calls f with every value under d and the key it is held under
// (a list's items get the list's key).
func walk(v any, key string, f func(key string, v any)) {
	f(key, v)
	switch x := v.(type) {
	case obj:
		for k, c := range x {
			walk(c, k, f)
		}
	case []any:
		for _, c := range x {
			walk(c, key, f)
		}
	}
}

func deepCopy(d obj) obj {
	j, err := json.Marshal(d)
	if err != nil {
		panic(err)
	}
	var c obj
	if err := json.Unmarshal(j, &c); err != nil {
		panic(err)
	}
	return c
}

func egKeys[K string | int64, V any](m map[K]V) []K {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i] < ks[j] })
	return ks
}
