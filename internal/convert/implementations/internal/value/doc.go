// Package value parses ingress-nginx annotation values for the
// implementation policies, strictly.
//
// Every value is untrusted: annotations are written by whoever may edit an
// Ingress, and ingress-nginx's own history (CVE-2025-1974 and its family)
// shows what copying them into configuration leads to. So a parser here
// accepts only the narrow grammar its annotation needs, with sane bounds,
// and returns an error that says why in words fit for a user-facing message.
// Nothing returned by this package can carry a control character, a NUL or
// an unbounded length into a generated object.
package value
