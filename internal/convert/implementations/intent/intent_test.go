package intent_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/convert/implementations/intent"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/value"
	_ "github.com/routeshift/routeshift/internal/golden"
)

func TestUnsetIsNotSet(t *testing.T) {
	in := intent.Read(map[string]string{}, "shop")
	for _, v := range []intent.Value[int64]{in.BodySize, in.Timeouts.Connect, in.Timeouts.Read, in.Timeouts.Send, in.Rate.RPS, in.Rate.RPM} {
		if v.Set || v.OK() || v.Name == "" {
			t.Errorf("%+v: unset annotation reads as set, or has no name", v)
		}
	}
	if in.Balance.Winner() != "" || in.Access.Allow.Name != intent.Allowlist || in.Basic.Kind() != "auth-file" || in.Rate.Multiplier() != 5 {
		t.Errorf("defaults: winner %q, allowlist %q, kind %q, multiplier %d", in.Balance.Winner(), in.Access.Allow.Name, in.Basic.Kind(), in.Rate.Multiplier())
	}
	if c := in.Balance.Cookie; c.CookieName() != "INGRESSCOOKIE" || c.TTL() != 0 {
		t.Errorf("cookie defaults: %q %d", c.CookieName(), c.TTL())
	}
}

func TestValues(t *testing.T) {
	in := intent.Read(map[string]string{
		"proxy-body-size": "8m", "proxy-connect-timeout": "5s", "proxy-read-timeout": "120", "proxy-send-timeout": "0",
		"limit-rps": "10", "limit-burst-multiplier": "3",
		"auth-type": "basic", "auth-secret": "other/users", "auth-secret-type": "auth-map", "auth-realm": `say "hi"`,
		"auth-url": "http://authz.auth:8080/check", "auth-response-headers": "X-User, X-Email",
	}, "shop")
	if !in.BodySize.OK() || in.BodySize.V != 8<<20 || in.Timeouts.Connect.V != 5 || in.Timeouts.Read.V != 120 {
		t.Errorf("sizes and timeouts: %+v %+v", in.BodySize, in.Timeouts)
	}
	if in.Timeouts.Send.OK() || in.Timeouts.Send.Err == nil {
		t.Errorf("a send timeout of 0 read as valid: %+v", in.Timeouts.Send)
	}
	if in.Rate.RPS.V != 10 || in.Rate.Multiplier() != 3 || in.Rate.RPM.Set {
		t.Errorf("rate: %+v", in.Rate)
	}
	b := in.Basic
	if b.Type.V != "basic" || b.Secret.V != (value.Ref{Namespace: "other", Name: "users"}) || b.Kind() != "auth-map" || b.Realm.OK() {
		t.Errorf("basic: %+v", b)
	}
	e := in.External
	if e.URL.V != (value.Service{Namespace: "auth", Name: "authz", Port: 8080, Path: "/check"}) || strings.Join(e.ResponseHeaders.V, ",") != "X-User,X-Email" {
		t.Errorf("external: %+v", e)
	}
}

func TestAllowlistName(t *testing.T) {
	for _, c := range []struct {
		ann     map[string]string
		name    string
		ignored bool
	}{
		{map[string]string{"whitelist-source-range": "10.0.0.0/8"}, intent.OldAllowlist, false},
		{map[string]string{"allowlist-source-range": "10.0.0.0/8"}, intent.Allowlist, false},
		{map[string]string{"allowlist-source-range": "10.0.0.0/8", "whitelist-source-range": "bad"}, intent.Allowlist, true},
	} {
		a := intent.Read(c.ann, "shop").Access
		if a.Allow.Name != c.name || a.OldNameIgnored != c.ignored || !a.Allow.OK() {
			t.Errorf("%v: %+v", c.ann, a)
		}
	}
}

// TestWinner follows ingress-nginx's balancer.lua: valid cookie affinity,
// then any clean upstream-hash-by (even one no proxy can read), then a
// valid load-balance.
func TestWinner(t *testing.T) {
	for _, c := range []struct {
		ann  map[string]string
		want string
	}{
		{map[string]string{"affinity": "cookie", "upstream-hash-by": "$remote_addr", "load-balance": "ewma"}, intent.Affinity},
		{map[string]string{"affinity": "sticky", "upstream-hash-by": "$remote_addr"}, intent.HashBy},
		{map[string]string{"upstream-hash-by": "$host$request_uri", "load-balance": "ewma"}, intent.HashBy},
		{map[string]string{"upstream-hash-by": "$x\n", "load-balance": "ewma"}, intent.LoadBalance},
		{map[string]string{"load-balance": "random"}, ""},
	} {
		b := intent.Read(c.ann, "shop").Balance
		if got := b.Winner(); got != c.want {
			t.Errorf("%v: winner %q, want %q", c.ann, got, c.want)
		}
	}
	b := intent.Read(map[string]string{"upstream-hash-by": " $host$request_uri "}, "shop").Balance
	if b.Expr != "$host$request_uri" || !errors.Is(b.HashBy.Err, value.ErrHashKey) {
		t.Errorf("composite key: expr %q, err %v", b.Expr, b.HashBy.Err)
	}
}

