package intent

import (
	"errors"
	"net/netip"

	"github.com/routeshift/routeshift/internal/convert/implementations/internal/value"
)

// Value is one annotation as read: Set when the Ingress carries it, then
// either V (parsed) or Err (why it does not parse; V is then the zero
// value and must not be used).
type Value[T any] struct {
	// Name is the annotation's short name ("proxy-body-size").
	Name string
	Set  bool
	V    T
	Err  error
}

// OK reports whether the annotation is set to a valid value.
func (v Value[T]) OK() bool { return v.Set && v.Err == nil }

// read parses annotation name of ann with parse, when it is set.
func read[T any](ann map[string]string, name string, parse func(string) (T, error)) Value[T] {
	v := Value[T]{Name: name}
	raw, ok := ann[name]
	if !ok {
		return v
	}
	v.Set = true
	if x, err := parse(raw); err != nil {
		v.Err = err
	} else {
		v.V = x
	}
	return v
}

// Bounds on values beyond which an annotation is a typo, not a choice:
// they are refused as invalid, the same for every vendor.
const (
	// MaxConnect bounds proxy-connect-timeout (an hour), MaxIO the read
	// and send timeouts (a week), in seconds.
	MaxConnect = 3600
	MaxIO      = 7 * 24 * 3600
	// MaxRPS and MaxRPM bound the rate limits: beyond them a limit limits
	// nothing.
	MaxRPS = 1_000_000
	MaxRPM = 60 * MaxRPS
	// MaxBurstMultiplier bounds limit-burst-multiplier.
	MaxBurstMultiplier = 1000
	// MaxCookieAge bounds session-cookie-max-age and -expires: ten years.
	MaxCookieAge = 10 * 365 * 24 * 3600
	// MaxBuffersNumber bounds proxy-buffers-number.
	MaxBuffersNumber = 1024
	// MaxResponseHeaders bounds auth-response-headers.
	MaxResponseHeaders = 64
)

// ingress-nginx's defaults where an annotation is absent or ignored.
const (
	// NginxRead is proxy-read-timeout's default, in seconds.
	NginxRead = 60
	// DefaultCookie is session-cookie-name's default.
	DefaultCookie = "INGRESSCOOKIE"
	// DefaultBurstMultiplier is limit-burst-multiplier's default.
	DefaultBurstMultiplier = 5
)

// Intent is what one Ingress's policy annotations ask for.
type Intent struct {
	// BodySize is proxy-body-size in bytes; 0 turns the limit off.
	BodySize Value[int64]
	Timeouts Timeouts
	Rate     RateLimit
	Access   Access
	Basic    BasicAuth
	External ExternalAuth
	Balance  Balancing
	Buffers  Buffering
	Retry    Retry
}

// Buffering is nginx's response buffering towards the client.
type Buffering struct {
	// On is proxy-buffering: true for on, false for off.
	On Value[bool]
	// Size is proxy-buffer-size and Number proxy-buffers-number: nginx
	// reads responses into Number buffers of Size bytes (proxy_buffers),
	// the first part into one of Size (proxy_buffer_size).
	Size, Number Value[int64]
	// Busy is proxy-busy-buffers-size in bytes.
	Busy Value[int64]
}

// ingress-nginx's buffering defaults (its ConfigMap's), which it writes
// into every location.
const (
	DefaultBufferSize    = 4 << 10
	DefaultBuffersNumber = 4
)

// SizeOrDefault is proxy-buffer-size when valid, else ingress-nginx's 4k.
func (b Buffering) SizeOrDefault() int64 {
	if b.Size.OK() {
		return b.Size.V
	}
	return DefaultBufferSize
}

// NumberOrDefault is proxy-buffers-number when valid, else ingress-nginx's
// 4.
func (b Buffering) NumberOrDefault() int64 {
	if b.Number.OK() {
		return b.Number.V
	}
	return DefaultBuffersNumber
}

// Timeouts are nginx's proxy timeouts, in whole seconds.
type Timeouts struct {
	Connect, Read, Send Value[int64]
}

// RateLimit is limit-rps and limit-rpm (0 turns a limit off) and the burst
// multiplier ingress-nginx applies to both.
type RateLimit struct {
	RPS, RPM        Value[int64]
	BurstMultiplier Value[int64]
}

