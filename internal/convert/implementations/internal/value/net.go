package value

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// MaxCIDRs bounds a source-range list. Real allowlists hold a few dozen
// ranges; thousands would make every request walk a huge RBAC table.
const MaxCIDRs = 1000

// CIDRs parses a comma-separated list of addresses and CIDR ranges as
// ingress-nginx's source-range annotations take them. A plain address
// becomes a /32 or /128 range, host bits are cleared ("10.1.2.3/8" is
// 10.0.0.0/8, as nginx reads it), IPv4-mapped IPv6 ranges become IPv4, and
// duplicates are dropped; the order is kept. One bad entry refuses the whole
// list, because half an access list is a different access list.
func CIDRs(s string) ([]netip.Prefix, error) {
	c, err := Clean(s, 64<<10)
	if err != nil {
		return nil, err
	}
	parts := strings.Split(c, ",")
	if len(parts) > MaxCIDRs {
		return nil, fmt.Errorf("more than %d entries", MaxCIDRs)
	}
	var out []netip.Prefix
	seen := map[netip.Prefix]bool{}
	for _, p := range parts {
		p = strings.TrimSpace(p)
		pfx, err := cidr(p)
		if err != nil {
			return nil, fmt.Errorf("entry %s is %w", Quote(p), err)
		}
		if !seen[pfx] {
			seen[pfx] = true
			out = append(out, pfx)
		}
	}
	return out, nil
}

func cidr(s string) (netip.Prefix, error) {
	if s == "" {
		return netip.Prefix{}, errors.New("empty")
	}
	var pfx netip.Prefix
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, errors.New("not an IP address or CIDR range")
		}
		pfx = p
	} else {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return netip.Prefix{}, errors.New("not an IP address or CIDR range")
		}
		pfx = netip.PrefixFrom(a, a.BitLen())
	}
	if a := pfx.Addr(); a.Is4In6() && pfx.Bits() >= 96 {
		pfx = netip.PrefixFrom(a.Unmap(), pfx.Bits()-96)
	}
	return pfx.Masked(), nil
}

// tchar is RFC 7230's token alphabet: header names and cookie names.
var token = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")

// Token checks an RFC 7230 token of at most 256 bytes (a header or cookie
// name).
func Token(s string) (string, error) {
	c, err := Clean(s, 256)
	if err != nil {
		return "", err
	}
	if !token.MatchString(c) {
		return "", errors.New("not an HTTP token (letters, digits and !#$%&'*+.^_`|~-)")
	}
	return c, nil
}

