// Package differential holds the proof's reader of manifests
// (internal/proof/internal/kube) and the converter's (internal/load) to
// the same objects: the same identities, the same JSON (so the same
// scalars: 017 is 15 and on is true in both), the same refusals; and both
// to sigs.k8s.io/yaml, the reader of kubectl and the API server, on the
// scalars YAML 1.1 and YAML 1.2 read differently. It runs on the corpus,
// the golden cases' inputs and outputs, the hostile inputs of testdata/bad,
// and a fuzz target (FuzzReaders).
//
// It is the one package under internal/proof that imports the converter's
// reader, and it has no code but its tests: internal/proof/deps_test.go
// exempts it and nothing else.
package differential
