package status

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/routeshift/routeshift/internal/load"
)

// FuzzRun feeds Run whatever load accepts: it must never panic, whatever
// the objects hold, and must print what it computed.
func FuzzRun(f *testing.F) {
	for _, p := range []string{"cases/migration/input.yaml", "cases/clean/input.yaml", "conformance/tests/gateway-with-attached-routes.yaml"} {
		data, err := os.ReadFile(filepath.Join("../../testdata/check", p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(gatewayYAML("gw", "{name: a, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: Selector, selector: {matchExpressions: [{key: a, operator: In}]}}}}")))
	f.Add([]byte("kind: HTTPRoute\napiVersion: gateway.networking.k8s.io/v1\nspec: {parentRefs: [{name: g, port: 0, sectionName: ''}], rules: [{backendRefs: [{weight: -1}]}]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		objs, err := load.ReadStream(bytes.NewReader(data), "fuzz.yaml")
		if err != nil {
			return
		}
		rep := Run(objs, Declared{})
		if err := rep.WriteTable(io.Discard); err != nil {
			t.Fatal(err)
		}
		if err := rep.WriteJSON(io.Discard); err != nil {
			t.Fatal(err)
		}
	})
}
