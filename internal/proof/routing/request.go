package routing

import (
	"sort"
	"strconv"
	"strings"
)

// KV is one header, query parameter or cookie.
type KV struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Request is what a client sends. Headers, Query and Cookies are kept
// sorted by Normalize so that two requests that mean the same thing have the
// same Key; header names are lower-case because HTTP compares them without
// case.
type Request struct {
	Scheme string `json:"scheme"` // "http" or "https"
	// Host is the Host header (or :authority); it may carry a port, which
	// both data planes ignore for matching.
	Host string `json:"host"`
	// Port is the port the client connects to; 0 means the scheme's usual
	// port (the --http-port/--https-port of the data plane).
	Port    int    `json:"port,omitempty"`
	Method  string `json:"method"`
	Path    string `json:"path"`
	Query   []KV   `json:"query,omitempty"`
	Headers []KV   `json:"headers,omitempty"`
	Cookies []KV   `json:"cookies,omitempty"`
}

// Normalize fills defaults and sorts the lists, and returns the request.
func (r Request) Normalize() Request {
	if r.Scheme == "" {
		r.Scheme = "http"
	}
	if r.Method == "" {
		r.Method = "GET"
	}
	if r.Path == "" {
		r.Path = "/"
	}
	if len(r.Headers) > 0 {
		h := make([]KV, len(r.Headers))
		for i, kv := range r.Headers {
			h[i] = KV{strings.ToLower(kv.Name), kv.Value}
		}
		sortKV(h)
		r.Headers = h
	}
	if len(r.Query) > 1 {
		r.Query = append([]KV(nil), r.Query...)
		sortKV(r.Query)
	}
	if len(r.Cookies) > 1 {
		r.Cookies = append([]KV(nil), r.Cookies...)
		sortKV(r.Cookies)
	}
	return r
}

func sortKV(s []KV) {
	sort.SliceStable(s, func(i, j int) bool {
		if s[i].Name != s[j].Name {
			return s[i].Name < s[j].Name
		}
		return s[i].Value < s[j].Value
	})
}

// Header returns the first value of a header, compared without case.
func (r *Request) Header(name string) (string, bool) {
	for _, kv := range r.Headers {
		if strings.EqualFold(kv.Name, name) {
			return kv.Value, true
		}
	}
	return "", false
}

// QueryParam returns the first value of a query parameter; names are
// case-sensitive.
func (r *Request) QueryParam(name string) (string, bool) {
	for _, kv := range r.Query {
		if kv.Name == name {
			return kv.Value, true
		}
	}
	return "", false
}

// Cookie returns the value of a cookie.
func (r *Request) Cookie(name string) (string, bool) {
	for _, kv := range r.Cookies {
		if kv.Name == name {
			return kv.Value, true
		}
	}
	return "", false
}

// Hostname is Host without its port, lower-cased: what both data planes
// match server names and listener hostnames against.
func (r *Request) Hostname() string {
	h := r.Host
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
		h = h[:i]
	}
	return strings.ToLower(h)
}

// RawQuery renders Query as it appears after "?" (without it).
func (r *Request) RawQuery() string {
	if len(r.Query) == 0 {
		return ""
	}
	var b strings.Builder
	for i, kv := range r.Query {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(kv.Name)
		if kv.Value != "" {
			b.WriteByte('=')
			b.WriteString(kv.Value)
		}
	}
	return b.String()
}

// URL renders scheme, host, port (when not the scheme's usual one), path and
// query.
func (r *Request) URL() string {
	var b strings.Builder
	b.WriteString(r.Scheme)
	b.WriteString("://")
	b.WriteString(r.Host)
	if r.Port != 0 && !(r.Scheme == "http" && r.Port == 80) && !(r.Scheme == "https" && r.Port == 443) {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(r.Port))
	}
	b.WriteString(r.Path)
	if q := r.RawQuery(); q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	return b.String()
}

// String is the request as a reviewer reads it:
// "GET https://shop.example.com/API/x with X-Canary: always".
func (r Request) String() string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte(' ')
	b.WriteString(r.URL())
	sep := " with "
	for _, h := range r.Headers {
		b.WriteString(sep)
		b.WriteString(canonicalHeader(h.Name))
		b.WriteString(": ")
		b.WriteString(h.Value)
		sep = ", "
	}
	for _, c := range r.Cookies {
		b.WriteString(sep)
		b.WriteString("cookie ")
		b.WriteString(c.Name)
		b.WriteByte('=')
		b.WriteString(c.Value)
		sep = ", "
	}
	return b.String()
}

// Key identifies a normalized request; equal requests have equal keys.
func (r Request) Key() string { return r.String() }

// canonicalHeader spells a lower-case header name the way people write it
// (x-canary -> X-Canary), for reports only.
func canonicalHeader(s string) string {
	b := []byte(s)
	upper := true
	for i, c := range b {
		if upper && 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		upper = c == '-'
	}
	return string(b)
}
