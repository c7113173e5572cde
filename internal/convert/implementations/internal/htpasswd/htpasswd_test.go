package htpasswd

import (
	"crypto/sha1"
	"encoding/base64"
	"slices"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/convert/implementations/intent"
	_ "github.com/routeshift/routeshift/internal/golden"
)

func sha(p string) string {
	s := sha1.Sum([]byte(p))
	return "{SHA}" + base64.StdEncoding.EncodeToString(s[:])
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestAuthFile(t *testing.T) {
	tests := []struct {
		name, file string
		lines      []string
		asIs       bool
	}{
		{"plain", "alice:" + sha("a") + "\nbob:" + sha("b") + "\n", []string{"alice:" + sha("a"), "bob:" + sha("b")}, true},
		{"crlf and comments", "# staff\r\nalice:" + sha("a") + "\r\n\r\n", []string{"alice:" + sha("a")}, true},
		{"comment field", "alice:" + sha("a") + ":Alice A.\n", []string{"alice:" + sha("a")}, false},
		{"repeated user", "alice:" + sha("a") + "\nalice:" + sha("b") + "\n", []string{"alice:" + sha("a")}, false},
	}
	for _, tt := range tests {
		u, err := Read(map[string]string{"auth": b64(tt.file)}, "auth-file")
		if err != nil || !slices.Equal(u.Lines, tt.lines) || u.AsIs != tt.asIs {
			t.Errorf("%s: Read = %+v, %v", tt.name, u, err)
		}
	}
}

func TestAuthMap(t *testing.T) {
	u, err := Read(map[string]string{"carol": b64(sha("c") + "\n"), "alice": b64(sha("a"))}, "auth-map")
	if err != nil || !slices.Equal(u.Lines, []string{"alice:" + sha("a"), "carol:" + sha("c")}) || u.AsIs {
		t.Errorf("Read = %+v, %v", u, err)
	}
}

func TestRefused(t *testing.T) {
	tests := []struct {
		name string
		data map[string]string
		kind string
		want string
	}{
		{"apr1 and bcrypt", map[string]string{"auth": b64("a:$apr1$x$y\nb:$2y$05$z\nc:" + sha("c"))}, "auth-file", "2 of 3 users have others (1 with $apr1$ (MD5), 1 with bcrypt)"},
		{"plain text", map[string]string{"auth": b64("a:secret")}, "auth-file", "crypt or plain-text"},
		{"short sha", map[string]string{"auth": b64("a:{SHA}AAAA")}, "auth-file", "malformed {SHA}"},
		{"no colon", map[string]string{"auth": b64("alice")}, "auth-file", "not user:hash"},
		{"empty", map[string]string{"auth": ""}, "auth-file", "no users"},
		{"missing key", map[string]string{"other": b64("a:" + sha("a"))}, "auth-file", "no users"},
		{"not base64", map[string]string{"auth": "!!"}, "auth-file", "not base64"},
		{"NUL", map[string]string{"auth": b64("a:" + sha("a") + "\x00")}, "auth-file", "NUL"},
		{"space in user", map[string]string{"auth": b64(" a:" + sha("a"))}, "auth-file", "user name"},
		{"huge", map[string]string{"auth": strings.Repeat("A", 2<<20)}, "auth-file", "1 MiB"},
		{"too many", map[string]string{"auth": b64(strings.Repeat("a:"+sha("a")+"\n", MaxUsers+1))}, "auth-file", "more than"},
		{"bad map value", map[string]string{"a": "??"}, "auth-map", "not base64"},
		{"unknown type", map[string]string{}, "auth-ldap", "unknown"},
	}
	for _, tt := range tests {
		_, err := Read(tt.data, tt.kind)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "{SHA}A") {
			t.Errorf("%s: the message shows a hash: %v", tt.name, err)
		}
	}
}

func TestType(t *testing.T) {
	typ := func(s string) intent.Value[string] {
		return intent.Read(map[string]string{"auth-type": s}, "shop").Basic.Type
	}
	if err := Type(typ(" basic "), "X"); err != nil {
		t.Errorf("Type(basic) = %v", err)
	}
	if err := Type(typ("digest"), "Vendor X"); err == nil || !strings.Contains(err.Error(), "which Vendor X does not have") {
		t.Errorf("Type(digest) = %v", err)
	}
	for _, in := range []string{"", "Basic", "basic\n", "bearer", strings.Repeat("b", 17)} {
		if err := Type(typ(in), "X"); err == nil {
			t.Errorf("Type(%q) accepted", in)
		}
	}
}

func TestReadAnyKeepsEveryHash(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	u, err := ReadAny(map[string]string{"bob": b64("$apr1$x$y"), "alice": b64(sha("pw"))}, "auth-map")
	if err != nil || !slices.Equal(u.Lines, []string{"alice:" + sha("pw"), "bob:$apr1$x$y"}) {
		t.Errorf("ReadAny = %v, %v", u.Lines, err)
	}
	if _, err := Read(map[string]string{"bob": b64("$apr1$x$y")}, "auth-map"); err == nil {
		t.Error("Read accepted an $apr1$ hash")
	}
	if _, err := ReadAny(map[string]string{"bob": b64("  ")}, "auth-map"); err == nil {
		t.Error("ReadAny accepted an empty hash")
	}
}
