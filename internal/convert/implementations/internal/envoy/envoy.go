package envoy

import (
	"slices"
	"strings"

	"github.com/routeshift/routeshift/internal/convert/implementations/intent"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/value"
)

// MaxBuffered is the largest body limit worth translating: Envoy's buffer
// filter holds each request whole in memory to enforce it, so a 1g nginx
// limit (common on upload endpoints) would let a few clients exhaust a
// proxy replica.
const MaxBuffered = 64 << 20

// IsGRPC reports whether a backend-protocol value names gRPC, whose streams
// request buffering would break.
func IsGRPC(backendProtocol string) bool {
	p, err := value.Clean(backendProtocol, 16)
	return err == nil && strings.HasPrefix(strings.ToLower(p), "grpc")
}

// conditions maps nginx's proxy_next_upstream conditions to Envoy retry_on
// triggers.
var conditions = map[string][]string{
	"error":          {"connect-failure", "reset"},
	"timeout":        {"connect-failure", "reset"},
	"invalid_header": {"reset"},
	"non_idempotent": nil, // Envoy retries every method anyway
}

// DefaultTriggers are nginx's default conditions, error and timeout.
func DefaultTriggers() []string { return []string{"connect-failure", "reset"} }

// Triggers maps proxy-next-upstream's conditions, as package intent read
// them, to sorted, unique Envoy triggers. They do not include
// retriable-status-codes, which vendors spell differently.
func Triggers(n intent.NextUpstream) []string {
	var out []string
	for _, c := range n.Conditions {
		out = append(out, conditions[c]...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
