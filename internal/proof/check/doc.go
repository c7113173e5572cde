// Package check runs the semantic check end to end: it decides which data
// plane each tree of manifests describes, builds the two independent models
// (ingress-nginx and Gateway API), generates probes from both, and compares.
//
// A tree that holds Gateway API routes is evaluated as Gateway API by
// default, because that is the data plane a migration moves traffic to; a
// tree with only Ingresses is evaluated as ingress-nginx. Side "ingress"
// prefers the Ingresses of a dual-stack tree instead, and "both" compares
// the Ingress view and the Gateway view of each tree against the other
// tree, so a dual-stack pull request shows both what changed in the
// Ingresses and what the new routes do differently.
package check
