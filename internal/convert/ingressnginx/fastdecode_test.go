package ingressnginx

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	netv1 "k8s.io/api/networking/v1"

	"github.com/routeshift/routeshift/internal/load"
)

const commonHead = "apiVersion: networking.k8s.io/v1\nkind: Ingress\n"

// commonAccepted are Ingresses decodeCommon must read itself.
var commonAccepted = []string{
	commonHead + `metadata: {name: web, namespace: shop}
spec:
  ingressClassName: nginx
  defaultBackend: {service: {name: web, port: {number: 80}}}
`,
	commonHead + `metadata:
  name: "web"
  namespace: 'shop'
  uid: 0b5d6d0e-1
  resourceVersion: "17"
  generation: 3
  creationTimestamp: "2024-01-02T03:04:05Z"
  labels: {app: web, "tier": front}
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$2
    nginx.ingress.kubernetes.io/use-regex: "true"
    nginx.ingress.kubernetes.io/configuration-snippet: |
      more_set_headers "X: y";
spec:
  tls:
  - hosts: [a.example.com, "*.b.example.com"]
    secretName: tls
  - hosts: []
  rules:
  - host: a.example.com
    http:
      paths:
      - path: /api(/|$)(.*)
        pathType: ImplementationSpecific
        backend: {service: {name: api, port: {name: http}}}
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 8080}}}}
  - http: {}
  - host: c.example.com
    http: {paths: []}
`,
	commonHead + "metadata: {name: ünïcode, labels: {}, annotations: {}}\nspec: {}\n",
	commonHead + "metadata: {name: t, creationTimestamp: 2024-01-02T03:04:05Z}\nspec: {rules: []}\n",
	commonHead + "metadata: {name: web}\nspec: {ingressClassName: !!str 17}\n",
}

// commonDeclined are Ingresses decodeCommon must leave to the strict
// reader: what it does not know, and what the strict reader reads other
// than as written (or refuses).
var commonDeclined = []string{
	commonHead + "metadata: {name: web}\nspec: {unknownField: 1}\n",
	commonHead + "metadata: {name: web}\nSpec: {}\n",
	commonHead + "metadata: {name: web}\nspec: {Rules: []}\n",
	commonHead + "metadata: {name: web}\nspec: {ingressClassName: null}\n",
	commonHead + "metadata: {name: web}\nspec: {ingressClassName: }\n",
	commonHead + "metadata: {name: web}\nspec: {ingressClassName: on}\n",
	commonHead + "metadata: {name: web}\nspec: {ingressClassName: 17}\n",
	commonHead + "metadata: {name: web}\nspec: {ingressClassName: [nginx]}\n",
	commonHead + "metadata: {name: web}\nspec: {defaultBackend: {service: {name: web, port: {number: \"80\"}}}}\n",
	commonHead + "metadata: {name: web}\nspec: {defaultBackend: {service: {name: web, port: {number: 0x50}}}}\n",
	commonHead + "metadata: {name: web}\nspec: {defaultBackend: {service: {name: web, port: {number: 080}}}}\n",
	commonHead + "metadata: {name: web}\nspec: {defaultBackend: {service: {name: web, port: {number: 80.0}}}}\n",
	commonHead + "metadata: {name: web}\nspec: {defaultBackend: {service: {name: web, port: {number: -1}}}}\n",
	commonHead + "metadata: {name: web}\nspec: {defaultBackend: {service: {name: web, port: {number: 2147483648}}}}\n",
	commonHead + "metadata: {name: web}\nspec: {defaultBackend: {resource: {kind: Bucket, name: b}}}\n",
	commonHead + "metadata: {name: web}\nspec: {rules: [{host: a, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: s, port: {number: 1}}}, extra: x}]}}]}\n",
	commonHead + "metadata: {name: web}\nspec: {rules: [{host: 1.5}]}\n",
	commonHead + "metadata: {name: web}\nspec: {rules: {host: a}}\n",
	commonHead + "metadata: {name: web}\nspec: {tls: [{hosts: a}]}\n",
	commonHead + "metadata: {name: web}\nspec: {tls: [{hosts: [a], SecretName: x}]}\n",
	commonHead + "metadata: {name: web}\nspec: {rules: [{host: a, HTTP: {}}]}\n",
	commonHead + "metadata: {name: web}\nspec: {rules: [{host: a, http: {paths: [{path: /, PathType: Prefix}]}}]}\n",
	commonHead + "metadata: {name: web}\nspec: {defaultBackend: {service: {name: web, Port: {number: 80}}}}\n",
	commonHead + "metadata: {name: web}\nspec: {defaultBackend: {service: {name: web, port: {Number: 80}}}}\n",
	commonHead + "metadata: {name: web, Labels: {a: b}}\nspec: {}\n",
	commonHead + "metadata: {name: web}\nspec: {}\nstatus: {loadBalancer: {}}\n",
	commonHead + "metadata: {name: web, managedFields: []}\nspec: {}\n",
	commonHead + "metadata: {name: web, generation: \"3\"}\nspec: {}\n",
	commonHead + "metadata: {name: web, generation: -3}\nspec: {}\n",
	commonHead + "metadata: {name: web, labels: {a: yes}}\nspec: {}\n",
	commonHead + "metadata: {name: web, creationTimestamp: yesterday}\nspec: {}\n",
	commonHead + "metadata: {name: web, creationTimestamp: null}\nspec: {}\n",
	commonHead + "metadata: {name: web, \"Name\": other}\nspec: {}\n",
	commonHead + "metadata: {name: web}\nspec: {}\n\"on\": 1\n",
	commonHead + "metadata: {name: web}\nspec: null\n",
	commonHead + "metadata: [web]\nspec: {}\n",
	"apiVersion: 1\nkind: Ingress\nmetadata: {name: web}\n",
}

