package ingressnginx

import (
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTokenizeSnippet(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want []directive
		err  string
	}{
		{src: `more_set_headers "A: b;c" 'd: {e}';`, want: []directive{{Name: "more_set_headers", Args: []string{"A: b;c", "d: {e}"}, Line: 1}}},
		{src: "# comment ; {\nadd_header X \"a\\\"b\\\\\" always;", want: []directive{{Name: "add_header", Args: []string{"X", `a"b\`, "always"}, Line: 2}}},
		{src: "if ($host = a) {\n return 301 https://b;\n}", want: []directive{{Name: "if", Args: []string{"($host", "=", "a)"}, HasBlock: true, Line: 1,
			Block: []directive{{Name: "return", Args: []string{"301", "https://b"}, Line: 2}}}}},
		{src: `a "\$x";`, err: `line 1: escape \$ inside quotes`},
		{src: `a b\c;`, err: "line 1: backslash outside quotes"},
		{src: `a "b"c;`, err: `line 1: unexpected 'c' after a quoted word`},
		{src: `a b"c";`, err: "line 1: quote inside a word"},
		{src: `a "b;`, err: "line 1: unterminated quote"},
		{src: `a b`, err: `line 1: directive "a" is not terminated by ";"`},
		{src: `a;}`, err: `line 1: unexpected "}"`},
		{src: `;`, err: `line 1: unexpected ";"`},
		{src: "a \x01;", err: "line 1: control character"},
		{src: `a { b { c { d; } } }`, err: "line 1: blocks nested deeper than 2"},
		{src: `a { b;`, err: `line 1: block of "a" is not closed`},
		{src: strings.Repeat("a;", maxSnippet), err: "is longer than 4096 characters"},
	} {
		got, err := tokenizeSnippet(tc.src)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%q: error %v, want %q", tc.src, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %+v, %v; want %+v", tc.src, got, err, tc.want)
		}
	}
}

func TestParseSnippet(t *testing.T) {
	one := snippetContext{Hosts: []string{"a.example.com"}, AccessCarried: true}
	s, err := parseSnippet(`more_set_headers "X-A: 1" "X-B:2"; add_header X-C "v; {}" always; more_clear_headers Server X-Powered-By;
proxy_set_header X-Team shop; proxy_set_header X-Drop "";`, one)
	if err != nil {
		t.Fatal(err)
	}
	want := &Snippet{
		ResponseSet:    []Header{{"X-A", "1"}, {"X-B", "2"}},
		ResponseAdd:    []Header{{"X-C", "v; {}"}},
		ResponseRemove: []string{"Server", "X-Powered-By"},
		RequestSet:     []Header{{"X-Team", "shop"}},
		RequestRemove:  []string{"X-Drop"},
		Differences:    []string{"an add_header in a location replaces every add_header nginx inherited from the server and http levels; the route adds to what the Gateway sets instead"},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got %+v\nwant %+v", s, want)
	}

	s, err = parseSnippet("deny 203.0.113.9;\nallow 10.0.0.0/8;\nallow 2001:db8::/32;\ndeny all;", one)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Access(); !reflect.DeepEqual(got, map[string]string{"allowlist-source-range": "10.0.0.0/8,2001:db8::/32", "denylist-source-range": "203.0.113.9/32"}) {
		t.Errorf("access %v", got)
	}

	for src, want := range map[string]*Redirect{
		"return 308 https://b.example.com/x;":                              {Scheme: "https", Host: "b.example.com", Path: "/x", Code: 308},
		"rewrite ^ http://b.example.com:8080$request_uri? redirect;":       {Scheme: "http", Host: "b.example.com", Port: 8080, Code: 302, KeepURI: true},
		"if ($host = A.example.com) { return 301 https://b.example.com; }": {Scheme: "https", Host: "b.example.com", Path: "/", Code: 301},
	} {
		s, err := parseSnippet(src, one)
		if err != nil || !reflect.DeepEqual(s.Redirect, want) {
			t.Errorf("%q: %+v, %v; want %+v", src, s, err, want)
		}
	}
}

// TestParseSnippetRefuses checks that each refusal names the first
// directive that cannot be placed.
func TestParseSnippetRefuses(t *testing.T) {
	one := snippetContext{Hosts: []string{"a.example.com"}, AccessCarried: true}
	for src, want := range map[string]string{
		"add_header X 1; proxy_pass http://x;":                                 "proxy_pass",
		"proxy_set_header X-Real-IP $remote_addr;":                             "proxy_set_header",
		`more_set_headers "X: ${x}";`:                                          "more_set_headers",
		`more_set_headers -s 404 "X: 1";`:                                      "more_set_headers",
		`more_set_headers "X";`:                                                "more_set_headers",
		`more_set_headers "Bad Name: 1";`:                                      "more_set_headers",
		`more_clear_headers "X-*";`:                                            "more_clear_headers",
		"add_header X 1; add_header x 2;":                                      "add_header",
		"add_header X 1 never;":                                                "add_header",
		"proxy_set_header Host a;":                                             "proxy_set_header",
		"return 403;":                                                          "return",
		"return 301 /relative;":                                                "return",
		"return 301 https://b.example.com/p$request_uri;":                      "return",
		"rewrite ^/old https://b.example.com permanent;":                       "rewrite",
		"rewrite ^ https://b.example.com$request_uri permanent;":               "rewrite",
		"return 301 https://b.example.com; add_header X 1;":                    "add_header",
		"if ($host = other.example.com) { return 301 https://b.example.com; }": "if",
		"if ($request_uri = /) { return 301 https://b.example.com; }":          "if",
		"if ($host = a.example.com) { add_header X 1; }":                       "if",
		"location / { }":                                                       "location",
		"allow 10.0.0.0/8;":                                                    "allow",
		"deny all;":                                                            "deny",
		"allow all;":                                                           "allow",
		"allow 10.0.0.0/8; deny 10.1.0.0/16; deny all;":                        "deny",
		"allow 10.0.0.0/8; deny all; allow 11.0.0.0/8;":                        "allow",
		"allow 10.0.0.0/33; deny all;":                                         "allow",
		"access_by_lua_block { ngx.exit(403) }":                                "access_by_lua_block",
		"add_header X 1;\nlua_code \"unterminated;":                            "lua_code",
		`add_header X "a` + "\r\n" + `Set-Cookie: 1";`:                         "add_header",
	} {
		_, err := parseSnippet(src, one)
		var se *snippetError
		if !errors.As(err, &se) || se.Directive != want {
			t.Errorf("%q: %v, want a refusal naming %q", src, err, want)
		}
	}
	// Context: standard implementations, access annotations, redirects.
	for _, tc := range []struct {
		ctx  snippetContext
		src  string
		want string
	}{
		{snippetContext{}, "allow 10.0.0.0/8; deny all;", "standard Gateway API has no IP access control"},
		{snippetContext{AccessCarried: true, HasAccessAnnotations: true}, "deny 10.0.0.0/8;", "source-range annotations"},
		{snippetContext{HasRedirect: true}, "return 301 https://b.example.com;", "redirects by annotation"},
		{snippetContext{ResponseHeaders: map[string]string{"X-A": "1"}}, "more_set_headers \"x-a: 2\";", "named twice"},
		{snippetContext{XForwardedPrefix: true}, "proxy_set_header X-Forwarded-Prefix /a;", "named twice"},
		{snippetContext{}, "more_set_headers" + manyHeaders(17) + ";", "more than 16 headers"},
		{snippetContext{}, "add_header X-" + strings.Repeat("a", 300) + " 1;", "is not a header name"},
		{snippetContext{Hosts: []string{"a.example.com", "b.example.com"}}, "if ($host = a.example.com) { return 301 https://c.example.com; }", "only host"},
	} {
		if _, err := parseSnippet(tc.src, tc.ctx); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.src, err, tc.want)
		}
	}
}

