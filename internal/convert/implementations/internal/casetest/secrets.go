package casetest

import (
	"crypto/sha1"
	"encoding/base64"
)

// BasicAuthSecrets are ingress-nginx basic-auth Secrets for SampleSecrets,
// both holding user alice with password wonderland as a {SHA} hash, the
// only kind Envoy-based gateways read: shop/basic-auth as an auth-file,
// shop/basic-map as an auth-map. Each call returns new maps.
func BasicAuthSecrets() map[string]map[string]string {
	sum := sha1.Sum([]byte("wonderland"))
	sha := "{SHA}" + base64.StdEncoding.EncodeToString(sum[:])
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	return map[string]map[string]string{
		"shop/basic-auth": {"auth": b64("alice:" + sha + "\n")},
		"shop/basic-map":  {"alice": b64(sha)},
	}
}