// Tokens parses a comma-separated list of header names, at most max of
// them, dropping repeats (case-insensitively, as HTTP compares names).
func Tokens(s string, max int) ([]string, error) {
	c, err := Clean(s, MaxLen)
	if err != nil {
		return nil, err
	}
	parts := strings.Split(c, ",")
	if len(parts) > max {
		return nil, fmt.Errorf("more than %d names", max)
	}
	var out []string
	seen := map[string]bool{}
	for _, p := range parts {
		t, err := Token(p)
		if err != nil {
			return nil, fmt.Errorf("entry %s is %w", Quote(strings.TrimSpace(p)), err)
		}
		if k := strings.ToLower(t); !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	return out, nil
}

var cookiePath = regexp.MustCompile(`^/[A-Za-z0-9._~!*+=:@/-]*$`)

// CookiePath checks a cookie Path attribute: absolute, and without the
// separators (";", ",", spaces) that would end the attribute early.
func CookiePath(s string) (string, error) {
	c, err := Clean(s, 1024)
	if err != nil {
		return "", err
	}
	if !cookiePath.MatchString(c) {
		return "", errors.New("not a cookie path (/ followed by letters, digits and ._~!*+=:@/-)")
	}
	return c, nil
}

// SameSite parses a cookie SameSite attribute, None, Lax or Strict in any
// case, and returns it spelled as RFC 6265bis does.
func SameSite(s string) (string, error) {
	c, err := Clean(s, 16)
	if err != nil {
		return "", err
	}
	for _, v := range []string{"None", "Lax", "Strict"} {
		if strings.EqualFold(c, v) {
			return v, nil
		}
	}
	return "", errors.New("not None, Lax or Strict")
}

// CookieDomain checks a cookie Domain attribute: a DNS name, optionally
// with the leading dot older browsers wanted.
func CookieDomain(s string) (string, error) {
	c, err := Clean(s, 254)
	if err != nil {
		return "", err
	}
	name := strings.ToLower(strings.TrimPrefix(c, "."))
	if errs := validation.IsDNS1123Subdomain(name); len(errs) > 0 {
		return "", errors.New("not a DNS domain name")
	}
	return c, nil
}

// Ref is a namespace/name reference to an object in the input.
type Ref struct{ Namespace, Name string }

func (r Ref) String() string { return r.Namespace + "/" + r.Name }

// ObjectRef parses "name" or "namespace/name" as ingress-nginx's auth-secret
// and similar annotations take them; a bare name is in defaultNamespace.
// Names must be DNS subdomains and namespaces DNS labels, which also rules
// out the path traversal of CVE-2025-24513.
func ObjectRef(s, defaultNamespace string) (Ref, error) {
	c, err := Clean(s, 320)
	if err != nil {
		return Ref{}, err
	}
	ns, name, found := strings.Cut(c, "/")
	if !found {
		ns, name = defaultNamespace, c
	}
	if len(validation.IsDNS1123Label(ns)) > 0 {
		return Ref{}, fmt.Errorf("namespace %s is not a DNS label", Quote(ns))
	}
	if len(validation.IsDNS1123Subdomain(name)) > 0 {
		return Ref{}, fmt.Errorf("name %s is not a DNS subdomain", Quote(name))
	}
	return Ref{Namespace: ns, Name: name}, nil
}

// Service is an in-cluster Service endpoint named by a URL.
type Service struct {
	Namespace, Name string
	Port            int64
	// Path is the URL's path, "/" when it has none.
	Path string
}

// ErrHTTPS marks an https URL, which is well-formed but needs TLS settings
// for the upstream that a URL cannot carry.
var ErrHTTPS = errors.New("an https URL: TLS to the Service needs a BackendTLSPolicy that the URL cannot express")

var urlPath = regexp.MustCompile(`^/[A-Za-z0-9._~!*+=:@/-]*$`)

// ServiceURL parses a URL that must name a Service by its cluster DNS name:
// http://<service>.<namespace>[.svc[.cluster.local]][:port][/path]. Anything
// else (nginx variables such as $host, other schemes such as javascript:,
// credentials, queries, fragments, bare Service names that ingress-nginx
// resolved in its own namespace, external hosts, IP addresses) is refused,
// because only a Service can become a backendRef.
func ServiceURL(s string) (Service, error) {
	c, err := Clean(s, 2048)
	if err != nil {
		return Service{}, err
	}
	if strings.ContainsAny(c, "$\\ \"'<>{}`^|") {
		return Service{}, errors.New("contains nginx variables or characters a URL may not hold")
	}
	u, err := url.Parse(c)
	if err != nil {
		return Service{}, errors.New("not a URL")
	}
	switch u.Scheme {
	case "http":
	case "https":
		return Service{}, ErrHTTPS
	default:
		return Service{}, errors.New("not an http URL")
	}
	if u.Opaque != "" || u.Host == "" {
		return Service{}, errors.New("has no host")
	}
	if u.User != nil {
		return Service{}, errors.New("carries credentials")
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsAny(c, "?#") {
		return Service{}, errors.New("has a query or fragment, which the policy cannot carry")
	}
	port := int64(80)
	if p := u.Port(); p != "" {
		if port, err = Int(p, 1, 65535); err != nil {
			return Service{}, fmt.Errorf("port: %w", err)
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return Service{}, errors.New("has an empty port")
	}
	svc, ns, err := serviceHost(strings.ToLower(u.Hostname()))
	if err != nil {
		return Service{}, err
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if !urlPath.MatchString(path) || strings.Contains(path, "//") || hasDotSegment(path) {
		return Service{}, errors.New("path is not a plain absolute path (letters, digits and ._~!*+=:@/-, no dot segments)")
	}
	return Service{Namespace: ns, Name: svc, Port: port, Path: path}, nil
}

func serviceHost(host string) (svc, ns string, err error) {
	if _, err := netip.ParseAddr(host); err == nil {
		return "", "", errors.New("names an IP address, not a Service")
	}
	labels := strings.Split(host, ".")
	switch {
	case len(labels) == 1:
		return "", "", errors.New("names a Service without its namespace; ingress-nginx resolved it in the controller's own namespace, which the manifest does not say")
	case len(labels) == 2,
		len(labels) == 3 && labels[2] == "svc",
		len(labels) == 5 && labels[2] == "svc" && labels[3] == "cluster" && labels[4] == "local":
	default:
		return "", "", errors.New("is not an in-cluster Service name (<service>.<namespace>.svc.cluster.local)")
	}
	if len(validation.IsDNS1035Label(labels[0])) > 0 {
		return "", "", fmt.Errorf("service name %s is not a DNS label", Quote(labels[0]))
	}
	if len(validation.IsDNS1123Label(labels[1])) > 0 {
		return "", "", fmt.Errorf("namespace %s is not a DNS label", Quote(labels[1]))
	}
	return labels[0], labels[1], nil
}

func hasDotSegment(path string) bool {
	for _, seg := range strings.Split(path, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// Realm checks an auth-realm value of at most 256 bytes: without a double
// quote, which would end the quoted realm of a WWW-Authenticate header.
func Realm(s string) (string, error) {
	c, err := Clean(s, 256)
	if err != nil {
		return "", err
	}
	if strings.ContainsRune(c, '"') {
		return "", errors.New("contains a double quote")
	}
	return c, nil
}