func TestCookieLifetime(t *testing.T) {
	for _, c := range []struct {
		maxAge, expires string
		ttl             int64
		shadowed        bool
	}{
		{"100", "200", 100, true},
		{"0", "200", 200, false},
		{"bad", "200", 200, false},
		{"100", "", 100, false},
		{"", "300", 300, false},
	} {
		ann := map[string]string{"affinity": "cookie"}
		if c.maxAge != "" {
			ann["session-cookie-max-age"] = c.maxAge
		}
		if c.expires != "" {
			ann["session-cookie-expires"] = c.expires
		}
		ck := intent.Read(ann, "shop").Balance.Cookie
		if ck.TTL() != c.ttl || ck.ExpiresShadowed() != c.shadowed {
			t.Errorf("max-age %q expires %q: ttl %d shadowed %v", c.maxAge, c.expires, ck.TTL(), ck.ExpiresShadowed())
		}
	}
}

// TestHostileNeverValid: no family accepts a value with control characters
// or of absurd length.
func TestHostileNeverValid(t *testing.T) {
	names := []string{"proxy-body-size", "proxy-connect-timeout", "proxy-read-timeout", "proxy-send-timeout", "limit-rps", "limit-rpm",
		"limit-burst-multiplier", "allowlist-source-range", "denylist-source-range", "auth-type", "auth-secret", "auth-secret-type", "auth-realm",
		"auth-url", "auth-response-headers", "affinity", "upstream-hash-by", "load-balance",
		"session-cookie-name", "session-cookie-max-age", "session-cookie-expires", "session-cookie-path", "session-cookie-domain",
		"session-cookie-samesite", "session-cookie-secure", "proxy-buffering", "proxy-buffer-size", "proxy-buffers-number",
		"proxy-busy-buffers-size", "proxy-next-upstream", "proxy-next-upstream-tries", "proxy-next-upstream-timeout", "satisfy"}
	for _, h := range []string{"1\r\nX: y", "8m\x00", "\xff", strings.Repeat("9", 100000)} {
		ann := map[string]string{}
		for _, n := range names {
			ann[n] = h
		}
		in := intent.Read(ann, "shop")
		c := in.Balance.Cookie
		oks := []bool{in.BodySize.OK(), in.Timeouts.Connect.OK(), in.Timeouts.Read.OK(), in.Timeouts.Send.OK(), in.Rate.RPS.OK(), in.Rate.RPM.OK(),
			in.Rate.BurstMultiplier.OK(), in.Access.Allow.OK(), in.Access.Deny.OK(), in.Basic.Type.OK(), in.Basic.Secret.OK(), in.Basic.SecretType.OK(),
			in.Basic.Realm.OK(), in.External.URL.OK(), in.External.ResponseHeaders.OK(), in.Balance.Affinity.OK(), in.Balance.Hashes(),
			in.Balance.LoadBalance.OK(), c.Name.OK(), c.MaxAge.OK(), c.Expires.OK(), c.Path.OK(), c.Domain.OK(), c.SameSite.OK(), c.Secure.OK(),
			in.Buffers.On.OK(), in.Buffers.Size.OK(), in.Buffers.Number.OK(), in.Buffers.Busy.OK(), in.Retry.On.OK(), in.Retry.Tries.OK(), in.Retry.Timeout.OK(), in.Access.Satisfy.OK()}
		for i, ok := range oks {
			if ok {
				t.Errorf("%s accepted %.20q", names[i], h)
			}
		}
	}
}

func TestRetry(t *testing.T) {
	r := intent.Read(map[string]string{"proxy-next-upstream": "off"}, "shop").Retry
	if !r.On.OK() || !r.On.V.Off || !r.Set() {
		t.Errorf("off: %+v", r)
	}
	for _, bad := range []string{"off error", "error;", "http_418", "", "error\ntimeout"} {
		if r := intent.Read(map[string]string{"proxy-next-upstream": bad}, "shop").Retry; r.On.OK() {
			t.Errorf("proxy-next-upstream %q accepted", bad)
		}
	}
	r = intent.Read(map[string]string{"proxy-next-upstream-tries": " 0 ", "proxy-next-upstream-timeout": "0"}, "shop").Retry
	if !errors.Is(r.Tries.Err, intent.ErrTriesUnlimited) || !r.Timeout.OK() || r.Timeout.V != 0 {
		t.Errorf("tries 0 / timeout 0: %+v", r)
	}
	if r := intent.Read(map[string]string{}, "shop").Retry; r.Set() {
		t.Errorf("unset family reads as set: %+v", r)
	}
}
