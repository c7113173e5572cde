package value

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	_ "github.com/routeshift/routeshift/internal/golden"
)

// hostile values no parser may accept, whatever its grammar.
var hostile = []string{
	"",
	"   ",
	"1\r\nX-Injected: yes",
	"8m\n",
	"8m\x00",
	"a\tb",
	"a\u2028b",
	"\xff\xfe",
	strings.Repeat("a", 10000),
	strings.Repeat("1", 10000),
}

func TestHostileRefusedEverywhere(t *testing.T) {
	parsers := map[string]func(string) error{
		"Int":          func(s string) error { _, err := Int(s, 0, 1<<40); return err },
		"Seconds":      func(s string) error { _, err := Seconds(s, 0, 1<<40); return err },
		"Bool":         func(s string) error { _, err := Bool(s); return err },
		"Size":         func(s string) error { _, err := Size(s); return err },
		"CIDRs":        func(s string) error { _, err := CIDRs(s); return err },
		"Token":        func(s string) error { _, err := Token(s); return err },
		"Tokens":       func(s string) error { _, err := Tokens(s, 100); return err },
		"CookiePath":   func(s string) error { _, err := CookiePath(s); return err },
		"CookieDomain": func(s string) error { _, err := CookieDomain(s); return err },
		"SameSite":     func(s string) error { _, err := SameSite(s); return err },
		"HashBy":       func(s string) error { _, err := HashBy(s); return err },
		"Realm":        func(s string) error { _, err := Realm(s); return err },
		"ObjectRef":    func(s string) error { _, err := ObjectRef(s, "default"); return err },
		"ServiceURL":   func(s string) error { _, err := ServiceURL(s); return err },
	}
	for name, parse := range parsers {
		for _, h := range hostile {
			if err := parse(h); err == nil {
				t.Errorf("%s(%s) accepted a hostile value", name, Quote(h))
			}
		}
	}
}

func TestClean(t *testing.T) {
	if got, err := Clean("  a b \t", 10); err != nil || got != "a b" {
		t.Errorf("Clean = %q, %v", got, err)
	}
	if _, err := Clean("abcdef", 5); err == nil {
		t.Error("Clean accepted a value over its limit")
	}
	if _, err := Clean("a\u0085b", 10); err == nil {
		t.Error("Clean accepted a C1 control")
	}
}

