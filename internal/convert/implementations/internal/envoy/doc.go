// Package envoy holds what the Envoy-based implementations (Envoy Gateway,
// kgateway) share: how nginx's retry conditions map to Envoy's retry_on
// triggers, and the bounds both apply to timeouts and body limits, which
// come from Envoy's behaviour rather than from either vendor's API.
package envoy
