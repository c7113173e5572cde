package fn

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"testing"

	"github.com/routeshift/routeshift/internal/gen"
	"github.com/routeshift/routeshift/internal/load"
)

func BenchmarkConvert(b *testing.B) {
	for _, n := range benchSizes() {
		input := gen.Stream(n, 50)
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
		input := gen.ResourceList(gen.Stream(n, 50))
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				// The mix holds snippets, which are error results: exit 1.
				var out bytes.Buffer
				if Function(bytes.NewReader(input), &out, io.Discard); !bytes.HasPrefix(out.Bytes(), []byte("apiVersion: config.kubernetes.io/v1")) {
					b.Fatal("no ResourceList written")
				}
			}
		})
	}
}

// BenchmarkFunctionRealistic is BenchmarkFunction on the realistic mix of
// issue 19 (internal/gen Realistic), the estate make bench reports beside
// the classic one.
func BenchmarkFunctionRealistic(b *testing.B) {
	for _, n := range benchSizes() {
		stream, err := gen.Generate(gen.Realistic, n, max(1, min(500, n/20)))
		if err != nil {
			b.Fatal(err)
		}
		input := gen.ResourceList(stream)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				var out bytes.Buffer
				if Function(bytes.NewReader(input), &out, io.Discard); !bytes.HasPrefix(out.Bytes(), []byte("apiVersion: config.kubernetes.io/v1")) {
					b.Fatal("no ResourceList written")
				}
			}
		})
	}
}
