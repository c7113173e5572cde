// Package probe turns the decision points of two configurations into the
// requests `routeshift diff` asks both data planes.
//
// Random sampling would miss exactly the requests a migration breaks: the
// ones at a boundary. So probes are built around every boundary either side
// draws. For a path P: P itself, P with and without a trailing "/", one
// segment deeper, a same-prefix sibling ("/foobar" for "/foo"), P in upper
// case and its parent. For a host: itself; for a wildcard, a one-label and a
// two-label name under it and the bare suffix (ingress-nginx wildcards match
// one label, Gateway API ones any number); and one host no configuration
// names. For each header, query parameter, cookie or method a rule tests:
// the request with every condition met, without them, and with each one
// changed. Everything over http and https.
//
// Points from both sides are merged, so a path only one side knows is
// probed on the other side too. The result is deduplicated and sorted, so
// the same inputs always give the same probes in the same order.
package probe
