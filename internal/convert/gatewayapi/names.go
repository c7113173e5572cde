package gatewayapi

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// slug turns a host into a name fragment: "*.example.com" ->
// "wildcard-example-com", "" -> "catch-all".
func slug(host string) string {
	if host == "" {
		return "catch-all"
	}
	s := strings.ReplaceAll(host, "*", "wildcard")
	return strings.ReplaceAll(s, ".", "-")
}

// maxName keeps generated names within metadata.name's 253 characters and
// below the 63 that many implementations need for objects they derive.
const maxName = 63

// fit shortens a name beyond maxName, keeping it unique with a hash of the
// full name so that two long hosts never collapse into one name.
func fit(name string) string {
	name = strings.Trim(strings.ToLower(name), "-.")
	if len(name) <= maxName {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	return strings.TrimRight(name[:maxName-9], "-.") + "-" + hex.EncodeToString(sum[:])[:8]
}

// names hands out names unique per namespace, in the order asked; callers
// ask in sorted order, so the result is deterministic.
type names map[string]bool

func (n names) take(namespace, base string) string {
	name := fit(base)
	for i := 2; n[namespace+"/"+name]; i++ {
		name = fit(fmt.Sprintf("%s-%d", base, i))
	}
	n[namespace+"/"+name] = true
	return name
}
