// Package envoy holds what the Envoy-based implementations (Envoy Gateway,
// kgateway) share: how the retry family, as package intent reads it, maps
// to Envoy's retry_on triggers and retry counts, and the body-limit bound
// that comes from Envoy's buffering rather than from either vendor's API.
package envoy