// Multiplier is the burst multiplier ingress-nginx uses: the annotation
// when valid, else its default of 5 (ingress-nginx ignores an invalid one).
func (r RateLimit) Multiplier() int64 {
	if r.BurstMultiplier.OK() {
		return r.BurstMultiplier.V
	}
	return DefaultBurstMultiplier
}

// Access is nginx's allow and deny lines.
type Access struct {
	// Allow is the allowlist ingress-nginx reads: allowlist-source-range,
	// or whitelist-source-range when only that is set (Allow.Name says
	// which). Deny is denylist-source-range.
	Allow, Deny Value[[]netip.Prefix]
	// OldNameIgnored is true when both allowlist names are set: the old
	// one has no effect.
	OldNameIgnored bool
	// Satisfy is "any" or "all": whether an allowed address or a
	// successful authentication is enough (any), or both are needed (all,
	// nginx's default).
	Satisfy Value[string]
}

// Names of the allowlist annotation, current and deprecated.
const (
	Allowlist    = "allowlist-source-range"
	OldAllowlist = "whitelist-source-range"
)

// Read reads every family of ann (short names, untrusted values) for an
// Ingress in namespace, which bare Secret names are relative to.
func Read(ann map[string]string, namespace string) Intent {
	var in Intent
	in.BodySize = read(ann, "proxy-body-size", value.Size)
	in.Timeouts = Timeouts{
		Connect: read(ann, "proxy-connect-timeout", func(s string) (int64, error) { return value.Seconds(s, 1, MaxConnect) }),
		Read:    read(ann, "proxy-read-timeout", func(s string) (int64, error) { return value.Seconds(s, 1, MaxIO) }),
		Send:    read(ann, "proxy-send-timeout", func(s string) (int64, error) { return value.Seconds(s, 1, MaxIO) }),
	}
	in.Rate = RateLimit{
		RPS:             read(ann, "limit-rps", func(s string) (int64, error) { return value.Int(s, 0, MaxRPS) }),
		RPM:             read(ann, "limit-rpm", func(s string) (int64, error) { return value.Int(s, 0, MaxRPM) }),
		BurstMultiplier: read(ann, "limit-burst-multiplier", func(s string) (int64, error) { return value.Int(s, 0, MaxBurstMultiplier) }),
	}
	allow := Allowlist
	_, current := ann[Allowlist]
	_, old := ann[OldAllowlist]
	if old && !current {
		allow = OldAllowlist
	}
	in.Access = Access{
		Allow:          read(ann, allow, value.CIDRs),
		Deny:           read(ann, "denylist-source-range", value.CIDRs),
		OldNameIgnored: old && current,
		Satisfy: read(ann, "satisfy", func(s string) (string, error) {
			c, err := value.Clean(s, 8)
			if err == nil && c != "any" && c != "all" {
				err = errors.New("not any or all")
			}
			return c, err
		}),
	}
	in.Basic = readBasic(ann, namespace)
	in.External = ExternalAuth{
		URL:             read(ann, "auth-url", value.ServiceURL),
		ResponseHeaders: read(ann, "auth-response-headers", func(s string) ([]string, error) { return value.Tokens(s, MaxResponseHeaders) }),
	}
	in.Balance = readBalancing(ann)
	in.Retry = readRetry(ann)
	in.Buffers = Buffering{
		On: read(ann, "proxy-buffering", func(s string) (bool, error) {
			c, err := value.Clean(s, 8)
			if err == nil && c != "on" && c != "off" {
				err = errors.New("not on or off")
			}
			return c == "on", err
		}),
		Size:   read(ann, "proxy-buffer-size", positiveSize),
		Number: read(ann, "proxy-buffers-number", func(s string) (int64, error) { return value.Int(s, 1, MaxBuffersNumber) }),
		Busy:   read(ann, "proxy-busy-buffers-size", positiveSize),
	}
	return in
}

// positiveSize is an nginx size other than 0, which buffer sizes cannot be.
func positiveSize(s string) (int64, error) {
	n, err := value.Size(s)
	if err == nil && n == 0 {
		err = errors.New("0 is not a buffer size")
	}
	return n, err
}
