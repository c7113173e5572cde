// Package htpasswd reads the user list of an ingress-nginx basic-auth
// Secret into the one form Envoy-based gateways accept: "user:{SHA}hash"
// lines (Envoy's basic_auth filter knows no other hash).
//
// ingress-nginx takes two Secret layouts (auth-secret-type): auth-file, an
// htpasswd file under the key "auth", and auth-map, one key per user whose
// value is the hash. Both are read; anything that is not a well-formed
// {SHA} user makes the whole list unusable, because a gateway would refuse
// or drop those users and the people behind them would be locked out.
//
// Messages count users and name hash schemes but never show a user name or
// a hash: findings end up in CI logs.
package htpasswd
