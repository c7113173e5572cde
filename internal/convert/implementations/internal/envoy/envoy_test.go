package envoy

import (
	"slices"
	"testing"

	_ "github.com/routeshift/routeshift/internal/golden"
)

func TestRetryOn(t *testing.T) {
	tr, codes, off, err := RetryOn("timeout http_503 error http_502 http_503 non_idempotent invalid_header")
	if err != nil || off || !slices.Equal(tr, []string{"connect-failure", "reset"}) || !slices.Equal(codes, []int64{502, 503}) {
		t.Errorf("RetryOn = %v %v %v %v", tr, codes, off, err)
	}
	if _, _, off, err := RetryOn("off"); !off || err != nil {
		t.Errorf("off: %v %v", off, err)
	}
	for _, bad := range []string{"off error", "error;", "http_418", "", "error\ntimeout"} {
		if _, _, _, err := RetryOn(bad); err == nil {
			t.Errorf("RetryOn(%q) accepted", bad)
		}
	}
}

func TestIsGRPC(t *testing.T) {
	for in, want := range map[string]bool{"GRPC": true, "grpcs": true, "HTTP": false, "grpc\n": false} {
		if IsGRPC(in) != want {
			t.Errorf("IsGRPC(%q) != %v", in, want)
		}
	}
}
