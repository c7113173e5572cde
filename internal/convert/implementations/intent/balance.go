package intent

import (
	"errors"

	"github.com/routeshift/routeshift/internal/convert/implementations/internal/value"
)

// Balancing is how ingress-nginx picks an upstream endpoint: cookie
// affinity, a consistent hash, or a balancing algorithm.
type Balancing struct {
	// Affinity is "cookie", the one kind ingress-nginx has.
	Affinity Value[string]
	Cookie   Cookie
	// HashBy is upstream-hash-by as a key a proxy's consistent hash can
	// read. Its Err is value.ErrHashKey for a well-formed expression that
	// is not one such variable: nginx still hashes on it (Expr).
	HashBy Value[value.HashKey]
	// Expr is the upstream-hash-by expression as nginx reads it, when it
	// is clean; "" otherwise.
	Expr string
	// LoadBalance is "round_robin" or "ewma".
	LoadBalance Value[string]
}

// The balancing annotations, by the name Winner returns.
const (
	Affinity    = "affinity"
	HashBy      = "upstream-hash-by"
	LoadBalance = "load-balance"
)

// Winner is the annotation ingress-nginx balances by, following its
// balancer.lua: valid cookie affinity over upstream-hash-by (any clean
// expression, even one no proxy can hash on) over a valid load-balance;
// "" when none applies. The losers have no effect in nginx.
func (b Balancing) Winner() string {
	switch {
	case b.Affinity.OK():
		return Affinity
	case b.Hashes():
		return HashBy
	case b.LoadBalance.OK():
		return LoadBalance
	}
	return ""
}

// Hashes reports whether nginx hashes: upstream-hash-by is set to a clean
// expression, whether or not a proxy can read it.
func (b Balancing) Hashes() bool {
	return b.HashBy.OK() || b.HashBy.Set && errors.Is(b.HashBy.Err, value.ErrHashKey)
}

// Cookie is the affinity cookie's session-cookie-* settings.
type Cookie struct {
	Name                   Value[string]
	MaxAge, Expires        Value[int64]
	Path, Domain, SameSite Value[string]
	Secure                 Value[bool]
}

// CookieName is the cookie's name: session-cookie-name when valid, else
// nginx's default.
func (c Cookie) CookieName() string {
	if c.Name.OK() {
		return c.Name.V
	}
	return DefaultCookie
}

// ExpiresShadowed reports whether a valid session-cookie-expires has no
// effect because session-cookie-max-age sets a lifetime: browsers prefer
// Max-Age over Expires.
func (c Cookie) ExpiresShadowed() bool {
	return c.Expires.OK() && c.MaxAge.OK() && c.MaxAge.V > 0
}

// TTL is the cookie's lifetime in seconds, 0 for a session cookie (what
// nginx sets without max-age or expires).
func (c Cookie) TTL() int64 {
	switch {
	case c.Expires.OK() && !c.ExpiresShadowed():
		return c.Expires.V
	case c.MaxAge.OK():
		return c.MaxAge.V
	}
	return 0
}

// CookieAnnotations are the session-cookie-* annotations Cookie reads, in
// the order vendors report them.
var CookieAnnotations = []string{"session-cookie-name", "session-cookie-max-age", "session-cookie-expires", "session-cookie-path", "session-cookie-domain", "session-cookie-samesite", "session-cookie-secure"}

func readBalancing(ann map[string]string) Balancing {
	b := Balancing{
		Affinity: read(ann, Affinity, func(s string) (string, error) {
			c, err := value.Clean(s, 16)
			if err == nil && c != "cookie" {
				err = errors.New("only cookie is supported")
			}
			return c, err
		}),
		Cookie: Cookie{
			Name:     read(ann, "session-cookie-name", value.Token),
			MaxAge:   read(ann, "session-cookie-max-age", func(s string) (int64, error) { return value.Int(s, 0, MaxCookieAge) }),
			Expires:  read(ann, "session-cookie-expires", func(s string) (int64, error) { return value.Int(s, 0, MaxCookieAge) }),
			Path:     read(ann, "session-cookie-path", value.CookiePath),
			Domain:   read(ann, "session-cookie-domain", value.CookieDomain),
			SameSite: read(ann, "session-cookie-samesite", value.SameSite),
			Secure:   read(ann, "session-cookie-secure", value.Bool),
		},
		HashBy: read(ann, HashBy, value.HashBy),
		LoadBalance: read(ann, LoadBalance, func(s string) (string, error) {
			c, err := value.Clean(s, 32)
			if err == nil && c != "round_robin" && c != "ewma" {
				err = errors.New("not round_robin or ewma")
			}
			return c, err
		}),
	}
	if b.Hashes() {
		b.Expr, _ = value.Clean(ann[HashBy], 256)
	}
	return b
}