func TestInt(t *testing.T) {
	ok := map[string]int64{"0": 0, "7": 7, "007": 7, " 42 ": 42, "4294967295": 4294967295}
	for in, want := range ok {
		if got, err := Int(in, 0, 1<<40); err != nil || got != want {
			t.Errorf("Int(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"-5", "+5", "1e9", "0x10", "1.5", "99999999999999999999", "12345678901", "five", "5 5"} {
		if got, err := Int(in, 0, 1<<40); err == nil {
			t.Errorf("Int(%q) = %d, want an error", in, got)
		}
	}
	if _, err := Int("11", 1, 10); err == nil || !strings.Contains(err.Error(), "outside 1..10") {
		t.Errorf("Int out of range: %v", err)
	}
}

func TestSeconds(t *testing.T) {
	for in, want := range map[string]int64{"60": 60, "60s": 60, "3600": 3600} {
		if got, err := Seconds(in, 1, 86400); err != nil || got != want {
			t.Errorf("Seconds(%q) = %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"60m", "1h", "s", "60ss", "0", "86401", "-1s", "1.5s"} {
		if _, err := Seconds(in, 1, 86400); err == nil {
			t.Errorf("Seconds(%q) accepted", in)
		}
	}
}

func TestBool(t *testing.T) {
	for in, want := range map[string]bool{"true": true, "True": true, "1": true, "false": false, "F": false} {
		if got, err := Bool(in); err != nil || got != want {
			t.Errorf("Bool(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"yes", "on", "truee"} {
		if _, err := Bool(in); err == nil {
			t.Errorf("Bool(%q) accepted", in)
		}
	}
}

func TestSizeAndQuantity(t *testing.T) {
	tests := []struct {
		in    string
		bytes int64
		q     string
	}{
		{"0", 0, "0"},
		{"100", 100, "100"},
		{"512k", 512 << 10, "512Ki"},
		{"1m", 1 << 20, "1Mi"},
		{"8M", 8 << 20, "8Mi"},
		{"1536k", 1536 << 10, "1536Ki"},
		{"1g", 1 << 30, "1Gi"},
		{"1024g", 1 << 40, "1Ti"},
		{"1025", 1025, "1025"},
	}
	for _, tt := range tests {
		got, err := Size(tt.in)
		if err != nil || got != tt.bytes {
			t.Errorf("Size(%q) = %d, %v; want %d", tt.in, got, err, tt.bytes)
			continue
		}
		if q := Quantity(got); q != tt.q {
			t.Errorf("Quantity(%d) = %q, want %q", got, q, tt.q)
		}
	}
	for _, in := range []string{"8mb", "8 m", "m", "1t", "-1m", "1.5m", "1025g", "99999999999999g", "8m; ", "8m;deny all"} {
		if got, err := Size(in); err == nil {
			t.Errorf("Size(%q) = %d, want an error", in, got)
		}
	}
}

func TestDuration(t *testing.T) {
	for in, want := range map[int64]string{0: "0s", 5: "5s", 60: "1m", 90: "1m30s", 3600: "1h", 3661: "1h1m1s", 86400: "24h", 315360000: "87600h"} {
		if got := Duration(in); got != want {
			t.Errorf("Duration(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestQuote(t *testing.T) {
	if got := Quote("a\r\nb"); got != `"a\r\nb"` {
		t.Errorf("Quote = %s", got)
	}
	long := Quote(strings.Repeat("é", 100))
	if !strings.HasSuffix(long, "... (200 bytes)") || len(long) > 100 {
		t.Errorf("Quote(long) = %s", long)
	}
}

func TestCIDRs(t *testing.T) {
	got, err := CIDRs("10.0.0.0/8, 192.168.1.7,10.1.2.3/8, 2001:db8::/32, ::ffff:1.2.3.4, 2001:db8::1")
	if err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, p := range got {
		s = append(s, p.String())
	}
	want := []string{"10.0.0.0/8", "192.168.1.7/32", "2001:db8::/32", "1.2.3.4/32", "2001:db8::1/128"}
	if !slices.Equal(s, want) {
		t.Errorf("CIDRs = %v, want %v", s, want)
	}
	bad := []string{
		"10.0.0.0/33", "300.1.1.1", "300.1.1.1/99", "10.0.0.0/8,", ",", "10.0.0.0/8,,1.2.3.4",
		"fe80::1%eth0", "1.2.3.4/8/9", "localhost", "10.0.0.0/-1", "0x0a000000", "10.0.0.0/8;allow all",
		strings.Repeat("1.2.3.4,", MaxCIDRs) + "1.2.3.4",
	}
	for _, in := range bad {
		if _, err := CIDRs(in); err == nil {
			t.Errorf("CIDRs(%s) accepted", Quote(in))
		}
	}
	if p := netip.MustParsePrefix("::/0"); len(mustCIDRs(t, "::/0")) != 1 || mustCIDRs(t, "::/0")[0] != p {
		t.Error("::/0 not kept")
	}
}

func mustCIDRs(t *testing.T, s string) []netip.Prefix {
	t.Helper()
	p, err := CIDRs(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTokens(t *testing.T) {
	got, err := Tokens("X-User, X-Email,x-user,Authorization", 10)
	if err != nil || !slices.Equal(got, []string{"X-User", "X-Email", "Authorization"}) {
		t.Errorf("Tokens = %v, %v", got, err)
	}
	for _, in := range []string{"X-User,", "X User", "X-User:1", "X-(User)", "a,b,c", "X-Ü"} {
		if _, err := Tokens(in, 2); err == nil {
			t.Errorf("Tokens(%q) accepted", in)
		}
	}
}

func TestCookieAttributes(t *testing.T) {
	for _, in := range []string{"/", "/app", "/a/b-c_d.e~f"} {
		if _, err := CookiePath(in); err != nil {
			t.Errorf("CookiePath(%q): %v", in, err)
		}
	}
	for _, in := range []string{"app", "/a;b", "/a b", "/a,b", "/%2e"} {
		if _, err := CookiePath(in); err == nil {
			t.Errorf("CookiePath(%q) accepted", in)
		}
	}
	for _, in := range []string{"example.com", ".example.com", "A.Example.com"} {
		if _, err := CookieDomain(in); err != nil {
			t.Errorf("CookieDomain(%q): %v", in, err)
		}
	}
	for _, in := range []string{"exa mple.com", "example.com;", "-x.com", "*.example.com"} {
		if _, err := CookieDomain(in); err == nil {
			t.Errorf("CookieDomain(%q) accepted", in)
		}
	}
}

func TestSameSite(t *testing.T) {
	for in, want := range map[string]string{"Lax": "Lax", " strict ": "Strict", "NONE": "None"} {
		if got, err := SameSite(in); err != nil || got != want {
			t.Errorf("SameSite(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "Lax;", "Lax Strict", "none\n", "Laxx", strings.Repeat("x", 17)} {
		if _, err := SameSite(in); err == nil {
			t.Errorf("SameSite(%q) accepted", in)
		}
	}
}

func TestHashBy(t *testing.T) {
	for in, want := range map[string]HashKey{
		"$remote_addr":         {Kind: HashSourceIP},
		" $binary_remote_addr": {Kind: HashSourceIP},
		"$http_X_Session_ID":   {Kind: HashHeader, Name: "x-session-id"},
		"$cookie_route.v2":     {Kind: HashCookie, Name: "route.v2"},
		"$arg_user-id":         {Kind: HashQuery, Name: "user-id"},
	} {
		if got, err := HashBy(in); err != nil || got != want {
			t.Errorf("HashBy(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	// Well-formed for nginx, which hashes them, but not one variable.
	for _, in := range []string{"$host$request_uri", "$request_uri", "remote_addr", "$http_x-user", "$remote_addr x"} {
		if _, err := HashBy(in); !errors.Is(err, ErrHashKey) {
			t.Errorf("HashBy(%q) = %v, want ErrHashKey", in, err)
		}
	}
	// Not clean: no hashing in nginx either.
	for _, in := range []string{"", "$remote_addr\n", "$arg_" + strings.Repeat("a", 300)} {
		if _, err := HashBy(in); err == nil || errors.Is(err, ErrHashKey) {
			t.Errorf("HashBy(%q) = %v, want Clean's error", in, err)
		}
	}
}

func TestRealm(t *testing.T) {
	if got, err := Realm(" Authentication Required "); err != nil || got != "Authentication Required" {
		t.Errorf("Realm = %q, %v", got, err)
	}
	for _, in := range []string{`say "hi"`, "", strings.Repeat("r", 257)} {
		if _, err := Realm(in); err == nil {
			t.Errorf("Realm(%q) accepted", in)
		}
	}
}

func TestObjectRef(t *testing.T) {
	for in, want := range map[string]Ref{
		"basic-auth":       {"shop", "basic-auth"},
		"auth/basic-auth":  {"auth", "basic-auth"},
		"auth/basic.auth2": {"auth", "basic.auth2"},
	} {
		if got, err := ObjectRef(in, "shop"); err != nil || got != want {
			t.Errorf("ObjectRef(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"../etc/passwd", "a/b/c", "Auth/x", "auth/", "/x", "auth/X_Y", "a/" + strings.Repeat("x", 300)} {
		if _, err := ObjectRef(in, "shop"); err == nil {
			t.Errorf("ObjectRef(%q) accepted", in)
		}
	}
}

func TestServiceURL(t *testing.T) {
	ok := map[string]Service{
		"http://oauth2-proxy.auth.svc.cluster.local:4180/oauth2/auth": {"auth", "oauth2-proxy", 4180, "/oauth2/auth"},
		"http://authz.auth.svc/check":                                 {"auth", "authz", 80, "/check"},
		"http://authz.auth":                                           {"auth", "authz", 80, "/"},
		"HTTP://Authz.Auth:8080/":                                     {"auth", "authz", 8080, "/"},
	}
	for in, want := range ok {
		if got, err := ServiceURL(in); err != nil || got != want {
			t.Errorf("ServiceURL(%q) = %+v, %v", in, got, err)
		}
	}
	bad := map[string]string{
		"https://authz.auth.svc.cluster.local/check":        "https",
		"javascript:alert(1)":                               "not an http URL",
		"file:///etc/passwd":                                "not an http URL",
		"http://$host/oauth2/auth":                          "nginx variables",
		"https://$host/oauth2/auth?rd=$escaped_request_uri": "nginx variables",
		"http://authz/check":                                "without its namespace",
		"http://auth.example.com/check":                     "not an in-cluster Service",
		"http://10.0.0.1/check":                             "IP address",
		"http://[::1]:80/check":                             "IP address",
		"http://user:pw@authz.auth/check":                   "credentials",
		"http://authz.auth/check?x=1":                       "query",
		"http://authz.auth/check#x":                         "query or fragment",
		"http://authz.auth:0/":                              "port",
		"http://authz.auth:99999/":                          "port",
		"http://authz.auth:/":                               "empty port",
		"http://authz.auth/a/../b":                          "dot segments",
		"http://authz.auth/a%0d%0aX:1":                      "plain absolute path",
		"http://authz.auth/a;b":                             "plain absolute path",
		"http://9svc.auth/":                                 "not a DNS label",
		"http://authz.Auth_ns/":                             "not a DNS label",
		"http:authz.auth":                                   "no host",
		"http://authz.auth.svc.cluster.local.evil.com/":     "not an in-cluster",
	}
	for in, want := range bad {
		_, err := ServiceURL(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ServiceURL(%q) error = %v, want %q", in, err, want)
		}
	}
	if _, err := ServiceURL("https://a.b/"); !errors.Is(err, ErrHTTPS) {
		t.Errorf("https error %v is not ErrHTTPS", err)
	}
}

func ExampleSize() {
	n, _ := Size("8m")
	fmt.Println(n, Quantity(n))
	_, err := Size("8m;deny all")
	fmt.Println(err)
	// Output:
	// 8388608 8Mi
	// not an nginx size (like 1m, 512k, 8m, 1g or a number of bytes)
}
