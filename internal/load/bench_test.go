package load

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

// benchResourceList is a ResourceList as kustomize would send it for a large
// cluster: n/2 Ingresses with ingress-nginx annotations, each with its
// Service.
func benchResourceList(n int) []byte {
	var b bytes.Buffer
	b.WriteString(rlHeader + "items:\n")
	for i := 0; i < n/2; i++ {
		path := fmt.Sprintf("apps/app-%d.yaml", i)
		fmt.Fprintf(&b, `- apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata:
    name: app-%[1]d
    namespace: team-%[2]d
    labels:
      app.kubernetes.io/name: app-%[1]d
    annotations:
      nginx.ingress.kubernetes.io/rewrite-target: /$2
      nginx.ingress.kubernetes.io/ssl-redirect: "true"
      nginx.ingress.kubernetes.io/proxy-body-size: 8m
      config.kubernetes.io/index: '0'
      internal.config.kubernetes.io/index: '0'
      internal.config.kubernetes.io/path: '%[3]s'
  spec:
    ingressClassName: nginx
    tls:
    - hosts:
      - app-%[1]d.example.com
      secretName: app-%[1]d-tls
    rules:
    - host: app-%[1]d.example.com
      http:
        paths:
        - path: /api(/|$)(.*)
          pathType: ImplementationSpecific
          backend:
            service:
              name: app-%[1]d
              port:
                number: 80
- apiVersion: v1
  kind: Service
  metadata:
    name: app-%[1]d
    namespace: team-%[2]d
    annotations:
      config.kubernetes.io/index: '1'
      internal.config.kubernetes.io/index: '1'
      internal.config.kubernetes.io/path: '%[3]s'
  spec:
    selector:
      app.kubernetes.io/name: app-%[1]d
    ports:
    - name: http
      port: 80
      targetPort: 8080
`, i, i%50, path)
	}
	b.WriteString(functionConfig)
	return b.Bytes()
}

const benchObjects = 10000

func BenchmarkReadResourceList(b *testing.B) {
	data := benchResourceList(benchObjects)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rl, err := ReadResourceList(data)
		if err != nil || len(rl.Items) != benchObjects {
			b.Fatalf("%v, %d items", err, len(rl.Items))
		}
	}
}

// BenchmarkWriteResourceList writes the objects unchanged, from their text,
// which is what most objects of a conversion are.
func BenchmarkWriteResourceList(b *testing.B) {
	rl, err := ReadResourceList(benchResourceList(benchObjects))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteResourceList(io.Discard, rl.Items, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteResourceListEncoded is what writing would cost if every
// object were encoded, for comparison.
func BenchmarkWriteResourceListEncoded(b *testing.B) {
	rl, err := ReadResourceList(benchResourceList(benchObjects))
	if err != nil {
		b.Fatal(err)
	}
	for _, o := range rl.Items {
		o.MarkChanged()
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteResourceList(io.Discard, rl.Items, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadStream reads the same objects as a multi-document file.
func BenchmarkReadStream(b *testing.B) {
	rl, err := ReadResourceList(benchResourceList(benchObjects))
	if err != nil {
		b.Fatal(err)
	}
	for _, o := range rl.Items {
		o.MarkChanged()
	}
	var stream bytes.Buffer
	if err := WriteStream(&stream, rl.Items); err != nil {
		b.Fatal(err)
	}
	data := stream.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		objs, err := readStream(data, "bench.yaml", ReadOptions{})
		if err != nil || len(objs) != benchObjects {
			b.Fatalf("%v, %d objects", err, len(objs))
		}
	}
}

// BenchmarkReadResourceListWhole parses the same list as one document, the
// way items.go avoids.
func BenchmarkReadResourceListWhole(b *testing.B) {
	data := benchResourceList(benchObjects)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rl, err := readResourceList(data, false, nil)
		if err != nil || len(rl.Items) != benchObjects {
			b.Fatalf("%v, %d items", err, len(rl.Items))
		}
	}
}

// BenchmarkJSON writes the JSON of every object of the big ResourceList,
// what the converter's decoding starts from (load.JSON).
func BenchmarkJSON(b *testing.B) {
	rl, err := ReadResourceList(benchResourceList(benchObjects))
	if err != nil {
		b.Fatal(err)
	}
	objs := rl.Items
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, o := range objs {
			if _, err := JSON(o.Node); err != nil {
				b.Fatal(err)
			}
		}
	}
}
