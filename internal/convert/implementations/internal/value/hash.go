package value

import (
	"errors"
	"regexp"
	"strings"
)

// HashKind is what a consistent hash reads from a request.
type HashKind int

// The kinds of HashKey.
const (
	HashSourceIP HashKind = iota + 1 // the client address
	HashHeader                       // a request header
	HashCookie                       // a cookie
	HashQuery                        // a query parameter
)

// HashKey is what an upstream-hash-by value hashes on when it is a single
// nginx variable a proxy's consistent hash can read.
type HashKey struct {
	Kind HashKind
	// Name is the header name (lowercased, with dashes, as nginx derives
	// $http_ variables from it), the cookie name or the query parameter
	// name; "" for HashSourceIP.
	Name string
}

var hashVar = regexp.MustCompile(`^\$(remote_addr|binary_remote_addr|http_[A-Za-z0-9_]+|cookie_[A-Za-z0-9_.-]+|arg_[A-Za-z0-9_.-]+)$`)

// ErrHashKey is HashBy's error for a value that is not one of the
// variables a consistent hash can read: nginx hashes any string of
// variables and text (a composite such as $host$request_uri), so such a
// value still makes nginx hash, where a proxy cannot.
var ErrHashKey = errors.New("only one of $remote_addr, $binary_remote_addr, $http_<name>, $cookie_<name> or $arg_<name> can be translated")

// HashBy parses an upstream-hash-by value of at most 256 bytes: one of
// $remote_addr, $binary_remote_addr, $http_<name>, $cookie_<name> or
// $arg_<name>. A value that is clean but none of these is refused with
// ErrHashKey itself; any other error is Clean's.
func HashBy(s string) (HashKey, error) {
	c, err := Clean(s, 256)
	if err != nil {
		return HashKey{}, err
	}
	if !hashVar.MatchString(c) {
		return HashKey{}, ErrHashKey
	}
	v := c[1:]
	switch {
	case v == "remote_addr" || v == "binary_remote_addr":
		return HashKey{Kind: HashSourceIP}, nil
	case strings.HasPrefix(v, "http_"):
		// nginx names $http_ variables after the header lowercased with
		// dashes as underscores.
		return HashKey{Kind: HashHeader, Name: strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(v, "http_")), "_", "-")}, nil
	case strings.HasPrefix(v, "cookie_"):
		return HashKey{Kind: HashCookie, Name: strings.TrimPrefix(v, "cookie_")}, nil
	default:
		return HashKey{Kind: HashQuery, Name: strings.TrimPrefix(v, "arg_")}, nil
	}
}
