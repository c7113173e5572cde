// Package routing is the vocabulary of routeshift's semantic check: a
// Request a client sends, and the Outcome a data plane gives it.
//
// `routeshift diff` answers "for which requests does routing change?" by
// asking two independent models of two data planes the same questions: the
// ingress-nginx evaluator (package nginx) and the Gateway API evaluator
// (package gateway). Both answer in this vocabulary, so their answers can be
// compared without either knowing about the other. Neither shares code with
// the converter (internal/convert/ingressnginx, internal/convert/gatewayapi, fn): if the check
// reused the converter's understanding of ingress-nginx, a misunderstanding
// would agree with itself and the check would prove nothing.
//
// The questions come from package probe, which turns each model's decision
// points (Point: the hosts, paths, headers, query parameters and methods its
// rules test) into concrete requests around every boundary. Package report
// compares the answers and renders them; package check wires it together.
//
// An Outcome is one of four things: forwarded to a weighted set of backends
// (with the path and Host the backend sees and the header changes on the
// way), redirected, answered with a status by the data plane itself, or
// Unverifiable, when the configuration's meaning cannot be known statically
// (raw nginx snippets, implementation-specific regular expressions). A
// fifth kind, Refused, is a connection the data plane does not serve at all:
// HTTPS to a host without a certificate or listener.
//
// Weights compare as proportions: 80/20 and 4/1 are the same split, and the
// order of backends does not matter.
package routing
