package gen

import (
	"bytes"
	"strings"
	"testing"

	_ "github.com/routeshift/routeshift/internal/golden"
	"github.com/routeshift/routeshift/internal/load"
)

func TestStreamIsDeterministicAndParses(t *testing.T) {
	a, b := Stream(200, 20), Stream(200, 20)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs differ")
	}
	objs, err := load.ReadStream(bytes.NewReader(a), "gen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, o := range objs {
		kinds[o.Kind()]++
	}
	// 200 Ingresses, 10 canaries, 200 Services.
	if kinds["Ingress"] != 210 || kinds["Service"] != 200 {
		t.Errorf("kinds %v", kinds)
	}
	for _, want := range []string{"rewrite-target", "use-regex", "enable-cors", "canary-weight", "permanent-redirect", "configuration-snippet", "*.app-", "defaultBackend", "tls:"} {
		if !strings.Contains(string(a), want) {
			t.Errorf("the mix lacks %s", want)
		}
	}
	rl, err := load.ReadResourceList(ResourceList(a))
	if err != nil || len(rl.Items) != len(objs) {
		t.Fatalf("ResourceList: %v, %d items", err, len(rl.Items))
	}
}
