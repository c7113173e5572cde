// Package policy builds the Output of an implementation: one policy object
// per Ingress, namespace and kind, into which every annotation's section is
// merged, attached with targetRefs to the Ingress's routes; extra objects
// (Secrets, ReferenceGrants); the Handled table; and findings. It makes the
// determinism and naming rules of package implementations hold for every
// vendor in one place. A Builder holds the Ingress's Intent (package
// intent), read once when it is made; Valid reports an invalid value of it
// with the vendor's own words for what the routes do instead.
//
// One object per kind, not one per feature, because vendors such as Envoy
// Gateway apply only one policy of a kind to a route (the oldest wins, the
// others are ignored): two BackendTrafficPolicies for one route, one with
// the timeout and one with the rate limit, would silently lose one.
package policy
