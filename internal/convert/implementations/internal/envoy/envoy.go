package envoy

import (
	"errors"
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

// MaxIO bounds the read and send timeouts, and the per-try timeout, in
// seconds: package intent's bound, which the vendors share.
const MaxIO = intent.MaxIO

// MaxTries bounds proxy-next-upstream-tries.
const MaxTries = 20

// IsGRPC reports whether a backend-protocol value names gRPC, whose streams
// request buffering would break.
func IsGRPC(backendProtocol string) bool {
	p, err := value.Clean(backendProtocol, 16)
	return err == nil && strings.HasPrefix(strings.ToLower(p), "grpc")
}

// conditions maps nginx's proxy_next_upstream conditions to Envoy retry_on
// triggers; http_<code> conditions become status codes.
var conditions = map[string][]string{
	"error":          {"connect-failure", "reset"},
	"timeout":        {"connect-failure", "reset"},
	"invalid_header": {"reset"},
	"non_idempotent": nil, // Envoy retries every method anyway
}

var statusConditions = map[string]int64{"http_403": 403, "http_404": 404, "http_429": 429, "http_500": 500, "http_502": 502, "http_503": 503, "http_504": 504}

// DefaultTriggers are nginx's default conditions, error and timeout.
func DefaultTriggers() []string { return []string{"connect-failure", "reset"} }

// RetryOn parses a proxy-next-upstream value into sorted, unique Envoy
// triggers and status codes; off is reported as off. The triggers do not
// include retriable-status-codes, which vendors spell differently.
func RetryOn(raw string) (triggers []string, codes []int64, off bool, err error) {
	c, err := value.Clean(raw, 256)
	if err != nil {
		return nil, nil, false, err
	}
	fields := strings.Fields(c)
	if slices.Contains(fields, "off") {
		if len(fields) > 1 {
			return nil, nil, false, errors.New("off cannot be combined with other conditions")
		}
		return nil, nil, true, nil
	}
	for _, f := range fields {
		if t, ok := conditions[f]; ok {
			triggers = append(triggers, t...)
			continue
		}
		code, ok := statusConditions[f]
		if !ok {
			return nil, nil, false, errors.New("condition " + value.Quote(f) + " is not one of error, timeout, invalid_header, http_500, http_502, http_503, http_504, http_403, http_404, http_429, non_idempotent, off")
		}
		codes = append(codes, code)
	}
	slices.Sort(triggers)
	slices.Sort(codes)
	return slices.Compact(triggers), slices.Compact(codes), false, nil
}
