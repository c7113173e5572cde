package policy

import (
	"errors"

	"github.com/routeshift/routeshift/internal/convert/implementations/internal/value"
	"github.com/routeshift/routeshift/internal/finding"
)

// The readings of upstream-hash-by and load-balance that every vendor
// shares; only the objects they become differ. subject names what the
// vendor balances ("routes", "Services") and vendor its name, for the
// messages.

// HashBy reads upstream-hash-by. ok says key is usable; hashes says
// whether nginx hashes at all: a well-formed key no vendor can hash on (a
// composite such as $host$request_uri) still makes nginx ignore
// load-balance. Problems are reported.
func (b *Builder) HashBy(subject, vendor string) (key value.HashKey, ok, hashes bool) {
	const name = "upstream-hash-by"
	raw, present := b.Raw(name)
	if !present {
		return key, false, false
	}
	key, err := value.HashBy(raw)
	if errors.Is(err, value.ErrHashKey) {
		c, _ := value.Clean(raw, 256)
		b.Report(finding.Warning, name, "annotation %s: %s cannot be translated: %v; the %s are balanced by %s's default (least request) instead of a consistent hash", name, value.Quote(c), err, subject, vendor)
		return key, false, true
	}
	if err != nil {
		b.Invalid(finding.Warning, name, err, "the "+subject+" are balanced without hashing")
		return key, false, false
	}
	return key, true, true
}

// LoadBalance reads load-balance: "round_robin", "ewma", or "" when it is
// absent or invalid (reported).
func (b *Builder) LoadBalance(subject, vendor string) string {
	const name = "load-balance"
	raw, ok := b.Raw(name)
	if !ok {
		return ""
	}
	c, err := value.Clean(raw, 32)
	if err == nil && c != "round_robin" && c != "ewma" {
		err = errors.New("not round_robin or ewma")
	}
	if err != nil {
		b.Invalid(finding.Warning, name, err, "ingress-nginx balances round robin; the "+subject+" keep "+vendor+"'s least-request default")
		return ""
	}
	return c
}