// FuzzSnippet fuzzes the snippet tokenizer and triage. Properties: no
// panic; a triaged snippet's values hold no control character, no '$'
// and only valid UTF-8 when the input is, so nothing the output is built
// from can inject a header line or an nginx variable; a refusal names
// a directive or is a syntax error; triage is deterministic.
func FuzzSnippet(f *testing.F) {
	for _, s := range []string{
		`more_set_headers "X-A: b"; add_header X-B "c; {d}" always;`,
		"proxy_set_header X-T v;\nmore_clear_headers Server;",
		"if ($host = a.example.com) {\n return 302 https://b.example.com$request_uri;\n}",
		"rewrite ^ https://b.example.com$request_uri? permanent;",
		"deny 1.2.3.4; allow 10.0.0.0/8; allow ::1; deny all;",
		"add_header X \"a\\r\\nb\";",
		"add_header X 'a\\'b' always; # c",
		"access_by_lua_block { ngx.exit(403) }",
		"a { b { c; } }",
		"\"\x00\";",
	} {
		f.Add(s)
	}
	ctx := snippetContext{Hosts: []string{"a.example.com"}, AccessCarried: true}
	f.Fuzz(func(t *testing.T, src string) {
		s, err := parseSnippet(src, ctx)
		s2, err2 := parseSnippet(src, ctx)
		if !reflect.DeepEqual(s, s2) || (err == nil) != (err2 == nil) || err != nil && err.Error() != err2.Error() {
			t.Fatalf("not deterministic: %v / %v", err, err2)
		}
		if err != nil {
			var se *snippetError
			if !errors.As(err, &se) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		check := func(v string) {
			if safe(v) != nil || strings.Contains(v, "$") || utf8.ValidString(src) && !utf8.ValidString(v) {
				t.Fatalf("unsafe value %q triaged from %q", v, src)
			}
		}
		for _, n := range []int{len(s.ResponseSet), len(s.ResponseAdd), len(s.RequestSet), len(s.ResponseRemove), len(s.RequestRemove)} {
			if n > maxHeaderEntries {
				t.Fatalf("%d headers in one filter list from %q", n, src)
			}
		}
		for _, hs := range [][]Header{s.ResponseSet, s.ResponseAdd, s.RequestSet} {
			for _, h := range hs {
				check(h.Name)
				check(h.Value)
			}
		}
		for _, n := range append(append([]string(nil), s.ResponseRemove...), s.RequestRemove...) {
			check(n)
		}
		if r := s.Redirect; r != nil {
			check(r.Host)
			check(r.Path)
			check(r.Scheme)
		}
		for _, p := range append(append([]netip.Prefix(nil), s.Allow...), s.Deny...) {
			if !p.IsValid() || p != p.Masked() {
				t.Fatalf("prefix %v", p)
			}
		}
	})
}

func manyHeaders(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(` "X-H` + string(rune('a'+i)) + `: 1"`)
	}
	return b.String()
}
