// Package casetest is the test harness every implementation shares: golden
// cases read from testdata, validation of every generated object against the
// vendor's CRDs (copied from the vendor's Go module) and Gateway API's, and
// the contract of package implementations checked on every Output
// (determinism, Handled within Supports, nothing unsafe copied through).
//
// It is imported only by tests, so the validator and YAML machinery never
// reach the binary.
package casetest