// checkCommon compares decodeCommon with the strict reader on one object
// and reports whether decodeCommon read it.
func checkCommon(t *testing.T, o *load.Object) bool {
	t.Helper()
	if load.CheckMetadata(o.Node) != nil {
		return false // decodeIngress goes the strict way before asking
	}
	got, ok := decodeCommon(o.Node)
	if !ok {
		return false
	}
	var want netv1.Ingress
	if err := decodeStrict(o, &want); err != nil {
		t.Fatalf("%s: decodeCommon read it, the strict reader says: %v", o.Ref(), err)
	}
	if !reflect.DeepEqual(got, &want) {
		t.Fatalf("%s: decodeCommon read\n%+v\nthe strict reader\n%+v", o.Ref(), got, &want)
	}
	return true
}

func readIngresses(t *testing.T, name, text string) []*load.Object {
	t.Helper()
	objs, err := load.ReadStream(strings.NewReader(text), name)
	if err != nil {
		return nil
	}
	var out []*load.Object
	for _, o := range objs {
		if o.Kind() == "Ingress" && o.APIVersion() == apiV1 {
			out = append(out, o)
		}
	}
	return out
}

// TestDecodeCommonAgrees holds decodeCommon to the strict reader: on the
// cases above, and on every v1 Ingress of the repository's testdata (most
// of which it must read itself, or it saves nothing).
func TestDecodeCommonAgrees(t *testing.T) {
	for i, doc := range commonAccepted {
		objs := readIngresses(t, "accepted.yaml", doc)
		if len(objs) != 1 || !checkCommon(t, objs[0]) {
			t.Errorf("accepted case %d: not read by decodeCommon", i)
		}
	}
	for i, doc := range commonDeclined {
		for _, o := range readIngresses(t, "declined.yaml", doc) {
			if checkCommon(t, o) {
				t.Errorf("declined case %d: read by decodeCommon", i)
			}
		}
	}
	read, all := 0, 0
	root := filepath.Join("..", "..", "..", "testdata")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil || !bytes.Contains(data, []byte("kind: Ingress")) {
			return err
		}
		for _, o := range readIngresses(t, path, string(data)) {
			all++
			if checkCommon(t, o) {
				read++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if all < 200 || read*10 < all*8 {
		t.Errorf("decodeCommon read %d of %d v1 Ingresses of testdata; expected at least 80%% of 200 or more", read, all)
	}
}

func FuzzDecodeCommon(f *testing.F) {
	for _, doc := range append(append([]string{}, commonAccepted...), commonDeclined...) {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		for _, o := range readIngresses(t, "fuzz.yaml", doc) {
			checkCommon(t, o)
		}
	})
}

// BenchmarkDecodeIngress compares decodeIngress (decodeCommon first) with
// the strict reader alone on the Ingresses of commonAccepted.
func BenchmarkDecodeIngress(b *testing.B) {
	var objs []*load.Object
	for _, doc := range commonAccepted {
		all, err := load.ReadStream(strings.NewReader(doc), "bench.yaml")
		if err != nil {
			b.Fatal(err)
		}
		objs = append(objs, all...)
	}
	b.Run("common", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, o := range objs {
				if _, err := decodeIngress(o); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("strict", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, o := range objs {
				var ing netv1.Ingress
				if err := decodeStrict(o, &ing); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
