// Package registry lists the implementations, so that the converter can
// resolve spec.implementation without importing every vendor itself. It is
// a package of its own because the vendors import package implementations
// for its types, which could therefore not import them back.
package registry
