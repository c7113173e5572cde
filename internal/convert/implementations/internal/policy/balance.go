package policy

import (
	"errors"

	"github.com/routeshift/routeshift/internal/convert/implementations/internal/value"
	"github.com/routeshift/routeshift/internal/finding"
)

// The reports about upstream-hash-by and load-balance that every vendor
// shares; the values come from the Builder's Intent, and only the objects
// they become differ. subject names what the vendor balances ("routes",
// "Services") and vendor its name, for the messages.

// HashBy reads upstream-hash-by. ok says key is usable; hashes says
// whether nginx hashes at all: a well-formed key no vendor can hash on (a
// composite such as $host$request_uri) still makes nginx ignore
// load-balance. Problems are reported.
func (b *Builder) HashBy(subject, vendor string) (key value.HashKey, ok, hashes bool) {
	v := b.intent.Balance.HashBy
	switch {
	case !v.Set:
		return key, false, false
	case errors.Is(v.Err, value.ErrHashKey):
		b.Report(finding.Warning, v.Name, "annotation %s: %s cannot be translated: %v; the %s are balanced by %s's default (least request) instead of a consistent hash", v.Name, value.Quote(b.intent.Balance.Expr), v.Err, subject, vendor)
		return key, false, true
	case v.Err != nil:
		b.Invalid(finding.Warning, v.Name, v.Err, "the "+subject+" are balanced without hashing")
		return key, false, false
	}
	return v.V, true, true
}

// LoadBalance reads load-balance: "round_robin", "ewma", or "" when it is
// absent or invalid (reported).
func (b *Builder) LoadBalance(subject, vendor string) string {
	c, _ := Valid(b, b.intent.Balance.LoadBalance, finding.Warning, "ingress-nginx balances round robin; the "+subject+" keep "+vendor+"'s least-request default")
	return c
}
