package envoy

import (
	"slices"
	"testing"

	"github.com/routeshift/routeshift/internal/convert/implementations/intent"
	_ "github.com/routeshift/routeshift/internal/golden"
)

func TestTriggers(t *testing.T) {
	on := intent.Read(map[string]string{"proxy-next-upstream": "timeout http_503 error http_502 http_503 non_idempotent invalid_header"}, "shop").Retry.On
	if !on.OK() || on.V.Off || !slices.Equal(Triggers(on.V), []string{"connect-failure", "reset"}) || !slices.Equal(on.V.Codes, []int64{502, 503}) {
		t.Errorf("%+v: triggers %v", on, Triggers(on.V))
	}
}

func TestIsGRPC(t *testing.T) {
	for in, want := range map[string]bool{"GRPC": true, "grpcs": true, "HTTP": false, "grpc\n": false} {
		if IsGRPC(in) != want {
			t.Errorf("IsGRPC(%q) != %v", in, want)
		}
	}
}
